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
