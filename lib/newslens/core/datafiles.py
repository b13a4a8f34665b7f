"""One reader for the curated files users may edit (data/*.csv, data/*.txt, or their own copies).

    table = read_table(path, "weapon gazetteer", required=("weapon", "category"))
    for row in table.rows:                   # blank lines and lines starting with "#" are skipped
        row["weapon"], row.get("note"), row.where   # cells stripped; where = "<file>, line <n>"
    names = read_lines(path, "given names")  # a TXT list: one entry per line

Every problem is one ParameterError naming the file (and the line): a missing file, text that is not
UTF-8, a CSV that does not parse, a missing column, a row with more cells than the header. Files are
read once per change: results are cached on the file's modification time and size, so an edited file
is read again and an unchanged one is not.
"""
from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from newslens.core.errors import ParameterError


@dataclass(frozen=True)
class Row:
    """One data row: its line in the file and its cells by (lower-case) column name, stripped."""

    line: int
    cells: dict[str, str]
    path: Path

    def __getitem__(self, column: str) -> str:
        return self.cells[column]

    def get(self, column: str, default: str = "") -> str:
        return self.cells.get(column, default)

    @property
    def where(self) -> str:
        """"<file>, line <n>": the start of an error message about this row."""
        return f"{self.path}, line {self.line}"


@dataclass(frozen=True)
class Table:
    """A curated CSV: its header (lower case, stripped) and its data rows, in file order."""

    path: Path
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    # The raw cells of each row, as the csv module read them (for readers that want positions).
    raw: tuple[tuple[int, tuple[str, ...]], ...]


def _file_state(path: Path, what: str) -> tuple[int, int]:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ParameterError(f"{what} file {path} does not exist") from None
    if os.path.isdir(path):
        raise ParameterError(f"{what} path {path} is a folder, not a file")
    return st.st_mtime_ns, st.st_size


def _text(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ParameterError(f"{what} file {path} does not exist") from None
    except UnicodeDecodeError:
        raise ParameterError(f"{what} file {path} is not UTF-8 text") from None
    except IsADirectoryError:
        raise ParameterError(f"{what} path {path} is a folder, not a file") from None


def read_table(path: str | Path, what: str, required: tuple[str, ...] = (), *, strict_width: bool = True) -> Table:
    """The curated CSV at `path` (`what` names it in errors: "actor gazetteer"), with the `required`
    columns. A row with more cells than the header is an error (`strict_width`), one with fewer has ""
    in the missing ones."""
    path = Path(path)
    table = _read_table(path, what, _file_state(path, what), strict_width)
    missing = [c for c in required if c not in table.header]
    if missing:
        raise ParameterError(f"{what} file {path} lacks column(s) {', '.join(missing)} "
                             f"(it needs {', '.join(required)})")
    return table


@lru_cache(maxsize=64)
def _read_table(path: Path, what: str, state: tuple[int, int], strict_width: bool) -> Table:
    reader = csv.reader(io.StringIO(_text(path, what)))
    header: tuple[str, ...] | None = None
    rows, raw = [], []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells) or cells[0].lstrip().startswith("#"):
                continue
            if header is None:
                header = tuple(c.strip().lower() for c in cells)
                continue
            if strict_width and len(cells) > len(header):
                raise ParameterError(f"{what} file {path}, line {line}: {len(cells)} cells but the header has "
                                     f"{len(header)} (quote a cell that contains a comma)")
            raw.append((line, tuple(cells)))
            rows.append(Row(line, {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)},
                            path))
    except csv.Error as exc:
        raise ParameterError(f"{what} file {path}, line {reader.line_num}: not valid CSV ({exc})") from None
    if header is None:
        raise ParameterError(f"{what} file {path} is empty (expected a header row)")
    return Table(path, header, tuple(rows), tuple(raw))


def read_lines(path: str | Path, what: str) -> tuple[str, ...]:
    """The entries of a curated TXT list: one per line, stripped; blank lines and "#" notes skipped."""
    path = Path(path)
    return _read_lines(path, what, _file_state(path, what))


@lru_cache(maxsize=64)
def _read_lines(path: Path, what: str, state: tuple[int, int]) -> tuple[str, ...]:
    return tuple(line.strip() for line in _text(path, what).splitlines()
                 if line.strip() and not line.lstrip().startswith("#"))
