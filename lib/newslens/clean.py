"""Cleaning: separate an article's body from the scraped page around it.

PLACEHOLDER FIRST PASS (to be replaced by the full rule set and its gold-set tests).
Interface kept stable for the rest of the package:

    clean_document(text, title=None) -> Cleaned(body, removed)

`body` is the article text, paragraphs separated by a blank line; `removed` lists every line of the
input that is not in the body, with its 1-based line number and a reason.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Removed:
    line: int
    text: str
    reason: str


@dataclass
class Cleaned:
    body: str
    removed: list[Removed] = field(default_factory=list)


_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$])")
_SENTENCE_END = re.compile(r"[.!?…]['\"”’)\]]*$")


def clean_document(text: str, title: str | None = None) -> Cleaned:
    removed: list[Removed] = []
    paragraphs: list[str] = []
    for n, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if len(stripped.split()) < 5 and not _SENTENCE_END.search(stripped):
            removed.append(Removed(n, stripped, "short line without sentence punctuation"))
            continue
        paragraphs.append(_MD_ESCAPE.sub(r"\1", stripped))
    return Cleaned(body="\n\n".join(paragraphs), removed=removed)
