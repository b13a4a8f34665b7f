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

import re
from pathlib import Path

from newslens.core.datafiles import read_table
from newslens.core.errors import ParameterError

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
    return _emit(trie)


def _emit(node: dict) -> str:
    """The regex of a trie node (a module function: a nested recursive one makes a reference cycle per call)."""
    branches = [atom + _emit(child) for atom, child in sorted(node.items()) if atom != _END]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node:
        return (f"(?:{body})?" if len(branches) == 1 else body + "?")
    return body


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


# --- a cheap necessary condition for a free regex ---------------------------------------------------------

# Characters that Python's case-insensitive `re` equates with an ASCII character although str.lower() does
# not map them to it (dotted/dotless i, long s, Kelvin sign): a text containing one skips the literal
# prefilter below (tests check this list against every code point).
_FOLDS_TO_ASCII = frozenset("\u0130\u0131\u017f\u212a")


def _literal_ok(code: int) -> bool:
    """May this pattern character be tested as a substring of the lower-cased text? ASCII, or a
    character without case (currency signs, punctuation) that no other character folds to."""
    ch = chr(code)
    if ch in _FOLDS_TO_ASCII:
        return False
    return ch.isascii() or ch.lower() == ch == ch.upper()


def _required(items, c) -> list[frozenset[str]]:
    """Clauses that every match of the parsed regex `items` satisfies: each clause is a set of lower-case
    strings at least one of which occurs in the match. Conservative: what is not understood adds nothing.
    `c` holds the parse tree's opcodes.
    """
    clauses: list[frozenset[str]] = []
    run = ""
    for op, av in items:
        if op is c.LITERAL and _literal_ok(av):
            run += chr(av).lower()
            continue
        if run:
            clauses.append(frozenset([run]))
            run = ""
        if op is c.IN and av and all(o is c.LITERAL and _literal_ok(v) for o, v in av):
            clauses.append(frozenset(chr(v).lower() for _, v in av))
        elif op is c.SUBPATTERN:
            clauses.extend(_required(av[-1], c))
        elif op is c.ATOMIC_GROUP:
            clauses.extend(_required(av, c))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            clauses.extend(_required(av[2], c))
        elif op is c.BRANCH:
            # a match takes one branch: the union of one clause per branch (the most selective one)
            union: set[str] = set()
            for branch in av[1]:
                inner = _required(branch, c)
                if not inner:
                    break
                union |= max(inner, key=lambda cl: min(map(len, cl)))
            else:
                clauses.append(frozenset(union))
    if run:
        clauses.append(frozenset([run]))
    return clauses


def required_substrings(rx: re.Pattern) -> tuple[tuple[str, ...], ...]:
    """A necessary condition for `rx` to match a text, as clauses of lower-case strings: unless every
    clause has a string occurring in text.lower(), rx finds nothing in it (for texts without a
    character of `_FOLDS_TO_ASCII`). Longest clauses first; () when nothing is known.

    Frame patterns are scanned on every sentence, which costs far more than these substring tests:
    `\\bF-\\d{2}s?\\b` gives (("f-",),), so a sentence without "f-" skips the scan.
    """
    try:  # CPython's own regex parser (Python 3.11+); without it, no prefilter
        from re import _constants, _parser
    except ImportError:
        return ()
    try:
        parsed = _parser.parse(rx.pattern, rx.flags)
    except re.error:  # cannot happen for a compiled pattern; no prefilter then
        return ()
    clauses = {tuple(sorted(cl)) for cl in _required(parsed.data, _constants)}
    return tuple(sorted(clauses, key=lambda cl: (-min(map(len, cl)), cl)))


def _holds(clauses: tuple[tuple[str, ...], ...], lower: str) -> bool:
    """Does every clause have a string occurring in `lower`? (The common one-string case without a loop.)"""
    if len(clauses) == 1 and len(clauses[0]) == 1:
        return clauses[0][0] in lower
    return all(any(map(lower.__contains__, clause)) for clause in clauses)


def may_match(clauses: tuple[tuple[str, ...], ...], text: str, lower: str) -> bool:
    """False only when `required_substrings` proves the pattern cannot match `text` (`lower` = text.lower())."""
    if _holds(clauses, lower):
        return True
    return not text.isascii() and not _FOLDS_TO_ASCII.isdisjoint(text)


# --- many cue sets at once, by word lookup ---------------------------------------------------------------

_TOKEN = re.compile(r"\w+")


def _word_before(text: str, pos: int) -> bool:
    """Is the character before `pos` part of a word (so a cue starting at `pos` starts mid-word)?"""
    return pos > 0 and (text[pos - 1].isalnum() or text[pos - 1] == "_")


class CueIndex:
    """Cue sets under keys (frames, labels) matched by looking words up, not by scanning regexes.

    A scan with one regex per key costs one pass over the text per key (about 4 MB/s per pattern in
    Python's `re`): far too slow for 10,000 articles and 20 frames. Here one trie regex (`_scan`) lists
    the words of a text that may be cues; single-word terms are a dictionary lookup, prefix terms
    (`terror*`) a lookup by their first letters (cached per word). Multi-word terms ("air strike",
    "Maliki's government") are run as a regex only on texts containing their first word and the rest of
    their literal words, and `patterns` (free regexes) only on texts holding their required substrings
    (`required_substrings`). Results are the same as `compile_cues` matching: whole words, any case.
    `cues_many` does all this for a batch of texts (one scan over all of them).
    """

    def __init__(self, entries: list[tuple[object, list[str], str | None, str]]):
        """entries: (key, terms, pattern, where) — `where` names the file/row for error messages."""
        self.keys = [e[0] for e in entries]
        self.words: dict[str, list] = {}
        self.prefixes: dict[str, list[tuple[str, object]]] = {}
        self.triggers: dict[str, list[tuple[object, re.Pattern]]] = {}
        self.patterns: list[tuple[object, re.Pattern]] = []
        self._cache: dict[str, tuple] = {}  # word -> keys it is a cue of (empty tuple: none)
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
        # per pattern, substrings one of which must occur for it to match (see `required_substrings`)
        self._needs = [required_substrings(rx) for _, rx in self.patterns]
        # the same for the multi-word regexes, which run on lower-cased text without IGNORECASE, so the
        # substring test is exact: "in office" runs only on texts holding "office", not on every "in"
        self._trigger_needs = {word: [tuple(cl for cl in required_substrings(rx) if cl != (word,))
                                      for _, rx in group]
                               for word, group in self.triggers.items()}
        self._scan = self._candidate_regex()
        self._marked: re.Pattern | None = None  # _scan or the separator (see `_candidates`)

    def _candidate_regex(self) -> re.Pattern | None:
        """One regex finding, in lower-cased text, every whole word that may be a cue word or a trigger
        (words, prefix stems + any ending, trigger words), as one trie: one C-level scan per text
        instead of a Python step per word. It may find more than needed (`_word_keys` decides)."""
        atoms = {tuple(re.escape(ch) for ch in word) for word in list(self.words) + list(self.triggers)}
        atoms |= {tuple(re.escape(ch) for ch in stem) + (_WILD,)
                  for group in self.prefixes.values() for stem, _ in group}
        if not atoms:
            return None
        return re.compile(r"\b(?:" + _trie_regex(sorted(atoms)) + r")(?!\w)")

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

    def _pattern_hits(self, text: str, lower: str):
        """(key, match) of every `patterns` match in `text`, pattern by pattern; a pattern whose required
        substrings are absent is not run."""
        for (key, rx), needs in zip(self.patterns, self._needs):
            if needs and not may_match(needs, text, lower):
                continue
            for m in rx.finditer(text):
                yield key, m

    def spans(self, text: str) -> list[tuple[object, int, int, str]]:
        """(key, start, end, surface) of every cue occurrence in `text`, in order of position."""
        out = []
        lower = text.lower()
        triggered = set()
        if self._scan is not None:
            for m in self._scan.finditer(lower):
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
        out.extend((key, mm.start(), mm.end(), mm.group()) for key, mm in self._pattern_hits(text, lower)
                   if mm.end() > mm.start())
        out.sort(key=lambda h: (h[1], -(h[2] - h[1])))
        return out

    def cues(self, text: str) -> dict[object, list[str]]:
        """{key: distinct cue surfaces (lower case)} for one text: single words in text order, then
        multi-word cues in text order, then pattern matches. The fast path (no offsets) used for frames."""
        return self.cues_many([text])[0]

    def cues_many(self, texts: list[str]) -> list[dict[object, list[str]]]:
        """`cues(text)` for every text, computed for all of them at once (much faster for many texts).

        One scan of all the lower-cased texts lists the candidate cue words (`_scan`); they are
        classified through a per-word cache; multi-word cues are searched only in texts holding their
        first word; each pattern runs only on the texts that hold its required substrings.
        """
        lowers = [t.lower() for t in texts]
        out = [self._word_cues(lower, words) for lower, words in zip(lowers, self._candidates(lowers))]
        # Pattern by pattern (the order `cues` appends them in), on the texts that may match it.
        folded = None  # texts with a character the substring test cannot speak for (see may_match)
        for (key, rx), needs in zip(self.patterns, self._needs):
            candidates = range(len(texts))
            if needs:
                if folded is None:
                    folded = {i for i, t in enumerate(texts) if not t.isascii() and not _FOLDS_TO_ASCII.isdisjoint(t)}
                for clause in needs:
                    if len(clause) == 1:
                        needle = clause[0]
                        candidates = [i for i in candidates if needle in lowers[i] or i in folded]
                    else:
                        candidates = [i for i in candidates
                                      if any(map(lowers[i].__contains__, clause)) or i in folded]
            for i in candidates:
                found = out[i]
                for m in rx.finditer(texts[i]):
                    surface = m.group().lower()
                    if surface:
                        cues = found.setdefault(key, [])
                        if surface not in cues:
                            cues.append(surface)
        return out

    _SEPARATOR = "\x00"  # joins texts for one scan: not a word character, never part of a match

    def _candidates(self, lowers: list[str]) -> list[list[str]]:
        """The candidate cue words of every lower-cased text, in text order (one regex scan in all)."""
        if self._scan is None:
            return [[] for _ in lowers]
        joined = self._SEPARATOR.join(lowers)
        if len(lowers) < 2 or joined.count(self._SEPARATOR) != len(lowers) - 1:  # a text holds one
            return [self._scan.findall(lower) for lower in lowers]
        # The scan finds whole words only (\w+ between non-word characters): the separator cannot
        # start, end or join one, so every text gets exactly the words a scan of it alone would.
        # Splitting the space-joined matches at the separators (found as their own alternative)
        # gives each text its words.
        if self._marked is None:
            self._marked = re.compile(re.escape(self._SEPARATOR) + "|" + self._scan.pattern)
        return [part.split() for part in " ".join(self._marked.findall(joined)).split(self._SEPARATOR)]

    def _word_cues(self, lower: str, candidates: list[str]) -> dict[object, list[str]]:
        """Single-word and multi-word cues of one lower-cased text, given its candidate words."""
        found: dict[object, list[str]] = {}
        if not candidates:
            return found
        cache, triggers = self._cache, self.triggers
        triggered = []
        for word in dict.fromkeys(candidates):  # distinct, in text order
            keys = cache.get(word)
            if keys is None:
                keys = self._word_keys(word)
            for key in keys:
                found.setdefault(key, []).append(word)
            if word in triggers:
                triggered.append(word)
        if triggered:
            # (start, surface, key) of every multi-word cue, sorted by position (the stable sort keeps
            # the key order of cues starting at the same word)
            multi = []
            for word in triggered:
                for (key, rx), needs in zip(triggers[word], self._trigger_needs[word]):
                    if needs and not _holds(needs, lower):
                        continue
                    multi.extend((m.start(), m.group(), key) for m in rx.finditer(lower)
                                 if not _word_before(lower, m.start()))
            multi.sort(key=lambda h: h[0])
            for _, surface, key in multi:
                cues = found.setdefault(key, [])
                if surface not in cues:
                    cues.append(surface)
        return found


def read_curated_rows(path: Path, what: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header (lower case) and (line number, row) pairs of a curated CSV such as a codebook or a label
    list, skipping blank and `#` comment lines; every problem is a ParameterError naming `what`, the
    file and the line (read by newslens.core.datafiles.read_table; the caller checks row widths)."""
    table = read_table(path, what, strict_width=False)
    return list(table.header), [(line, list(cells)) for line, cells in table.raw]
