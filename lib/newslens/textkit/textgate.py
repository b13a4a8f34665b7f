"""Cheap necessary conditions checked before expensive regexes (numbers, dates, weapons, events).

Most sentences of a long corpus hold no number, no date and no weapon, yet every pattern of those modules
would scan each of them. A *gate* is a condition that every match of a pattern satisfies, checked in C
first: "the text has a digit", "the lower-cased text contains one of these substrings". A gate only
skips a pattern that cannot match, so it never changes a result; it is never used to find anything.

    low = lowered(text)
    if has_digit(text) and contains_any(low, MONTH_STEMS): ...   # only then try "December 28, 2013"

Case: patterns compiled with re.IGNORECASE match some non-ASCII letters to ASCII ones (the Kelvin sign
to "k", the long s to "s", dotted and dotless I to "i"), which `str.lower()` does not map. `lowered`
maps those four first, so a substring gate on `lowered(text)` holds whenever such a pattern can match.
"""
from __future__ import annotations

import re
from functools import lru_cache

# The only non-ASCII characters Python's re (3.11) matches to an ASCII letter under IGNORECASE
# (tests/textkit/test_textgate.py checks this list against every code point).
IGNORECASE_ASCII_TWINS = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_TWINS = str.maketrans(IGNORECASE_ASCII_TWINS)
_HAS_TWIN = re.compile("[" + "".join(IGNORECASE_ASCII_TWINS) + "]")
# \d as the patterns use it: any Unicode decimal digit, not only 0-9.
_DIGIT = re.compile(r"\d")

# Maximal runs of ASCII letters: a word W that a `\bW\b` pattern matches (IGNORECASE) is one of them.
_ASCII_WORD = re.compile(r"[a-z]+")

# Maximal runs of ASCII letters and digits (tokens of gazetteer aliases such as "F-16", "S-300").
_ASCII_TOKEN = re.compile(r"[a-z0-9]+")

# Three-letter stems that every month name and abbreviation contains (January, Jan., Sept., May).
MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Month names and abbreviations as whole tokens (text_tokens): every month a date pattern matches is one.
MONTH_WORDS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                         "october", "november", "december", *MONTH_STEMS, "sept"})


def lowered(text: str) -> str:
    """`text.lower()`, with the non-ASCII twins of ASCII letters mapped to them first."""
    if text.isascii() or not _HAS_TWIN.search(text):  # str.translate is slow: only when needed
        return text.lower()
    return text.translate(_TWINS).lower()


# A run of letters (no digits, no underscore): a word to put in title case in shouted text.
_LETTERS = re.compile(r"[^\W\d_]+")


def unshouted(text: str, case: str = "title") -> str:
    """A sentence written in capitals ("IRAQ RECEIVED 75 HELLFIRE MISSILES", as in captions, TV
    transcripts, headlines) in title case (`case="title"`: names such as "Hellfire" are then found)
    or in lower case (`case="lower"`: no word then looks like the name in a designation such as
    "Block 52"); any other text unchanged. The length is kept (a letter whose lower case is longer
    stays as it is), so every offset still points into `text`.
    """
    if not text.isupper():
        return text
    words = _LETTERS.findall(text)
    if len(words) < 4 or sum(map(len, words)) < 16:  # "NATO AND UN", "F-16 TO IRAQ": acronyms, not shouting
        return text

    def recase(m: re.Match) -> str:
        word = m.group()
        changed = (word[0] + word[1:].lower()) if case == "title" else word.lower()
        return changed if len(changed) == len(word) else word

    return _LETTERS.sub(recase, text)


def has_digit(text: str) -> bool:
    """Does `text` hold a character that `\\d` matches?"""
    return _DIGIT.search(text) is not None


def contains_any(low: str, stems) -> bool:
    """Does the lowered text contain one of the (lower-case, ASCII) `stems`?"""
    for s in stems:  # a plain loop: twice as fast as any() over a generator
        if s in low:
            return True
    return False


def ascii_words(low: str) -> list[str]:
    """The runs of ASCII letters in the lowered text: `frozenset.isdisjoint(ascii_words(low))` is a
    cheap test for "holds one of these words" (a pattern's `\bword\b` match is always such a run)."""
    return _ASCII_WORD.findall(low)


def ascii_tokens(low: str) -> list[str]:
    """The runs of ASCII letters and digits in the lowered text ("f", "16" of "f-16s ...")."""
    return _ASCII_TOKEN.findall(low)


@lru_cache(maxsize=64)
def text_tokens(text: str) -> frozenset[str]:
    """The ASCII tokens of `lowered(text)`, once per sentence for every gate that asks (weapons, numbers,
    dates). A word a pattern matches between non-word characters (`\\bsince\\b`, "mid" of "mid-2014") is one
    of them: `words.isdisjoint(text_tokens(text))` is then a cheap test that the pattern cannot match."""
    return frozenset(_ASCII_TOKEN.findall(lowered(text)))


_ESCAPE_OR_UPPER = re.compile(r"\\.|\(\?P<\w+>|[A-Z]")  # escapes and group names stay as written
_CODE_ESCAPE = re.compile(r"\\[xuUN0-9]|\(\?P=")  # escapes by code point, back-references


def for_lowered(pattern: re.Pattern) -> re.Pattern:
    """A case-insensitive `pattern` rewritten to run on `lowered(text)` without IGNORECASE: it finds the
    same matches at the same positions (lowered keeps every length and word boundary, see
    tests/textkit/test_textgate.py) about three times faster, because re cannot scan quickly for a literal under
    IGNORECASE. Read the matched text from the original by position, not with `m.group()`.

    Only for ASCII patterns whose letters are all literal (no escapes by code point, no back-references):
    anything else raises ValueError when the module is imported."""
    src = pattern.pattern
    if not pattern.flags & re.IGNORECASE or not isinstance(src, str) or not src.isascii() \
            or _CODE_ESCAPE.search(src):
        raise ValueError(f"for_lowered needs an ASCII IGNORECASE pattern without code escapes: {src[:60]!r}")
    lower_src = _ESCAPE_OR_UPPER.sub(lambda m: m.group() if len(m.group()) > 1 else m.group().lower(), src)
    return re.compile(lower_src, pattern.flags & ~re.IGNORECASE)


# --- which characters can begin or end a match (for dispatching lines to patterns) ---------------------

try:   # the standard library's own regex parser (stable, if private): to read a pattern's structure
    from re import _constants as _sre, _parser as _sre_parse
except ImportError:   # Python < 3.11
    import sre_constants as _sre
    import sre_parse as _sre_parse

_CATEGORY_SOURCES = {
    _sre.CATEGORY_DIGIT: r"\d", _sre.CATEGORY_NOT_DIGIT: r"\D", _sre.CATEGORY_SPACE: r"\s",
    _sre.CATEGORY_NOT_SPACE: r"\S", _sre.CATEGORY_WORD: r"\w", _sre.CATEGORY_NOT_WORD: r"\W",
}
_CONSUMERS = (_sre.LITERAL, _sre.NOT_LITERAL, _sre.ANY, _sre.IN)
_REPEATS = tuple(getattr(_sre, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
                 if hasattr(_sre, name))


class _Unknown(Exception):
    """A construct the edge analysis does not read: the edge character may be anything."""


def edge_char_test(pattern: re.Pattern, last: bool = False) -> re.Pattern | None:
    """A regex that fully matches every character that can be the first (`last=False`) or the last
    character of a non-empty match of `pattern`, or None when that may be any character.

    A necessary condition read from the parsed pattern: `pattern.fullmatch(line)` can succeed only if
    `edge_char_test(pattern).fullmatch(line[0])` does (and likewise for `line[-1]`). The test is
    built from the pattern's own character classes with its flags, so the regex engine itself decides
    case folding. Zero-width assertions are skipped (a looser test), except a single-character
    negative lookbehind at the end of a pattern (`(?<![.!?])`) or lookahead at its start, which
    excludes those characters from the edge. Back-references and conditionals give None.
    """
    if not isinstance(pattern.pattern, str):
        return None
    try:
        parsed = _sre_parse.parse(pattern.pattern, pattern.flags)
        sources, _nullable = _edge(parsed, parsed.state.flags, last, ())
    except (_Unknown, re.error):
        return None
    return re.compile("|".join(sources)) if sources else None


def _edge(items, flags: int, last: bool, excluded: tuple[str, ...]) -> tuple[list[str], bool]:
    """Sources of the edge characters of the sequence `items`, and whether it can match empty."""
    sources: list[str] = []
    for op, av in (reversed(list(items)) if last else items):
        if op in _CONSUMERS:
            exclusions = "".join(f"(?!{source})" for source in excluded)
            return sources + [exclusions + _char_source(op, av, flags)], False
        if op is _sre.AT:
            continue
        if op in (_sre.ASSERT, _sre.ASSERT_NOT):
            direction, sub = av
            if op is _sre.ASSERT_NOT and direction == (-1 if last else 1) and len(sub) == 1 \
                    and sub[0][0] in _CONSUMERS:
                excluded = excluded + (_char_source(sub[0][0], sub[0][1], flags),)
            continue
        if op is _sre.SUBPATTERN:
            _group, add, remove, sub = av
            found, nullable = _edge(sub, (flags | add) & ~remove, last, excluded)
        elif op is _sre.BRANCH:
            found, nullable = [], False
            for alternative in av[1]:
                more, empty = _edge(alternative, flags, last, excluded)
                found += more
                nullable = nullable or empty
        elif op in _REPEATS:
            found, nullable = _edge(av[2], flags, last, excluded)
            nullable = nullable or av[0] == 0
        elif op is getattr(_sre, "ATOMIC_GROUP", None):
            found, nullable = _edge(av, flags, last, excluded)
        else:
            raise _Unknown(op)
        sources += found
        if not nullable:
            return sources, False
    return sources, True


def _char_source(op, av, flags: int) -> str:
    """A regex for the one character that the parsed item (op, av) matches, with its flags."""
    if op is _sre.LITERAL:
        body = re.escape(chr(av))
    elif op is _sre.NOT_LITERAL:
        body = f"[^{re.escape(chr(av))}]"
    elif op is _sre.ANY:
        body = "."
    else:
        parts = []
        for item_op, item in av:
            if item_op is _sre.NEGATE:
                parts.append("^")
            elif item_op is _sre.LITERAL:
                parts.append(re.escape(chr(item)))
            elif item_op is _sre.RANGE:
                parts.append(f"{re.escape(chr(item[0]))}-{re.escape(chr(item[1]))}")
            elif item_op is _sre.CATEGORY and item in _CATEGORY_SOURCES:
                parts.append(_CATEGORY_SOURCES[item])
            else:
                raise _Unknown(item_op)
        body = f"[{''.join(parts)}]"
    if flags & re.LOCALE:
        raise _Unknown("locale")
    scoped = ("a" if flags & re.ASCII else "") + ("i" if flags & re.IGNORECASE else "") \
        + ("s" if flags & re.DOTALL else "")
    return f"(?{scoped}:{body})" if scoped else f"(?:{body})"


# --- which literal text every match starts with (for a substring gate before a long alternation) -------

MIN_STEM = 3  # shorter stems ("to", "is") are in nearly every sentence: no gate then


def literal_stems(pattern: re.Pattern, min_len: int = MIN_STEM) -> tuple[str, ...] | None:
    """Lower-case ASCII stems such that every match of `pattern` starts with one of them, or None when
    that cannot be read from the pattern (or some stem is shorter than `min_len`). A necessary condition:
    `pattern.search(text)` can succeed only if `contains_any(lowered(text), stems)` does, for patterns
    with or without IGNORECASE (lowered maps the non-ASCII twins of ASCII letters; see the module
    docstring). Leading zero-width assertions are skipped; a stem stops at the first construct that is not
    a literal character or an alternation of such sequences."""
    if not isinstance(pattern.pattern, str):
        return None
    try:
        parsed = _sre_parse.parse(pattern.pattern, pattern.flags)
        stems = _stems(parsed)
    except (_Unknown, re.error):
        return None
    if any(len(s) < min_len or not s.isascii() for s in stems):
        return None
    stems = {s.lower() for s in stems}
    # a stem containing a shorter stem adds nothing to the test
    return tuple(sorted(s for s in stems if not any(t != s and t in s for t in stems)))


def _stems(items) -> list[str]:
    """The literal beginnings of the matches of the parsed sequence `items` (a list of (op, av))."""
    prefix = ""
    for i, (op, av) in enumerate(items):
        rest = list(items[i + 1:])
        if op is _sre.LITERAL:
            prefix += chr(av)
        elif op is _sre.AT or op in (_sre.ASSERT, _sre.ASSERT_NOT):
            continue  # zero-width: consumes nothing
        elif op is _sre.SUBPATTERN:
            _group, add, remove, sub = av
            if add or remove:
                raise _Unknown(op)  # a local flag (case) would change what the literals match
            return [prefix + s for s in _stems(list(sub) + rest)]
        elif op is _sre.BRANCH:
            return [prefix + s for alternative in av[1] for s in _stems(list(alternative) + rest)]
        elif op in _REPEATS and av[0] == 0 and av[1] == 1:  # optional: with it or without it
            return [prefix + s for s in _stems(list(av[2]) + rest) + _stems(rest)]
        else:
            break
        if len(prefix) > 40:
            break  # long enough for a gate
    return [prefix]


def word_start_gate(pattern: re.Pattern) -> frozenset[str] | None:
    """The first three letters (or the whole word, when shorter) of the word every match of `pattern`
    starts, when the pattern starts at a word's beginning (`\\b` or a look-behind excluding word
    characters) with a literal stem (literal_stems) that shows them; else None. `pattern.search(text)` can succeed only if
    `word_starts(lowered(text))` meets the set (the match begins a maximal run of ASCII letters)."""
    stems = literal_stems(pattern)
    try:
        parsed = list(_sre_parse.parse(pattern.pattern, pattern.flags))
    except re.error:
        return None
    if stems is None or not parsed or not _starts_word(parsed[0]):
        return None
    keys = set()
    for stem in stems:
        word = _ASCII_WORD.match(stem)
        if word is None:
            return None
        if word.end() < 3 and word.end() == len(stem):
            return None  # "to" may begin "tomorrow": its first three letters are unknown
        keys.add(stem[:min(3, word.end())])  # a whole short word ("go" of "go-ahead") is its own key
    return frozenset(keys)


def _starts_word(item) -> bool:
    op, av = item
    if op is _sre.AT:
        return av is _sre.AT_BOUNDARY
    if op is _sre.ASSERT_NOT and av[0] == -1 and len(av[1]) == 1 and av[1][0][0] is _sre.IN:
        return (_sre.CATEGORY, _sre.CATEGORY_WORD) in av[1][0][1]
    return False


@lru_cache(maxsize=64)
def word_starts(low: str) -> frozenset[str]:
    """The first three letters (a shorter word whole) of each run of ASCII letters of the lowered text
    (see word_start_gate)."""
    return frozenset(w[:3] for w in _ASCII_WORD.findall(low))


# --- one alternation of many regexes, grouped by first letter (same matches, fewer branches tried) -------

_QUANTIFIERS = "?*+{"


def split_alternatives(source: str) -> list[str]:
    """The top-level alternatives of a regex source ("a|b(?:c|d)" -> ["a", "b(?:c|d)"])."""
    parts, depth, in_class, start, i = [], 0, False, 0, 0
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]" or (source[i - 1] == "[" or source[i - 2:i] == "[^")
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
        i += 1
    parts.append(source[start:])
    return parts


def grouped_alternation(alternatives: list[str], flags: int = 0) -> str:
    """A regex source matching what `(?:a1|a2|...)` matches, with the same match at every position, but
    with the alternatives that start with a plain letter grouped under it ("d(?:eliver|eployed)|s(?:ent|
    hipped)"): re then tries one branch per first letter instead of every alternative. Order is kept
    wherever it can matter: alternatives with the same first letter keep theirs, and one is never moved
    before an earlier alternative that may start with its letter (`edge_char_test`)."""
    blocks: list = []  # a dict {letter: [rests]} (a group) or a str (an alternative kept as it is)
    for alt in (a for source in alternatives for a in split_alternatives(source)):
        if len(alt) < 2 or not alt[0].isascii() or not alt[0].isalpha() or alt[1] in _QUANTIFIERS:
            blocks.append(alt)
            continue
        letter = alt[0].lower() if flags & re.IGNORECASE else alt[0]
        target = None
        for block in reversed(blocks):
            if isinstance(block, str):
                test = edge_char_test(re.compile(block, flags))
                if test is None or test.fullmatch(letter) or test.fullmatch(alt[0]):
                    break  # it may match where this one does: this one stays after it
                continue
            target = block
            if letter in block:
                break
        if target is None:
            target = {}
            blocks.append(target)
        target.setdefault(letter, []).append(alt[1:])
    out = []
    for block in blocks:
        if isinstance(block, str):
            out.append(block)
        else:
            out.extend(f"{letter}(?:{'|'.join(rests)})" for letter, rests in block.items())
    return "|".join(out)
