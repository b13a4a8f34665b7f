"""Quotation spans: which characters of a text are inside quotation marks.

Used by the sentiment notebook (whose voice: the outlet's own or a quoted source's) and by the voices
table (direct quotes). Handles straight quotes ("..."), curly double quotes (“...”), and curly single
quotes used as quotation marks (‘Suffering at the hands of terrorists’) while ignoring apostrophes.

Convention followed: a quotation does not cross a paragraph break, except the newspaper convention
where a paragraph ending inside an open quote continues into the next paragraph that opens with one;
an unbalanced straight quote closes at the end of its paragraph.
"""
from __future__ import annotations

import re

# An opening curly single quote starts a word; its closing partner is not followed by a letter
# (so the apostrophe in "Anbar’s" never closes a quote).
_CURLY_SINGLE = re.compile(r"(?<![\w’])‘([^‘’\n]*?)’(?![\w])")


_DOUBLE_MARK = re.compile(r"[\"“”]")


def _double_quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of double-quoted passages, paragraph by paragraph (a paragraph ends at a newline).

    Only the quotation marks are visited: a newline matters only while a quotation is open, and is
    then looked for between the opening mark and the next mark.
    """
    spans = []
    open_at = None
    for m in _DOUBLE_MARK.finditer(text):
        if open_at is not None:
            newline = text.find("\n", open_at, m.start())
            if newline >= 0:  # the paragraph ended first: the unbalanced quotation closes with it
                spans.append((open_at, newline))
                open_at = None
        ch = m.group()
        if open_at is None:
            if ch == "”":
                continue  # a stray closing mark with nothing open
            open_at = m.start()
        elif ch == "“":
            open_at = m.start()  # a new opening mark: the earlier one was unbalanced
        else:
            spans.append((open_at, m.end()))
            open_at = None
    if open_at is not None:
        newline = text.find("\n", open_at)
        spans.append((open_at, newline if newline >= 0 else len(text)))
    return spans


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Sorted (start, end) spans of quoted passages, quotation marks included.

    One pass over the whole text, not one per paragraph: double quotes reset at every newline, and the
    curly-single regex cannot cross one (its lookarounds see the newline as they saw a paragraph edge).
    """
    spans = _double_quote_spans(text) if ('"' in text or "“" in text or "”" in text) else []
    if "‘" in text:
        spans.extend((q.start(), q.end()) for q in _CURLY_SINGLE.finditer(text))
    return sorted(spans)


def quoted_share(start: int, end: int, spans: list[tuple[int, int]], text: str) -> float:
    """Share of the non-space characters in text[start:end] that lie inside a quotation."""
    inside = 0
    total = 0
    for i in range(start, end):
        if text[i].isspace():
            continue
        total += 1
        if any(s <= i < e for s, e in spans):
            inside += 1
    return inside / total if total else 0.0
