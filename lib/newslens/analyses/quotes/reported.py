"""Attributions that are not "X said": the other shapes reported speech takes in news.

* by-agent passives: "first reported by The Daily Ledger", "announced on Monday by the agency",
  "as noted by Senator Ruiz" (the agent speaks);
* "the report quoted Admiral Lind as saying ...", "cited the minister as saying" (the one quoted speaks);
* "the ministry's claim that ...", "the Kremlin's warning that ..." (a possessor and a speech noun);
* "the joint statement read", "the letter states that" (a document and read/state);
* participles: "X welcomed the decision, adding that ...", "..., claiming that" (the clause's subject).
"""
from __future__ import annotations

import re

from newslens.analyses.quotes.attribution import (
    Attribution, _CLOSE_QUOTE_BEFORE, _DETERMINER_WORDS, _clean_np, _content_after, _inside, _last_boundary,
    _plausible_np, at_least_words, with_apposition, words,
)

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
# between a participle and "by": only a time ("announced on Saturday, January 27, by ...") or an adverb
_AGENT_GAP = re.compile(
    rf"(?:\s*,?\s*(?:on|in|at|during|last|this|earlier|first|also|formally|officially|publicly|jointly|"
    rf"\d{{1,4}}(?:st|nd|rd|th)?|{_MONTHS}|{_DAYS}|week|month|year)\b)*\s*,?\s+by\s+")
_AGENT = re.compile(r"([^,;:()]+?)(?=\s*(?:[,;:(]|\.?\s*$)|\s+(?:on|in|at|during|last|this|to|for|after)\s)")
_AGENT_VERBS = frozenset({"reported", "announced", "noted", "confirmed", "stated", "said", "declared",
                          "described", "claimed", "criticized", "criticised", "denied", "quoted", "posted",
                          "published", "released", "disclosed", "revealed", "cited"})
_AS_SAYING = re.compile(
    r"\b(?:quoted|cited|quoting|citing)\s+((?:[\w.'’()-]+\s+){0,11}?[\w.'’()-]+)\s+as\s+(?:saying|telling|"
    r"stating|writing|warning|adding)\b")
_CLAIM_NOUNS = ("claims?|complaints?|warnings?|statements?|assertions?|accusations?|insistence|arguments?|"
                "announcement|remarks|comments|assessment|allegations?|argument|position|view")
_CLAIM = re.compile(
    rf"((?:\b[A-Z][\w.-]*\s+){{0,4}}\b[A-Z][\w.-]*)['’]s?\s+(?:[a-z]+\s+)?(?:{_CLAIM_NOUNS})\s+that\b")
_DOCUMENT_READ = re.compile(
    r"\b((?:the|a|an|its|their|this|his|her)\s+(?:[\w-]+\s+){0,3}(?:statement|letter|text|message|post|"
    r"release|resolution|communiqu[eé]|note|document|decree|tweet))\s+(?:read|reads|states|stated)\b")
# what _CLAIM and _DOCUMENT_READ must hold: searched first, where a scan finds a match far less often
_CLAIM_TAIL = re.compile(rf"['’]s?\s+(?:[a-z]+\s+)?(?:{_CLAIM_NOUNS})\s+that\b")
_READ_VERB = re.compile(r"\s(?:read|reads|states|stated)\b")
# a sentence with none of the speech verbs may still hold one of these shapes
_GATE = re.compile(rf"\b(?:reads?|states|stated)\b|['’]s?\s+(?:[a-z]+\s+)?(?:{_CLAIM_NOUNS})\s+that\b")


def may_have_other_shapes(text: str) -> bool:
    """Could the sentence hold "the statement read" or "X's claim that" (it has no speech verb)?"""
    return ("read" in text or "states" in text or "stated" in text or ("that" in text and ("'" in text or "’" in text))) \
        and _GATE.search(text) is not None


def may_quote_as_saying(text: str) -> bool:
    """Could the sentence hold "quoted X as saying" (quoted, cited, quoting or citing, and " as ")?"""
    return " as " in text and ("quot" in text or "cit" in text)


_SUBJECT_STOP = re.compile(r"^(?:has|had|have|is|was|were|are|will|would|could|can|may|might|on|in|at|"
                           r"also|then|later|repeatedly|again|[a-z]+ed|[a-z]+s)$")
# a clause, between commas, semicolons and " and "
_PIECE = re.compile(r"(?:[^,;]|,(?=\d))+?(?=\s*(?:[,;]|\band\b|$))")
_ADVERBIAL_ONLY = re.compile(r"^\s*(?:(?:in|on|at|during|after|before|earlier|later|last|this|meanwhile|however|"
                             r"separately|also|then|but|and|in turn|at the same time)\b[^A-Z]*|\W*)$", re.IGNORECASE)


def by_agent(text: str, m: re.Match, verb: str) -> Attribution | None:
    """"... first reported by The Daily Ledger", "announced on Monday by the agency": the agent speaks."""
    if verb not in _AGENT_VERBS:
        return None
    gap = _AGENT_GAP.match(text, m.end())
    if not gap:
        return None
    tail = _AGENT.match(text, gap.end())
    if not tail:
        return None
    s, e = _clean_np(text, tail.start(1), tail.end(1))
    if s >= e or not _plausible_np(text[s:e], inverted=True):
        return None
    e = with_apposition(text, e)
    before = text[:m.start()]
    content = before if at_least_words(before, 3) else f"{before} {text[e:]}"  # "This was announced ... by X."
    return Attribution(verb, m.start(), s, e, content.strip(" ,.;:\"“”"), "agent")


def participle(text: str, masked: str, m: re.Match, verb: str, boundary: int,
               coordinated: bool = False) -> Attribution | None:
    """"X welcomed the decision, adding that ...", "X condemned the decision and said ...": the clause
    before speaks. The attribution's phrase is that clause; its first actor (see `clause_subject`) is
    the speaker."""
    if not coordinated and not text[:boundary].rstrip().endswith(","):
        return None
    pieces = [p for p in _PIECE.finditer(masked[:boundary].rstrip(" ,"))
              if p.group().strip() and not _ADVERBIAL_ONLY.match(p.group())]
    if not pieces:
        return None
    piece = pieces[-1]
    s, e = _clean_np(text, piece.start(), piece.end())
    if s >= e:
        return None
    return Attribution(verb, m.start(), s, e, _content_after(text, m.end(), verb).strip(" ,.;:"), "participle")


def subject_end(text: str, start: int, end: int) -> int:
    """The end of the subject of text[start:end]: before its first verb-like lower-case word ("the
    Parliament adopted a resolution" -> "the Parliament"); `end` when there is none."""
    prev = ""
    for w in re.finditer(r"\S+", text[start:end]):
        word = w.group()
        if w.start() > 0 and word.islower() and _SUBJECT_STOP.match(word) and prev not in _DETERMINER_WORDS:
            return start + len(text[start:start + w.start()].rstrip())
        prev = word.lower()
    return end


def clause_subject(text: str, start: int, end: int, mentions: list[dict]) -> tuple[int, int] | None:
    """The subject of the clause text[start:end]: up to the end of its first actor (a person, an
    organisation or a place named), else the words before its first verb-like word."""
    actors = sorted((x for x in mentions if start <= x["start"] < end
                     and x["type"] in ("person", "organisation", "armed_group", "place")), key=lambda x: x["start"])
    early = len(text[start:actors[0]["start"]].split()) + 8 if actors else 0
    persons = [x for x in actors if x["type"] == "person" and len(text[start:x["start"]].split()) <= early]
    if actors:  # a person named near the clause's start before an organisation or state named first
        return start, (persons or actors)[0]["end"]
    subject_end, prev = start, ""
    for w in re.finditer(r"\S+", text[start:end]):
        word = w.group()
        if subject_end > start and word.islower() and _SUBJECT_STOP.match(word) and prev not in _DETERMINER_WORDS:
            break
        subject_end = start + w.end()
        prev = word.lower()
    s, e = _clean_np(text, start, subject_end)
    if s >= e or not _plausible_np(text[s:e]) or len(text[s:e].split()) > 8:
        return None
    return s, e


def other_shapes(text: str, qspans: list[tuple[int, int]]) -> list[Attribution]:
    """"quoted X as saying", "X's claim that", "the statement read" (outside quotations)."""
    found = []
    if may_quote_as_saying(text):
        _as_saying(text, qspans, found)
    if "that" in text and ("'" in text or "’" in text) and _CLAIM_TAIL.search(text) is not None:
        found += [Attribution("claim", m.end(1), m.start(1), m.end(1), text[m.end():].strip(" ,.;:\"“”"), "claim")
                  for m in _CLAIM.finditer(text) if not _inside(m.start(), qspans)]
    if ("read" in text or "states" in text or "stated" in text) and _READ_VERB.search(text) is not None:
        _document_read(text, qspans, found)
    return found


def _as_saying(text: str, qspans: list[tuple[int, int]], found: list[Attribution]) -> None:
    """"the report quoted X as saying": X speaks, and so does the outlet that quoted X."""
    for m in _AS_SAYING.finditer(text):
        if _inside(m.start(), qspans) or not _plausible_np(m.group(1), inverted=True):
            continue
        citing = _clean_np(text, _last_boundary(text, m.start()), m.start())  # the outlet that quoted X
        content = _content_after(text, m.end(), "said").strip(" ,.;:")
        if not words(content):
            content = text[:citing[0]].strip(" ,.;:\"“”")  # '"...," the report quoted X as saying.'
        found.append(Attribution("as saying", m.start(), m.start(1), m.end(1), content, "as saying"))
        if citing[0] < citing[1] and _plausible_np(text[citing[0]:citing[1]]):
            found.append(Attribution("quoted", m.start(), citing[0], citing[1], content, "after"))


def _document_read(text: str, qspans: list[tuple[int, int]], found: list[Attribution]) -> None:
    """"..., the joint statement read", "the letter states that ...": the document speaks."""
    for m in _DOCUMENT_READ.finditer(text):
        if _inside(m.start(), qspans):
            continue
        quoted_before = _CLOSE_QUOTE_BEFORE.search(text[:m.start()])
        content = text[:m.start()] if quoted_before else _content_after(text, m.end(), "said")
        found.append(Attribution("read", m.end(1), m.start(1), m.end(1), content.strip(" ,.;:\"“”"),
                                 "before" if quoted_before else "after"))
