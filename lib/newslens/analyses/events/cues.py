"""Status cues of a sentence: which words say a weapon was requested, approved, ordered, delivered ...

The cues come from the status table (`data/event_statuses.csv`, newslens.textkit.event_statuses): verb
cues (strong) and noun cues (weak: "the sale of", "deliveries"). Where two cues overlap the longer wins
("poised to approve" over "approve", "letter of offer and acceptance" over "offer"). A cue is negated
under "not", "never", "refused" ... or in a wish ("call on Washington to deliver"). A cue never starts or
ends inside a hyphenated word ("anti-ship" holds no "ship", "surface-launched" no "launched").

Linking verbs ("the package includes", "also included are", "the request comprises") take the status of
the noun cue before them in the sentence (sale: approved, request: requested; "package" is aid or a
sale, as the article said before), else of the article's previous event (an announcement or a schedule, not a delivery), else scheduled. An
order or delivery verb in the infinitive takes the status of the request or approval governing it
("requested permission to purchase 40 jets" is a request).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from functools import lru_cache

from newslens.textkit.dates import tense_of
from newslens.textkit.event_statuses import REPORT, load_statuses
from newslens.textkit.textgate import for_lowered, grouped_alternation, lowered

LINK = "link"  # status of a linking verb until its subject gives one
DEFAULT_LINK_STATUS = "scheduled"  # "includes 12 ..." with no subject cue and no earlier event
_LINK_CUES = (r"includ(?:e|es|ed|ing)|comprises?|comprising|contains?|containing|consists? of|cover(?:s|ed|ing)?|"
              r"(?:are|is|were|was) (?:also )?included|also included are")
ANNOUNCEMENT_STATUSES = {"accelerated", "approved", "requested", "proposed", "ordered"}
_HARD_BREAK = re.compile(r"[;:]|,\s(?:and|but|while|whereas|although|though)\b|\s(?:but|while|whereas)\s")
# Where a _HARD_BREAK match could start: the same alternatives without the final \b.
_HARD_BREAK_START = re.compile(r"[;:]|,\s(?:and|but|while|whereas|although|though)|\s(?:but|while|whereas)\s")
CLAUSE_PENALTY = 100  # characters: a cue across ", but" / ";" must be this much nearer to win
WEAK_PENALTY = 40  # characters: a noun cue must be this much nearer than a verb to win
_NEGATION_BEFORE = for_lowered(re.compile(
    r"\b(?:not|n't|never|no|refused|refuses|rejected|denied|denies|without|halted|blocked|suspended|"
    r"cancell?ed|stopped|ruled out|rules out)\b(?:\s+\S+){0,4}\s*$", re.IGNORECASE))
_IRREALIS_BEFORE = for_lowered(re.compile(
    r"\b(?:call(?:s|ed|ing)? (?:on|for)|urg(?:e|es|ed|ing)|should|could|might|whether|if|demand(?:s|ed)?|"
    r"want(?:s|ed)? \w+ to|would like)\b(?:\s+\S+){0,5}\s*$", re.IGNORECASE))
_CLAUSE_BREAK = re.compile(r"[;:]|,\s(?:and|but|while|which|whereas|although)\b|,\s")
_INFINITIVE_BEFORE = re.compile(r"\bto\s+$")
_AND_BEFORE = re.compile(r"\band\s+$")  # "seeking to modernize its fleet and buy 40 jets"
_PERFECT_BEFORE = re.compile(r"\b(?:have|has|had)\s+(?:already\s+|now\s+)?(?:been\s+)?$", re.IGNORECASE)
GOVERNING_REACH = 60  # characters from a request or approval to the infinitive it governs
# "the package includes": aid or a sale, as the article said before (an aid package is scheduled)
_PACKAGE = re.compile(r"packages?", re.IGNORECASE)
LINK_INHERITS = {"requested", "proposed", "approved", "ordered", "scheduled", "accelerated"}


@dataclass
class Cue:
    start: int
    end: int
    status: str
    strong: bool
    region: int
    text: str
    negated: bool = False
    consumed: bool = False
    dates: list = field(default_factory=list)
    counted_only: bool = False  # a list continued from the sentence before: only counted weapons


def _compile(alternatives) -> re.Pattern:
    # whole words, never part of a hyphenated word; run on the lowered sentence (textgate.for_lowered);
    # the alternatives grouped by first letter (textgate.grouped_alternation: the same matches, but re
    # tries a dozen branches at a word instead of a hundred)
    alternation = grouped_alternation(list(alternatives), re.IGNORECASE)
    return for_lowered(re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE))


@lru_cache(maxsize=4)
def cue_tables(path: str = "") -> tuple[list, re.Pattern]:
    """[(pattern, status, strong)] from the status table plus the linking verbs, and one pattern matching
    any of them (to skip sentences with no cue at all)."""
    table, every = [], []
    for s in load_statuses(path or None):
        for cues, strong in ((s.cues, True), (s.noun_cues, False)):
            if cues:
                table.append((_compile(cues), s.status, strong))
                if s.status != REPORT:
                    every.extend(cues)
    table.append((_compile([_LINK_CUES]), LINK, True))
    every.append(_LINK_CUES)
    return table, _compile(every)


@lru_cache(maxsize=4)
def _cue_starts(path: str = "") -> re.Pattern:
    """A zero-width pattern matching at every position where some pattern of `cue_tables` (reporting
    verbs included) matches: each pattern's matches start at one of those positions, so find_cues tries
    each pattern there only instead of scanning the sentence once per pattern."""
    alternatives = [cues for s in load_statuses(path or None) for cues in (s.cues, s.noun_cues) if cues]
    alternation = grouped_alternation([c for cues in alternatives for c in cues] + [_LINK_CUES], re.IGNORECASE)
    return for_lowered(re.compile(rf"(?<![\w-])(?=(?:{alternation})(?![\w-]))", re.IGNORECASE))


@lru_cache(maxsize=4096)
def has_cue(low: str) -> bool:
    """Does the lowered sentence hold any cue of the status table (`cue_tables()[1]`)? Cached: the events
    stage asks twice for many sentences. (One search of the whole alternation is cheaper here than a
    word-start gate: the gate's words "is", "are", "was" are in most sentences.)"""
    return cue_tables()[1].search(low) is not None


def regions(text: str, aside: re.Pattern) -> list[int]:
    """Region id per character: 0 for the main clause, k for the k-th aside."""
    region = [0] * len(text)
    for k, m in enumerate(aside.finditer(text), start=1):
        for i in range(m.start(), m.end()):
            region[i] = k
    return region


def find_cues(text: str, region: list[int]) -> list[Cue]:
    """The cues of a sentence in text order; the longer of two overlapping cues wins (then the verb)."""
    low = lowered(text)  # the cue patterns run on it (textgate.for_lowered); spans are the text's
    table, _ = cue_tables()
    starts = [m.start() for m in _cue_starts().finditer(low)]
    found = []  # what [pattern.finditer(low) for each pattern] finds, trying each at those starts only
    for pattern, status, strong in table if starts else ():
        end = 0
        for start in starts:
            if start >= end:
                m = pattern.match(low, start)
                if m is not None:
                    found.append((start, m.end(), status, strong))
                    end = m.end()
    found.sort(key=lambda f: (f[2] == REPORT, f[0] - f[1], not f[3], f[0]))
    taken = [False] * len(text)
    cues: list[Cue] = []
    for start, end, status, strong in found:
        if any(taken[start:end]):
            continue
        for i in range(start, end):
            taken[i] = True
        negated = False
        if status != REPORT:
            before_start = max(0, start - 60)
            # only look back within the clause
            clause_start = max([b.end() for b in _CLAUSE_BREAK.finditer(text[before_start:start])] or [0])
            before = low[before_start + clause_start:start]
            negated = bool(_NEGATION_BEFORE.search(before) or _IRREALIS_BEFORE.search(before))
        cues.append(Cue(start, end, status, strong, region[start], text[start:end], negated))
    cues.sort(key=lambda c: c.start)
    return _governed(text, _merge_cues(text, cues))


def _governed(text: str, cues: list[Cue]) -> list[Cue]:
    """An order or delivery verb in the infinitive (or joined to one by "and") takes the status of the
    request, offer or approval that governs it: "requested permission to purchase", "asked to buy",
    "offered to send", "seeking to modernize its fleet and buy"."""
    for i, cue in enumerate(cues):
        if not cue.strong or cue.status not in ("ordered", "delivered") or not (
                _INFINITIVE_BEFORE.search(text[:cue.start]) or _AND_BEFORE.search(text[:cue.start])):
            continue
        for gov in reversed(cues[:i]):
            if cue.start - gov.end > GOVERNING_REACH or gov.region != cue.region \
                    or _HARD_BREAK.search(text, gov.end, cue.start):
                break
            if gov.strong and gov.status in ("requested", "proposed", "approved") and not gov.negated:
                cue.status = gov.status
                break
    return cues


def _merge_cues(text: str, cues: list[Cue]) -> list[Cue]:
    """A noun cue right after a verb cue belongs to it ("accelerate the delivery of", "planned
    deliveries"), and so does a delivery verb governed by a status verb ("approve sending", "pledged to
    deliver", "poised to approve sending"): the pair takes the first cue's status."""
    merged: list[Cue] = []
    for cue in cues:
        prev = merged[-1] if merged else None
        if prev is not None and prev.strong and cue.region == prev.region and prev.status not in (REPORT, LINK):
            gap = text[prev.end:cue.start] + " "
            noun_after = not cue.strong and re.fullmatch(r"\s+(?:[\w-]+\s+){0,2}", gap)
            governed = (cue.strong and cue.status == "delivered" and prev.status != "delivered"
                        and re.fullmatch(r"\s+(?:to\s+|for\s+)?", gap))  # "finalizing plans for supplying"
            if noun_after or governed:
                merged[-1] = replace(prev, end=cue.end, text=text[prev.start:cue.end])
                continue
        merged.append(cue)
    return merged


def distance(a_start, a_end, b_start, b_end) -> int:
    if a_end <= b_start:
        return b_start - a_end
    if b_end <= a_start:
        return a_start - b_end
    return 0


class Breaks:
    """Whether the text between two positions of a sentence holds a hard break (";", ", but", ...).

    Asked for every (weapon mention, cue) pair: searching the span each time made a long sentence with
    many of both cubic (800 mentions: 150 s). The positions where a break could start are found once;
    the span is searched (in place, `_HARD_BREAK.search(text, lo, hi)` as on the slice) only when one
    of them lies inside it."""

    def __init__(self, text: str):
        self.text = text
        self.starts: list[int] = []
        found = _HARD_BREAK_START.search(text)
        while found:  # every start, overlapping ones included (", but " also starts " but ")
            self.starts.append(found.start())
            found = _HARD_BREAK_START.search(text, found.start() + 1)

    def crosses(self, a: int, b: int) -> bool:
        lo, hi = min(a, b), max(a, b)
        i = bisect_left(self.starts, lo)
        if i == len(self.starts) or self.starts[i] >= hi:
            return False
        return _HARD_BREAK.search(self.text, lo, hi) is not None


def nearest_cue(breaks: Breaks, start: int, end: int, cues: list[Cue], region: int) -> Cue | None:
    """The cue a weapon mention takes: the nearest, a verb before a noun, the main clause before an aside."""
    best, best_score = None, None
    for cue in cues:
        if cue.consumed or cue.status == REPORT:
            continue
        score = distance(start, end, cue.start, cue.end)
        if breaks.crosses(cue.end if cue.end <= start else cue.start, start if cue.end <= start else end):
            score += CLAUSE_PENALTY
        if not cue.strong:
            score += WEAK_PENALTY
        if cue.region != region:
            score += 1000  # a cue in an aside only when the main clause has none
        if best_score is None or score < best_score:
            best, best_score = cue, score
    return best


def link_status(cue: Cue, cues: list[Cue], previous_status: str | None) -> str:
    """The status a linking verb stands for: its subject's cue (the nearest status cue before it in
    the sentence), else the article's previous event, else DEFAULT_LINK_STATUS."""
    before = [c for c in cues if c.end <= cue.start and c.status not in (REPORT, LINK) and not c.negated]
    if before and not _PACKAGE.fullmatch(before[-1].text):
        return before[-1].status
    return previous_status if previous_status in LINK_INHERITS else DEFAULT_LINK_STATUS


def status_of(cue: Cue, text: str, date_mention) -> str:
    """A cue's status, with tense: delivery in a future clause, after "to" ("pledged to deliver",
    "agreed to send"), in the present progressive ("is sending") or dated after publication is scheduled."""
    status = cue.status
    if status == "delivered":
        left = text[:cue.end]
        breaks = [m.end() for m in re.finditer(r"[;:]|,\s(?:and|but|while|which|whereas)\b", left)]
        clause = left[breaks[-1] if breaks else 0:]
        if _PERFECT_BEFORE.search(text[:cue.start]):
            return status  # "the four that have already been deployed": done, whatever "will" came before
        if tense_of(clause) == "future" or (cue.strong and _INFINITIVE_BEFORE.search(text[:cue.start])):
            return "scheduled"
        if not cue.strong and date_mention is not None and date_mention.tense == "future":
            return "scheduled"
        if not cue.strong and date_mention is not None and date_mention.granularity == "vague" \
                and date_mention.text.lower() in ("upcoming", "forthcoming", "soon"):
            return "scheduled"
    return status
