"""The dictionary key for text that a case-insensitive pattern matched.

With re.IGNORECASE, Python's re lets four non-ASCII letters match ASCII ones: "İ" (dotted capital I)
and "ı" (dotless i) match "i", "ſ" (long s) matches "s", and the Kelvin sign (U+212A) matches "k".
str.lower() does not turn them into those letters ("İ".lower() is "i" plus a combining dot), so a
lexicon lookup of a match such as "FİRST" or "dozenſ" by its lower case fails. `match_key` maps them
first.
"""
from __future__ import annotations

# Every character outside ASCII that re.IGNORECASE matches to an ASCII letter (tests check the list).
ASCII_TWINS = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}  # İ ı ſ, Kelvin sign
_TABLE = str.maketrans(ASCII_TWINS)


def match_key(text: str) -> str:
    """The lower case of `text` with the ASCII twins above replaced by their ASCII letters."""
    return text.translate(_TABLE).lower()
