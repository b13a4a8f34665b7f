"""The curated vocabularies of the voices table: speech verbs (`data/speech_verbs.txt`) and speaker
roles (`data/speaker_roles.csv`), each read once per path."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from newslens.core.errors import ParameterError
from newslens.core.paths import data_file, resolve
from newslens.textkit.cues import _trie_regex, compile_cues

_WORD = re.compile(r"\w+")

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
    rank: re.Pattern | None = None  # a uniformed officer's title ("Gen.", "Admiral"), case-sensitive
    country: dict = field(default_factory=dict)  # a state's name (arms_parties.csv) -> its group; "*" = any other
    any_role: re.Pattern | None = None  # every role cue at once: most phrases name none
    any_demonym: re.Pattern | None = None  # every demonym at once (None: there is none)
    # speaker phrase -> what the role, official and demonym regexes say about it (see _phrase_roles)
    seen: dict = field(default_factory=dict, compare=False, repr=False)

    def country_group(self, country: str) -> str | None:
        """The group of a state's officials ("United States" -> us_government), None if no row says."""
        return self.country.get(country, self.country.get("*"))


def _exact_words(cues: list[str]) -> re.Pattern:
    """Case-sensitive whole-word cues ("US" the country, not "us"; "Gen." the rank, not "gen"), as one
    trie after one look-behind (one alternative per cue, each behind its own look-behind, made every
    position of a phrase try every cue). Searched for whether any cue occurs."""
    atoms = sorted({tuple(re.escape(ch) for ch in c) for c in cues})
    return re.compile(r"(?<![\w.])" + _trie_regex(atoms) + r"(?![\w])")


_KINDS = ("role", "official", "demonym", "rank", "country")


@lru_cache(maxsize=8)
def load_roles(path: str | None = None) -> Roles:
    """Role words, government offices, nationality adjectives, military ranks and the group of each state's
    officials (`data/speaker_roles.csv`)."""
    p = resolve(path) if path else data_file("speaker_roles.csv")
    lines = _read_lines(p, "speaker roles")
    reader = csv.reader(lines)
    header = [c.strip() for c in next(reader)]
    if header[:3] != ["cue", "kind", "group"]:
        raise ParameterError(f"speaker roles file {p}: header must be cue,kind,group (got {','.join(header)})")
    rows: dict[str, list[tuple[str, str, str]]] = {k: [] for k in _KINDS}
    for i, row in enumerate(reader, start=2):
        if len(row) < 2:
            raise ParameterError(f"speaker roles file {p}, row {i}: expected cue,kind,group")
        cue, kind = row[0].strip(), row[1].strip()
        where = f"speaker roles file {p}, row {i}"
        if kind not in rows:
            raise ParameterError(f"{where}: kind '{kind}' is not one of {', '.join(_KINDS)}")
        rows[kind].append((cue, row[2].strip() if len(row) > 2 else "", where))
    role = [(compile_cues([cue], where=where), group) for cue, group, where in rows["role"]]
    official = [cue for cue, _, _ in rows["official"]]
    demonym = [(_exact_words([cue]), group) for cue, group, _ in rows["demonym"]]
    ranks = [cue for cue, _, _ in rows["rank"]]
    any_role = compile_cues([cue for cue, _, _ in rows["role"]], where=f"speaker roles file {p}") if role else None
    any_demonym = _exact_words([cue for cue, _, _ in rows["demonym"]]) if demonym else None
    return Roles(role, compile_cues(official, where=f"speaker roles file {p}") if official else None, demonym,
                 _exact_words(ranks) if ranks else None, {cue: group for cue, group, _ in rows["country"]}, any_role,
                 any_demonym)
