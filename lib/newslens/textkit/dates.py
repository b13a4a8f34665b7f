"""Date expressions in article text, resolved against the publication date as intervals.

    from newslens.textkit.dates import find_dates
    find_dates("10 drones are scheduled for delivery in March.", published="2013-12-26")
    # [DateMention(text="in March", date_start=2014-03-01, date_end=2014-03-31, granularity="month", ...)]

News text dates events relative to the day it was published ("last week", "on Monday", "in March"), so
each expression is resolved against `published` and becomes an interval `date_start..date_end` (inclusive)
with a `granularity` saying how precise it is:

| granularity | examples                                   | interval |
|-------------|--------------------------------------------|----------|
| day         | December 28, 2013 · 28.12.2013 · on Monday · yesterday | that day |
| week        | last week · this week · next week          | Monday..Sunday (clipped at publication, see below) |
| part_of_month | mid-December · early July · late July · the end of March | days 1-10 / 11-20 / 21-end |
| month       | in March · July 2014 · last month          | the month |
| part_of_year | early 2014 · mid-2014 · the end of 2011   | Jan-Apr / May-Aug / Sep-Dec |
| year        | in 2013 · this year · last year · 2007-2008 | the year(s) |
| since       | since 2005 · since June                    | start of the period .. publication |
| span        | the next few months · within two years · the past two decades · in recent weeks | publication +/- the span ("few" = 3) |
| vague       | recent(ly) · upcoming · soon               | one month before / three months after publication |

Past or future. A month or weekday without a year ("in March", "on Monday") is the most recent one
when the clause is in the past tense and the coming one when it speaks of the future ("are scheduled
for delivery in March", "will", "would", "due to"). `tense_of(clause)` makes that call from auxiliary
verbs; callers that know better (an event's status) pass `tense=` explicitly. "This week/year" ends at
publication in a past clause and starts there in a future one.

Absolute dates are parsed by dateparser (`DateDataParser`, which keeps the period: day, month, year);
the relative phrases above are resolved here, because dateparser reads "last week" as a single day and
does not know "mid-December" or the tense of the sentence.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import pandas as pd

from newslens.core.errors import ParameterError
from newslens.textkit.textgate import MONTH_WORDS, contains_any, for_lowered, has_digit, lowered, text_tokens

MONTH_NAMES = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTH_ABBR = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
MONTH_ABBR["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "few": 3, "several": 3, "couple of": 2, "a few": 3}
# How far "recent" and "upcoming" reach. Conventions, not facts: stated so a reader can judge them.
VAGUE_PAST_DAYS = 31
VAGUE_FUTURE_DAYS = 92

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PART = r"(?P<part>early|mid|late|the end of|end of|the beginning of|beginning of|the start of|start of|" \
        r"the middle of|middle of)"
_UNIT = r"(?P<unit>days?|weeks?|months?|years?|decades?)"
_COUNT = r"(?P<count>a few|few|several|a couple of|couple of|\d+|one|two|three|four|five|six|seven|eight|nine|ten)"

# Future markers in the clause before a date: auxiliaries, schedules, plans.
_FUTURE = re.compile(
    r"\b(?:will|won't|'ll|shall|would|going to|(?:is|are|was|were) (?:scheduled|due|expected|set|slated|"
    r"planned|poised|to be)|due (?:to|for|in)|to be (?:delivered|sent|shipped|handed)|plans? to|"
    r"planning to|intends? to|upcoming|forthcoming|scheduled (?:for|to))\b",
    re.IGNORECASE,
)
_FUTURE_ON_LOWERED = for_lowered(_FUTURE)  # the same test, faster (newslens.textkit.textgate)
_PAST = re.compile(
    r"\b(?:was|were|had|has been|have been|did|already|ago|\w+ed)\b", re.IGNORECASE
)
# A reporting verb right before a date dates the saying, which is past: "Washington said on Monday".
_SAID_BEFORE = re.compile(
    r"\b(?:said|announced|told(?: \w+)?|reported|confirmed|added|stated|declared|explained|noted|"
    r"revealed|disclosed|wrote|reiterated|insisted)\s+$", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[;:]|,\s(?:and|but|while|which|whereas|although)\b|\.\s|—|–\s")

DATE_COLUMNS = ["start", "end", "text", "date_start", "date_end", "granularity", "tense"]


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    date_start: date | None
    date_end: date | None
    granularity: str
    tense: str  # the tense the expression was resolved with: past, future or "" (not needed)

    def to_dict(self) -> dict:
        return asdict(self)


def as_date(value, what: str = "published") -> date:
    """A publication date from a string, Timestamp or date; ParameterError naming the bad value."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        ts = pd.Timestamp(str(value))
    except (ValueError, TypeError):
        ts = pd.NaT
    if pd.isna(ts):
        raise ParameterError(f"{what} date '{value}' is not a date (use YYYY-MM-DD)")
    return ts.date()


def tense_of(clause: str) -> str:
    """'future' when the clause speaks of the future (will, would, scheduled, due to ...), else 'past'."""
    return "future" if _FUTURE_ON_LOWERED.search(lowered(clause)) else "past"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    year, month = d.year + m // 12, m % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _month_number(word: str) -> int:
    w = word.lower().rstrip(".")
    return MONTH_NAMES.get(w) or MONTH_ABBR[w]


def _month_year(month: int, pub: date, tense: str) -> int:
    """The year of a month named without one: the coming one in a future clause, else the latest past."""
    if tense == "future":
        return pub.year if month >= pub.month else pub.year + 1
    return pub.year if month <= pub.month else pub.year - 1


def _part_of_month(part: str, year: int, month: int) -> tuple[date, date]:
    part = part.lower()
    if "early" in part or "beginning" in part or "start" in part:
        return date(year, month, 1), date(year, month, 10)
    if "mid" in part:
        return date(year, month, 11), date(year, month, 20)
    return date(year, month, 21), _month_end(year, month)


def _part_of_year(part: str, year: int) -> tuple[date, date]:
    part = part.lower()
    if "early" in part or "beginning" in part or "start" in part:
        return date(year, 1, 1), date(year, 4, 30)
    if "mid" in part:
        return date(year, 5, 1), date(year, 8, 31)
    return date(year, 9, 1), date(year, 12, 31)


def _count(word: str) -> int:
    w = word.lower()
    return int(w) if w.isdigit() else NUMBER_WORDS.get(w, 3)


def _shift(pub: date, unit: str, n: int) -> date:
    unit = unit.lower().rstrip("s")
    if unit == "day":
        return pub + timedelta(days=n)
    if unit == "week":
        return pub + timedelta(weeks=n)
    if unit == "month":
        return _add_months(pub, n)
    if unit == "year":
        return _add_months(pub, 12 * n)
    return _add_months(pub, 120 * n)  # decade


def _clip(start: date, end: date, pub: date, tense: str) -> tuple[date, date]:
    """A current period ("this week", "this year") ends at publication in the past tense and
    starts there in the future tense."""
    if tense == "past":
        return start, min(end, pub)
    if tense == "future":
        return max(start, pub), end
    return start, end


@lru_cache(maxsize=4)
def _date_parser(prefer: str):
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={
        "PREFER_DATES_FROM": prefer, "RETURN_TIME_AS_PERIOD": False, "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": "DMY",
    })


@lru_cache(maxsize=8192)
def _dateparser_day(expr: str, prefer: str) -> date | None:
    """dateparser's day for `expr` (it costs about a millisecond; the same phrases recur across wire
    copies and sentences). Without a written year dateparser picks one relative to today; the caller
    replaces that year, so caching within a process changes nothing."""
    data = _date_parser(prefer).get_date_data(expr)
    if data is None or data.date_obj is None:
        return None
    return data.date_obj.date()


def _parse_absolute(expr: str, pub: date, tense: str) -> date | None:
    """A calendar day via dateparser ("December 28, 2013", "28.12.2013", "April 30")."""
    parsed = _dateparser_day(expr, "future" if tense == "future" else "past")
    if parsed is None:
        return None
    if not re.search(_YEAR, expr) and not re.search(r"\d{1,2}[./]\d{1,2}[./]\d{2}", expr):
        # No year written: place the day relative to publication, not to today.
        candidate = parsed.replace(year=pub.year)
        if tense == "future" and candidate < pub:
            candidate = candidate.replace(year=pub.year + 1)
        elif tense != "future" and candidate > pub:
            candidate = candidate.replace(year=pub.year - 1)
        parsed = candidate
    return parsed


# --- the expressions, longest first; each handler returns (start, end, granularity) or None -------------

def _h_full_date(m, pub, tense):
    d = _parse_absolute(m.group(0), pub, tense)
    return (d, d, "day") if d else None


def _h_part_month(m, pub, tense):
    month = _month_number(m.group("month"))
    year = int(m.group("year")) if m.group("year") else _month_year(month, pub, tense)
    s, e = _part_of_month(m.group("part"), year, month)
    return s, e, "part_of_month"


def _h_part_year(m, pub, tense):
    s, e = _part_of_year(m.group("part"), int(m.group("year")))
    return s, e, "part_of_year"


def _h_since(m, pub, tense):
    if m.group("month"):
        month = _month_number(m.group("month"))
        year = int(m.group("year")) if m.group("year") else _month_year(month, pub, "past")
        return date(year, month, 1), pub, "since"
    return date(int(m.group("year")), 1, 1), pub, "since"


def _h_month(m, pub, tense):
    month = _month_number(m.group("month"))
    year = int(m.group("year")) if m.group("year") else _month_year(month, pub, tense)
    return date(year, month, 1), _month_end(year, month), "month"


def _h_year_range(m, pub, tense):
    a, b = int(m.group("a")), int(m.group("b"))
    if b < 100:
        b = a // 100 * 100 + b
    if b <= a:
        return None
    return date(a, 1, 1), date(b, 12, 31), "year"


def _h_year(m, pub, tense):
    y = int(m.group("year"))
    return date(y, 1, 1), date(y, 12, 31), "year"


def _h_relative_period(m, pub, tense):
    which, unit = m.group("which").lower(), m.group("unit").lower()
    offset = {"last": -1, "past": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}[which]
    if unit == "week":
        monday = pub - timedelta(days=pub.weekday()) + timedelta(weeks=offset)
        s, e = monday, monday + timedelta(days=6)
        gran = "week"
    elif unit == "month":
        first = _add_months(pub.replace(day=1), offset)
        s, e = first, _month_end(first.year, first.month)
        gran = "month"
    else:
        y = pub.year + offset
        s, e = date(y, 1, 1), date(y, 12, 31)
        gran = "year"
    if offset == 0:
        s, e = _clip(s, e, pub, tense)
    return s, e, gran


def _h_earlier_later(m, pub, tense):
    fake_tense = "past" if m.group("when").lower() == "earlier" else "future"
    s, e, gran = _h_relative_period(_Fake(which="this", unit=m.group("unit")), pub, fake_tense)
    return s, e, gran


def _h_span(m, pub, tense):
    which = m.group("which").lower()
    n = _count(m.group("count") or "few") if m.groupdict().get("count") else 3
    unit = m.group("unit")
    if which in ("next", "coming", "following"):
        return pub, _shift(pub, unit, n), "span"
    return _shift(pub, unit, -n), pub, "span"


def _h_recent_unit(m, pub, tense):
    return _shift(pub, m.group("unit"), -3), pub, "span"


def _h_ago(m, pub, tense):
    n = _count(m.group("count"))
    unit = m.group("unit").lower().rstrip("s")
    d = _shift(pub, unit, -n)
    gran = {"day": "day", "week": "week", "month": "month"}.get(unit, "year")
    return d, d, gran


def _h_weekday(m, pub, tense):
    target = WEEKDAYS[lowered(m.group("day"))]
    last = m.group(0).lower().startswith("last ")
    nxt = m.group(0).lower().startswith("next ")
    if nxt or (tense == "future" and not last):
        delta = (target - pub.weekday()) % 7
        if nxt and delta == 0:
            delta = 7
        d = pub + timedelta(days=delta)
    else:
        delta = (pub.weekday() - target) % 7
        if last and delta == 0:
            delta = 7
        d = pub - timedelta(days=delta)
    return d, d, "day"


def _h_deictic(m, pub, tense):
    word = m.group(0).lower()
    d = pub + timedelta(days={"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[word])
    return d, d, "day"


def _h_vague(m, pub, tense):
    word = m.group(0).lower()
    if word.startswith("recent"):
        return pub - timedelta(days=VAGUE_PAST_DAYS), pub, "vague"
    return pub, pub + timedelta(days=VAGUE_FUTURE_DAYS), "vague"


class _Fake(dict):
    """A stand-in match object for handlers reused by other handlers."""

    def group(self, name):
        return self[name]


_I = re.IGNORECASE
# Gates (newslens.textkit.textgate): what every match holds, checked first: (features the text must have, and
# stems one of which its lowered text contains, or words one of which is a token of it (textgate.text_tokens), or
# a regex that must match it, or None). Features: "digit" (\d), "year" (1800-2099), "month" (a month's token).
_WEEKDAY_STEMS = frozenset(WEEKDAYS)
_YEARISH = re.compile(r"(?:1[89]|20)\d\d")
_YEAR_GATE = (frozenset({"digit", "year"}), None)
_MONTH_GATE = (frozenset({"month"}), None)
_DAY_MONTH_GATE = (frozenset({"digit", "month"}), None)
_FULL_DATE_GATE = (frozenset({"digit", "year", "month"}), None)
_NO_FEATURE = frozenset()
# Tighter gates for the digit patterns that would otherwise run on every sentence with a number
# (regexes starting with \d, which re scans for quickly).
_NUMERIC_DATE_GATE = (frozenset({"digit"}), re.compile(r"\d[./]\d"))     # 28.12.2013, 12/28/13
_ISO_DATE_GATE = (frozenset({"digit"}), re.compile(r"\d-\d"))            # 2013-12-28
_PART_YEAR_GATE = (frozenset({"digit", "year"}), frozenset({"early", "mid", "late", "end", "beginning", "start", "middle"}))
_YEAR_RANGE_GATE = (frozenset({"digit", "year"}), ("-", "–", "/"))
_UNIT_WORDS = frozenset({"day", "days", "week", "weeks", "month", "months", "year", "years", "decade", "decades"})

# (pattern, handler, gate); order matters: an earlier pattern takes the characters it matches.
PATTERNS: list[tuple[re.Pattern, object, tuple[frozenset, tuple[str, ...] | None]]] = [
    (re.compile(rf"\b(?:{_WEEKDAY},? )?(?:{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?,? {_YEAR}|"
                rf"\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{_MONTH},? {_YEAR})\b", _I), _h_full_date, _FULL_DATE_GATE),
    (re.compile(r"(?<![\w.])\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})(?![\w]|\.\d)"), _h_full_date, _NUMERIC_DATE_GATE),
    (re.compile(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])"), _h_full_date, _ISO_DATE_GATE),
    (re.compile(rf"\b{_PART}[- ](?P<month>{_MONTH})(?:,? (?P<year>{_YEAR}))?\b", _I), _h_part_month, _MONTH_GATE),
    (re.compile(rf"\b{_PART}[- ](?P<year>{_YEAR})\b", _I), _h_part_year, _PART_YEAR_GATE),
    (re.compile(rf"\bsince (?:(?P<month>{_MONTH})(?: (?P<year>{_YEAR}))?|(?P<year2>{_YEAR}))\b", _I),
     lambda m, p, t: _h_since(_Fake(month=m.group("month"), year=m.group("year") or m.group("year2")), p, t),
     (_NO_FEATURE, frozenset({"since"}))),
    (re.compile(rf"\b(?:{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{_MONTH})\b(?!,? ?\d)", _I),
     _h_full_date, _DAY_MONTH_GATE),
    (re.compile(rf"\b(?:(?:in|during|by|until|through|from|before|after|of|last|next|this) )?"
                rf"(?P<month>January|February|March|April|June|July|August|September|October|November|"
                rf"December|Sept?\.|Oct\.|Nov\.|Dec\.|Jan\.|Feb\.|Aug\.)(?:,? (?P<year>{_YEAR}))?\b", _I),
     _h_month, _MONTH_GATE),
    (re.compile(rf"\b(?:in|during|by|until|through|from|before|after) (?P<month>May)(?:,? (?P<year>{_YEAR}))?\b"),
     _h_month, (_NO_FEATURE, frozenset({"may"}))),
    (re.compile(rf"(?<![\w.,-])(?P<a>{_YEAR})\s?[-–/]\s?(?P<b>{_YEAR}|\d\d)(?![\w,])"), _h_year_range, _YEAR_RANGE_GATE),
    (re.compile(rf"\b(?P<when>earlier|later) this (?P<unit>week|month|year)\b", _I), _h_earlier_later,
     (_NO_FEATURE, frozenset({"this"}))),
    (re.compile(r"\b(?P<which>last|past|previous|this|next|coming) (?P<unit>week|month|year)\b", _I),
     _h_relative_period, (_NO_FEATURE, frozenset({"week", "month", "year"}))),
    (re.compile(rf"\b(?:in|over|during|within|for) the (?P<which>next|coming|following|past|last|previous) "
                rf"(?:{_COUNT} )?{_UNIT}\b", _I), _h_span, (_NO_FEATURE, _UNIT_WORDS)),
    (re.compile(rf"\bin recent {_UNIT}\b", _I), _h_recent_unit, (_NO_FEATURE, frozenset({"recent"}))),
    (re.compile(rf"\bwithin (?:the next )?{_COUNT} {_UNIT}\b", _I),
     lambda m, p, t: (p, _shift(p, m.group("unit"), _count(m.group("count"))), "span"), (_NO_FEATURE, frozenset({"within"}))),
    (re.compile(rf"\b{_COUNT} {_UNIT} ago\b", _I), _h_ago, (_NO_FEATURE, frozenset({"ago"}))),
    (re.compile(rf"\b(?:(?:last|next|this|late|early) )?(?:on )?(?:(?:late|early) on )?(?P<day>{_WEEKDAY})"
                rf"(?: (?:morning|afternoon|evening|night))?\b", _I), _h_weekday, (_NO_FEATURE, _WEEKDAY_STEMS)),
    (re.compile(r"\b(?:yesterday|today|tonight|tomorrow)\b", _I), _h_deictic,
     (_NO_FEATURE, frozenset({"yesterday", "today", "tonight", "tomorrow"}))),
    (re.compile(r"\b(?:recent|recently|upcoming|forthcoming|soon)\b", _I), _h_vague,
     (_NO_FEATURE, frozenset({"recent", "recently", "upcoming", "forthcoming", "soon"}))),
    (re.compile(rf"(?<![\w.,$-])(?:(?:in|during|by|until|of|since) )?(?P<year>{_YEAR})(?![\w,]|\.\d|-\d)"), _h_year,
     _YEAR_GATE),
]


# PATTERNS as run: case-insensitive ones on the lowered text (textgate.for_lowered: same matches, about
# three times faster), their matches read from the original text through _OnText.
_RUN = [(for_lowered(p), h, gate, True) if p.flags & re.IGNORECASE else (p, h, gate, False)
        for p, h, gate in PATTERNS]


class _OnText:
    """A match found on the lowered text, read from the original text (the spans are the same)."""

    __slots__ = ("_m", "_text")

    def __init__(self, m: re.Match, text: str):
        self._m, self._text = m, text

    def group(self, name=0):
        start = self._m.start(name)
        return None if start < 0 else self._text[start:self._m.end(name)]

    def groupdict(self):
        return {name: self.group(name) for name in self._m.re.groupindex}

    def start(self, name=0):
        return self._m.start(name)

    def end(self, name=0):
        return self._m.end(name)


def _clause_before(text: str, start: int, end: int) -> str:
    """The clause around a date: from the last clause break before it to its end (plus a few words)."""
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, start)]
    left = breaks[-1] if breaks else 0
    return text[left:end]


def find_dates(text: str, published, tense: str | None = None) -> list[DateMention]:
    """Every date expression in `text`, resolved against `published` (see the module docstring).

    `tense` ('past'/'future') overrides the tense read from each expression's clause."""
    pub = as_date(published)
    taken = [False] * len(text)
    found: list[DateMention] = []
    low, features, tokens = lowered(text), set(), text_tokens(text)
    if has_digit(text):
        features.add("digit")
        if _YEARISH.search(text):
            features.add("year")
    if not tokens.isdisjoint(MONTH_WORDS):
        features.add("month")
    for pattern, handler, (needs, stems), on_lowered in _RUN:
        if not needs <= features or (stems is not None and not (
                not stems.isdisjoint(tokens) if type(stems) is frozenset
                else stems.search(text) if type(stems) is not tuple else contains_any(low, stems))):
            continue  # the gate says this pattern cannot match (most patterns, for most sentences)
        for m in pattern.finditer(low) if on_lowered else pattern.finditer(text):
            if on_lowered:
                m = _OnText(m, text)
            if any(taken[m.start():m.end()]):
                continue
            if tense:
                clause_tense = tense
            elif _SAID_BEFORE.search(text[max(0, m.start() - 30):m.start()]):
                clause_tense = "past"
            else:
                clause_tense = tense_of(_clause_before(text, m.start(), m.end()))
            try:
                resolved = handler(m, pub, clause_tense)
            except (ValueError, KeyError):
                resolved = None  # "February 30" and the like: not a date
            if resolved is None:
                continue
            s, e, gran = resolved
            found.append(DateMention(m.start(), m.end(), m.group(0), s, e, gran, clause_tense))
            for i in range(m.start(), m.end()):
                taken[i] = True
    return sorted(found, key=lambda d: d.start)


def resolve_date(expression: str, published, tense: str | None = None) -> DateMention | None:
    """The single date expression in `expression` (None when there is none)."""
    found = find_dates(expression, published, tense)
    return found[0] if found else None


def dates_frame(text: str, published, tense: str | None = None) -> pd.DataFrame:
    return pd.DataFrame([d.to_dict() for d in find_dates(text, published, tense)], columns=DATE_COLUMNS)
