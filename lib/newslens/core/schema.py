"""The tables' columns: type and meaning, declared beside the code that makes them.

The module that makes a table has a sibling NAME_columns.py (or a `columns` module in its package)
that declares the table's columns once, at import:

    declare("frames", "one row per frame a sentence evokes", '''
        doc_id
        sent_id
        frame    text  the frame's code in the codebook (data/frames_codebook.csv)
        n_cues   int   how many of the frame's cues the sentence holds
    ''')

A line is `name type meaning` (types: newslens.core.tablefiles.TYPES), or a bare name for a column with
the same meaning everywhere (`COMMON`). A second declaration of a table adds its columns (sentiment adds
the tone columns to `sentences`). newslens.pipeline.formats writes Parquet and reads tables back in these
types, and writes the data dictionary from them; a test checks every column of a seed run is declared.
"""
from __future__ import annotations

from dataclasses import dataclass

from newslens.core.tablefiles import TYPES


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    meaning: str


COMMON: dict[str, tuple[str, str]] = {
    "doc_id": ("text", "the article's identifier (the manifest's doc_id)"),
    "sent_id": ("int", "the sentence's number in its article, from 0; with doc_id, the key of `sentences`"),
    "outlet": ("text", "the outlet that published the article (manifest)"),
    "published": ("date", "the article's publication date (manifest)"),
    "title": ("text", "the article's title (manifest)"),
    "start": ("int", "character offset in the article's cleaned text where the span starts"),
    "end": ("int", "character offset in the cleaned text just after the span"),
    "text": ("text", "the sentence's text"),
    "n_words": ("int", "number of words"),
}

_TABLES: dict[str, dict[str, Column]] = {}
_ABOUT: dict[str, str] = {}


def declare(table: str, about: str, columns: str) -> None:
    """Declare (or extend) a table: `about` says what one row is; `columns` as in the module doc."""
    declared = {}
    for line in columns.strip().splitlines():
        parts = line.split(maxsplit=2)
        if not parts:
            continue
        name = parts[0]
        if len(parts) == 1:
            if name not in COMMON:
                raise ValueError(f"table {table}: column {name} needs a type and a meaning")
            kind, meaning = COMMON[name]
        elif len(parts) == 3:
            kind, meaning = parts[1], parts[2]
        else:
            raise ValueError(f"table {table}: column {name} needs a meaning after its type")
        if kind not in TYPES:
            raise ValueError(f"table {table}: column {name}: type {kind!r} is not one of {', '.join(TYPES)}")
        declared[name] = Column(name, kind, meaning)
    _TABLES.setdefault(table, {}).update(declared)  # only a whole declaration is kept
    if about and table not in _ABOUT:
        _ABOUT[table] = about


def columns(table: str) -> dict[str, Column]:
    """The declared columns of a table ({} when none were declared)."""
    return dict(_TABLES.get(table, {}))


def types(table: str) -> dict[str, str]:
    return {name: col.type for name, col in _TABLES.get(table, {}).items()}


def about(table: str) -> str:
    return _ABOUT.get(table, "")


def declared_tables() -> list[str]:
    return sorted(_TABLES)
