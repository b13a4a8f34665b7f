"""Voices: who is quoted or paraphrased, for whom they speak, and how many words each outlet gives them.

    quotes = extract_quotes(corpus.sentences, bodies=corpus.bodies)   # one row per attributed statement
    voice_shares(quotes, corpus.documents)                            # outlet x speaker group: words, share

A row of `quotes`: doc_id, sent_id, speaker, speaker_group, verb, quote, direct, plus n_words (words of
`quote`), quoted_words (words inside quotation marks), speaker_text (the words naming the speaker as
written) and resolved_by (how the speaker was found).

How a speaker is found, in this order:
* an attribution in the sentence: `X said (that) ...`, `"...," X said`, `"...," said X`, `X, a spokeswoman
  for Y, confirmed ...`, `X declared: "..."`, `according to X` (verbs from `data/speech_verbs.txt`,
  ignored inside quotation marks); when a sentence has several, the one nearest its quotation wins;
* a pronoun speaker ("he said", "she added") is the person named earlier in the same sentence, else the
  article's last speaker, else the last person named in the two sentences before;
* "the statement said", "the report also said" refer back to the last speaker introduced with that noun;
* a sentence that is mostly a quotation with no attribution continues the current speaker (the last one
  within four sentences, or a known speaker named in the sentence before), else it is "(unattributed)";
  a short quotation inside an unattributed sentence is taken for a scare quote and skipped;
* a quotation introduced by a colon with no speech verb ("X provided a bleak assessment: “...”")
  belongs to the actor named first in the clause before the colon.

The speaker's group comes from the actor gazetteer (`data/actors.csv`, through `newslens.analyses.entities`):
a person named in the speaker's words first, then an organisation or armed group; failing that, role
words from `data/speaker_roles.csv` (analyst -> expert; "officials" + a country or nationality -> that
government; with no country named, "government"); else a place used as a metonym (Washington ->
us_government); else "other". A statement with no speaker found has group "unknown".
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy  # (not "np": here np is a noun phrase)
import pandas as pd

from newslens.textkit.cues import _trie_regex, compile_cues
from newslens.core.errors import ParameterError
from newslens.core.gcpause import paused_gc
from newslens.core.paths import data_file, resolve
from newslens.core.stage import Settings, Stage
from newslens.textkit.quotations import quote_spans
from newslens.textkit.sentences import WORD_PATTERN

# The sentence module's word pattern, compiled with the standard `re` (several times faster here than
# NLTK's tokenizer, which runs on the third-party `regex` module); same words.
_WORDS = re.compile(WORD_PATTERN)


def words(text: str) -> list[str]:
    return _WORDS.findall(text)

QUOTE_COLUMNS = [
    "doc_id", "sent_id", "speaker", "speaker_group", "verb", "quote", "direct",
    "n_words", "quoted_words", "speaker_text", "resolved_by",
]
UNATTRIBUTED = "(unattributed)"
UNKNOWN_GROUP = "unknown"
# An official whose country the sentence does not name ("the defence ministry said", "Police said").
OFFICIAL_UNKNOWN_COUNTRY = "government"
CONTINUATION_WINDOW = 4  # sentences a speaker stays "current" for an unattributed quotation
MIN_SCARE_SHARE = 0.5  # an unattributed quotation covering this share of its sentence is a statement
MIN_PARTIAL_WORDS = 3  # a shorter unattributed quotation inside a sentence is read as a scare quote
_SO_CALLED = re.compile(r"\bso[\s-]called\s*$", re.IGNORECASE)

_WORD = re.compile(r"\w+")
_PRONOUNS = {"he": "person", "she": "person", "they": "any", "it": "organisation"}
_ANAPHORIC_NOUNS = ("statement", "report", "release", "ministry", "communique", "communiqué")
# per noun: "the statement" as a whole phrase, and the noun as a word somewhere in a phrase
_ANAPHORIC_REGEXES = {noun: (re.compile(rf"(?:the|this|that|its|their)\s+{noun}"), re.compile(rf"\b{noun}\b"))
                      for noun in _ANAPHORIC_NOUNS}
_LEADING = re.compile(
    r"^(?:(?:but|and|however|instead|meanwhile|yet|so|still|now|also|later|earlier|then|thus|"
    r"in turn|for (?:his|her|their|its) part)\b[\s,]*)+", re.IGNORECASE)
_TIME = (r"(?:(?:late|early|earlier|later)\s+)?(?:on|last|this|next|in the|at the)\s+"
         r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|weekend|month|year|night|"
         r"morning|afternoon|evening|day)")
_TRAILING = re.compile(
    rf"(?:\s+(?:also|has|have|had|was|were|is|are|been|later|earlier|reportedly|further|then|again|"
    rf"previously|repeatedly|once|would|will|could|also|too|{_TIME}|yesterday|today|"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(?:\s+\d{1,2})?))+$", re.IGNORECASE)
_DETERMINERS = re.compile(r"^(?:the|a|an|some|several|many|other|two|three|one)\s+", re.IGNORECASE)
_BOUNDARY = re.compile(r"[,;:\"“”()\[\]—–]|\b(?:that|which|who|whom|whose|while|because|when|after|before|if|"
                       r"although|though|as)\b")
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
_ROLE_NOUN = re.compile(r"\b(?:statement|report|reports|release|officials?|spokes\w+|sources?|minist\w+|"
                        r"government|administration|television|military|leaders?|observers?|analysts?|"
                        r"experts?|senators?|lawmakers?|critics?|residents?|witnesses|police|army)\b",
                        re.IGNORECASE)


# --- curated data -----------------------------------------------------------------------------------

def _read_lines(path: Path, what: str) -> list[str]:
    if not path.exists():
        raise ParameterError(f"{what} file {path} does not exist")
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


@lru_cache(maxsize=8)
def speech_verb_regex(path: str | None = None) -> re.Pattern:
    """One regex for every speech verb form in the list (lower case, whole words, "said" not "Said")."""
    p = resolve(path) if path else data_file("speech_verbs.txt")
    forms = {f.lower() for f in _read_lines(p, "speech verbs")}
    # As a trie ("call(?:ed(?:\s+(?:for|on))?|s...)"), not 80 alternatives tried at every position;
    # its optional continuations are greedy, so the longest form still wins where several match.
    atoms = set()
    for form in forms:
        parts: list[str] = []
        for word in form.split():
            parts += ([r"\s+"] if parts else []) + [re.escape(ch) for ch in word]
        atoms.add(tuple(parts))
    return re.compile(r"(?<![\w'’-])(?:" + _trie_regex(sorted(atoms)) + r")(?![\w'’-])")


@lru_cache(maxsize=8)
def speech_verb_words(path: str | None = None) -> frozenset[str]:
    """First words of the speech verb forms: a sentence with none of them and no quotation is skipped."""
    p = resolve(path) if path else data_file("speech_verbs.txt")
    return frozenset(f.lower().split()[0] for f in _read_lines(p, "speech verbs"))


@lru_cache(maxsize=8)
def speech_verb_word_regex(path: str | None = None) -> re.Pattern | None:
    """One regex finding any of `speech_verb_words` as a whole word: `search` answers "is there a
    speech verb?" without listing every word of the sentence. None when a first word is not a plain
    \\w+ word (then the words are compared one by one)."""
    first = speech_verb_words(path)
    if not first or not all(_WORD.fullmatch(w) for w in first):
        return None
    # a trie (shared prefixes factored out): most positions fail at their first character
    return re.compile(r"\b(?:" + _trie_regex(sorted({tuple(re.escape(ch) for ch in w) for w in first})) + r")\b")


@dataclass(frozen=True)
class Roles:
    role: list[tuple[re.Pattern, str]]
    official: re.Pattern | None
    demonym: list[tuple[re.Pattern, str]]
    # speaker phrase -> what the role, official and demonym regexes say about it (see _phrase_roles)
    seen: dict = field(default_factory=dict, compare=False, repr=False)


@lru_cache(maxsize=8)
def load_roles(path: str | None = None) -> Roles:
    """Role words, government offices and nationality adjectives (`data/speaker_roles.csv`)."""
    p = resolve(path) if path else data_file("speaker_roles.csv")
    lines = _read_lines(p, "speaker roles")
    reader = csv.reader(lines)
    header = [c.strip() for c in next(reader)]
    if header[:3] != ["cue", "kind", "group"]:
        raise ParameterError(f"speaker roles file {p}: header must be cue,kind,group (got {','.join(header)})")
    role, official, demonym = [], [], []
    for i, row in enumerate(reader, start=2):
        if len(row) < 2:
            raise ParameterError(f"speaker roles file {p}, row {i}: expected cue,kind,group")
        cue, kind = row[0].strip(), row[1].strip()
        group = row[2].strip() if len(row) > 2 else ""
        where = f"speaker roles file {p}, row {i}"
        if kind == "role":
            role.append((compile_cues([cue], where=where), group))
        elif kind == "official":
            official.append(cue)
        elif kind == "demonym":
            # nationality adjectives are case-sensitive: "US" the country, not "us"
            demonym.append((re.compile(rf"(?<![\w.]){re.escape(cue)}(?![\w])"), group))
        else:
            raise ParameterError(f"{where}: kind '{kind}' is not one of role, official, demonym")
    return Roles(role, compile_cues(official, where=f"speaker roles file {p}") if official else None, demonym)


# --- one sentence: where is the attribution? -------------------------------------------------------

@dataclass
class Attribution:
    verb: str
    verb_start: int
    np_start: int
    np_end: int
    content: str
    kind: str  # before | after | inverted | according | colon


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
    if not (first[0].isupper() or _DETERMINERS.match(np)):
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
    found = []
    for m in verbs.finditer(text):
        if _inside(m.start(), qspans) or _PASSIVE.search(text[:m.start()]):
            continue
        verb = " ".join(m.group().split())
        b = _last_boundary(text, m.start())
        np_start, np_end = _clean_np(text, b, m.start())
        np_start, np_end = _subject_of_coordination(text, np_start, np_end)
        np = text[np_start:np_end]
        before = text[:b].rstrip()
        if np and _plausible_np(np):
            after = text[m.end():]
            parenthetical = before.endswith(",") and after.lstrip().startswith(",") and np_start > 0
            if _CLOSE_QUOTE_BEFORE.search(text[:np_start]) and not _THAT.match(after):
                content = text[:np_start]  # "...," she said (in the release).
                kind = "before"
            elif parenthetical:
                content = text[:b - 1] + " " + after.lstrip(" ,")  # The US, Difraoui explains, was ...
                kind = "before"
            else:
                content = _content_after(text, m.end(), verb)
                kind = "after"
                if len(words(content)) < 3 and len(words(text[:np_start])) >= 3:
                    content, kind = text[:np_start], "before"  # ..., Washington said on Monday.
            found.append(Attribution(verb, m.start(), np_start, np_end, content.strip(" ,.;:\"“”"), kind))
            continue
        if np.strip():
            continue
        # empty subject: "...," said X  |  X, a spokeswoman for Y, confirmed ...
        if before.endswith(",") and _CLOSE_QUOTE_BEFORE.search(text[: b]) or before.endswith(("\"", "”")):
            tail = _INVERTED_SPEAKER.match(text[m.end():])
            if tail and _plausible_np(tail.group(1), inverted=True):
                s = m.end() + tail.start(1)
                found.append(Attribution(verb, m.start(), s, s + len(tail.group(1)), text[:b].strip(" ,.\"“”"),
                                         "inverted"))
            continue
        if before.endswith(","):
            appos_start = _last_boundary(text, len(before) - 1)
            head_end = appos_start - 1 if appos_start > 0 and text[appos_start - 1] == "," else appos_start
            head_start = _last_boundary(text, head_end) if head_end > 0 else 0
            hs, he = _clean_np(text, head_start, head_end)
            head = text[hs:he]
            appos = text[appos_start:len(before) - 1].strip()
            if head and _plausible_np(head) and appos and len(appos.split()) <= 14:
                content = _content_after(text, m.end(), verb)
                found.append(Attribution(verb, m.start(), hs, len(before) - 1, content.strip(" ,.;:"), "after"))
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


# --- speaker resolution ------------------------------------------------------------------------------

@dataclass
class _Speaker:
    name: str
    group: str
    is_person: bool
    noun: str = ""


@dataclass
class _DocState:
    doc_id: str
    last: _Speaker | None = None
    last_index: int = -99
    by_noun: dict[str, _Speaker] = field(default_factory=dict)
    known: dict[str, _Speaker] = field(default_factory=dict)  # speakers so far, by name
    recent_persons: list[dict] = field(default_factory=list)  # person mentions of the last two sentences


def _remember(self: _DocState, mentions: list[dict]) -> None:
    persons = [m for m in mentions if m["type"] == "person"]
    self.recent_persons = (self.recent_persons + persons)[-6:] if persons else self.recent_persons
    self.sentences_since_person = 0 if persons else getattr(self, "sentences_since_person", 0) + 1
    if self.sentences_since_person > 2:
        self.recent_persons = []


_DocState.remember = _remember


_NO_ROLE = object()  # no role regex matches a phrase (a role's group may be any string, even "")


def _phrase_roles(np: str, roles: Roles) -> tuple:
    """(group of the first role matching np or _NO_ROLE, whether an official word occurs, group of the
    first demonym or None): a function of the phrase alone, so remembered per phrase ("officials",
    "the ministry" recur in every article) instead of running ~30 regexes each time."""
    found = roles.seen.get(np)
    if found is None:
        role = next((group for rx, group in roles.role if rx.search(np)), _NO_ROLE)
        official = role is _NO_ROLE and roles.official is not None and roles.official.search(np) is not None
        demonym = next((group for rx, group in roles.demonym if rx.search(np)), None) if official else None
        found = roles.seen[np] = (role, official, demonym)
    return found


def _role_group(np: str, mentions: list[dict], roles: Roles) -> str | None:
    role, official, demonym = _phrase_roles(np, roles)
    if role is not _NO_ROLE:
        return role
    if official:
        for m in mentions:
            if m["type"] == "place" and m["source"] == "gazetteer" and m["group"]:
                return m["group"]
        return demonym if demonym is not None else OFFICIAL_UNKNOWN_COUNTRY
    return None


def _resolve(np: str, np_start: int, np_end: int, mentions: list[dict], roles: Roles, state: _DocState,
             sent_mentions: list[dict]) -> tuple[_Speaker | None, str]:
    """The speaker named by `np` (at [np_start, np_end) of the sentence) and how it was found."""
    inside = [m for m in mentions if m["start"] < np_end and m["end"] > np_start]
    low = np.lower().strip()
    if low in _PRONOUNS:
        want = _PRONOUNS[low]
        if want == "person":
            earlier = [m for m in sent_mentions if m["type"] == "person" and m["end"] <= np_start]
            if earlier:
                m = earlier[-1]
                return _Speaker(m["entity"], m["group"], True), "pronoun (same sentence)"
        if state.last is not None and (want == "any" or state.last.is_person == (want == "person")):
            return state.last, "pronoun (last speaker)"
        if want == "person" and state.recent_persons:
            m = state.recent_persons[-1]
            return _Speaker(m["entity"], m["group"] if m["source"] == "gazetteer" else
                            (_role_group(m.get("context", ""), [], roles) or m["group"]), True), \
                "pronoun (person named before)"
        return None, "pronoun (unresolved)"
    for noun, (referring, _) in _ANAPHORIC_REGEXES.items():
        if referring.fullmatch(low) and noun in state.by_noun:
            return state.by_noun[noun], f"the {noun} (earlier speaker)"
    noun = next((n for n, (_, named) in _ANAPHORIC_REGEXES.items() if named.search(low)), "")
    persons = [m for m in inside if m["type"] == "person"]
    if persons:
        m = persons[-1] if len(persons) == 1 else min(persons, key=lambda p: abs(p["end"] - np_end))
        how = "gazetteer" if m["source"] == "gazetteer" else "detected name"
        group = m["group"] if m["source"] == "gazetteer" else (_role_group(np, inside, roles) or m["group"])
        return _Speaker(m["entity"], group, True, noun), how
    organisations = [m for m in inside if m["type"] in ("organisation", "armed_group")
                     and m["source"] == "gazetteer"]
    if organisations:
        m = organisations[0]
        return _Speaker(m["entity"], m["group"], False, noun), "gazetteer"
    cleaned = _DETERMINERS.sub("", np.strip()).strip()
    role = _role_group(np, inside, roles)
    if role:
        return _Speaker(cleaned, role, False, noun), "role words"
    places = [m for m in inside if m["type"] == "place" and m["source"] == "gazetteer"]
    if places:
        m = places[0]
        name = m["entity"] if m["surface"].strip() == np.strip() or noun else cleaned
        return _Speaker(name, m["group"], False, noun), "gazetteer (place)"
    if noun and state.last is not None and not state.last.is_person:
        return state.last, f"the {noun} (earlier speaker)"
    return _Speaker(cleaned, "other", False, noun), "phrase"


# --- the table ----------------------------------------------------------------------------------------

def _sentence_quote_spans(sentences: pd.DataFrame, bodies: dict[str, str] | None) -> list[tuple[tuple[int, int], ...]]:
    """Quotation spans per sentence, relative to the sentence; document-level when bodies are given,
    so that a quotation running over two sentences counts in both.

    A document's spans are dealt to the sentences they overlap (found by bisection over the sentences'
    offsets), so a sentence far from any quotation costs nothing.
    """
    texts = sentences["text"].tolist()
    n = len(texts)
    out: list = [()] * n  # no quotation: one shared empty tuple, not a list per sentence
    rows_of: dict[str, list[int]] = {}  # document -> its sentence rows, when its body is given
    if bodies is not None and {"start", "end"} <= set(sentences.columns):
        starts = [int(x) for x in sentences["start"].tolist()]
        ends = [int(x) for x in sentences["end"].tolist()]
        for i, doc_id in enumerate(sentences["doc_id"].tolist()):
            if doc_id in bodies:
                rows_of.setdefault(doc_id, []).append(i)
    with_body = {i for rows in rows_of.values() for i in rows}
    for i in range(n):
        if i not in with_body:
            out[i] = quote_spans(str(texts[i]))
    for doc_id, rows in rows_of.items():
        spans = quote_spans(bodies[doc_id])
        if not spans:
            continue
        doc_starts = [starts[i] for i in rows]
        doc_ends = [ends[i] for i in rows]
        if doc_starts != sorted(doc_starts) or doc_ends != sorted(doc_ends):
            lo_hi = [(0, len(rows))] * len(spans)  # sentences out of order: test every one
        else:
            # the sentences overlapping [s, e): from the first ending after s to the last starting before e
            lo_hi = [(bisect_right(doc_ends, s), bisect_left(doc_starts, e)) for s, e in spans]
        for (s, e), (lo, hi) in zip(spans, lo_hi):
            for k in range(lo, hi):
                s0, e0 = doc_starts[k], doc_ends[k]
                if s < e0 and e > s0:
                    if not out[rows[k]]:
                        out[rows[k]] = []
                    out[rows[k]].append((max(s, s0) - s0, min(e, e0) - s0))
    return [tuple(spans) for spans in out]


def _continues(state: _DocState, index: int, share: float, mentions: list[dict],
               qspans: list[tuple[int, int]], text: str) -> bool:
    """Does an unattributed quotation continue the current speaker's words (or stand unattributed)?

    A quotation making up most of its sentence always counts (continued or unattributed). A shorter
    one counts only right after a speaker spoke (within two sentences), when it has at least three
    words, is not "so-called", and no other actor is named before it in the sentence; otherwise it is
    read as a scare quote or a title.
    """
    if share >= MIN_SCARE_SHARE:
        return True
    if state.last is None or index - state.last_index > 2:
        return False
    first_quote = qspans[0][0]
    if _SO_CALLED.search(text[:first_quote]) or len(words(text[qspans[0][0]:qspans[0][1]])) < MIN_PARTIAL_WORDS:
        return False
    return not any(m["start"] < first_quote and m["entity"] != state.last.name for m in mentions)


_TITLE_CONNECTORS = {"of", "the", "and", "for", "in", "on", "an", "a", "to", "&"}


def _is_title(text: str) -> bool:
    """A quoted name or title ("The New York Times", "Movement for an Islamic State ..."), not speech."""
    ws = words(text)
    return 0 < len(ws) <= 10 and ws[0][0].isupper() and all(
        w[0].isupper() or w[0].isdigit() or w.lower() in _TITLE_CONNECTORS for w in ws)


def _quoted_text(text: str, spans: list[tuple[int, int]]) -> str:
    return " … ".join(text[s:e].strip(" \"“”‘’,.;:") for s, e in spans)


def _quoted_word_count(text: str, spans: list[tuple[int, int]]) -> int:
    return sum(len(words(text[s:e])) for s, e in spans)


class _TextFacts:
    """What a sentence's text and quotation spans alone decide (no speaker state, no entities): found once
    per distinct (text, spans) and shared by the wire copies repeating that sentence. Word counts are
    computed when first asked for: most sentences never need them."""

    __slots__ = ("text", "qspans", "skip", "attribution", "_quoted", "_share", "_attributed", "_passages")

    def __init__(self, text: str, qspans: list[tuple[int, int]], skip: bool,
                 attribution: Attribution | None = None):
        self.text = text
        self.qspans = qspans  # quotation spans, titles left out
        self.skip = skip  # no quotation, no speech verb, no "according to": no statement here
        self.attribution = attribution  # the attribution nearest the quotation, or a colon intro
        self._quoted = self._share = self._attributed = self._passages = None

    def _whole(self) -> bool:
        """Is the sentence one quotation from end to end (inside a quotation running over several)?"""
        return len(self.qspans) == 1 and self.qspans[0] == (0, len(self.text))

    @property
    def quoted(self) -> int:
        """Words inside quotation marks."""
        if self._quoted is None:
            self._quoted = len(words(self.text)) if self._whole() else _quoted_word_count(self.text, self.qspans)
        return self._quoted

    @property
    def share(self) -> float:
        """Quoted words / words of the sentence."""
        if self._share is None:
            # a sentence quoted whole: its quoted words are its words (counted once)
            self._share = self.quoted / max(self.quoted if self._whole() else len(words(self.text)), 1)
        return self._share

    def attributed_quote(self) -> tuple[str, int]:
        """The attribution's content as the statement, and its number of words."""
        if self._attributed is None:
            quote = self.attribution.content.strip(" \"“”‘’,.;:")
            self._attributed = (quote, len(words(quote)))
        return self._attributed

    def quoted_passages(self) -> tuple[str, int]:
        """The quoted passages as the statement (no attribution), and its number of words."""
        if self._passages is None:
            quote = _quoted_text(self.text, self.qspans)
            self._passages = (quote, len(words(quote)))
        return self._passages


_SKIP = _TextFacts("", [], True)  # the facts of every sentence with nothing to find


def _text_facts(text: str, raw_spans, verbs: re.Pattern, verb_words: frozenset[str],
                verb_word: re.Pattern | None) -> _TextFacts:
    qspans = [(s, e) for s, e in raw_spans if not _is_title(text[s:e])] if raw_spans else []
    according = "ccording to" in text
    # a speech verb form starts with one of `verb_words` as a whole word
    if verb_word is not None:
        has_verb = verb_word.search(text) is not None
    else:
        has_verb = not verb_words.isdisjoint(_WORD.findall(text))
    if not qspans and not according and not has_verb:
        return _SKIP
    # with `verb_word`, no first word means no speech verb form: `_candidates` would find none
    candidates = _candidates(text, qspans, verbs) if has_verb or according or verb_word is None else []
    attribution = _choose(candidates, qspans)
    if attribution is None and qspans:
        attribution = _colon_intro(text, qspans)
    return _TextFacts(text, qspans, False, attribution)


_MENTION_COLUMNS = ["doc_id", "sent_id", "entity", "type", "group", "surface", "start", "end", "source"]


class _Mentions:
    """The entity mentions of sentence row i as dicts, with `context` (the 40 characters before a
    mention and the mention: a person's role words, "Economy Minister Jonas Feld").

    The dicts are made when a sentence's turn comes, not all at once (a dict for every mention of the
    corpus would be kept alive, and walked by the garbage collector, for the whole stage), and only
    those a sentence needs: most sentences need only their persons (`persons`, for pronouns later) and
    the names they mention (`names`, for a quotation continuing in the next sentence).
    """

    def __init__(self, sentences: pd.DataFrame, entities: pd.DataFrame):
        self.texts = sentences["text"].tolist()
        self.columns = [entities[c].tolist() for c in _MENTION_COLUMNS]
        keys = pd.MultiIndex.from_arrays([sentences["doc_id"], sentences["sent_id"].astype("int64")])
        self.by_key = None
        if not keys.is_unique:  # the same sentence twice: both rows get the same dicts, by key
            self.by_key: dict[tuple, list[dict]] = {}
            for values in zip(*self.columns):
                rec = dict(zip(_MENTION_COLUMNS, values))
                self.by_key.setdefault((rec["doc_id"], int(rec["sent_id"])), []).append(rec)
            self.keys = list(zip(sentences["doc_id"].tolist(), sentences["sent_id"].astype("int64").tolist()))
            return
        # the sentence row of every mention, then the mentions grouped by row (stable: table order kept)
        row = keys.get_indexer(pd.MultiIndex.from_arrays([entities["doc_id"], entities["sent_id"].astype("int64")]))
        order = numpy.argsort(row, kind="stable")
        order = order[row[order] >= 0]
        self.bounds = numpy.searchsorted(row[order], numpy.arange(len(sentences) + 1)).tolist()
        self.order = order.tolist()

    def _shared(self, i: int) -> list[dict]:
        mentions = self.by_key.get(self.keys[i], [])
        for m in mentions:
            m.setdefault("context", str(self.texts[i])[max(0, m["start"] - 40):m["end"]])
        return mentions

    def _dicts(self, i: int, only_type: str | None = None) -> list[dict]:
        lo, hi = self.bounds[i], self.bounds[i + 1]
        if lo == hi:
            return []
        text = str(self.texts[i])
        doc, sent, entity, type_, group, surface, start, end, source = self.columns
        return [{"doc_id": doc[k], "sent_id": sent[k], "entity": entity[k], "type": type_[k], "group": group[k],
                 "surface": surface[k], "start": start[k], "end": end[k], "source": source[k],
                 "context": text[max(0, start[k] - 40):end[k]]}
                for k in self.order[lo:hi] if only_type is None or type_[k] == only_type]

    def all(self, i: int) -> list[dict]:
        return self._shared(i) if self.by_key is not None else self._dicts(i)

    def persons(self, i: int) -> list[dict]:
        if self.by_key is not None:
            return [m for m in self._shared(i) if m["type"] == "person"]
        return self._dicts(i, "person")

    def names(self, i: int) -> list[str]:
        if self.by_key is not None:
            return [m["entity"] for m in self._shared(i)]
        entity = self.columns[2]
        return [entity[k] for k in self.order[self.bounds[i]:self.bounds[i + 1]]]


def extract_quotes(
    sentences: pd.DataFrame,
    bodies: dict[str, str] | None = None,
    entities: pd.DataFrame | None = None,
    verbs_path: str | None = None,
    roles_path: str | None = None,
) -> pd.DataFrame:
    """Direct and reported speech with speakers and their groups (columns QUOTE_COLUMNS).

    `sentences` needs doc_id, sent_id, text (documents' sentences in order; start/end offsets into
    `bodies` when given). `entities` is the `entities` table for these sentences (computed when absent).
    """
    verbs = speech_verb_regex(verbs_path)
    verb_words = speech_verb_words(verbs_path)
    roles = load_roles(roles_path)
    if entities is None:
        from newslens.analyses.entities import tag_entities

        entities = tag_entities(sentences)
    with paused_gc():  # dicts per sentence and mention, no reference cycles (see gcpause)
        columns = _extract(sentences, bodies, entities, verbs, verb_words, roles, verbs_path)
    out = pd.DataFrame(columns, columns=QUOTE_COLUMNS)
    return out.astype({"direct": bool, "n_words": "int64", "quoted_words": "int64"})


def _extract(sentences: pd.DataFrame, bodies: dict[str, str] | None, entities: pd.DataFrame, verbs: re.Pattern,
             verb_words: frozenset[str], roles: Roles, verbs_path: str | None) -> dict[str, list]:
    """The rows of `extract_quotes`, column by column."""
    mentions_of = _Mentions(sentences, entities)
    qspans_all = _sentence_quote_spans(sentences, bodies)
    facts_of: dict[tuple, _TextFacts] = {}  # wire copies repeat sentences: their facts are found once
    verb_word = speech_verb_word_regex(verbs_path)
    columns: dict[str, list] = {c: [] for c in QUOTE_COLUMNS}  # the table, column by column
    state: _DocState | None = None
    prev_names: list[str] = []  # the actors the sentence before named
    texts = [str(t) for t in sentences["text"].tolist()]
    sent_ids = [int(x) for x in sentences["sent_id"].tolist()]
    for i, (doc_id, sent_id, text, raw_spans) in enumerate(
            zip(sentences["doc_id"].tolist(), sent_ids, texts, qspans_all)):
        key = (text, raw_spans)
        facts = facts_of.get(key)
        if facts is None:
            facts = facts_of[key] = _text_facts(text, raw_spans, verbs, verb_words, verb_word)
        qspans = facts.qspans
        if state is None or state.doc_id != doc_id:
            state, prev_names, index = _DocState(doc_id), [], 0
        else:
            index += 1
        if facts.skip or (facts.attribution is None and not qspans):
            # no statement here: only what later sentences need (no quotation, or no speech verb found)
            prev_names = mentions_of.names(i)
            state.remember(mentions_of.persons(i))
            continue
        mentions = mentions_of.all(i)
        attribution = facts.attribution
        speaker, how, speaker_text = None, "", ""
        if attribution is not None:
            speaker_text = text[attribution.np_start:attribution.np_end].strip()
            if attribution.kind == "colon":
                clause = [m for m in mentions if attribution.np_start <= m["start"] < attribution.np_end]
                persons = ([m for m in clause if m["type"] == "person"]
                           or [m for m in clause if m["type"] in ("organisation", "armed_group")])
                if not persons:
                    attribution = None  # "... the civil war in Syria: “...”" names no speaker
                else:
                    m = persons[0]
                    speaker = _Speaker(m["entity"], m["group"], m["type"] == "person")
                    speaker_text, how = m["surface"], "colon (actor named before)"
            else:
                speaker, how = _resolve(speaker_text, attribution.np_start, attribution.np_end, mentions,
                                        roles, state, mentions)
        if attribution is None and qspans and _continues(state, index, facts.share, mentions, qspans, text):
            # a quotation standing alone continues the current speaker
            named_before = [name for name in prev_names if name in state.known]
            if state.last is not None and index - state.last_index <= CONTINUATION_WINDOW:
                speaker, how = state.last, "continuation"
            elif named_before:
                speaker, how = state.known[named_before[-1]], "continuation (named before)"
            else:
                how = "no speaker found"
        elif attribution is None:
            prev_names = [m["entity"] for m in mentions]
            state.remember(mentions)
            continue  # no voice here (or only a scare quote)
        quote, n_words = facts.attributed_quote() if attribution is not None else facts.quoted_passages()
        if not n_words:
            prev_names = [m["entity"] for m in mentions]
            state.remember(mentions)
            continue
        quoted_in_quote = min(facts.quoted, n_words)
        for column, value in zip(QUOTE_COLUMNS, (
                doc_id, sent_id, speaker.name if speaker else UNATTRIBUTED,
                speaker.group if speaker else UNKNOWN_GROUP, attribution.verb if attribution else "",
                quote.strip(" ,;:"), quoted_in_quote >= 0.5 * n_words, n_words, quoted_in_quote,
                speaker_text, how)):
            columns[column].append(value)
        if speaker is not None:
            state.last, state.last_index = speaker, index
            state.known.setdefault(speaker.name, speaker)
            if speaker.noun:
                state.by_noun.setdefault(speaker.noun, speaker)
        prev_names = [m["entity"] for m in mentions]
        state.remember(mentions)
    return columns


def voice_shares(quotes: pd.DataFrame, documents: pd.DataFrame, direct_only: bool = False) -> pd.DataFrame:
    """Per outlet and speaker group: statements, speakers, words given, and the share of the outlet's
    attributed words (all attributed words, or only direct quotations with `direct_only`)."""
    q = quotes.merge(documents[["doc_id", "outlet"]], on="doc_id")
    if direct_only:
        q = q[q["direct"]]
    if q.empty:
        return pd.DataFrame(columns=["outlet", "speaker_group", "statements", "speakers", "words",
                                     "quoted_words", "top_speakers", "share_of_words"])
    g = q.groupby(["outlet", "speaker_group"]).agg(
        statements=("quote", "size"), speakers=("speaker", "nunique"),
        words=("n_words", "sum"), quoted_words=("quoted_words", "sum")).reset_index()
    top = (q.groupby(["outlet", "speaker_group", "speaker"])["n_words"].sum().reset_index()
           .sort_values("n_words", ascending=False)
           .groupby(["outlet", "speaker_group"])["speaker"].agg(lambda s: ", ".join(list(s)[:3])))
    g["top_speakers"] = [top.get((o, grp), "") for o, grp in zip(g["outlet"], g["speaker_group"])]
    g["share_of_words"] = g["words"] / g.groupby("outlet")["words"].transform("sum")
    return g.sort_values(["outlet", "share_of_words"], ascending=[True, False]).reset_index(drop=True)


def speakers_by_outlet(quotes: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Each speaker per outlet: group, statements, words, and one example statement."""
    q = quotes.merge(documents[["doc_id", "outlet"]], on="doc_id")
    if q.empty:
        return pd.DataFrame(columns=["outlet", "speaker", "speaker_group", "statements", "words", "example"])
    return (q.groupby(["outlet", "speaker", "speaker_group"])
            .agg(statements=("quote", "size"), words=("n_words", "sum"), example=("quote", "first"))
            .reset_index().sort_values(["outlet", "words"], ascending=[True, False]).reset_index(drop=True))


# --- validation against a hand-labelled set ------------------------------------------------------------

def read_quotes_gold(path: str | Path) -> pd.DataFrame:
    """A gold file: doc_id, fragment, speaker, speaker_group ('|' = alternatives), direct. `#` = comment."""
    p = resolve(path)
    if not p.exists():
        raise ParameterError(f"gold file {p} does not exist")
    gold = pd.read_csv(p, comment="#", dtype=str, keep_default_na=False)
    missing = [c for c in ("doc_id", "fragment", "speaker", "speaker_group", "direct") if c not in gold.columns]
    if missing:
        raise ParameterError(f"gold file {p}: missing column(s) {', '.join(missing)}")
    gold["direct"] = gold["direct"].str.lower().isin(["true", "1", "yes"])
    return gold


def compare_with_gold(quotes: pd.DataFrame, sentences: pd.DataFrame, gold: pd.DataFrame
                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Gold rows with what was found for their sentence, and the rows found where the gold has none.

    First table: doc_id, fragment, gold_speaker, gold_group, found_speaker, found_group, found, speaker_ok,
    group_ok, direct_ok (gold sentences no longer in the corpus are left out). Second: extra quote rows.
    """
    found = quotes.drop_duplicates(["doc_id", "sent_id"]).set_index(["doc_id", "sent_id"])
    rows, gold_keys = [], set()
    for g in gold.itertuples(index=False):
        hit = sentences[(sentences.doc_id == g.doc_id) & sentences.text.str.contains(g.fragment, regex=False)]
        if len(hit) != 1:
            continue
        key = (g.doc_id, int(hit.iloc[0].sent_id))
        gold_keys.add(key)
        row = found.loc[key] if key in found.index else None
        speakers, groups = g.speaker.split("|"), g.speaker_group.split("|")
        rows.append({
            "doc_id": g.doc_id, "fragment": g.fragment, "gold_speaker": g.speaker, "gold_group": g.speaker_group,
            "found_speaker": row["speaker"] if row is not None else "",
            "found_group": row["speaker_group"] if row is not None else "",
            "found": row is not None,
            "speaker_ok": row is not None and row["speaker"] in speakers,
            "group_ok": row is not None and row["speaker_group"] in groups,
            "direct_ok": row is not None and bool(row["direct"]) == bool(g.direct),
        })
    keys = list(zip(quotes["doc_id"], quotes["sent_id"].astype(int)))
    extra = quotes[[k not in gold_keys for k in keys]]
    return pd.DataFrame(rows), extra.reset_index(drop=True)


def gold_scores(comparison: pd.DataFrame, extra: pd.DataFrame) -> dict[str, float]:
    """Recall of statements, precision of rows, and speaker / group / direct accuracy on statements found."""
    n_gold = len(comparison)
    n_found = int(comparison["found"].sum())
    return {
        "gold_statements": n_gold,
        "found": n_found,
        "extra_rows": len(extra),
        "recall": n_found / n_gold if n_gold else float("nan"),
        "precision": n_found / (n_found + len(extra)) if n_found + len(extra) else float("nan"),
        "speaker_accuracy": comparison.loc[comparison.found, "speaker_ok"].mean() if n_found else float("nan"),
        "group_accuracy": comparison.loc[comparison.found, "group_ok"].mean() if n_found else float("nan"),
        "direct_accuracy": comparison.loc[comparison.found, "direct_ok"].mean() if n_found else float("nan"),
    }


def stage(corpus, tables: dict, settings: Settings) -> dict:
    """Pipeline stage "quotes": table `quotes` (reads `entities` when that stage ran)."""
    return {"quotes": extract_quotes(tables["sentences"], bodies=corpus.bodies,
                                     entities=tables.get("entities"))}


STAGE = Stage("quotes", stage, "voices: direct and reported speech, speaker and speaker group",
              settings=Settings, needs=("sentences", "entities"), makes=("quotes",), per_document=True)
