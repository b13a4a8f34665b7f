"""One sentence: where is its attribution (`X said ...`, `"...," said X`, `according to X`, a colon intro)?

Works on the text and its quotation spans alone (no entities, no document state).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from newslens.textkit.quotations import quote_spans
from newslens.textkit.sentences import WORD_PATTERN

# The sentence module's word pattern, compiled with the standard `re` (several times faster here than
# NLTK's tokenizer, which runs on the third-party `regex` module); same words.
_WORDS = re.compile(WORD_PATTERN)


def words(text: str) -> list[str]:
    return _WORDS.findall(text)


def at_least_words(text: str, n: int, start: int = 0, end: int | None = None) -> bool:
    """`len(words(text[start:end])) >= n`, reading no further than the n-th word (the word pattern looks
    neither behind nor ahead: a search between `start` and `end` finds the words of the slice)."""
    if n <= 0:
        return True
    for k, _ in enumerate(_WORDS.finditer(text, start, len(text) if end is None else end), 1):
        if k == n:
            return True
    return False

_WORD = re.compile(r"\w+")
_PRONOUNS = {"he": "person", "she": "person", "him": "person", "her": "person", "they": "any", "them": "any",
             "it": "organisation"}
_LEADING = re.compile(
    r"^(?:[-–—•*]+\s*)?(?:(?:but|and|however|instead|meanwhile|yet|so|still|now|also|later|earlier|then|thus|"
    r"in turn|for (?:his|her|their|its) part)\b[\s,]*)*", re.IGNORECASE)
_TIME = (r"(?:(?:late|early|earlier|later)\s+)?(?:on|last|this|next|in the|at the|in)\s+"
         r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|weekend|month|year|night|"
         r"morning|afternoon|evening|day|(?:January|February|March|April|May|June|July|August|September|"
         r"October|November|December|Jan\.|Feb\.|Mar\.|Apr\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
         r"(?:\s+\d{1,2}(?:st|nd|rd|th)?)?)")
_TRAILING = re.compile(
    rf"(?:\s+(?:also|has|have|had|was|were|is|are|been|later|earlier|reportedly|further|then|again|"
    rf"previously|repeatedly|once|would|will|could|also|too|{_TIME}|yesterday|today|"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(?:\s+\d{1,2})?))+$", re.IGNORECASE)
_DETERMINERS = re.compile(r"^(?:the|a|an|some|several|many|other|multiple|various|one|two|three|four|five|six|"
                          r"seven|eight|nine|ten|a few|\d+)\s+", re.IGNORECASE)
# "Defence.Turkish": a sentence end the splitter missed (a period glued to the next sentence's capital)
# (its first look-ahead, the first characters it can start with, lets most positions fail at once)
_BOUNDARY = re.compile(r"(?=[,;:\"“”()\[\]—–\-.abitw])(?:[,;:\"“”()\[\]—–]|--|(?<=[a-z])\.(?=[A-Z][a-z])|"
                       r"\b(?:that|which|who|whom|whose|while|because|when|after|before|if|although|though|as|what|"
                       r"but)\b)")
_PASSIVE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_DETERMINER_WORDS = {"the", "a", "an", "its", "their", "his", "her", "some", "several"}
_RELATIVE = re.compile(r"^(?:who|which|that|whom|whose)\b", re.IGNORECASE)
_THAT = re.compile(r"^\W*(?:that\b|:)", re.IGNORECASE)
_PREPOSITION_START = re.compile(
    rf"^\s*(?:in|at|on|during|to|from|late|early|last|this|after|before|referring|according|{_TIME})\b",
    re.IGNORECASE)
_ACCORDING = re.compile(r"\b[Aa]ccording to\s+")
_CLOSE_QUOTE_BEFORE = re.compile(r"[\"”’]\s*,?\s*$|,\s*[\"”’]\s*$")
_CAPITALISED = re.compile(r"\b[A-Z][\w'’.-]*")
# compiled once (each was a module-level re call per sentence or per verb)
_COORDINATED = re.compile(r"\s(?:and|but)$")
_NONSPACE = re.compile(r"\S+")
_TOLD_WHOM = re.compile(r"^\s*(?:(?:the|a|an)\s+)?(?:reporters|journalists|[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*)")
_THAT_OR_COLON = re.compile(r"\bthat\b|:")
_INVERTED_SPEAKER = re.compile(r"\s*([^,;:]+?)(?=\s*(?:[,;:]|\.\s*$|$))")
_ACCORDING_SOURCE = re.compile(r"([^,;:]+?)(?=\s*(?:[,;:]|\.?\s*$))")
_COLON_END = re.compile(r":\s*$")
# nouns that name a speaker without a capital ("key lawmakers", "the department", "five sources")
_ROLE_NOUN = re.compile(r"\b(?:statement|report|reports|release|officials?|spokes\w+|sources?|minist\w+|"
                        r"government|administration|television|military|leaders?|observers?|analysts?|"
                        r"experts?|senators?|lawmakers?|legislators?|critics?|residents?|witnesses|police|army|"
                        r"navy|department|agency|office|bureau|committee|command|embassy|secretar\w+|"
                        r"chair\w*|governor|advis[eo]rs?|aides?|envoys?|diplomats?|ambassadors?|commanders?|"
                        r"network|channel|newspapers?|outlets?|media|authorities|parliament|president|"
                        r"chancellor|premier|people|partners|allies)\b", re.IGNORECASE)
# after a verb with no quotation before it: a name (capitalised words, with "of", "and", "for" inside)
# that ends the sentence or is followed by a comma or a preposition ("said Defense Minister Ana Ruiz in a
# letter"), not by a verb ("said Washington was working")
_NAME_THEN_STOP = re.compile(
    r"\s+((?:[A-Z][\w.'’-]*|\([^()]{1,40}\))(?:\s+(?:(?:of|and|for|the|on)\s+)?(?:[A-Z][\w.'’-]*|\([^()]{1,40}\)))*)"
    r"(?=\s*(?:[,;:]|\.?\s*$|\s(?:in|at|on|during|from|after|while|when|to|before)\s))")
_APPOSITION = re.compile(r",\s+((?:the|a|an)\s+)?[^,;:()\"“”]{2,90}?(?=\s*(?:[,;:]|\.?\s*$))")
_PREPOSITIONS = frozenset("to of in on at for from with by about against into over under after before".split())
_SHORT_PARENTHESES = re.compile(r"\((?:[^()\n]{1,40})\)")
_SUBORDINATOR = re.compile(r"\s*(?:if|when|unless|once|as|since|while|although|though|because|until|whether)\b\s*",
                           re.IGNORECASE)
_DETERMINER_BEFORE = re.compile(r"\b(?:a|an|the|its|their|his|her|this|these|those|over|of|about|despite|amid|"
                                r"against|with|from|by|for|new|such)\s+$", re.IGNORECASE)
# commitments: an act, not a statement, when what is committed is an amount or a delivery
_COMMITMENTS = frozenset({"pledged", "pledges", "pledge", "promised", "promises", "promise"})
_COMMITTED_THING = re.compile(
    r"\s*(?:(?:an?\s+)?(?:additional|further|another|more than|more|less than|at least|some|nearly|almost|about|"
    r"roughly|over|up to)\s+)?"
    r"(?:[$€£]|\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|dozens|hundreds|thousands|millions|billions)\b)"
    r"|\s*to\s+(?:deliver|send|provide|supply|give|transfer|ship|buy|sell|donate|fund|finance|deploy)\b"
    r"|\s*(?:for|to)\s+[A-Z]", re.IGNORECASE)
# a verb that takes "claims" as its object ("rebut claims that"): then "claims" is a noun
_CLAIMS_AS_OBJECT = re.compile(r"\b(?:rebut\w*|den(?:y|ied|ies)|reject\w*|dismiss\w*|counter\w*|refut\w*|"
                               r"disput\w*|following|after|the|these|those|such)\s+$", re.IGNORECASE)


@dataclass
class Attribution:
    verb: str
    verb_start: int
    np_start: int
    np_end: int
    content: str
    kind: str  # before | after | inverted | according | colon | participle | agent | as saying | claim


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def _clean_np(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow [start, end) to the speaker's words: drop leading conjunctions and trailing auxiliaries/times."""
    chunk = text[start:end]
    lead = _LEADING.match(chunk.lstrip())
    offset = len(chunk) - len(chunk.lstrip()) + (lead.end() if lead else 0)
    body = chunk[offset:].rstrip()
    trail = _TRAILING.search(body) if _may_trail(body) else None
    if trail:
        body = body[: trail.start()]
    return start + offset, start + offset + len(body.rstrip())


# The last word of every match of _TRAILING (lower case): its auxiliaries and adverbs, and the last word
# of its times ("on Monday", "last week", "January 5th", "Sept."), a day's number aside.
_TRAILING_LAST = frozenset("""also has have had was were is are been later earlier reportedly further then again
    previously repeatedly once would will could too yesterday today monday tuesday wednesday thursday friday
    saturday sunday week weekend month year night morning afternoon evening day january february march april
    may june july august september october november december jan. feb. mar. apr. aug. sep. sept. oct. nov.
    dec.""".split())


def _may_trail(body: str) -> bool:
    """Could `_TRAILING` match at the end of `body`? Only if its last word is one a match ends with (or a
    number, or a word with a letter outside ASCII, which a case-insensitive pattern may match)."""
    last = body.rsplit(None, 1)[-1] if body else ""
    return bool(last) and (last.lower() in _TRAILING_LAST or last[0].isdigit() or not last.isascii())


def _plausible_np(np: str, inverted: bool = False) -> bool:
    """A speaker phrase: short, not a relative clause, naming someone (capital, pronoun or role noun).
    After the verb ('said exiled activist Leah Morrow') the phrase may start in lower case."""
    np = np.strip()
    if not np or len(np.split()) > 14 or _RELATIVE.match(np):
        return False
    first = np.split()[0]
    if first.lower() in _PRONOUNS:
        return len(np.split()) == 1
    if inverted:
        return bool(_CAPITALISED.search(np) or _ROLE_NOUN.search(np))
    if first in _PREPOSITIONS:
        return False  # "to parliament calling for": no subject
    if not (first[0].isupper() or _DETERMINERS.match(np) or _ROLE_NOUN.search(" ".join(np.split()[:3]))):
        return False
    return bool(_CAPITALISED.search(np[1:]) or first[0].isupper() or _ROLE_NOUN.search(np))


def _subject_of_coordination(text: str, start: int, end: int) -> tuple[int, int]:
    """'The ministry rejected the claims and said ...': the speaker is the subject before the first verb."""
    np = text[start:end]
    if not _COORDINATED.search(np):
        return start, end
    prev = ""
    for m in _NONSPACE.finditer(np):
        word = m.group()
        if m.start() > 0 and word.islower() and word.endswith("ed") and prev.lower() not in _DETERMINER_WORDS:
            return start, start + len(np[:m.start()].rstrip())
        prev = word
    return start, end


def _last_boundary(text: str, end: int) -> int:
    """The end of the last clause boundary (punctuation, "that", "who" ...) before `end`, 0 if none."""
    ends = _boundary_ends(text)
    k = bisect_right(ends, end)
    return ends[k - 1] if k else 0


@lru_cache(maxsize=4096)
def _boundary_ends(text: str) -> list[int]:
    """Where each clause boundary of `text` ends (found once per sentence, asked for per verb)."""
    return [m.end() for m in _BOUNDARY.finditer(text)]


def _content_after(text: str, pos: int, verb: str) -> str:
    after = text[pos:]
    if verb in ("told", "tells"):  # "told the Times the U.S. has ..." -> drop who was told
        after = _TOLD_WHOM.sub("", after)
    that = _THAT_OR_COLON.search(after[:120])
    if that and (_PREPOSITION_START.match(after) or _THAT.match(after)):
        after = after[that.end():]
    after = after.strip(" ,.:;")
    if after[:1] in ('"', "“"):
        # A quotation right after the verb is the statement, without the words after its closing mark
        # ('said "more are coming" today': "more are coming", not 'more are coming" today').
        spans = quote_spans(after)
        if spans and spans[0][0] == 0:
            return _quoted_text(after, spans)
    return after


def with_apposition(text: str, end: int) -> int:
    """The end of a speaker phrase with its apposition: "said Ana Ruiz, the deputy minister of defence,"
    (the apposition names the office, state and rank); `end` itself when none follows."""
    m = _APPOSITION.match(text, end)
    if m and _ROLE_NOUN.search(m.group()) and len(m.group().split()) <= 12:
        return m.end()
    return end


def _mask_parentheses(text: str) -> str:
    """The text with short parenthetical asides blanked out ("the Ministry of National Defense (MND)
    announced", "Xavier Chang (張惇涵) said"), so that they do not cut a speaker phrase."""
    if "(" not in text:
        return text
    return _SHORT_PARENTHESES.sub(lambda p: " " * len(p.group()), text)


def _quoted_text(text: str, spans: list[tuple[int, int]]) -> str:
    return " … ".join(text[s:e].strip(" \"“”‘’,.;:") for s, e in spans)
