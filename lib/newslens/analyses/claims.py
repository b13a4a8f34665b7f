"""Numeric claims: every number with what it counts, its qualifier and when, grouped across outlets.

    from newslens.analyses.claims import extract_claims, claims_side_by_side
    claims = extract_claims(corpus.sentences, corpus.documents)
    claims_side_by_side(claims)     # one row per claim group, one column per outlet, disagreements flagged

A claim is a number found by `newslens.textkit.numbers.find_numbers` that counts something: counts, money and
percentages (years, dates, times, ordinals, durations and measures are not claims). For each one:

* **unit**: what is counted, normalised: the head noun of the phrase after the number, singular
  ("75 Hellfire missiles" -> missile, "10 terror camps" -> camp); people killed, wounded, displaced or
  detained become "people killed" etc. whatever the noun ("8,000 Iraqis were killed", "8,868 people were
  killed" -> people killed; "24 government soldiers" killed -> soldiers killed); money is "US dollars"
  (or the currency); percentages are "percent of <what>". A number with no noun after it ("465 were
  involved", "780 already delivered") takes the unit of the claim before it in the same or the previous
  sentence (`unit_source` = "inferred").
* **event**: what happened to the counted things, from the verb or noun around the number: killed,
  wounded, displaced, detained, delivered (also exports), sold, deployed, financed; "to be delivered"
  when the clause speaks of the future ("are scheduled for delivery", "would accelerate the delivery");
  a count joined to the previous one shares its event ("two helicopters and 12 tanks").
* **period**: when, from the nearest date expression in the sentence resolved against the publication
  date by `newslens.textkit.dates` ("this year" in an article of 2013-12-26 -> 2013, "in mid-December" in one of
  2014-01-07 -> 2013-12); a year for year expressions, a month for finer ones; without a date in the
  sentence, the month of publication (`period_source` = "publication").
* **claim_group**: unit · event · period (and, for percentages, the subject) -- the same thing counted for
  the same time, so figures from different outlets land side by side.

Ages ("aged 45", "Ali, 45,") are not claims either.

Measured: 22 hand-labelled seed claims (qualifier, value, unit, event, period; used while developing)
and 7 claims of the invented fixture corpus (unit, event) all correct; the three 2013 death tolls land in
one group and are flagged as incompatible at the default 10% tolerance.

Known limits: one sentence of context (a unit or date stated two sentences earlier is missed); the head
noun rule can pick a modifier when the phrase is unusual; "subject" is a hint (an actor or place named
with the number, else the article's most-named place), not part of the grouping except for percentages.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right

import pandas as pd

from newslens.textkit.dates import as_date, find_dates
from newslens.core.errors import ParameterError
from newslens.textkit.numbers import SCALES, TENS, UNITS, VAGUE_QUANTITIES, find_numbers
from newslens.textkit.textgate import ascii_words, has_digit, lowered, unshouted

CLAIM_COLUMNS = [
    "doc_id", "outlet", "published", "sent_id", "start", "end", "number", "stated", "value", "low",
    "high", "approximate", "qualifier", "unit", "unit_source", "event", "subject", "phrase", "year",
    "period", "period_source", "claim_group", "text",
]
CLAIM_KINDS = ("cardinal", "money", "percent")
DEFAULT_TOLERANCE = 0.10  # "some 8,000" covers 7,200..8,800

# Words (with designations such as "F-16", "AGM-114" kept whole), numbers, punctuation.
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W_]+)*|\d[\d,.]*|[^\w\s]")

# Words that end the noun phrase after a number.
_NP_STOP = set("""
a an the this that these those his her its their our my your to in on at from by with for of into onto
over under between among against about after before during since until than as per via and or but nor
is are was were be been being have has had will would shall should can could may might must do does did
which who whom whose where when while whereas if because although though so such also already still
now then just only even ever never not no yet again reportedly each every both either all some more most
""".split())
# Modifiers that may open the noun phrase but are not its head.
_NP_SKIP_LEADING = {"more", "additional", "further", "other", "extra", "new", "of", "the", "these",
                    "those", "such", "another", "hundred", "thousand", "million", "billion", "dozen"}
_CURRENCY_NAMES = {"USD": "US dollars", "EUR": "euros", "GBP": "pounds sterling", "JPY": "yen",
                   "RUB": "roubles", "INR": "rupees", "CNY": "yuan"}

EVENT_WORDS = {
    "killed": """killed kill kills killing died die dies dying dead death deaths slain murdered massacred
                 executed toll fatalities""",
    "wounded": "wounded wounding injured injuring injuries hurt",
    "displaced": "displaced uprooted fled refugees homeless",
    "detained": "arrested detained captured kidnapped abducted imprisoned jailed",
    "delivered": """delivered deliver delivers delivering delivery deliveries shipped ship ships shipping
                    shipment shipments sent send sending supplied supply supplying supplies provided
                    provide provides providing provision transferred transfer transfers handed received
                    arrived""",
    "sold": """sold sell sells selling sale sales deal deals contract contracts bought buy buying purchase
               purchased purchases ordered order orders approved package packages""",
    "deployed": "deployed deploy deploying deployment stationed based",
    "financed": "loan loans credit credits financed funded funding paid pay pays paying payment payments",
}
# Export and import move arms from one country to another: counted as deliveries.
for _w in "export exports exported exporting import imports imported importing".split():
    EVENT_WORDS["delivered"] += " " + _w
_EVENT_OF = {w: event for event, words in EVENT_WORDS.items() for w in words.split()}
_BEFORE_SKIP = {"of", "the", "a", "an", "additional", "another", "more", "than", "some", "about", "around",
                "nearly", "almost", "over", "up", "to", "at", "least", "roughly", "approximately", "further",
                "extra", "new", "just", "only", "$", "€", "£", "for", "worth", "valued", "is", "was", "are",
                "were", "be", "been", "totalling", "totaling", "rose", "risen", "climbed", "reached",
                "stood", "stands", "hit", "increased", "jumped", "totalled", "totaled", "has", "had", "its",
                "their", "his", "her", "all", "possible", "proposed", "potential", "planned", "total",
                "estimated", "further"}
# Event nouns count only right after the counted phrase ("10 drones are scheduled for delivery"); further
# on they belong to another phrase ("fishermen gathered ... to protest against the deal").
EVENT_NOUNS = {"death", "deaths", "toll", "fatalities", "delivery", "deliveries", "shipment", "shipments",
               "supplies", "provision", "transfer", "transfers", "sale", "sales", "deal", "deals",
               "contract", "contracts", "purchase", "purchases", "order", "orders", "deployment",
               "package", "packages",
               "injuries", "refugees", "loan", "loans", "credit", "payment", "payments", "export", "exports"}
_JOINERS = {"and", ",", "plus", "worth", "valued", "costing", "for", "as", "well", "including", "among", "them", "of", "whom", "which", "another",
            "more", "than", "some", "about", "around", "nearly", "almost", "over", "at", "least", "up", "to"}
_FUTURE_EVENT = {"delivered": "to be delivered", "sold": "to be sold", "deployed": "to be deployed"}
_FUTURE = re.compile(
    r"\b(?:will|would|shall|'ll|going to|scheduled|due|expected|planned|plans?|set to|slated|"
    r"to be|accelerate|speed up|intends?|upcoming)\b", re.IGNORECASE)
_CASUALTY_EVENTS = {"killed", "wounded", "displaced", "detained"}
# Nouns that count people in general; demonym plurals ("Iraqis", "Syrians") count people too.
PEOPLE_NOUNS = {"people", "persons", "person", "individuals", "residents", "inhabitants", "lives",
                "humans", "souls", "others"}
# Ages are not claims: "aged 45", "Ali, 45, was ..." (a small whole number between commas after a name).
_AGE_BEFORE = re.compile(r"\b(?:aged?|ages)\s*$", re.IGNORECASE)
_NAME_COMMA_BEFORE = re.compile(r"[A-Z][\w'’-]*,\s*$")
_DEMONYM_PLURAL = re.compile(r"^[A-Z][a-z]+(?:is|ans|ians|ites|ese|ds)$")
# Plurals kept as written: the singular reads wrongly or does not exist.
_KEEP_PLURAL = {"people", "personnel", "troops", "police", "arms", "forces", "militia", "media", "data",
                "news", "series", "species", "headquarters", "equipment", "ammunition", "aircraft",
                "lives", "crossroads"}
_IRREGULAR = {"men": "man", "women": "woman", "children": "child", "policemen": "policeman",
              "countries": "country", "militias": "militia", "casualties": "casualty",
              "armies": "army", "bodies": "body", "allies": "ally", "sanctions": "sanction",
              "buses": "bus", "gases": "gas", "aircrafts": "aircraft"}
_NUMBER_OF = re.compile(r"\bnumber of ((?:[a-z]+ ){0,2}?[a-z]+s)\b")


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


def sentence_claims(text: str, published=None) -> list[dict]:
    """The claims of one sentence (without doc/outlet columns and without inherited units)."""
    if not _may_hold_number(text):
        return []
    pub = as_date(published) if published not in (None, "") else None
    return _dated_claims(text, pub, _number_claims(text))


def _may_hold_number(text: str) -> bool:
    """False when the sentence has no digit and no number word: it then holds no claim (most sentences)."""
    return has_digit(text) or not _NUMBER_WORDS.isdisjoint(ascii_words(lowered(text)))


def _dated_claims(text: str, pub, claims: list[tuple[dict, tuple[int, int]]]) -> list[dict]:
    """The claims of `_number_claims(text)` with their period, from the sentence's dates and `pub`."""
    if not claims:
        return []
    dates = find_dates(text, pub) if pub is not None else []
    out = []
    for c, clause in claims:
        period, year, period_source = _period(dates, c["start"], pub, clause)
        out.append({**c, "year": year, "period": period, "period_source": period_source})
    return out


def _number_claims(text: str) -> list[tuple[dict, tuple[int, int]]]:
    """Everything about a sentence's claims that its text alone decides (all but the period), each
    with the span of its clause. The same sentence text gives the same list whatever the article, so
    `extract_claims` computes it once per distinct text (wire copies repeat sentences)."""
    text = unshouted(text, "lower")  # in a sentence in capitals, "RECEIVED 75" is a count, not "Block 52"
    numbers = [n for n in find_numbers(text)
               if n.kind in CLAIM_KINDS and not _is_age(text, n) and not _is_designation(text, n)]
    if not numbers:
        return []
    tokens = _tokens(text)
    token_starts = [t[1] for t in tokens]
    token_ends = [t[2] for t in tokens]
    clause_starts = _clause_starts(tokens)
    clause_of = _Clauses(text)
    claim_starts = frozenset(n.start for n in numbers)
    number_of = _NUMBER_OF.search(text)  # "the number of X": the same for every number of the sentence
    last_of_phrase = ""
    prev: int | None = None  # last token of the previous claim's phrase
    prev_kind = ""
    out = []
    for n in numbers:
        first = bisect_right(token_ends, n.start)  # the first token ending after the number's start
        after = bisect_left(token_starts, n.end)  # the first token starting at or after its end
        if n.kind == "money":
            np_idx = _money_phrase(tokens, after)
        else:
            np_idx = _noun_phrase(tokens, after) if n.kind != "percent" else []
        of_phrase = ""
        if n.kind == "percent":
            m = re.match(r"\s+of\s+(?:the\s+|its\s+|their\s+)?((?:[a-z]+\s){0,2}?[a-z]+)\b", text[n.end:])
            of_phrase = m.group(1) if m else last_of_phrase
            last_of_phrase = of_phrase
        head = tokens[np_idx[-1]][0] if np_idx else ""
        phrase = text[tokens[np_idx[0]][1]:tokens[np_idx[-1]][2]] if np_idx else ""
        np_last = np_idx[-1] if np_idx else after - 1
        if n.kind == "money" and lowered(head) in _EVENT_OF:
            event = _EVENT_OF[lowered(head)]  # "the $700 million deal"
        else:
            event, _ = _event(tokens, first, np_last, text, clause_starts, claim_starts)
        # "two helicopters and 12 tanks", "30 people, including 12 policemen": a count joined to the
        # previous one shares its event
        if not event and prev is not None:
            between = {t[0].lower() for t in tokens[prev + 1:first]}
            # "two helicopters and 12 tanks"; "200 missiles worth €120 million"
            same_kind = n.kind == prev_kind or (n.kind == "money" and between & {"worth", "valued", "costing", "for"})
            if same_kind and between and between <= _JOINERS:
                event = out[-1][0]["event"]
        prev, prev_kind = np_last, n.kind
        unit_source = "noun" if head or n.kind != "cardinal" else ""
        if n.kind == "cardinal" and not head:
            if number_of:
                head = number_of.group(1).split()[-1]
                phrase = number_of.group(1)
                unit_source = "number of"
        unit = _unit(head, event, n.kind, n.currency, of_phrase)
        if n.kind == "money" and head and head.lower() not in _EVENT_OF:
            unit_source = "noun"
        subject = _percent_subject(tokens, first) if n.kind == "percent" else ""
        out.append((dict(
            start=n.start, end=n.end, number=n.surface,
            stated=_stated(text, n.start, n.end, n.qualifier), value=n.value, low=n.low, high=n.high,
            approximate=bool(n.approximate), qualifier=n.qualifier, kind=n.kind, unit=unit,
            unit_source=unit_source, event=event, subject=subject, phrase=phrase, head=head,
        ), clause_of(n.start, n.end)))
    return out


def _group_name(unit: str, event: str, period: str, kind: str, subject: str) -> str:
    if not unit:
        return ""
    parts = [unit]
    if event and event not in unit:
        parts.append(event)
    if kind == "percent" and subject:
        parts.append(subject)
    parts.append(period or "undated")
    return " · ".join(parts)


def extract_claims(
    sentences: pd.DataFrame, documents: pd.DataFrame, entities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every numeric claim of the corpus (columns `CLAIM_COLUMNS`), sentences in document order.

    `entities` (the `entities` table) supplies the subject hint; it is computed when not given.
    """
    for col in ("doc_id", "sent_id", "text"):
        if col not in sentences.columns:
            raise ParameterError(f"extract_claims needs sentence column '{col}'")
    outlet_of = dict(zip(documents["doc_id"].astype(str), documents["outlet"]))
    published_of = (dict(zip(documents["doc_id"].astype(str), documents["published"]))
                    if "published" in documents.columns else {})
    rows = []
    prev_unit: dict[str, tuple[str, str, str]] = {}  # doc -> last (unit, head, phrase)
    pub_of: dict[str, object] = {}  # doc -> its publication date, read once
    text_claims: dict[str, list] = {}  # sentence text -> _number_claims(text): wire copies repeat sentences
    # plain lists: pandas' per-row access to string columns costs more than the rules on a long corpus
    for doc_id, sent_id, text in zip(sentences["doc_id"].tolist(), sentences["sent_id"].tolist(),
                                     sentences["text"].tolist()):
        doc_id = str(doc_id)
        outlet = outlet_of.get(doc_id, "")
        if doc_id in pub_of:
            published = pub_of[doc_id]
        else:
            published = published_of.get(doc_id)
            if published is not None and (pd.isna(published) or str(published).strip() == ""):
                published = None
            if published is not None:
                # an undated article keeps period ""; a date that cannot be read is the user's to fix
                published = as_date(published, f"article {doc_id}: published")
            pub_of[doc_id] = published
        stored_text, text = text, str(text)
        if text not in text_claims:
            text_claims[text] = _number_claims(text) if _may_hold_number(text) else []
        found = _dated_claims(text, published, text_claims[text])
        for c in found:
            if c["kind"] == "cardinal" and not c["unit"] and doc_id in prev_unit:
                unit, head, phrase = prev_unit[doc_id]
                c["head"], c["phrase"] = head, phrase
                c["unit"] = _unit(head, c["event"], "cardinal", "", "")
                c["unit_source"] = "inferred"
            if c["kind"] == "cardinal" and c["unit"]:
                prev_unit[doc_id] = (c["unit"], c["head"], c["phrase"])
            c["claim_group"] = _group_name(c["unit"], c["event"], c["period"], c["kind"], c["subject"])
            rows.append(dict(doc_id=doc_id, outlet=outlet, published=str(published or ""),
                             sent_id=sent_id, text=stored_text, **c))
    claims = pd.DataFrame(rows, columns=CLAIM_COLUMNS + ["kind", "head"])
    if claims.empty:
        return claims[CLAIM_COLUMNS + ["kind"]]
    claims["subject"] = _subjects(claims, sentences, entities)
    claims["claim_group"] = [
        _group_name(u, e, p, k, s) for u, e, p, k, s in
        zip(*(claims[col].tolist() for col in ("unit", "event", "period", "kind", "subject")))
    ]
    return claims[CLAIM_COLUMNS + ["kind"]].reset_index(drop=True)


def _subjects(claims: pd.DataFrame, sentences: pd.DataFrame, entities: pd.DataFrame | None) -> list[str]:
    """Subject hint per claim: an actor named inside the counted phrase ("US troops"), else a place
    named in the sentence, else the article's most-named place; percentages keep their clause subject."""
    if entities is None:
        from newslens.analyses.entities import tag_entities

        wanted = sentences[sentences.doc_id.astype(str).isin(set(claims.doc_id))]
        entities = tag_entities(wanted)
    # plain lists and tuples: pandas filtering per claim (or per document) is too slow for a large corpus
    cols = [entities["doc_id"].astype(str).tolist()] + [entities[c].tolist() for c in
                                                         ("sent_id", "start", "end", "entity", "type")]
    by_sentence: dict[tuple, list[tuple[int, int, str, str]]] = {}
    place_counts: dict[str, dict[str, int]] = {}  # doc -> place -> mentions, in order of first mention
    for d, sid, st, en, ent, typ in zip(*cols):
        by_sentence.setdefault((d, int(sid)), []).append((int(st), int(en), ent, typ))
        if typ == "place" and isinstance(ent, str):  # value_counts skipped missing names too
            counts = place_counts.setdefault(d, {})
            counts[ent] = counts.get(ent, 0) + 1
    # the most-named place; max() keeps the first of equals, so ties go to the place named first
    doc_place = {d: max(counts, key=counts.get) for d, counts in place_counts.items()}
    out = []
    for kind, c_subject, doc_id, sent_id, end, phrase in zip(
            *(claims[col].tolist() for col in ("kind", "subject", "doc_id", "sent_id", "end", "phrase"))):
        if kind == "percent" and c_subject:
            out.append(c_subject)
            continue
        mentions = sorted(by_sentence.get((doc_id, int(sent_id)), []))
        phrase_end = end + 1 + len(phrase) + 12
        in_phrase = [m for m in mentions if m[0] >= end and m[1] <= phrase_end]
        near_actor = [m for m in mentions if end <= m[0] <= phrase_end and m[3] != "place"]
        sentence_places = [m for m in mentions if m[3] == "place"]
        subject = ""
        for candidates in (in_phrase, near_actor, sentence_places):
            if candidates:
                subject = candidates[0][2]
                break
        out.append(subject or doc_place.get(doc_id, ""))
    return out


# --- side by side ----------------------------------------------------------------------------------
def claim_interval(row, tolerance: float = DEFAULT_TOLERANCE) -> tuple[float, float]:
    """The range of values a claim allows: exact -> the value; "some"/"about" -> +/- tolerance;
    "more than" -> [value, inf); "up to" -> (-inf, value]; "nearly" -> [value*(1-tol), value];
    vague quantities ("dozens") -> their conventional range."""
    value, low, high = row.value, row.low, row.high
    if value is None or (isinstance(value, float) and math.isnan(value)):
        lo = -math.inf if low is None or pd.isna(low) else float(low)
        hi = math.inf if high is None or pd.isna(high) else float(high)
        return lo, hi
    value = float(value)
    lo = -math.inf if low is None or pd.isna(low) else float(low)
    hi = math.inf if high is None or pd.isna(high) else float(high)
    if row.approximate:
        if lo != -math.inf:
            lo = min(lo, value * (1 - tolerance))
        if hi != math.inf:
            hi = max(hi, value * (1 + tolerance))
    return lo, hi


def claims_side_by_side(
    claims: pd.DataFrame, min_outlets: int = 1, tolerance: float = DEFAULT_TOLERANCE,
) -> pd.DataFrame:
    """One row per claim group, one column per outlet with the figures as stated ("More than 8,000";
    several joined by "; "), and flags:

    * `values_differ`: outlets state different values (8,000 vs 8,868);
    * `compatible`: one true figure could satisfy every claim, reading "more than" as an open bound and
      "some"/"about" as +/- `tolerance` ("more than 8,000" and "8,868" are compatible; "some 8,000" and
      "8,868" are not, at 10%);
    * `disagree`: named by two or more outlets and not compatible.

    Groups named by fewer than `min_outlets` outlets are left out; disagreements come first.
    """
    if not 0 <= tolerance < 1:
        raise ParameterError(f"tolerance must be between 0 and 1, got {tolerance}")
    # claims without a unit have no group ("" here, NaN when read back from claims.csv)
    grouped = claims[claims["claim_group"].fillna("").astype(str) != ""]
    outlets = list(dict.fromkeys(grouped["outlet"].tolist()))
    rows = []
    for group, g in grouped.groupby("claim_group", sort=False):
        n_outlets = g["outlet"].nunique()
        if n_outlets < min_outlets:
            continue
        intervals = [claim_interval(r, tolerance) for r in g.itertuples(index=False)]
        lo = max(i[0] for i in intervals)
        hi = min(i[1] for i in intervals)
        per_outlet_values = g.dropna(subset=["value"]).groupby("outlet")["value"].agg(lambda v: frozenset(v))
        distinct = set().union(*per_outlet_values.tolist()) if len(per_outlet_values) else set()
        row = {
            "claim_group": group, "unit": g["unit"].iloc[0], "event": g["event"].iloc[0],
            "period": g["period"].iloc[0], "outlets": n_outlets, "claims": len(g),
        }
        for o in outlets:
            mine = g[g["outlet"] == o]
            row[o] = "; ".join(dict.fromkeys(mine["stated"].tolist())) if len(mine) else ""
        row["values_differ"] = n_outlets >= 2 and len(distinct) > 1
        row["compatible"] = bool(lo <= hi)
        row["disagree"] = bool(n_outlets >= 2 and lo > hi)
        row["min_value"] = g["value"].min()
        row["max_value"] = g["value"].max()
        rows.append(row)
    cols = ["claim_group", "unit", "event", "period", "outlets", "claims", *outlets, "values_differ",
            "compatible", "disagree", "min_value", "max_value"]
    table = pd.DataFrame(rows, columns=cols)
    if table.empty:
        return table
    return table.sort_values(["disagree", "values_differ", "outlets", "claims"],
                             ascending=[False, False, False, False]).reset_index(drop=True)


# --- pipeline stage ------------------------------------------------------------------------------
def stage(corpus, tables: dict, params: dict) -> dict[str, pd.DataFrame]:
    """Pipeline stage `claims`: table `claims` (doc_id, outlet, sent_id, value, qualifier, unit,
    subject, claim_group, text, ...). Reads `entities` when the entities stage ran before it."""
    sentences = tables.get("sentences", corpus.sentences)
    documents = tables.get("documents", corpus.documents)
    entities = tables["entities"] if "entities" in tables else None
    return {"claims": extract_claims(sentences, documents, entities)}
