"""Every number a text mentions, with its span, value, range, qualifier and kind.

    from newslens.textkit.numbers import find_numbers
    for n in find_numbers("The \\$700 million deal involves an additional 5,000 missiles."):
        n.surface, n.value, n.kind      # "$700 million", 700000000.0, "money" ; "5,000", 5000.0, "cardinal"

Shared contract (DEVELOPING.md): each `NumberMention` has `start, end, surface, value, low, high,
qualifier, approximate, is_money, currency, multiplier`, plus `kind` and `unit` so that callers can skip
what is not a count:

| kind       | examples                                  | value                  |
|------------|-------------------------------------------|------------------------|
| cardinal   | 5,000 · 3.5 · ten · a dozen · dozens      | the count (None for a vague range) |
| money      | $700 million · \\$14 billion · €5m · 700 million dollars | the amount in `currency` units |
| percent    | 60 percent · 20 per cent · 60%            | 60.0 (`unit` "percent") |
| year       | 2013 · 2007-2008                          | the year               |
| date       | 28.12.2013 · April 30 · 1 August 2014     | None                   |
| time       | 10:30 · 3 p.m.                            | None                   |
| ordinal    | first · third · 21st                      | the rank               |
| duration   | 24 hours · two decades · three months     | the count (`unit` "hour", "decade", ...) |
| measure    | three-metre · 5 km                        | the count (`unit` "metre", ...) |

Ranges: `low`/`high` bound the quantity. An exact number has low == high == value. A qualifier moves the
bounds: "more than 8,000" -> low 8000, high None (open); "up to 100" -> low None, high 100; "some 75"
or "about 20" -> low == high == value with `approximate` True. Vague quantity words have no value and the
conventional range in `VAGUE_QUANTITIES` ("dozens" -> 24..99), always approximate.
Designations are not numbers: the 16 of "F-16", the 114 of "AGM-114", the 73 of "CVN 73" are skipped.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import pandas as pd

from newslens.textkit.textgate import MONTH_WORDS, contains_any, for_lowered, has_digit, lowered, text_tokens

# Counting words and their ranges. The bounds are conventions, stated here so a reader can check them:
# "dozens" is at least two dozen and fewer than a hundred, "hundreds" at least two hundred, and so on.
VAGUE_QUANTITIES: dict[str, tuple[float, float]] = {
    "a couple of": (2, 3),
    "a few": (2, 5),
    "a handful of": (3, 6),
    "several": (3, 9),
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (200, 999),
    "thousands": (2_000, 9_999),
    "tens of thousands": (20_000, 99_999),
    "hundreds of thousands": (200_000, 999_999),
    "millions": (2_000_000, 9_999_999),
}

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "twentieth": 20,
    "hundredth": 100,
}
# Multiplier words and abbreviations after a number ("700 million", "$5m", "£3bn").
MULTIPLIERS = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "millions": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6,
    "billion": 1e9, "billions": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12,
}
CURRENCY_SYMBOLS = {
    "us$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₽": "RUB",
    "usd": "USD", "eur": "EUR", "gbp": "GBP", "jpy": "JPY", "rub": "RUB", "inr": "INR", "cny": "CNY",
}
CURRENCY_WORDS = {
    "dollars": "USD", "dollar": "USD", "us dollars": "USD", "euros": "EUR", "euro": "EUR",
    "pounds": "GBP", "pounds sterling": "GBP", "yen": "JPY", "rubles": "RUB", "roubles": "RUB",
    "rupees": "INR", "yuan": "CNY",
}
TIME_UNITS = {
    "second": "second", "seconds": "second", "minute": "minute", "minutes": "minute", "hour": "hour",
    "hours": "hour", "day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month",
    "months": "month", "year": "year", "years": "year", "decade": "decade", "decades": "decade",
    "century": "century", "centuries": "century",
}
MEASURE_UNITS = {
    "metre": "metre", "metres": "metre", "meter": "metre", "meters": "metre", "m-long": "metre",
    "kilometre": "kilometre", "kilometres": "kilometre", "kilometer": "kilometre", "kilometers": "kilometre",
    "km": "kilometre", "mile": "mile", "miles": "mile", "foot": "foot", "feet": "foot", "kg": "kilogram",
    "kilogram": "kilogram", "kilograms": "kilogram", "tonne": "tonne", "tonnes": "tonne", "tons": "tonne",
    "ton": "tonne", "pound": "pound", "mm": "millimetre", "millimetre": "millimetre",
    "millimeter": "millimetre", "inch": "inch", "inches": "inch",
}
MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)

# Qualifiers directly before a number, with how they move the bounds.
#   "at_least": low = value, high open; "at_most": high = value, low open; "approx": approximate value.
QUALIFIERS: dict[str, str] = {
    "more than": "at_least", "over": "at_least", "at least": "at_least", "upwards of": "at_least",
    "no fewer than": "at_least", "no less than": "at_least", "just over": "at_least",
    "in excess of": "at_least", "above": "at_least",
    "up to": "at_most", "fewer than": "at_most", "less than": "at_most", "under": "at_most",
    "at most": "at_most", "no more than": "at_most", "as many as": "at_most", "just under": "at_most",
    "nearly": "nearly", "almost": "nearly", "close to": "nearly", "just short of": "nearly",
    "about": "approx", "around": "approx", "some": "approx", "roughly": "approx",
    "approximately": "approx", "an estimated": "approx", "estimated": "approx", "circa": "approx",
    "approx.": "approx", "about some": "approx",
}

NUMBER_WORD = "|".join(sorted([*UNITS, *TENS, *SCALES, "a", "an", "and", "dozen"], key=len, reverse=True))
_WORD_NUMBER = re.compile(
    rf"\b(?:(?:{'|'.join([*UNITS, *TENS])})(?:-(?:{'|'.join(UNITS)}))?|a dozen|a hundred|a thousand|"
    rf"an? (?:million|billion))"
    rf"(?:[ -](?:and )?(?:{'|'.join([*UNITS, *TENS, *SCALES, 'dozen'])})(?:-(?:{'|'.join(UNITS)}))?)*\b",
    re.IGNORECASE,
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MULT = r"(?:thousand|millions?|billions?|trillion|mln|mn|bn|tn|m|b|k)"
_CUR_SYMBOL = r"US\$|\$|€|£|¥|₹|₽|(?:USD|EUR|GBP|JPY|RUB|INR|CNY)\s?"
_CUR_WORD = "|".join(sorted(CURRENCY_WORDS, key=len, reverse=True))

_MONEY_PREFIX = re.compile(
    rf"(?P<cur>{_CUR_SYMBOL})\s?(?P<num>{_DIGITS})(?:\s?(?P<mult>{_MULT})\b)?",
)
_MONEY_SUFFIX = re.compile(
    rf"(?<![\w.,])(?P<num>{_DIGITS})(?:\s?(?P<mult>{_MULT}))?\s(?:(?:US|U\.S\.)\s)?(?P<cur>{_CUR_WORD})\b",
    re.IGNORECASE,
)
_DATE_PATTERNS = [
    re.compile(r"(?<![\w.])\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})(?![\w.]|\.\d)"),   # 28.12.2013, 12/28/13
    re.compile(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?!\w)"),                            # 2013-12-28
    re.compile(rf"\b(?:{MONTHS})\.? \d{{1,2}}(?:st|nd|rd|th)?(?:, ?\d{{4}})?(?!\d|,\d)", re.I),  # April 30
    re.compile(rf"(?<![\w,.])\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{MONTHS})\b\.?(?: \d{{4}})?", re.I),  # 1 August 2014
]
_TIME = re.compile(r"(?<![\w:.])\d{1,2}(?::\d{2})?\s?(?:a\.m\.|p\.m\.|am\b|pm\b|GMT\b|GST\b)|"
                   r"(?<![\w:.])\d{1,2}:\d{2}(?![\w:])", re.IGNORECASE)
_PERCENT = re.compile(rf"(?<![\w.,])(?P<num>{_DIGITS})\s?(?:%|percent\b|per cent\b|pc\b)", re.IGNORECASE)
_YEAR_RANGE = re.compile(r"(?<![\w.,-])(1[89]\d\d|20\d\d)\s?[-–/]\s?(1[89]\d\d|20\d\d|\d\d)(?![\w,])")
_NUMBER_RANGE = re.compile(
    rf"(?<![\w.,-])(?:between\s)?(?P<a>{_DIGITS})\s?(?:-|–|to|and)\s?(?P<b>{_DIGITS})(?:\s(?P<mult>{_MULT})\b)?(?![\w,])"
)
_DIGIT_NUMBER = re.compile(rf"(?<![\w.,$€£¥/-])(?P<num>{_DIGITS})(?:\s?(?P<mult>{_MULT})\b)?(?![\w]|[.,]\d|-\w)")
_DIGIT_ORDINAL = re.compile(r"(?<![\w.,-])(\d+)(?:st|nd|rd|th)\b", re.IGNORECASE)
_WORD_ORDINAL = re.compile(rf"\b(?:{'|'.join(ORDINALS)})\b", re.IGNORECASE)
_VAGUE = re.compile(
    rf"\b(?:{'|'.join(re.escape(v) for v in sorted(VAGUE_QUANTITIES, key=len, reverse=True))})\b",
    re.IGNORECASE,
)
# An identifier before a number makes it a designation: "CVN 73", "Type 052", "Block 52".
_DESIGNATION_BEFORE = re.compile(r"(?:\b[A-Z]{2,}|\b(?:Type|Block|Flight|Mark|Mk|No|Nr|Model))\.?\s$")
_QUALIFIER_BEFORE = re.compile(
    rf"\b(?P<q>{'|'.join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True))})\s+$",
    re.IGNORECASE,
)
_UNIT_AFTER = re.compile(r"^[ -](?:of )?(?P<u>[a-zA-Z]+(?:-long)?)\b")
_PLURAL_NOUN_AFTER = re.compile(r"^\s(?!(?:and|or|to|in|on|at|for|as|was|is)\b)[a-z]+s\b")

# Gates (newslens.textkit.textgate): substrings one of which every match of a pattern holds in the lowered text.
# Patterns that need a digit are skipped outright for a text without one.
_MONEY_PREFIX_STEMS = ("$", "€", "£", "¥", "₹", "₽", "usd", "eur", "gbp", "jpy", "rub", "inr", "cny")
_MONEY_SUFFIX_STEMS = ("dollar", "euro", "pound", "yen", "ruble", "rouble", "rupee", "yuan")
_TIME_STEMS = (":", "a.m.", "p.m.", "am", "pm", "gmt", "gst")
_PERCENT_STEMS = ("%", "per", "pc")  # "percent", "per cent", "pc"
_RANGE_STEMS = ("-", "–", "/")
# Whole tokens (textgate.text_tokens) one of which every match holds: the first number word, or the
# scale word of "a dozen", "a hundred", "an million"; an ordinal; the counting word of a vague quantity.
_WORD_NUMBER_WORDS = frozenset({*UNITS, *TENS, "dozen", "hundred", "thousand", "million", "billion"})
_ORDINAL_WORDS = frozenset(ORDINALS)
_VAGUE_WORDS = frozenset({"couple", "few", "handful", "several", "dozens", "scores", "hundreds", "thousands",
                          "millions"})
# The word patterns as run on the lowered text (textgate.for_lowered: same matches, 3x faster).
_WORD_NUMBER_LOW, _WORD_ORDINAL_LOW, _VAGUE_LOW = (for_lowered(p) for p in (_WORD_NUMBER, _WORD_ORDINAL, _VAGUE))
# Gate regexes: what the patterns need, written to start with \d, which re scans for quickly (a leading
# look-behind, as in the patterns themselves, makes it try every position).
_RANGE_GATE = re.compile(r"\d\s?(?:-|–|to|and)\s?\d")     # _NUMBER_RANGE: a digit, a separator, a digit
_ORDINAL_GATE = re.compile(r"\d(?:st|nd|rd|th)", re.IGNORECASE)  # _DIGIT_ORDINAL
_YEARISH = re.compile(r"(?:1[89]|20)\d\d")                  # _YEAR_RANGE: a year first
_NUMERIC_DATE_GATE = re.compile(r"\d[./]\d")                  # _DATE_PATTERNS[0]: 28.12.2013
_ISO_DATE_GATE = re.compile(r"\d-\d")                         # _DATE_PATTERNS[1]: 2013-12-28

NUMBER_COLUMNS = [
    "start", "end", "surface", "value", "low", "high", "qualifier", "approximate", "is_money",
    "currency", "multiplier", "kind", "unit",
]


@dataclass(frozen=True)
class NumberMention:
    start: int
    end: int
    surface: str
    value: float | None
    low: float | None
    high: float | None
    qualifier: str
    approximate: bool
    is_money: bool
    currency: str
    multiplier: float
    kind: str
    unit: str

    @property
    def is_count(self) -> bool:
        """A count of things (not a year, date, time, ordinal, percentage, duration or measure)."""
        return self.kind == "cardinal"

    def to_dict(self) -> dict:
        return asdict(self)


def parse_number_words(words: str) -> float | None:
    """Value of a number written in words: "ten" 10, "twenty-five" 25, "two hundred and fifty" 250,
    "a dozen" 12, "two dozen" 24, "a million" 1e6. None when the words are not a number."""
    tokens = [t for t in re.split(r"[\s-]+", words.lower().strip()) if t and t != "and"]
    if not tokens:
        return None
    total, current, seen = 0.0, 0.0, False
    for i, tok in enumerate(tokens):
        if tok in ("a", "an"):
            if i + 1 < len(tokens) and (tokens[i + 1] in SCALES or tokens[i + 1] == "dozen"):
                current = current or 1
                seen = True
                continue
            return None
        if tok in UNITS:
            current += UNITS[tok]
        elif tok in TENS:
            current += TENS[tok]
        elif tok == "dozen":
            current = (current or 1) * 12
        elif tok == "hundred":
            current = (current or 1) * 100
        elif tok in SCALES:
            total += (current or 1) * SCALES[tok]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _to_float(num: str) -> float:
    return float(num.replace(",", ""))


def _free(taken: list[bool], start: int, end: int) -> bool:
    return not any(taken[start:end])


def _mark(taken: list[bool], start: int, end: int) -> None:
    for i in range(start, end):
        taken[i] = True


def _qualifier(text: str, start: int) -> tuple[str, int]:
    """The qualifier right before `start` ("more than", "some", ...) and where it begins."""
    m = _QUALIFIER_BEFORE.search(text[max(0, start - 30):start])
    if not m:
        return "", start
    q = m.group("q")
    # "some" and "over" only qualify when they directly precede the number (not "over the past two").
    return q.lower(), start - (len(text[max(0, start - 30):start]) - m.start())


def _bounds(value: float | None, low: float | None, high: float | None, qualifier: str,
            approximate: bool) -> tuple[float | None, float | None, bool]:
    effect = QUALIFIERS.get(qualifier, "")
    if value is None:
        return low, high, approximate
    if effect == "at_least":
        return value, None, approximate
    if effect == "at_most":
        return None, value, approximate
    if effect == "nearly":
        return None, value, True
    if effect == "approx":
        return value, value, True
    return low if low is not None else value, high if high is not None else value, approximate


class _Found:
    """The number mentions of one text as they are found: a span once taken is not read again."""

    def __init__(self, text: str):
        self.text = text
        self.taken = [False] * len(text)
        self.found: list[dict] = []
        self.low, self.digit, self.tokens = lowered(text), has_digit(text), text_tokens(text)
        self.month = self.digit and not self.tokens.isdisjoint(MONTH_WORDS)

    def add(self, start, end, value, kind, *, low=None, high=None, is_money=False, currency="",
            multiplier=1.0, unit="", approximate=False, qualify=True):
        if not _free(self.taken, start, end):
            return
        qualifier, q_start = ("", start)
        if qualify and kind in ("cardinal", "money", "percent", "duration", "measure"):
            qualifier, q_start = _qualifier(self.text, start)
        lo, hi, approx = _bounds(value, low, high, qualifier, approximate)
        _mark(self.taken, start, end)
        self.found.append(dict(
            start=start, end=end, surface=self.text[start:end], value=value, low=lo, high=hi,
            qualifier=qualifier, approximate=approx, is_money=is_money, currency=currency,
            multiplier=multiplier, kind=kind, unit=unit,
        ))


def _money(f: _Found) -> None:
    """1. Money: a currency sign or code before the number, or a currency word after it."""
    text, low = f.text, f.low
    if f.digit and contains_any(low, _MONEY_PREFIX_STEMS):
        for m in _MONEY_PREFIX.finditer(text):
            mult = MULTIPLIERS.get((m.group("mult") or "").lower(), 1.0)
            cur = CURRENCY_SYMBOLS.get(m.group("cur").strip().lower(), "")
            f.add(m.start(), m.end(), _to_float(m.group("num")) * mult, "money", is_money=True, currency=cur,
                  multiplier=mult)
    if f.digit and contains_any(low, _MONEY_SUFFIX_STEMS):
        for m in _MONEY_SUFFIX.finditer(text):
            mult = MULTIPLIERS.get((m.group("mult") or "").lower(), 1.0)
            cur = CURRENCY_WORDS.get(m.group("cur").lower(), "")
            f.add(m.start(), m.end(), _to_float(m.group("num")) * mult, "money", is_money=True, currency=cur,
                  multiplier=mult)


def _dates_percent_ranges(f: _Found) -> None:
    """2. Dates and times (kept whole so their digits are not read as counts); 3. percentages; 4. year
    ranges (2007-2008) and number ranges (20-30, between 20 and 30)."""
    text, low = f.text, f.low
    if f.digit:
        for pattern, gate in zip(_DATE_PATTERNS, (_NUMERIC_DATE_GATE, _ISO_DATE_GATE, None, None)):
            if (gate is None and not f.month) or (gate is not None and not gate.search(text)):
                continue  # the first two need "1.2" / "1-2"; the other two a month name
            for m in pattern.finditer(text):
                f.add(m.start(), m.end(), None, "date", qualify=False)
    if f.digit and contains_any(low, _TIME_STEMS):
        for m in _TIME.finditer(text):
            f.add(m.start(), m.end(), None, "time", qualify=False)
    if f.digit and contains_any(low, _PERCENT_STEMS):
        for m in _PERCENT.finditer(text):
            f.add(m.start(), m.end(), _to_float(m.group("num")), "percent", unit="percent")
    if f.digit and contains_any(low, _RANGE_STEMS) and _YEARISH.search(text):
        for m in _YEAR_RANGE.finditer(text):
            a = int(m.group(1))
            b_text = m.group(2)
            b = int(b_text) if len(b_text) == 4 else a // 100 * 100 + int(b_text)
            if b > a:
                f.add(m.start(), m.end(), None, "year", low=a, high=b, qualify=False)
    if f.digit and _RANGE_GATE.search(text):
        for m in _NUMBER_RANGE.finditer(text):
            if m.group(0).startswith("between") is False and re.search(r"\band\b", m.group(0)):
                continue  # "20 and 30" without "between" is a list, not a range
            mult = MULTIPLIERS.get((m.group("mult") or "").lower(), 1.0)
            a, b = _to_float(m.group("a")) * mult, _to_float(m.group("b")) * mult
            if b > a:
                f.add(m.start(), m.end(), None, "cardinal", low=a, high=b, multiplier=mult)


def _ordinals_vague(f: _Found) -> None:
    """5. Ordinals; 6. vague quantities ("dozens", "several", "hundreds of thousands")."""
    text, low = f.text, f.low
    if f.digit and _ORDINAL_GATE.search(text):
        for m in _DIGIT_ORDINAL.finditer(text):
            f.add(m.start(), m.end(), float(m.group(1)), "ordinal", qualify=False)
    if not f.tokens.isdisjoint(_ORDINAL_WORDS):
        for m in _WORD_ORDINAL_LOW.finditer(low):
            f.add(m.start(), m.end(), float(ORDINALS[lowered(text[m.start():m.end()])]), "ordinal", qualify=False)
    if not f.tokens.isdisjoint(_VAGUE_WORDS):
        for m in _VAGUE_LOW.finditer(low):
            low_, high = VAGUE_QUANTITIES[lowered(text[m.start():m.end()])]
            f.add(m.start(), m.end(), None, "cardinal", low=low_, high=high, approximate=True)


def _counts(f: _Found) -> None:
    """7. Numbers in digits and in words, with a unit or multiplier after them."""
    text, low = f.text, f.low
    if f.digit:
        for m in _DIGIT_NUMBER.finditer(text):
            start, end = m.start(), m.end()
            if _DESIGNATION_BEFORE.search(text[max(0, start - 12):start]):
                continue
            num = m.group("num")
            mult_word = (m.group("mult") or "").lower()
            if mult_word in ("m", "b", "k"):  # "5 m" is five metres more often than five million
                end = start + len(num)
                mult_word = ""
            mult = MULTIPLIERS.get(mult_word, 1.0)
            kind, unit = _kind_after(text, start, end, num, mult_word)
            f.add(start, end, _to_float(num) * mult, kind, multiplier=mult, unit=unit)
    if not f.tokens.isdisjoint(_WORD_NUMBER_WORDS):
        for m in _WORD_NUMBER_LOW.finditer(low):
            words = text[m.start():m.end()]
            value = parse_number_words(words)
            if value is None or re.search(r"\b(?:no|any|every|some)[ -]$", text[max(0, m.start() - 5):m.start()],
                                          re.IGNORECASE) and words.lower() == "one":
                continue  # "no one", "anyone", "every one" are not counts
            kind, unit = _kind_after(text, m.start(), m.end(), words, "")
            f.add(m.start(), m.end(), value, kind, unit=unit)


def find_numbers(text: str) -> list[NumberMention]:
    """Every number mention in `text`, in order of position (see the module docstring for kinds). Each
    step runs only when its gate allows a match; the order of the steps decides which reading of a span
    wins (money, then dates, percentages, ranges, ordinals, vague words, plain counts)."""
    if not text:
        return []
    f = _Found(text)
    for step in (_money, _dates_percent_ranges, _ordinals_vague, _counts):
        step(f)
    f.found.sort(key=lambda d: d["start"])
    return [NumberMention(**d) for d in f.found]


def _kind_after(text: str, start: int, end: int, num: str, mult_word: str) -> tuple[str, str]:
    """Cardinal, year, duration or measure, from the number's shape and the word after it."""
    after = text[end:end + 20]
    unit_match = _UNIT_AFTER.match(after)
    unit_word = unit_match.group("u").lower() if unit_match else ""
    if unit_word in TIME_UNITS:
        return "duration", TIME_UNITS[unit_word]
    if unit_word in MEASURE_UNITS or unit_word.endswith("-long"):
        return "measure", MEASURE_UNITS.get(unit_word, unit_word)
    if (not mult_word and re.fullmatch(r"(1[89]\d\d|20\d\d)", num)
            and not _PLURAL_NOUN_AFTER.match(after)):
        return "year", ""
    return "cardinal", ""


def numbers_frame(text: str) -> pd.DataFrame:
    """`find_numbers(text)` as a DataFrame with `NUMBER_COLUMNS`."""
    return pd.DataFrame([n.to_dict() for n in find_numbers(text)], columns=NUMBER_COLUMNS)
