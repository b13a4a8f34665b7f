"""Finding the actor mentions of one sentence: gazetteer aliases first, then runs of capitalised words."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from operator import add
import re

from newslens.analyses.entities.gazetteer import (
    DETECTED_GROUP, UNKNOWN_TYPE, _Compiled, _PARTICLES, _SPACED_PARTICLES, _surname_keys,
)
from newslens.analyses.entities.wordlists import (
    ARMED_HEADS, CONNECTORS, DESCRIPTORS, FUNCTION_WORDS, MONTHS, ORG_HEADS, PERSON_TITLES, PLACE_HEADS,
    PLACE_PREFIXES, ROLE_WORDS, SPEECH_VERBS, TITLES, TITLE_STARTERS, WEEKDAYS, _CAPS, _OPENERS, _is_cap_word,
    _is_word,
)
from newslens.core.datafiles import read_lines
from newslens.core.paths import data_file


@dataclass
class _DocState:
    doc_id: str
    order: int = 0
    # entity -> order of its latest mention, for entities named in full in this article
    named: dict[str, int] = field(default_factory=dict)
    # short-form key -> entities of detected persons (gazetteer short forms live in _Compiled.short)
    detected_short: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    # first token of a detected_short key -> the longest such key (as _Compiled.short_first)
    detected_first: dict[str, int] = field(default_factory=dict)
    detected_info: dict[str, str] = field(default_factory=dict)
    # one-word names recurring in the texts being tagged ("Veloria", "Ostland")
    singles: frozenset = frozenset()
    # (first token, end token) of each detected name in the current sentence -> its own type guess
    last_guess: dict[tuple[int, int], str] = field(default_factory=dict)

    def mention(self, entity: str) -> None:
        self.order += 1
        self.named[entity] = self.order


_FINAL_STOPS = {".", "?", "!", '"', "”", "’"}


def _is_heading(toks: tuple[str, ...]) -> bool:
    """A title-case heading ("Iraqi Cities Under Islamist Control"): no final stop, mostly capitals."""
    if not toks or toks[-1] in _FINAL_STOPS:  # most sentences: decided without a look at their words
        return False
    words = [t for t in toks if t[:1].isalpha()]
    if len(words) < 3:
        return False
    caps = sum(1 for w in words if w[:1].isupper() or w in CONNECTORS or w in {"a", "an", "to"})
    return caps / len(words) >= 0.8


def _tag_sentence(text: str, toks: tuple[str, ...], spaces: tuple[str, ...], comp: _Compiled,
                  state: _DocState, vocab: set[str], detect: bool) -> list[tuple]:
    """The mentions of one sentence given its tokens and the whitespace before each (see _split)."""
    taken = [False] * len(toks)
    # 1. exact aliases of the gazetteer
    found = _alias_hits(toks, taken, comp, state)
    if detect and found:
        found = _released(found, toks, spaces, taken, comp, vocab)
    # 2. detected names in the remaining capitalised runs
    state.last_guess = {}
    detected = _detect(toks, spaces, taken, vocab, state, comp) if detect and not _is_heading(toks) else []
    for i, j, entity, source, match in detected:
        for k in range(i, j):
            taken[k] = True
    found.extend(detected)
    # 3. short forms of actors already named in this article
    found.sort()
    latest = state.named
    for hit in found:
        if hit[4] != "short form":
            state.order += 1  # state.mention(hit[2]), inlined: the hottest call here
            latest[hit[2]] = state.order
    if state.named:
        _add_short_forms(found, toks, taken, comp, state)
    if not found:
        return []
    found.sort()
    return _mention_rows(text, toks, spaces, found, comp, state)


def _alias_hits(toks: tuple[str, ...], taken: list[bool], comp: _Compiled, state: _DocState) -> list[tuple]:
    """Exact aliases, longest first at each position, left to right, as (i, j, entity, source, match);
    their tokens marked taken. Only a token that starts some alias can start a hit, so only those
    positions are tried."""
    n = len(toks)
    found: list[tuple[int, int, str, str, str]] = []
    exact, first, info = comp.exact, comp.first, comp.info
    nxt = 0
    for i in [k for k, t in enumerate(toks) if t in first]:
        if i < nxt:
            continue
        for size in first[toks[i]]:
            if size > n - i:
                continue
            entity = exact.get(toks[i:i + size])
            # (_boundary_ok can only object to a two-letter word in capitals)
            if entity is not None and (size > 1 or len(toks[i]) > 2 or _boundary_ok(toks, i, i + 1)):
                break
        else:
            continue
        j = i + size
        # "Maliki" after "Turki al-Maliki" in the same article is Turki
        local = _local_namesake(state, toks[i:j], info[entity][0]) if state.detected_short else None
        if local:
            found.append((i, j, local, "detected", "short form"))
        else:
            found.append((i, j, entity, "gazetteer", "alias"))
        for k in range(i, j):
            taken[k] = True
        nxt = j
    return found


def _released(found: list[tuple], toks, spaces, taken: list[bool], comp: _Compiled, vocab: set[str]) -> list[tuple]:
    """The alias hits kept when names are detected. A one-word place inside a longer capitalised name
    ("George Washington", "Iraq War", "Latin America") is not the place, and a surname alias after
    another given name ("Turki al-Maliki", "Michelle Obama") is not that person: they are released
    (their tokens no longer taken) so detection takes the whole name."""
    kept = []
    for hit in found:
        i, j, entity = hit[0], hit[1], hit[2]
        if hit[3] != "gazetteer":
            kept.append(hit)
            continue
        etype = comp.info[entity][0]
        if j - i == 1 and etype == "place" and _inside_name(toks, spaces, taken, i, j):
            taken[i] = False
        elif etype == "person" and _other_persons_surname(toks, spaces, taken, i, j, vocab):
            for k in range(i, j):
                taken[k] = False
        else:
            kept.append(hit)
    return kept


def _add_short_forms(found: list[tuple], toks: tuple[str, ...], taken: list[bool], comp: _Compiled,
                     state: _DocState) -> None:
    """Add the short forms (surnames, `~` aliases) of actors already named in this article; none can
    match before an actor is named, and only at a token that starts some short form."""
    starters = (comp.short_first.keys() & toks) | (state.detected_first.keys() & toks)
    if not starters:
        return
    n = len(toks)
    short_first, detected_first = comp.short_first, state.detected_first
    nxt = 0
    for i in [k for k, t in enumerate(toks) if t in starters]:
        if i < nxt or taken[i]:
            continue
        longest = max(short_first.get(toks[i], 0), detected_first.get(toks[i], 0))
        hit = None
        for size in range(min(longest, n - i), 0, -1):
            if True in taken[i:i + size]:
                continue
            key = toks[i:i + size]
            candidates = comp.short.get(key, []) + state.detected_short.get(key, [])
            named = [c for c in candidates if c in state.named]
            if named and _boundary_ok(toks, i, i + size):
                entity = max(named, key=lambda c: state.named[c])
                source = "detected" if entity in state.detected_info else "gazetteer"
                hit = (i, i + size, entity, source, "short form")
                break
        if hit:
            found.append(hit)
            state.mention(hit[2])
            nxt = hit[1]


def _mention_rows(text: str, toks, spaces, found: list[tuple], comp: _Compiled, state: _DocState) -> list[tuple]:
    """The rows of the mentions found, with their character offsets: each token ends where the text up
    to it (whitespace and tokens) ends."""
    ends = list(accumulate(map(add, map(len, spaces), map(len, toks))))
    out = []
    for i, j, entity, source, match in found:
        start, end = ends[i] - len(toks[i]), ends[j - 1]
        guess = ""
        if source == "gazetteer":
            etype, group = comp.info[entity]
        else:
            etype, group = state.detected_info.get(entity, UNKNOWN_TYPE), DETECTED_GROUP
            if match == "name":
                guess = state.last_guess.get((i, j), etype)
        out.append((entity, etype, group, text[start:end], start, end, source, match, guess))
    return out


def _local_namesake(state: _DocState, key: tuple[str, ...], etype: str) -> str | None:
    """A detected person of this article whose surname is this one-name person alias, if named before."""
    if etype != "person":
        return None
    named = [c for c in state.detected_short.get(key, []) if c in state.named]
    return max(named, key=lambda c: state.named[c]) if named else None


def _boundary_ok(toks: tuple[str, ...], i: int, j: int) -> bool:
    """An alias must not be glued to a word: "Iraq" inside "Iraqi" is not a token match anyway, but
    an alias ending in "." (U.S.) may be followed by anything, and "IS" must not sit in "IS-" runs of
    capitals ("THIS IS IT")."""
    if j - i == 1 and len(toks[i]) <= 2 and toks[i].isupper():
        # Two-letter capitals (US, IS, UN, AP): not inside a run of capitalised shouting.
        neighbours = [toks[k] for k in (i - 1, j) if 0 <= k < len(toks)]
        if any(len(w) > 2 and w.isupper() and w.isalpha() for w in neighbours):
            return False
    return True


def _stop_word(tok: str) -> bool:
    return tok in TITLES or tok in MONTHS or tok in WEEKDAYS or tok in DESCRIPTORS


def _sentence_initial(toks: tuple[str, ...], i: int) -> bool:
    """True when token i starts the sentence or a quotation inside it."""
    k = i - 1
    while k >= 0 and not toks[k][:1].isalnum():
        if toks[k] in _OPENERS:
            return True
        k -= 1
    return k < 0


# Sentence-initial participles ("Neighboring Iran", "Speaking in Baghdad"); "-ed" is not used because
# so many names end in it (Ahmed, Lockheed).
_INFLECTED = re.compile(r"[a-z]{3}ing$")


def _ordinary_initial(toks: tuple[str, ...], i: int, vocab: set[str]) -> bool:
    """A capitalised word that is capitalised only because it starts the sentence: its lower-case form
    is known, or it looks like an inflected ordinary word ("Neighboring", "Reportedly")."""
    if not _sentence_initial(toks, i):
        return False
    tok = toks[i]
    return tok.lower() in vocab or bool(_INFLECTED.search(tok))


def _inside_name(toks, spaces, taken, i: int, j: int) -> bool:
    """The one-word alias at i (j = i + 1) has a capitalised name word right next to it, one space away."""
    def name_word(k: int) -> bool:
        if k < 0 or k >= len(toks) or taken[k]:
            return False
        tok = toks[k]
        # words in capitals are a shouted heading ("ISIS SEIZES MOSUL"), not a longer name
        return (_is_cap_word(tok) and not _stop_word(tok) and tok.lower() not in FUNCTION_WORDS
                and not (tok.isupper() and len(tok) > 1))
    if j < len(toks) and len(spaces[j]) == 1 and name_word(j):
        return True
    left = i - 1
    if len(spaces[i]) == 1 and name_word(left) and not _sentence_initial(toks, left):
        return True
    return False


def _other_persons_surname(toks, spaces, taken, i: int, j: int, vocab: set[str]) -> bool:
    """A one-name alias (surname, "al-Maliki") right after a capitalised word that is not a title, a
    descriptor or an ordinary sentence-initial word: the surname of someone else."""
    names = [toks[k] for k in range(i, j) if toks[k][:1].isalpha() and toks[k] not in _PARTICLES]
    left = i - 1
    if len(names) != 1 or left < 0 or taken[left]:
        return False
    tok = toks[left]
    if not _is_cap_word(tok) or tok.isupper() or _stop_word(tok) or tok.lower() in FUNCTION_WORDS:
        return False
    if len(spaces[i]) != 1 or _ordinary_initial(toks, left, vocab):
        return False
    return True


# words after a hyphen that make an adjective, not a name's second syllable ("Sunni-led", "US-made")
_HYPHEN_SUFFIXES = frozenset({"led", "run", "made", "born", "era", "type", "wide", "like", "free", "held"})


def _detect(toks, spaces, taken, vocab: set[str], state: _DocState, comp: _Compiled):
    """Capitalised multi-word names not in the gazetteer, as (i, j, entity, "detected", "name")."""
    n = len(toks)
    caps = list(map(_CAPS.__getitem__, toks))
    out = []
    nxt = 0
    singles = state.singles
    # a run starts at a free capitalised word or a particle joined by a hyphen ("al-Jubouri")
    if _PARTICLES.isdisjoint(toks):
        starts = [k for k, cap in enumerate(caps) if cap and not taken[k]]
    else:
        starts = [k for k in range(n) if (caps[k] or toks[k] in _PARTICLES) and not taken[k]]
    for i in starts:
        if i < nxt or not caps[i] and not _particle_start(toks, taken, i):
            continue
        # grow a run of capitalised words with connectors, particles, hyphens and initials inside
        j = i
        last_name = i
        while j < n and not taken[j]:
            tok = toks[j]
            if caps[j]:
                if j > i and len(spaces[j]) > 1:
                    break  # a line break or double space ends a name
                last_name = j
                j += 1
                # initial "W." inside "George W. Bush", abbreviated title "Rep. Adam Smith"
                if (j < n and toks[j] == "." and (len(tok) == 1 or tok in TITLES) and j + 1 < n
                        and caps[j + 1]):
                    j += 1
                continue
            if tok == "-" and j > i and j + 1 < n and caps[j + 1] and not taken[j + 1]:
                j += 1
                continue
            if (tok == "-" and last_name > i and j + 1 < n and not taken[j + 1] and not spaces[j]
                    and not spaces[j + 1] and toks[j + 1].isalpha() and toks[j + 1].islower()
                    and len(toks[j + 1]) <= 4 and toks[j + 1] not in _HYPHEN_SUFFIXES):
                last_name = j + 1  # a romanised given name of two syllables: "Chang Che-ping", "Yen Teh-fa"
                j += 2
                continue
            if (tok in CONNECTORS or tok in _PARTICLES) and j + 1 < n and not taken[j + 1]:
                nxt_tok = toks[j + 1]
                spaced_ok = tok in CONNECTORS or tok in _SPACED_PARTICLES
                if (spaced_ok and caps[j + 1]) or (
                        tok in _PARTICLES and nxt_tok == "-" and j + 2 < n and caps[j + 2]):
                    j += 1
                    continue
            break
        nxt = max(j, i + 1)
        # The common case, a lone capitalised word, is settled here: it is a name only as a short form
        # of an actor (named before: _name_from_run checks) or as a recurring one-word name (a title
        # alone leaves nothing, so being titled never helps).
        if last_name == i and toks[i] not in singles and toks[i:i + 1] not in comp.short \
                and toks[i:i + 1] not in state.detected_short:
            continue
        run = list(range(i, last_name + 1))
        for part in _split_run(run, toks):
            hit = _name_from_run(part, toks, spaces, vocab, state, comp)
            if hit:
                out.append(hit)
    return out


def _particle_start(toks, taken, i: int) -> bool:
    return (toks[i] in _PARTICLES and i + 2 < len(toks) and toks[i + 1] == "-"
            and _is_cap_word(toks[i + 2]) and not taken[i + 2])


def _split_run(run: list[int], toks) -> list[list[int]]:
    """Split a run at months/weekdays, before a title that follows other words ("Ukrainian | President
    Volodymyr Zelensky"), and at "and"/"&" unless the run names an organisation. Each part is a range
    of consecutive tokens."""
    has_org = not ORG_HEADS.isdisjoint(toks[run[0]:run[-1] + 1])  # a run is consecutive tokens
    parts, cur = [], []
    for k in run:
        tok = toks[k]
        if tok in MONTHS or tok in WEEKDAYS or (tok in {"and", "&"} and not has_org):
            if cur:
                parts.append(cur)
            cur = []
        elif tok in TITLE_STARTERS and cur and not all(toks[c] in TITLES for c in cur):
            parts.append(cur)
            cur = [k]
        else:
            cur.append(k)
    if cur:
        parts.append(cur)
    return parts


def _name_from_run(run: list[int], toks, spaces, vocab, state: _DocState, comp: _Compiled):
    # drop leading titles, descriptors, and ordinary sentence-initial words; record a title seen
    titled = False
    # an organisation's name may start with a nationality: "German Marshall Fund", "Iraqi Defense Ministry"
    words = toks[run[0]:run[-1] + 1]  # a part of a run is consecutive tokens
    organisation = not (ORG_HEADS.isdisjoint(words) and ARMED_HEADS.isdisjoint(words))
    while run:
        tok = toks[run[0]]
        if organisation and (tok in DESCRIPTORS or tok in TITLES):
            break  # "General Motors", "Foreign Ministry"
        if tok in TITLES or tok.lower() in ROLE_WORDS:
            titled = tok in PERSON_TITLES or tok.lower() in ROLE_WORDS  # "Analyst Bonnie Glaser"
        elif not (_stop_word(tok) or tok.lower() in FUNCTION_WORDS or _ordinary_initial(toks, run[0], vocab)
                  or tok in {".", "-"} or tok in CONNECTORS):
            break
        run = run[1:]
    while run and (toks[run[-1]] in CONNECTORS or toks[run[-1]] in _PARTICLES
                   or toks[run[-1]] in {".", "-"} or toks[run[-1]] in DESCRIPTORS):
        run = run[:-1]
    if not run:
        return None
    key = toks[run[0]:run[-1] + 1]  # runs are consecutive tokens
    name_words = [t for t in key if _is_cap_word(t) and t not in _PARTICLES]
    if not name_words:
        return None
    # a detected run that is a short form of an actor already named ("El Difraoui") is that actor
    for candidates in (comp.short.get(key, []), state.detected_short.get(key, [])):
        named = [c for c in candidates if c in state.named]
        if named:
            entity = max(named, key=lambda c: state.named[c])
            source = "detected" if entity in state.detected_info else "gazetteer"
            return (run[0], run[-1] + 1, entity, source, "short form")
    # a recurring one-word name counts at the start of a sentence too: it was seen capitalised elsewhere
    single = len(run) == 1 and key[0] in state.singles
    if len(name_words) < 2 and not (titled and _plain_name(name_words[0])) and not single:
        return None
    if len(name_words) < 2 and all(t.isupper() for t in name_words) and not single:
        return None
    if all(t.isupper() for t in name_words) and any(len(t) > 4 for t in name_words):
        return None  # a heading in capitals, not a name of acronyms
    etype = _guess_type(run, toks, titled)
    entity = _key_text(toks, spaces, run)
    state.last_guess[(run[0], run[-1] + 1)] = etype
    if entity not in state.detected_info or state.detected_info[entity] == UNKNOWN_TYPE:
        state.detected_info[entity] = etype
    if state.detected_info[entity] == "person":
        for sk in _surname_keys(key):
            state.detected_short.setdefault(sk, [])
            if entity not in state.detected_short[sk]:
                state.detected_short[sk].append(entity)
                state.detected_first[sk[0]] = max(state.detected_first.get(sk[0], 0), len(sk))
    return (run[0], run[-1] + 1, entity, "detected", "name")


@lru_cache(maxsize=1)
def given_names() -> frozenset:
    """Given names from data/given_names.txt: a detected name starting with one is a person."""
    path = data_file("given_names.txt")
    if not path.is_file():
        return frozenset()
    return frozenset(read_lines(path, "given names"))


def _plain_name(word: str) -> bool:
    """A word that can be a surname after a title (not "Forces" in "Special Forces")."""
    return not (word in ORG_HEADS or word in PLACE_HEADS or word in ARMED_HEADS or _stop_word(word)
                or word.lower() in FUNCTION_WORDS or word.isupper())


def _key_text(toks, spaces, run: list[int]) -> str:
    """The run's text (consecutive tokens) with one space wherever its tokens are apart."""
    parts = [toks[run[0]]]
    for k in run[1:]:
        if spaces[k]:
            parts.append(" ")
        parts.append(toks[k])
    return "".join(parts)


def _guess_type(run: list[int], toks, titled: bool) -> str:
    names = toks[run[0]:run[-1] + 1]  # a run is consecutive tokens
    if not ARMED_HEADS.isdisjoint(names):
        return "armed_group"
    if not ORG_HEADS.isdisjoint(names):
        return "organisation"
    if not PLACE_HEADS.isdisjoint(names):
        return "place"
    if names[0] in PLACE_PREFIXES:
        return "place"
    prev = toks[run[0] - 1].lower() if run[0] > 0 else ""
    if len(run) == 1 and prev in {"in", "near", "across", "throughout", "outside", "inside"}:
        return "place"
    if titled or not _PARTICLES.isdisjoint(names) or names[0] in given_names():
        return "person"
    before = [toks[k].lower() for k in range(max(0, run[0] - 5), run[0])]
    if not ROLE_WORDS.isdisjoint(before):
        return "person"
    after = [toks[k].lower() for k in range(run[-1] + 1, min(len(toks), run[-1] + 4))
             if _is_word(toks[k])]
    if after[:1] and after[0] in SPEECH_VERBS:
        return "person"
    if before[-1:] and before[-1] in SPEECH_VERBS:
        return "person"  # '"...," said Petra Holm'

    if len(after) >= 2 and after[0] in {"a", "an", "the"} and after[1] in ROLE_WORDS:
        return "person"
    if after[:2] and any(w in ROLE_WORDS for w in after[:2]) and toks[run[-1] + 1] == ",":
        return "person"
    return UNKNOWN_TYPE
