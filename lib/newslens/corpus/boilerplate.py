"""Boilerplate line patterns (`data/boilerplate_patterns.csv`) and the vocabulary of removal reasons.

    load_patterns() -> tuple[BoilerplatePattern, ...]     # in file order, re-read when the file changes
    _matcher_for(patterns).first(forms) -> index | None   # the first pattern matching a whole line

Split from `clean.py` (which applies the patterns as its rule 1): reading the file, checking every
reason, and matching some forty patterns per line in few regex calls.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

try:   # the standard library's own regex parser (stable, if private): to read required literals
    from re import _constants as _sre, _parser as _sre_parse
except ImportError:   # Python < 3.11
    import sre_constants as _sre
    import sre_parse as _sre_parse

from newslens.core.errors import NewslensError
from newslens.core.paths import data_file
from newslens.textkit.regex_table import read_regex_rows
from newslens.textkit.textgate import edge_char_test

PATTERNS_FILE = "boilerplate_patterns.csv"


# The fixed vocabulary of reasons a line is not body text.
REASONS: dict[str, str] = {
    "navigation": "site navigation, skip links, menus",
    "related-links": "lists of links to other stories, their headings and headlines",
    "promo": "a promotion of other content or a sign-up ('[READ: ...]', 'Related: ...')",
    "advertisement": "an advertisement marker",
    "notice": "a cookie, JavaScript or paywall notice of the website",
    "share": "social-media and sharing buttons",
    "caption": "a photo caption",
    "credit": "a photo credit ('Image: Reuters', '© afp')",
    "byline": "the author line",
    "dateline": "a date stamp ('Latest update : 2014-01-07')",
    "title": "the article's headline",
    "section-label": "the site section above the headline ('Middle East')",
    "subheading": "a subheading inside the article",
    "sign-off": "an agency or author sign-off ('(FRANCE 24 with AFP)', 'msh/ph (AFP, AP, dpa)')",
    "footer": "the site footer after the article",
    "link": "a line that is only a link or web address",
    "header": "other page furniture before the first body paragraph",
}

@dataclass(frozen=True)
class BoilerplatePattern:
    reason: str
    regex: re.Pattern
    example: str
    row: int


def load_patterns(path: Path | None = None) -> tuple[BoilerplatePattern, ...]:
    """The boilerplate line patterns, in file order (the first pattern that matches a line wins).
    Re-read whenever the file changes (cached on its modification time)."""
    path = Path(path) if path else data_file(PATTERNS_FILE)
    rows = read_regex_rows(path, ("reason", "pattern"))
    # `rows` is the same tuple until the file changes: build the patterns (and so their combined
    # matcher, see `_matcher_for`) once per version of the file, not once per document.
    built = _patterns_built.get(path)
    if built is None or built[0] is not rows:
        built = _patterns_built[path] = (rows, _patterns_from(path, rows))
    return built[1]


_patterns_built: dict[Path, tuple[tuple, tuple[BoilerplatePattern, ...]]] = {}


def _patterns_from(path: Path, rows: tuple) -> tuple[BoilerplatePattern, ...]:
    patterns = []
    for i, row, regex in rows:
        reason = (row.get("reason") or "").strip()
        if reason not in REASONS:
            raise NewslensError(
                f"{path} line {i}: unknown reason '{reason}' (use one of {', '.join(REASONS)})")
        patterns.append(BoilerplatePattern(reason, regex, (row.get("example") or "").strip(), i))
    return tuple(patterns)


# Flags written at the start of a pattern ("(?i)..."): global there, they must become scoped flags
# ("(?i:...)") once the pattern is one alternative among others.
_LEADING_FLAGS = re.compile(r"\(\?([aiLmsux]+)\)")
# Back-references ("\1", "(?P=name)") and conditionals ("(?(1)...)") refer to groups, which are
# renumbered when patterns are combined. Escapes are consumed first, so "\(?(" is not a conditional.
_ESCAPE_OR_GROUP_REFERENCE = re.compile(r"\\.|\(\?P=|\(\?\(")


def _refers_to_groups(source: str) -> bool:
    return any(m.group() in ("(?P=", "(?(") or m.group()[1] in "123456789"
               for m in _ESCAPE_OR_GROUP_REFERENCE.finditer(source))


# The only characters outside ASCII that the engine's IGNORECASE matching equates with ASCII ones
# (Kelvin sign ~ k, dotless i ~ i, dotted capital I ~ i, long s ~ s): found by trying every code point
# against every printable ASCII character (tests/corpus/test_clean.py repeats the search).
FOLDS_TO_ASCII = frozenset("\u212a\u0131\u0130\u017f")


def lowered_for_prefilter(form: str) -> str | None:
    """form.lower() when lower-casing tells what IGNORECASE matching of ASCII literals sees (the form
    holds none of FOLDS_TO_ASCII), else None (the line must go to the engine)."""
    if form.isascii() or FOLDS_TO_ASCII.isdisjoint(form):
        return form.lower()
    return None


class _Prefilter:
    """Literals one of which every match of a pattern contains: a line holding none of them cannot
    match, and a substring test says so far faster than the regex engine, which must try the pattern
    at every position of the line when it starts with `.{0,250}` ("... all rights reserved ...").

    Exact by construction: the literals are read from the parsed pattern (`_required_literals`). Under
    IGNORECASE the test compares lower-cased text, which equals the engine's case folding for ASCII
    literals unless the line holds one of the four characters the engine folds to ASCII letters ("ſ"
    to "s", the Kelvin sign to "k", ...): such a line is always handed to the engine. (An ignore-case
    prefilter exists only for ASCII literals, see `_prefilter`.)
    """

    def __init__(self, literals: frozenset[str], ignorecase: bool):
        self.ignorecase = ignorecase
        self.literals = tuple(sorted(_merged({literal.lower() if ignorecase else literal
                                              for literal in literals})))

    def may_match(self, form: str, lowered: str | None = "") -> bool:
        """False when `form` cannot match. `lowered`: lowered_for_prefilter(form), computed once per
        line by the caller ("" when not given: computed here)."""
        if self.ignorecase:
            if lowered == "":
                lowered = lowered_for_prefilter(form)
            if lowered is None:
                return True
            form = lowered
        for literal in self.literals:     # a plain loop: no generator to set up on every line
            if literal in form:
                return True
        return False


_SHORTEST_SHARED = 5   # a shared substring replaces literals only when it is at least this long


def _merged(literals: set[str]) -> set[str]:
    """Fewer literals to test: a substring that several literals share replaces them ("cookie" for
    "we use cookies", "uses cookies", "cookie settings"). Exact: a line holding a literal holds
    each of its substrings. Greedy: the substring shared by the most literals (then the longest)."""
    left, kept = set(literals), set()
    while left:
        shared = sorted({literal[i:j] for literal in left for i in range(len(literal))
                         for j in range(i + _SHORTEST_SHARED, len(literal) + 1)})
        best, covered = "", set()
        for sub in shared:
            holding = {literal for literal in left if sub in literal}
            if (len(holding), len(sub)) > (len(covered), len(best)):
                best, covered = sub, holding
        if len(covered) < 2:
            return kept | left
        kept.add(best)
        left -= covered
    return kept


def _required_literals(items) -> frozenset[str] | None:
    """The best set of literals one of which every match of the parsed sequence `items` contains
    (fewest literals, then longest shortest literal), or None when none is known."""
    best: frozenset[str] | None = None
    run: list[str] = []

    def consider(candidates):
        nonlocal best
        if candidates and all(candidates) and (best is None or _selectivity(candidates) > _selectivity(best)):
            best = frozenset(candidates)

    for op, av in list(items) + [(None, None)]:
        if op is _sre.LITERAL:
            run.append(chr(av))
            continue
        consider({"".join(run)} if run else None)
        run = []
        candidates = None
        if op is _sre.IN and all(o is _sre.LITERAL for o, _ in av):
            candidates = {chr(code) for _, code in av}
        elif op is _sre.SUBPATTERN and not av[1] and not av[2]:   # a group that changes no flag
            candidates = _required_literals(av[3])
        elif op is _sre.BRANCH:
            alternatives = [_required_literals(alternative) for alternative in av[1]]
            if all(alternative is not None for alternative in alternatives):
                candidates = set().union(*alternatives)
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] >= 1:
            candidates = _required_literals(av[2])
        consider(candidates)
    return best


def _selectivity(literals) -> tuple[int, int]:
    # fewest literals first (each costs a substring test per line), then the longest shortest one
    return -len(literals), min(len(literal) for literal in literals)


def _prefilter(regex: re.Pattern) -> _Prefilter | None:
    """A prefilter for a pattern that scans the line (starts with `.{m,n}`, after lookaheads and at
    most one character), else None: a pattern that fails on the first characters of a line ("Read
    more", "By ...") costs less than any test in Python."""
    if not isinstance(regex.pattern, str):
        return None
    parsed = _sre_parse.parse(regex.pattern, regex.flags)
    head = [(op, av) for op, av in parsed if op is not _sre.ASSERT]
    if head and head[0][0] in (_sre.LITERAL, _sre.IN):     # one first character ("[A-Z].{0,150}")
        head = head[1:]
    scans = bool(head) and head[0][0] in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and head[0][1][1] > 1 \
        and list(head[0][1][2]) == [(_sre.ANY, None)]
    literals = _required_literals(parsed) if scans else None
    if not literals:
        return None
    ignorecase = bool(parsed.state.flags & re.IGNORECASE)
    if ignorecase and not all(literal.isascii() for literal in literals):
        return None
    return _Prefilter(literals, ignorecase)


class _PatternMatcher:
    """Which boilerplate pattern, if any, matches a whole line first, in few regex calls per line.

    A line is handed only to the patterns that can match it at all: those whose matches can begin
    with the line's first character and end with its last (`edge_char_test`, read from each
    pattern's structure: "Read more" must begin with r or R; a caption pattern ending in
    `[^!?"]{1,80}(?<![.!?])` cannot end with a full stop, so a sentence of prose never reaches it).
    The candidates of a line are a bit mask; each distinct mask gets its own `_Plan`.

    Within a plan, patterns that scan the line and have a `_Prefilter` are tried one by one, only on
    lines that pass their prefilter. The others are joined into one alternation, each wrapped in a
    named group `_<index>`: `fullmatch` tries the alternatives in file order and backtracks into the
    next one only when the earlier one cannot match the whole line, so the alternative that matches
    is the first of them that matches, with the per-call overhead paid once instead of once per
    pattern. The earliest pattern of the two kinds wins, as testing all patterns in file order would
    find. A file whose patterns cannot be joined safely (back-references, clashing group names) is
    matched pattern by pattern, with the same result.
    """

    def __init__(self, patterns: tuple[BoilerplatePattern, ...]):
        self.patterns = patterns
        self.prefilters = [_prefilter(pattern.regex) for pattern in patterns]
        self.edge_tests = ([edge_char_test(p.regex) for p in patterns],
                           [edge_char_test(p.regex, last=True) for p in patterns])
        self.joinable = self._combine(list(enumerate(patterns))) is not None
        self._masks: tuple[dict, dict] = ({}, {})    # character -> mask of patterns (first, last)
        self._by_length = _length_masks([p.regex for p in patterns])   # line length -> mask
        self._plans: dict[int, _Plan] = {}            # mask of candidate patterns -> plan

    @staticmethod
    def _combine(numbered) -> re.Pattern | None:
        alternatives = []
        for i, pattern in numbered:
            source, flags = pattern.regex.pattern, ""
            if not isinstance(source, str) or _refers_to_groups(source):
                return None
            while m := _LEADING_FLAGS.match(source):
                flags += m.group(1)
                source = source[m.end():]
            if flags:
                # a verbose pattern may end in a comment: the newline ends it before our ")"
                source = f"(?{flags}:{source}{chr(10) if 'x' in flags else ''})"
            alternatives.append(f"(?P<_{i}>{source})")
        try:
            return re.compile("|".join(alternatives)) if alternatives else None
        except re.error:
            return None

    def _mask(self, char: str, end: int) -> int:
        """Bit i set: pattern i can begin (end=0) or end (end=1) a match with `char`."""
        mask = 0
        for i, test in enumerate(self.edge_tests[end]):
            if test is None or test.fullmatch(char):
                mask |= 1 << i
        self._masks[end][char] = mask
        return mask

    def _plan(self, form: str) -> _Plan:
        firsts, lasts = self._masks
        first = firsts.get(form[0])
        if first is None:
            first = self._mask(form[0], 0)
        last = lasts.get(form[-1])
        if last is None:
            last = self._mask(form[-1], 1)
        by_length = self._by_length
        mask = first & last & by_length[min(len(form), len(by_length) - 1)]
        plan = self._plans.get(mask)
        if plan is None:
            plan = self._plans[mask] = _Plan(self, mask)
        return plan

    def first(self, forms: tuple[str, ...]) -> int | None:
        """Index of the first pattern that fully matches any of `forms` (non-empty lines), or None."""
        if not self.joinable:
            for i, pattern in enumerate(self.patterns):
                if any(pattern.regex.fullmatch(form) for form in forms):
                    return i
            return None
        best = None
        # plain loops, no generators: this runs for every line of every document
        for form in forms:
            plan = self._plan(form)
            combined = plan.combined
            if combined is None and plan.singles:
                plan.uses += 1
                if plan.uses > COMPILE_AFTER_LINES:
                    combined = plan.compile(self)
            if combined is not None:
                m = combined.fullmatch(form)
                if m is not None:
                    i = int(m.lastgroup[1:])
                    if best is None or i < best:
                        best = i
            else:
                for i, regex in plan.singles:     # the alternation's first match, one by one
                    if best is not None and i > best:
                        break
                    if regex.fullmatch(form):
                        best = i
                        break
            lowered = ""
            for i, ignorecase, literals, regex in plan.prefiltered:
                if best is not None and i > best:
                    break
                text = form
                if ignorecase:     # what _Prefilter.may_match does, inlined
                    if lowered == "":
                        lowered = lowered_for_prefilter(form)
                    text = lowered
                if text is not None:
                    for literal in literals:
                        if literal in text:
                            break
                    else:
                        continue        # no literal: this pattern cannot match
                if regex.fullmatch(form):
                    best = i
                    break
        return best


# A plan's alternation is compiled (some milliseconds) once this many lines have reached it; until
# then its patterns are tried one by one, which finds the same first match (most plans serve few lines).
COMPILE_AFTER_LINES = 1024


class _Plan:
    """The patterns to try on lines whose candidates are `mask`: the joinable ones as one
    alternation (`singles` until it is compiled), the prefiltered ones as (index, ignorecase,
    literals, regex) in file order."""

    def __init__(self, matcher: _PatternMatcher, mask: int):
        candidates = [i for i in range(len(matcher.patterns)) if mask >> i & 1]
        self.candidates = tuple(candidates)      # the patterns these lines are handed to
        self.prefiltered = [(i, matcher.prefilters[i].ignorecase, matcher.prefilters[i].literals,
                             matcher.patterns[i].regex)
                            for i in candidates if matcher.prefilters[i] is not None]
        self.singles = [(i, matcher.patterns[i].regex) for i in candidates if matcher.prefilters[i] is None]
        self.combined: re.Pattern | None = None
        self.uses = 0

    def compile(self, matcher: _PatternMatcher) -> re.Pattern | None:
        self.combined = matcher._combine([(i, matcher.patterns[i]) for i, _ in self.singles])
        return self.combined


def _length_masks(regexes) -> list[int]:
    """masks[n]: bit i set when pattern i can match a line of n characters (its minimum and maximum
    match length, read from the parsed pattern, allow n); the last entry holds for every longer line."""
    widths = []
    for regex in regexes:
        try:
            low, high = _sre_parse.parse(regex.pattern, regex.flags).getwidth()
        except (re.error, TypeError):
            low, high = 0, _sre.MAXREPEAT
        widths.append((low, high if high < _sre.MAXREPEAT else None))
    cap = max([low for low, _ in widths] + [high for _, high in widths if high is not None] + [0]) + 1
    return [sum(1 << i for i, (low, high) in enumerate(widths) if low <= n and (high is None or n <= high))
            for n in range(cap + 1)]


_matcher_cache: list = [None, None]   # (patterns, matcher) for the last patterns used


def _matcher_for(patterns: tuple[BoilerplatePattern, ...]) -> _PatternMatcher:
    """The combined matcher of `patterns`, built again only when a different tuple comes in."""
    if _matcher_cache[0] is not patterns:
        _matcher_cache[:] = [patterns, _PatternMatcher(tuple(patterns))]
    return _matcher_cache[1]
