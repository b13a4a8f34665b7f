"""The phrases around a number: what it counts (noun phrase, money), its event, clause, period and unit."""
from __future__ import annotations

from bisect import bisect_left
import re

from newslens.analyses.claims.words import (
    EVENT_NOUNS, PEOPLE_NOUNS, _AGE_BEFORE, _BEFORE_SKIP, _CASUALTY_EVENTS, _CURRENCY_NAMES, _DEMONYM_PLURAL,
    _EVENT_OF, _FUTURE, _FUTURE_EVENT, _IRREGULAR, _KEEP_PLURAL, _NAME_COMMA_BEFORE, _NP_SKIP_LEADING,
    _NP_STOP, _TOKEN,
)
from newslens.textkit.numbers import SCALES, TENS, UNITS, VAGUE_QUANTITIES


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def singular(word: str) -> str:
    """Lemma-ish singular of a counted noun: missiles -> missile, camps -> camp, troops -> troops."""
    if re.search(r"\d", word):
        return re.sub(r"(?<=\d)s$", "", word)  # designations keep their case: "F-16s" -> F-16
    w = word.lower()
    if w in _KEEP_PLURAL:
        return w
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if re.search(r"(?:ss|sh|ch|x|z)es$", w):
        return w[:-2]
    if w.endswith("s") and not re.search(r"(?:ss|us|is)$", w):
        return w[:-1]
    return w


# Common verbs that end a counted phrase without looking like verbs ("one officer said").
_VERBS_AFTER_NOUN = {"said", "says", "say", "told", "tells", "added", "noted", "warned", "went", "came",
                     "took", "gave", "made", "left", "met", "saw", "got", "held", "fought", "fled", "died",
                     "remain", "remains", "remained", "stood", "spoke", "began", "became"}


def _plural_noun(tok: str) -> bool:
    return (tok[:1].islower() and len(tok) > 3 and tok.endswith("s")
            and not re.search(r"(?:ss|us|is)$", tok) and tok not in _KEEP_PLURAL)


def _noun_phrase(tokens, i: int) -> list[int]:
    """Indices of the noun phrase right after token i-1 (the number): modifiers then the head noun."""
    out: list[int] = []
    k = i
    # "dozens of missiles", "5,000 of the missiles"
    while k < len(tokens) and not out and tokens[k][0].lower() in _NP_SKIP_LEADING:
        k += 1
    while k < len(tokens) and len(out) < 5:
        tok = tokens[k][0]
        low = tok.lower()
        if not tok[:1].isalpha():
            if tok in {"-", "‑"} and out:
                k += 1
                continue
            if tok[:1].isdigit() and out and tokens[out[-1]][0][:1].isupper():
                out.append(k)  # a model number inside the phrase: "14 Leopard 2 tanks"
                k += 1
                continue
            break
        if low in _NP_STOP and not (low == "and" and out and tokens[out[-1]][0][:1].isupper()
                                    and k + 1 < len(tokens) and tokens[k + 1][0][:1].isupper()):
            break
        if out and (low.endswith("ed") or low.endswith("ing")) and low not in _KEEP_PLURAL:
            break  # a verb after the noun: "missiles shipped", "troops fighting"
        if low.endswith("ly") and len(low) > 4:
            break
        if out and low in _VERBS_AFTER_NOUN:
            break  # "one officer said"
        if out and _plural_noun(tokens[out[-1]][0]):
            break  # a plural noun ends the phrase: "senators spoke", "camps in"
        if out or low not in _NP_SKIP_LEADING:
            out.append(k)
        k += 1
    # a participle or verb alone is not a noun phrase ("780 already delivered", "8,000 killed")
    if out and len(out) == 1 and tokens[out[0]][0].lower() in _EVENT_OF and \
            tokens[out[0]][0].lower().endswith(("ed", "ing")):
        return []
    return out


def _money_phrase(tokens, i: int) -> list[int]:
    """What money is for: "$700 million deal" -> deal; "$14 billion in arms" -> arms."""
    k = i
    if k < len(tokens) and tokens[k][0].lower() in {"in", "of", "for", "worth"}:
        k += 1
        if k < len(tokens) and tokens[k][0].lower() == "of":
            k += 1
    out = []
    while k < len(tokens) and len(out) < 3:
        tok = tokens[k][0]
        if not tok[:1].isalpha() or tok.lower() in _NP_STOP:
            break
        out.append(k)
        if tok.lower() in _EVENT_OF or _plural_noun(tok) or tok.lower() in _KEEP_PLURAL:
            break
        k += 1
    return out


def _event(tokens, num_first: int, np_last: int, text: str, clause_starts: list[int],
           claim_starts=frozenset()) -> tuple[str, int]:
    """The event class around a number and the index of the token that names it (-1 if none).
    `clause_starts` is _clause_starts(tokens)."""
    def future(a: int, b: int) -> bool:
        lo, hi = tokens[max(a, 0)][1], tokens[min(b, len(tokens) - 1)][2]
        return bool(_FUTURE.search(text[lo:hi]))

    # the verb or noun right before the number governs it: "killed 24", "shipped 75", "delivery of 100",
    # "providing more than $14 billion" (qualifiers, articles and "of" in between are skipped)
    k = num_first - 1
    while k >= 0 and tokens[k][0].lower() in _BEFORE_SKIP:
        k -= 1
    if k >= 0 and tokens[k][0].lower() in _EVENT_OF:
        event = _EVENT_OF[tokens[k][0].lower()]
        if event in _FUTURE_EVENT and future(clause_starts[k], k):
            event = _FUTURE_EVENT[event]
        return event, k
    # "signed a contract with the shipyard for six boats": "for" ties the count to an earlier noun
    skipped = {t[0].lower() for t in tokens[k + 1:num_first]}
    if "for" in skipped:
        for j in range(k, max(-1, k - 8), -1):
            low = tokens[j][0].lower()
            if low in {",", ";", ":", "."}:
                break
            if low in EVENT_NOUNS:
                event = _EVENT_OF[low]
                if event in _FUTURE_EVENT and future(clause_starts[j], j):
                    event = _FUTURE_EVENT[event]
                return event, j
    # else the predicate after the noun phrase, in the same clause: "were killed", "have already been
    # shipped"; a relative clause or apposition between commas is stepped over ("missiles, which can
    # be fired from helicopters, were delivered")
    k, seen = np_last + 1, 0
    while k < len(tokens) and seen < 15:
        tok = tokens[k][0]
        low = tok.lower()
        if tok in {";", ":", "—", "–"} or tokens[k][1] in claim_starts:
            break
        if tok == ",":
            nxt = tokens[k + 1][0].lower() if k + 1 < len(tokens) else ""
            if nxt in {"which", "who", "that", "a", "an", "the", "each", "both"}:
                close = next((j for j in range(k + 1, len(tokens)) if tokens[j][0] in {",", ";", "."}), None)
                if close is None or tokens[close][0] != ",":
                    break
                k = close + 1
                continue
            break
        if low == "ground" and k >= 2 and tokens[k - 1][0].lower() == "the" and tokens[k - 2][0].lower() == "on":
            return "deployed", k
        if low in _EVENT_OF and (low not in EVENT_NOUNS or seen < 4):
            event = _EVENT_OF[low]
            if event in _FUTURE_EVENT and future(num_first, k):
                event = _FUTURE_EVENT[event]
            return event, k
        k += 1
        seen += 1
    return "", -1


def _clause_starts(tokens) -> list[int]:
    """For every token, the index of the first token of its clause (the token after the last ";", ":"
    or "." before it, else 0), in one pass."""
    out, start = [], 0
    for k, token in enumerate(tokens):
        out.append(start)
        if token[0] in {";", ":", "."}:
            start = k + 1
    return out


def _percent_subject(tokens, num_first: int) -> str:
    """The clause subject before a percentage: "Shiites make up around 60 percent" -> Shiites."""
    j = num_first - 1
    while j >= 0 and tokens[j][0] not in {",", ";", ":"} and tokens[j][0].lower() not in {"while", "whereas", "and", "but"}:
        j -= 1
    for k in range(j + 1, num_first):
        tok = tokens[k][0]
        if tok[:1].isupper() or (tok[:1].isalpha() and tok.lower().endswith("s") and tok.lower() not in _NP_STOP):
            return tok
    return ""


_CLAUSE_BREAK = re.compile(
    r"[;:]|,\s(?:and|but|while|which|whereas|although|who)\b|[.!?]\s|—|–\s|,?[\"”]\s")


class _Clauses:
    """The clause holding text[start:end] (between the nearest clause breaks on either side), for
    every number of one sentence, from one scan of the sentence for clause breaks (scanning it again
    for each number, as `_CLAUSE_BREAK.finditer(text, 0, start)` and `.search(text, end)`, made a
    long sentence of many numbers quadratic).

    The same as that rescan: no _CLAUSE_BREAK match looks behind its start or more than _REACH characters
    ahead, so a scan of text[:start] matches as the scan of the whole text does up to start - _REACH,
    and is finished from there; and a match starting at or after `end` that the whole-text scan
    skipped would overlap a match straddling `end`, in which case `end` is searched from as the rescan does.
    """

    _REACH = 16  # longer than any match (", although") plus the character its \b looks at

    def __init__(self, text: str):
        self.text = text
        self.matches = [(m.start(), m.end()) for m in _CLAUSE_BREAK.finditer(text)]
        self.starts = [s for s, _ in self.matches]

    def __call__(self, start: int, end: int) -> tuple[int, int]:
        text, matches = self.text, self.matches
        near = max(0, start - self._REACH)
        i = bisect_left(self.starts, near)  # the matches starting before `near`: matches[:i]
        last = matches[i - 1][1] if i else 0
        tail = [m.end() for m in _CLAUSE_BREAK.finditer(text, max(last, near), start)]
        lo = tail[-1] if tail else last
        j = bisect_left(self.starts, end)  # the first match starting at or after `end`
        if j and matches[j - 1][1] > end:  # a match straddles `end`
            after = _CLAUSE_BREAK.search(text, end)
            hi = after.start() if after else len(text)
        else:
            hi = matches[j][0] if j < len(matches) else len(text)
        return lo, hi


def _period(dates, number_start: int, pub, clause: tuple[int, int] = (0, 0)) -> tuple[str, int | None, str]:
    """(period label, year, source) from the date expression in the number's clause, else the nearest
    in the sentence, else the publication month."""
    if dates:
        def distance(d):
            if d.end <= number_start:
                return number_start - d.end
            return d.start - number_start
        inside = [d for d in dates if d.start >= clause[0] and d.end <= clause[1]]
        d = min(inside or dates, key=distance)
        if d.date_start is not None and d.date_end is not None:
            s, e = d.date_start, d.date_end
            if d.granularity in ("year", "part_of_year"):
                label = str(s.year) if s.year == e.year else f"{s.year}–{e.year}"
            elif d.granularity == "since":
                label = f"{s.year}–{e.year}" if s.year != e.year else f"{s.year}-{s.month:02d}–{e.year}-{e.month:02d}"
            elif (s.year, s.month) == (e.year, e.month):
                label = f"{s.year}-{s.month:02d}"
            else:
                label = f"{s.year}-{s.month:02d}–{e.year}-{e.month:02d}"
            return label, e.year, "stated"
    if pub is None:
        return "", None, ""
    return f"{pub.year}-{pub.month:02d}", pub.year, "publication"


def _stated(text: str, start: int, end: int, qualifier: str) -> str:
    """The number as the article states it, qualifier included ("More than 8,000")."""
    if qualifier:
        pre = text[max(0, start - 40):start]
        idx = pre.lower().rfind(qualifier.lower())
        if idx >= 0:
            return pre[idx:] + text[start:end]
    return text[start:end]


def _unit(head: str, event: str, kind: str, currency: str, of_phrase: str) -> str:
    if kind == "money":
        return _CURRENCY_NAMES.get(currency, currency or "money")
    if kind == "percent":
        return f"percent of {of_phrase}" if of_phrase else "percent"
    if not head:
        # "the death toll rose to 50": a casualty count without a noun counts people
        return f"people {event}" if event in _CASUALTY_EVENTS else ""
    people = head.lower() in PEOPLE_NOUNS or bool(_DEMONYM_PLURAL.match(head))
    if event in _CASUALTY_EVENTS:
        noun = "people" if people else head.lower()  # as written: "soldiers killed", "policemen killed"
        return f"{noun} {event}"
    return "people" if people else singular(head)


# A sentence without a digit or one of these words holds no claim: skip the full number parser for it.
# (Every word-number and vague-quantity match of find_numbers holds one of them as a whole word.)
_NUMBER_WORDS = frozenset({*UNITS, *TENS, *SCALES, "dozen", "dozens",
                           *(w for q in VAGUE_QUANTITIES for w in q.split() if len(w) > 2)})


# A number right after a capitalised word inside a sentence is a model or designation: "Leopard 2",
# "Resolution 2334", "Article 5" (a sentence-initial "Some 75" is a qualifier, not a name).
_CAPITALISED_BEFORE = re.compile(r"\b([A-Z][A-Za-z]+)\s$")


def _is_designation(text: str, n) -> bool:
    if n.kind != "cardinal" or n.qualifier:
        return False
    before = text[max(0, n.start - 30):n.start]
    m = _CAPITALISED_BEFORE.search(before)
    if not m:
        return False
    prefix = text[:n.start - (len(before) - m.start(1))].rstrip()
    return bool(prefix) and prefix[-1] not in '.!?:"“‘(['


def _is_age(text: str, n) -> bool:
    before, after = text[max(0, n.start - 30):n.start], text[n.end:n.end + 3]
    if n.kind != "cardinal" or n.value is None:
        return False
    if _AGE_BEFORE.search(before):
        return True
    return bool(_NAME_COMMA_BEFORE.search(before) and after.startswith(",") and n.value == int(n.value)
                and 0 < n.value <= 120)
