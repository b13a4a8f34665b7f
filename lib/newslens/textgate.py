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
# (tests/test_textgate.py checks this list against every code point).
IGNORECASE_ASCII_TWINS = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_TWINS = str.maketrans(IGNORECASE_ASCII_TWINS)
_HAS_TWIN = re.compile("[" + "".join(IGNORECASE_ASCII_TWINS) + "]")
# \d as the patterns use it: any Unicode decimal digit, not only 0-9.
_DIGIT = re.compile(r"\d")

# Maximal runs of ASCII letters: a word W that a `\bW\b` pattern matches (IGNORECASE) is one of them.
_ASCII_WORD = re.compile(r"[a-z]+")

# Three-letter stems that every month name and abbreviation contains (January, Jan., Sept., May).
MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def lowered(text: str) -> str:
    """`text.lower()`, with the non-ASCII twins of ASCII letters mapped to them first."""
    if text.isascii() or not _HAS_TWIN.search(text):  # str.translate is slow: only when needed
        return text.lower()
    return text.translate(_TWINS).lower()


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
