"""Cue terms written by people, compiled into regular expressions once.

Curated files (the frame codebook, actor labels, loaded terms) list cue terms in one small syntax, so a
user can extend them without knowing regular expressions:

    terror*          a trailing * matches any word ending (terror, terrorist, terrorism)
    air strike       a space or hyphen matches any run of spaces or hyphens (air strike, air-strike)
    Shi'ite          an apostrophe matches ' or ’
    arms sale*       terms match whole words, case-insensitively

A file may also give full Python regular expressions (a `patterns` column) for what terms cannot say.
`compile_cues(terms, pattern)` joins them into ONE case-insensitive regex: matching a text against a frame is
then one `finditer`, not a loop over terms.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from .errors import ParameterError

# A space or hyphen inside a term stands for any run of spaces and hyphens of any kind.
_SEPARATOR = r"[\s\-‐‑–]+"
_APOSTROPHE = "['’]"


def split_terms(cell: str | None, sep: str = ";") -> list[str]:
    """Terms of a `;`-separated cell, stripped, empty ones dropped."""
    if cell is None:
        return []
    return [t.strip() for t in str(cell).split(sep) if t.strip()]


_WILD = r"\w*"


def term_atoms(term: str) -> tuple[str, ...]:
    """A cue term as regex atoms: one per literal character (lower case), separator, apostrophe, wildcard."""
    stem = term.strip()
    wildcard = stem.endswith("*")
    if wildcard:
        stem = stem[:-1]
    if not stem or "*" in stem:
        raise ValueError(f"cue term '{term}': '*' may only end a term, after at least one letter")
    atoms: list[str] = []
    for chunk in re.split(r"([\s\-‐‑–]+|['’])", stem):
        if not chunk:
            continue
        if chunk in ("'", "’"):
            atoms.append(_APOSTROPHE)
        elif re.fullmatch(r"[\s\-‐‑–]+", chunk):
            atoms.append(_SEPARATOR)
        else:
            atoms.extend(re.escape(ch) for ch in chunk.lower())
    return tuple(atoms) + ((_WILD,) if wildcard else ())


def term_regex(term: str) -> str:
    """The regex source of one cue term (without the word boundaries)."""
    return "".join(term_atoms(term))


_END = ""


def _trie_regex(atom_lists: list[tuple[str, ...]]) -> str:
    """One regex for many terms with shared prefixes factored out ("arm(?:s|ed)" rather than "arms|armed").

    Python's `re` tries every branch of an alternation at every position; a trie makes most positions
    fail after one character, which is what keeps a 100-term frame fast on a large corpus.
    """
    trie: dict = {}
    for atoms in atom_lists:
        node = trie
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[_END] = {}

    def emit(node: dict) -> str:
        branches = [atom + emit(child) for atom, child in sorted(node.items()) if atom != _END]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if _END in node:
            return (f"(?:{body})?" if len(branches) == 1 else body + "?")
        return body

    return emit(trie)


def compile_cues(terms: list[str], pattern: str | None = None, where: str = "cues") -> re.Pattern | None:
    """One case-insensitive regex matching any of `terms` as whole words, or `pattern`.

    Terms are merged into a trie-shaped regex; at one position the longest term wins ("arms sale" over
    "arms") because every optional continuation is greedy. Returns None when
    there is nothing to match. `where` names the file and row in the error a bad term or pattern raises.
    """
    alternatives = []
    try:
        atom_lists = sorted({term_atoms(t) for t in terms})
    except ValueError as exc:
        raise ParameterError(f"{where}: {exc}") from None
    if atom_lists:
        # \b first: the engine skips non-word positions cheaply; (?<!\w) keeps a term from starting
        # inside a word ("counterterrorism" is not "terror*"). A term may start with a non-word
        # character ("$"), so \b is only used when every term starts with a word character.
        starts_with_word = all(re.match(r"\w", a[0].lstrip("\\")) for a in atom_lists)
        lead = r"\b" if starts_with_word else r"(?<!\w)"
        alternatives.append(lead + "(?:" + _trie_regex(atom_lists) + r")(?!\w)")
    if pattern and pattern.strip():
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ParameterError(f"{where}: pattern {pattern!r} is not a valid regular expression ({exc})") from None
        alternatives.append(f"(?:{pattern})")
    if not alternatives:
        return None
    return re.compile("|".join(alternatives), re.IGNORECASE)


# --- many cue sets at once, by word lookup ---------------------------------------------------------------

_TOKEN = re.compile(r"\w+")


def _word_before(text: str, pos: int) -> bool:
    """Is the character before `pos` part of a word (so a cue starting at `pos` starts mid-word)?"""
    return pos > 0 and (text[pos - 1].isalnum() or text[pos - 1] == "_")


class CueIndex:
    """Cue sets under keys (frames, labels) matched by looking words up, not by scanning regexes.

    A scan with one regex per key costs one pass over the text per key (about 4 MB/s per pattern in
    Python's `re`): far too slow for 10,000 articles and 20 frames. Here a text is split into words once;
    single-word terms are a dictionary lookup, prefix terms (`terror*`) a lookup by their first letters
    (cached per word). Multi-word terms ("air strike", "Maliki's government") are run as a regex only
    on texts containing their first word, and `patterns` (free regexes) are run on every text. Results
    are the same as `compile_cues` matching: whole words, any case.
    """

    def __init__(self, entries: list[tuple[object, list[str], str | None, str]]):
        """entries: (key, terms, pattern, where) — `where` names the file/row for error messages."""
        self.keys = [e[0] for e in entries]
        self.words: dict[str, list] = {}
        self.prefixes: dict[str, list[tuple[str, object]]] = {}
        self.triggers: dict[str, list[tuple[object, re.Pattern]]] = {}
        self.patterns: list[tuple[object, re.Pattern]] = []
        self._cache: dict[str, tuple] = {}
        for key, terms, pattern, where in entries:
            multi: dict[str, list[str]] = {}
            for term in terms:
                try:
                    term_atoms(term)  # validates the syntax
                except ValueError as exc:
                    raise ParameterError(f"{where}: {exc}") from None
                stem = term.strip().rstrip("*").lower()
                if _TOKEN.fullmatch(stem):
                    if term.strip().endswith("*"):
                        self.prefixes.setdefault(stem[:2], []).append((stem, key))
                    else:
                        self.words.setdefault(stem, [])
                        if key not in self.words[stem]:
                            self.words[stem].append(key)
                else:
                    first = _TOKEN.search(stem)
                    if first is None or first.start() > 0:
                        self.patterns.append((key, compile_cues([term], where=where)))
                    else:
                        multi.setdefault(first.group(), []).append(term)
            for trigger, group in multi.items():
                # Starts with the literal trigger word, so `re` finds candidates with a fast literal
                # search; run on lower-cased text, the word boundary before it is checked by hand.
                rests = sorted({term_atoms(t)[len(trigger):] for t in group})
                source = re.escape(trigger) + "(?:" + _trie_regex(rests) + r")(?!\w)"
                self.triggers.setdefault(trigger, []).append((key, re.compile(source)))
            if pattern and pattern.strip():
                self.patterns.append((key, compile_cues([], pattern, where=where)))

    def _word_keys(self, word: str) -> tuple:
        keys = self._cache.get(word)
        if keys is None:
            found = list(self.words.get(word, ()))
            for stem, key in self.prefixes.get(word[:2], ()):
                if word.startswith(stem) and key not in found:
                    found.append(key)
            if len(word) == 1:  # one-letter prefixes
                found += [k for s, k in self.prefixes.get(word, ()) if k not in found]
            keys = self._cache[word] = tuple(found)
        return keys

    def spans(self, text: str) -> list[tuple[object, int, int, str]]:
        """(key, start, end, surface) of every cue occurrence in `text`, in order of position."""
        out = []
        lower = text.lower()
        triggered = set()
        for m in _TOKEN.finditer(lower):
            word = m.group()
            for key in self._word_keys(word):
                out.append((key, m.start(), m.end(), text[m.start():m.end()]))
            if word in self.triggers:
                triggered.add(word)
        same_length = len(lower) == len(text)
        for word in triggered:
            for key, rx in self.triggers[word]:
                rx = rx if same_length else re.compile(rx.pattern, re.IGNORECASE)
                for mm in rx.finditer(lower if same_length else text):
                    if _word_before(lower if same_length else text, mm.start()):
                        continue
                    out.append((key, mm.start(), mm.end(), text[mm.start():mm.end()]))
        for key, rx in self.patterns:
            out.extend((key, mm.start(), mm.end(), mm.group()) for mm in rx.finditer(text) if mm.end() > mm.start())
        out.sort(key=lambda h: (h[1], -(h[2] - h[1])))
        return out

    def cues(self, text: str) -> dict[object, list[str]]:
        """{key: distinct cue surfaces (lower case)} for one text: single words in text order, then
        multi-word cues and pattern matches. The fast path (no offsets) used for frames."""
        found: dict[object, list[str]] = {}
        lower = text.lower()
        words = _TOKEN.findall(lower)
        cache, triggers = self._cache, self.triggers
        for word in words:
            keys = cache.get(word)
            if keys is None:
                keys = self._word_keys(word)
            for key in keys:
                cues = found.setdefault(key, [])
                if word not in cues:
                    cues.append(word)
        if triggers:
            for word in set(words).intersection(triggers):
                for key, rx in triggers[word]:
                    for m in rx.finditer(lower):
                        if _word_before(lower, m.start()):
                            continue
                        cues = found.setdefault(key, [])
                        if m.group() not in cues:
                            cues.append(m.group())
        for key, rx in self.patterns:
            for m in rx.finditer(text):
                surface = m.group().lower()
                if surface:
                    cues = found.setdefault(key, [])
                    if surface not in cues:
                        cues.append(surface)
        return found


def read_curated_rows(path: Path, what: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header (lower case) and (line number, row) pairs of a curated CSV such as a codebook or a label
    list, skipping blank and `#` comment lines; every problem is a ParameterError naming `what`, the
    file and the line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ParameterError(f"{what} file {path} does not exist") from None
    except UnicodeDecodeError:
        raise ParameterError(f"{what} file {path} is not UTF-8 text") from None
    except IsADirectoryError:
        raise ParameterError(f"{what} path {path} is a folder, not a CSV file") from None
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    rows = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
                continue
            if header is None:
                header = [c.strip().lower() for c in row]
                continue
            rows.append((line, row))
    except csv.Error as exc:
        raise ParameterError(f"{path}, line {reader.line_num}: not valid CSV ({exc})") from None
    if header is None:
        raise ParameterError(f"{what} file {path} is empty (expected a header row)")
    return header, rows
