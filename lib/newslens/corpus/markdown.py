"""The markdown a scraped page carries, undone for cleaning: escapes, links, strong emphasis, headings.

    unescape_markdown("\\$700 [a](u) **b**") -> "$700 a b"
    plain_line("# **Title**") -> ("Title", True)      # (plain text, is a markdown heading)

Split from `clean.py`. Each substitution means what its regex below says (`_MD_LINK`, `_MD_STRONG`,
`_MD_ESCAPE`); links and emphasis are found by a scan in linear time instead of the regex: on a line
of many unclosed `[` or `**` the regex tries every opener against the rest of the line (quadratic:
a 40 KB line took seconds). tests/corpus/test_clean_work.py compares the scans with the regexes.
"""
from __future__ import annotations

import re

_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$>|~])")
# The definitions of the two scans below (`_unlink`, `_unstrong`), kept for the tests:
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)\s]*\)")
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_LIST_MARKER = re.compile(r"^(?:\d{1,2}[.)]|[•·▪◦►»*+\-–])\s+")
_LINK_TARGET_END = re.compile(r"[)\s]")      # what ends `[^)\s]*` in _MD_LINK

# What a line must start with for a markdown heading or a list marker to be there at all.
HEADING_OR_LIST_START = frozenset("#0123456789•·▪◦►»*+-–")


def needs_plain(line: str) -> bool:
    """False when `plain_line` would return the (stripped) line unchanged and no heading."""
    return line[0] in HEADING_OR_LIST_START or "\\" in line or "**" in line or "__" in line


def plain_line(raw: str) -> tuple[str, bool]:
    """The text of a stripped line without its heading or list marker, escapes and strong emphasis,
    and whether it is a markdown heading."""
    heading = False
    text = raw
    if raw[0] in HEADING_OR_LIST_START:    # a test on the first character spares most lines two regexes
        heading = bool(_MD_HEADING.match(raw))
        text = _MD_HEADING.sub("", raw) if heading else raw
        text = _LIST_MARKER.sub("", text)
    return _unescape(_unstrong(text)).strip(), heading


# Each substitution runs only when the line holds the characters its pattern needs ("](" for a link,
# "**"/"__" for emphasis, a backslash for an escape): most lines hold none, and the test costs far
# less than a pass over the line.
def unescape_markdown(text: str) -> str:
    """Undo markdown escapes, links and strong emphasis: `\\$700` -> `$700`, `[a](u)` -> `a`."""
    if "](" in text:
        text = _unlink(text)
    return _unescape(_unstrong(text))


def _unescape(text: str) -> str:
    return _MD_ESCAPE.sub(r"\1", text) if "\\" in text else text


def _unlink(text: str) -> str:
    """_MD_LINK.sub(r"\\1", text) in one pass. A "[" is matched with the first "]" after it, so every
    "[" before that "]" succeeds or fails with it: the scan moves on past the "]"."""
    parts: list[str] = []
    done = at = 0            # text[:done] is written out; look for "[" from `at`
    stop = -1                # the first ")" or blank at or after `stop_from` (-1: none)
    stop_from = len(text) + 1
    while (opening := text.find("[", at)) != -1:
        closing = text.find("]", opening + 1)
        if closing == -1:
            break            # no "]" after this "[", nor after any later one
        at = closing + 1
        if text[closing + 1:closing + 2] != "(":
            continue
        if not stop_from <= closing + 2 <= (stop if stop != -1 else len(text)):
            found = _LINK_TARGET_END.search(text, closing + 2)
            stop, stop_from = (found.start() if found else -1), closing + 2
        if stop == -1 or text[stop] != ")":
            continue
        start = opening - 1 if opening > done and text[opening - 1] == "!" else opening
        parts += (text[done:start], text[opening + 1:closing])
        done = at = stop + 1
    return "".join(parts) + text[done:] if parts else text


def _unstrong(text: str) -> str:
    """_MD_STRONG.sub(r"\\2", text) in one pass over each line of `text` (a match never spans one)."""
    if "**" not in text and "__" not in text:
        return text
    if "\n" in text:
        return "\n".join(_unstrong(part) for part in text.split("\n"))
    parts: list[str] = []
    done = at = 0
    # the next "**" and "__" at or after `at`; -1 when none, or when none of that kind can close
    following = {"**": text.find("**"), "__": text.find("__")}
    while True:
        for delimiter, i in following.items():
            if i != -1 and i < at:
                following[delimiter] = text.find(delimiter, at)
        starts = [i for i in following.values() if i != -1]
        if not starts:
            break
        opening = min(starts)
        delimiter = text[opening:opening + 2]
        at = opening + 1
        if opening + 2 >= len(text) or text[opening + 2].isspace():   # (?=\S)
            continue
        # the first delimiter after at least one character, with no blank just before it (?<=\S)
        closing = text.find(delimiter, opening + 3)
        while closing != -1 and text[closing - 1].isspace():
            closing = text.find(delimiter, closing + 1)
        if closing == -1:
            following[delimiter] = -1    # no later opener of this kind can close either
            continue
        parts += (text[done:opening], text[opening + 2:closing])
        done = at = closing + 2
    return "".join(parts) + text[done:] if parts else text
