"""One sentence: where is its attribution (`X said ...`, `"...," said X`, `according to X`, a colon intro)?

Works on the text and its quotation spans alone (no entities, no document state).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from newslens.textkit.quotations import quote_spans
from newslens.textkit.sentences import WORD_PATTERN

# The sentence module's word pattern, compiled with the standard `re` (several times faster here than
# NLTK's tokenizer, which runs on the third-party `regex` module); same words.
_WORDS = re.compile(WORD_PATTERN)


def words(text: str) -> list[str]:
    return _WORDS.findall(text)

_WORD = re.compile(r"\w+")
_PRONOUNS = {"he": "person", "she": "person", "him": "person", "her": "person", "they": "any", "them": "any",
             "it": "organisation"}
_LEADING = re.compile(
    r"^(?:[-–—•*]+\s*)?(?:(?:but|and|however|instead|meanwhile|yet|so|still|now|also|later|earlier|then|thus|"
    r"in turn|for (?:his|her|their|its) part)\b[\s,]*)*", re.IGNORECASE)
_TIME = (r"(?:(?:late|early|earlier|later)\s+)?(?:on|last|this|next|in the|at the)\s+"
         r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|weekend|month|year|night|"
         r"morning|afternoon|evening|day)")
_TRAILING = re.compile(
    rf"(?:\s+(?:also|has|have|had|was|were|is|are|been|later|earlier|reportedly|further|then|again|"
    rf"previously|repeatedly|once|would|will|could|also|too|{_TIME}|yesterday|today|"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(?:\s+\d{1,2})?))+$", re.IGNORECASE)
_DETERMINERS = re.compile(r"^(?:the|a|an|some|several|many|other|multiple|various|one|two|three|four|five|six|"
                          r"seven|eight|nine|ten|a few|\d+)\s+", re.IGNORECASE)
# "Defence.Turkish": a sentence end the splitter missed (a period glued to the next sentence's capital)
_BOUNDARY = re.compile(r"[,;:\"“”()\[\]—–]|(?<=[a-z])\.(?=[A-Z][a-z])|\b(?:that|which|who|whom|whose|while|because|"
                       r"when|after|before|if|although|though|as|what|but)\b")
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
    chunk = chunk[offset:]
    trail = _TRAILING.search(chunk.rstrip())
    body = chunk.rstrip()[: trail.start()] if trail else chunk.rstrip()
    return start + offset, start + offset + len(body.rstrip())


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
    start = 0
    for m in _BOUNDARY.finditer(text, 0, end):
        start = m.end()
    return start


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


def _candidates(text: str, qspans: list[tuple[int, int]], verbs: re.Pattern) -> list[Attribution]:
    """Every attribution of the sentence: speech verbs outside quotations with their speaker phrase,
    `according to X`, and the other shapes of `reported` (by-agent passives, "quoted X as saying",
    "X's claim that", "the statement read", participles)."""
    from newslens.analyses.quotes import reported

    masked = _mask_parentheses(text)
    found = []
    floor = 0  # the end of the speech verb before: "Officials said key lawmakers have vowed ..."
    for m in verbs.finditer(text):
        if _inside(m.start(), qspans):
            continue
        floor, previous_end = m.end(), floor
        verb = " ".join(m.group().split())
        agent = reported.by_agent(text, m, verb)
        if agent is not None:
            found.append(agent)
            continue
        if (not verb.endswith("ing") and _PASSIVE.search(text[:m.start()])) or _adjectival(text, m.start()) \
                or _commitment_only(text, m.end(), verb) \
                or (verb.startswith("claims") and _CLAIMS_AS_OBJECT.search(text, max(0, m.start() - 12), m.start())):
            continue
        attribution = _verb_attribution(text, masked, m, verb, previous_end)
        if attribution is not None:
            found.append(attribution)
    found += _according(text, qspans)
    found += reported.other_shapes(text, qspans)
    return found


def _verb_attribution(text: str, masked: str, m: re.Match, verb: str, floor: int = 0) -> Attribution | None:
    """The speaker phrase of one speech verb: before it ("X said"), after it ('"...," said X'), around an
    apposition ("X, a spokeswoman for Y, confirmed"), or the subject of a participle ("..., adding")."""
    from newslens.analyses.quotes import reported

    b = max(_last_boundary(masked, m.start()), floor)
    np_start, np_end = _clean_np(text, b, m.start())
    np_start = _drop_subordinator(text, np_start, np_end)
    if np_start is None:
        return None
    np_start, np_end = _subject_of_coordination(text, np_start, np_end)
    np = text[np_start:np_end]
    if _COORDINATED.search(np):  # '... "strongly condemned" the decision and said ...': the clause's subject
        return reported.participle(text, masked, m, verb, m.start(), coordinated=True)
    before = text[:b].rstrip()
    if np and _plausible_np(np):
        return _with_content(text, m, verb, b, before, np_start, np_end)
    if np.strip():
        return None
    if verb.endswith("ing") or verb.split()[0].endswith("ing"):
        return reported.participle(text, masked, m, verb, b)
    # empty subject: "...," said X  |  ..., said Defense Minister X  |  X, a spokeswoman for Y, confirmed ...
    quoted = before.endswith(",") and _CLOSE_QUOTE_BEFORE.search(text[: b]) or before.endswith(("\"", "”"))
    if quoted or before.endswith(","):
        tail = _INVERTED_SPEAKER.match(text[m.end():])
        if tail and not quoted:
            tail = _NAME_THEN_STOP.match(text, m.end())
        if tail and _plausible_np(tail.group(1), inverted=True):
            s = m.end() + tail.start(1) if quoted else tail.start(1)
            e = with_apposition(text, s + len(tail.group(1)))
            return Attribution(verb, m.start(), s, e, text[:b].strip(" ,.\"“”"), "inverted")
        if quoted:
            return None
    if before.endswith(","):
        appos_start = _last_boundary(masked, len(before) - 1)
        head_end = appos_start - 1 if appos_start > 0 and text[appos_start - 1] == "," else appos_start
        head_start = _last_boundary(masked, head_end) if head_end > 0 else 0
        hs, he = _clean_np(text, head_start, head_end)
        head = text[hs:he]
        appos = text[appos_start:len(before) - 1].strip()
        if head and _plausible_np(head) and appos and len(appos.split()) <= 14:
            content = _content_after(text, m.end(), verb)
            return Attribution(verb, m.start(), hs, len(before) - 1, content.strip(" ,.;:"), "after")
    return None


def _with_content(text: str, m: re.Match, verb: str, b: int, before: str, np_start: int,
                  np_end: int) -> Attribution:
    """An attribution whose speaker phrase is right before the verb, with the statement it attributes."""
    after = text[m.end():]
    parenthetical = before.endswith(",") and after.lstrip().startswith(",") and np_start > 0
    if _CLOSE_QUOTE_BEFORE.search(text[:np_start]) and not _THAT.match(after):
        content, kind = text[:np_start], "before"  # "...," she said (in the release).
    elif parenthetical:
        content, kind = text[:b - 1] + " " + after.lstrip(" ,"), "before"  # The US, Difraoui explains, was ...
    else:
        content, kind = _content_after(text, m.end(), verb), "after"
        if len(words(content)) < 3 and len(words(text[:np_start])) >= 3:
            content, kind = text[:np_start], "before"  # ..., Washington said on Monday.
    return Attribution(verb, m.start(), np_start, np_end, content.strip(" ,.;:\"“”"), kind)


def _according(text: str, qspans: list[tuple[int, int]]) -> list[Attribution]:
    """`According to X, ...`, `..., according to X.`"""
    found = []
    for m in _ACCORDING.finditer(text):
        if _inside(m.start(), qspans):
            continue
        tail = _ACCORDING_SOURCE.match(text[m.end():])
        if not tail:
            continue
        s, e = m.end(), m.end() + len(tail.group(1))
        after = text[e:].lstrip()
        if m.start() < 3 or (after.startswith(",") and len(words(after)) >= 3):
            content = after.lstrip(" ,")  # According to X, ... | ... and, according to X, they ...
        else:
            content = text[:m.start()]  # ..., according to X.
        found.append(Attribution("according to", m.start(), s, e, content.strip(" ,.;:"), "according"))
    return found


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


def _drop_subordinator(text: str, start: int, end: int) -> int | None:
    """'If denied the jets, ...', 'As Biden said': a leading subordinating word is no speaker; the
    phrase after it may be one (None when nothing is left)."""
    m = _SUBORDINATOR.match(text, start, end)
    if not m:
        return start
    return m.end() if text[m.end():end].strip() else None


def _adjectival(text: str, verb_start: int) -> bool:
    """'an estimated cost', 'the reported deal', 'over claims that': after a determiner or a preposition
    the word is an adjective or a noun, not a speech verb."""
    return _DETERMINER_BEFORE.search(text, max(0, verb_start - 9), verb_start) is not None


def _commitment_only(text: str, verb_end: int, verb: str) -> bool:
    """'pledged $6 billion', 'promised to deliver eight', 'has pledged for Ukraine': a commitment of an
    amount or a delivery is an act (a transfer's status), not a statement ('promised a government for
    all', 'promised that ...' are statements)."""
    return verb in _COMMITMENTS and _COMMITTED_THING.match(text, verb_end) is not None


def _colon_intro(text: str, qspans: list[tuple[int, int]]) -> Attribution | None:
    """`X provided a bleak assessment: “...”`: a quotation opened right after a colon."""
    for s, _ in qspans:
        m = _COLON_END.search(text, 0, s)  # as on text[:s]: `$` matches at s
        if m:
            clause_start = _last_boundary(text, m.start())
            return Attribution(":", m.start(), clause_start, m.start(), text[s:].strip(" ,.\"“”"), "colon")
    return None


def _choose(cands: list[Attribution], qspans: list[tuple[int, int]]) -> Attribution | None:
    if not cands:
        return None
    if not qspans:
        return min(cands, key=lambda a: a.verb_start)

    def distance(a: Attribution) -> int:
        return min(min(abs(a.verb_start - e), abs(a.verb_start - s)) for s, e in qspans)
    return min(cands, key=lambda a: (distance(a), a.verb_start))


def choose_all(cands: list[Attribution], qspans: list[tuple[int, int]]) -> list[Attribution]:
    """The sentence's attributions, the one nearest its quotation first, then every other one that names
    another speaker phrase ("..., said X, according to the Financial Times"; "Officials said ...,
    although Russia has said ...")."""
    primary = _choose(cands, qspans)
    if primary is None:
        return []
    chosen = [primary]
    for a in sorted(cands, key=lambda a: a.verb_start):
        if all(a.np_end <= c.np_start or a.np_start >= c.np_end for c in chosen) and a.np_end > a.np_start:
            chosen.append(a)
    return chosen


def _quoted_text(text: str, spans: list[tuple[int, int]]) -> str:
    return " … ".join(text[s:e].strip(" \"“”‘’,.;:") for s, e in spans)
