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

from .errors import ParameterError

# A space or hyphen inside a term stands for any run of spaces and hyphens of any kind.
_SEPARATOR = r"[\s\-‐‑–]+"
_APOSTROPHE = "['’]"


def split_terms(cell: str | None, sep: str = ";") -> list[str]:
    """Terms of a `;`-separated cell, stripped, empty ones dropped."""
    if cell is None:
        return []
    return [t.strip() for t in str(cell).split(sep) if t.strip()]


def term_regex(term: str) -> str:
    """The regex source of one cue term (without the word boundaries)."""
    stem = term.strip()
    wildcard = stem.endswith("*")
    if wildcard:
        stem = stem[:-1]
    if not stem or "*" in stem:
        raise ValueError(f"cue term '{term}': '*' may only end a term, after at least one letter")
    parts = []
    for chunk in re.split(r"([\s\-‐‑–]+|['’])", stem):
        if not chunk:
            continue
        if chunk in ("'", "’"):
            parts.append(_APOSTROPHE)
        elif re.fullmatch(r"[\s\-‐‑–]+", chunk):
            parts.append(_SEPARATOR)
        else:
            parts.append(re.escape(chunk))
    return "".join(parts) + (r"\w*" if wildcard else "")


def compile_cues(terms: list[str], pattern: str | None = None, where: str = "cues") -> re.Pattern | None:
    """One case-insensitive regex matching any of `terms` as whole words, or `pattern`.

    Longer terms come first so that "arms sale" wins over "arms" at the same position. Returns None when
    there is nothing to match. `where` names the file and row in the error a bad term or pattern raises.
    """
    alternatives = []
    try:
        sources = sorted({term_regex(t) for t in terms}, key=lambda s: (-len(s), s))
    except ValueError as exc:
        raise ParameterError(f"{where}: {exc}") from None
    if sources:
        alternatives.append(r"(?<!\w)(?:" + "|".join(sources) + r")(?!\w)")
    if pattern and pattern.strip():
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ParameterError(f"{where}: pattern {pattern!r} is not a valid regular expression ({exc})") from None
        alternatives.append(f"(?:{pattern})")
    if not alternatives:
        return None
    return re.compile("|".join(alternatives), re.IGNORECASE)
