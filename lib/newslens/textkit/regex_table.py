"""Curated CSVs of regular expressions (boilerplate patterns, outlet signatures), read once per change.

Each row's `pattern` is compiled here; a missing column or a bad pattern is one NewslensError naming the
file and line. Results are cached on the file's modification time, so an edited file is re-read.
"""
from __future__ import annotations

import csv
import os
import re
from functools import lru_cache
from pathlib import Path

from newslens.core.errors import NewslensError


def read_regex_rows(path: Path, columns: tuple[str, ...]) -> tuple[tuple[int, dict, re.Pattern], ...]:
    """(line number, row, compiled `pattern`) for every row; `columns` must include "pattern"."""
    if not isinstance(path, Path):     # called once per document: no needless Path objects
        path = Path(path)
    return _read(path, os.stat(path).st_mtime_ns, columns)


@lru_cache(maxsize=16)
def _read(path: Path, mtime_ns: int, columns: tuple[str, ...]):
    rows = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if not set(columns) <= set(reader.fieldnames or []):
            raise NewslensError(f"{path}: needs columns {' and '.join(repr(c) for c in columns)}")
        for i, row in enumerate(reader, start=2):
            try:
                regex = re.compile(row["pattern"])
            except re.error as exc:
                raise NewslensError(f"{path} line {i}: bad pattern {row['pattern']!r} ({exc})") from None
            rows.append((i, row, regex))
    return tuple(rows)
