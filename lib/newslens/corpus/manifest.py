"""The corpus manifest: one CSV row per document, validated before anything reads a file.

A corpus is either a CSV file or a folder holding `corpus.csv`. Paths inside it are relative to the
manifest's own folder, so a corpus folder can be moved or shared whole.

The file is read with the csv module's own rules (as `open(newline="")` would give it): a quoted field
may hold line breaks, and characters that str.splitlines() would take for line ends (U+2028, NEL,
VT, FF, RS) are just characters. A header naming a column twice is refused.

Where a row's file may be: under the manifest's folder (the "corpus root"), after following links, so
a shared corpus folder cannot make a render publish a local file (`../../etc/passwd`, an absolute
path, a link out of the folder). The manifests of the project's own data/ folder may also point into
the project's seeds/ folder (data/corpus.csv lists the seed articles as ../seeds/...). Anything else is
refused naming the row, unless the user allows it: `--allow-outside` (analyze, render), or the
environment's NEWSLENS_ALLOW_OUTSIDE=1, or read_manifest(..., allow_outside=True).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
from pathlib import Path
from typing import TYPE_CHECKING

from newslens.core.errors import CorpusError
from newslens.core.paths import DATA_DIR, SEEDS_DIR, resolve
from newslens.corpus.textio import not_a_regular_file

MANIFEST_NAME = "corpus.csv"
REQUIRED_COLUMNS = ["doc_id", "path", "outlet", "published"]
OPTIONAL_COLUMNS = ["title", "author", "url", "language"]
# Header is line 1 of the file, so data row i (0-based) sits on line i + 2.
_FIRST_DATA_LINE = 2
# Set (to 1) by `--allow-outside`; read at each call, so worker processes and render's kernels see it.
ALLOW_OUTSIDE_ENV = "NEWSLENS_ALLOW_OUTSIDE"

# pandas is imported where a manifest is read: finding one (render's first step, before its kernels
# start) needs no pandas.
if TYPE_CHECKING:
    import pandas as pd


def find_manifest(corpus: str | Path) -> Path:
    """Return the manifest file for a corpus given as a CSV path or a folder holding corpus.csv."""
    path = resolve(corpus)
    if path.is_dir():
        candidate = path / MANIFEST_NAME
        if not candidate.is_file():
            raise CorpusError(
                f"no manifest: folder {path} has no {MANIFEST_NAME} "
                f"(create one with: python -m newslens init-manifest {path})"
            )
        return candidate
    if not path.exists():
        raise CorpusError(f"no manifest: {path} does not exist")
    return path


def _parse_date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def allowed_roots(manifest: Path) -> list[Path]:
    """The folders a manifest's rows may point into (see the module docstring)."""
    folder = manifest.parent.resolve()
    roots = [folder]
    if folder == DATA_DIR.resolve():
        roots.append(SEEDS_DIR.resolve())
    return roots


def outside_allowed(allow_outside: bool | None = None) -> bool:
    """`allow_outside` when given, else what the environment says (NEWSLENS_ALLOW_OUTSIDE=1)."""
    if allow_outside is not None:
        return allow_outside
    return os.environ.get(ALLOW_OUTSIDE_ENV, "").strip().lower() in ("1", "yes", "true", "on")


def _csv_rows(manifest: Path, text: str) -> tuple[list[str], list[tuple[int, dict]]]:
    """(header, [(first line of the row, {column: value})]) by the csv module's rules; blank lines are
    skipped, values beyond the header dropped, missing ones empty."""
    from newslens.core.tablefiles import unescape_cell  # with pandas: only once a manifest is read

    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        header = [h.strip() for h in next(reader, [])]
        start = reader.line_num + 1
        for fields in reader:
            if fields:
                # A cell written with a leading ' so that a spreadsheet cannot run it (init-manifest
                # does) reads back as the text it was (newslens.core.tablefiles).
                rows.append((start, {k: unescape_cell(v.strip()) for k, v in zip(header, fields) if k}))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise CorpusError(f"{manifest} line {reader.line_num}: not a readable CSV ({exc})") from None
    twice = sorted({h for h in header if h and header.count(h) > 1})
    if twice:
        raise CorpusError(f"{manifest}: column(s) {', '.join(twice)} appear more than once in the header; "
                          "keep one of each")
    return header, rows


def _row_file(manifest: Path, row: dict, where: str, allow_outside: bool) -> Path:
    """The file a row names: a regular file (never opened here: a FIFO or a device cannot block),
    lying under an allowed root (unless allowed)."""
    if problem := not_a_regular_file(manifest.parent / row["path"]):   # missing, a FIFO, a device
        raise CorpusError(f"{where}: {row['path']}: {problem}")
    file = (manifest.parent / row["path"]).resolve()
    roots = allowed_roots(manifest)
    if not allow_outside and not any(file.is_relative_to(root) for root in roots):
        raise CorpusError(
            f"{where}: path {row['path']} leads outside the corpus folder {roots[0]}; keep the texts "
            "under the manifest's folder, or pass --allow-outside if you trust this manifest")
    return file


def read_manifest(corpus: str | Path, allow_outside: bool | None = None) -> pd.DataFrame:
    """Read and validate a manifest. Returns one row per document with an absolute `file` column.

    Every problem is reported as one CorpusError naming the manifest, the line and the doc_id.
    `allow_outside`: let rows point outside the corpus folder (None: as the environment says).
    """
    manifest = find_manifest(corpus)
    name = manifest.name
    allow_outside = outside_allowed(allow_outside)
    try:
        raw = manifest.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{manifest}: cannot read the manifest ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CorpusError(f"{manifest}: the manifest is not UTF-8 text; save it as UTF-8 CSV") from None
    header, rows = _csv_rows(manifest, text)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise CorpusError(
            f"{manifest}: missing required column(s) {', '.join(missing)} "
            f"(a manifest needs {', '.join(REQUIRED_COLUMNS)})"
        )
    if not rows:
        raise CorpusError(f"{manifest}: the manifest lists no documents")

    records = []
    first_line_of: dict[str, int] = {}
    for line, row in rows:
        doc_id = row.get("doc_id", "")
        where = f"{name} line {line}" + (f" (doc_id {doc_id})" if doc_id else "")
        for col in REQUIRED_COLUMNS:
            if not row.get(col):
                raise CorpusError(f"{where}: required column '{col}' is empty")
        if doc_id in first_line_of:
            raise CorpusError(
                f"{where}: duplicate doc_id '{doc_id}' (first used on line {first_line_of[doc_id]})"
            )
        first_line_of[doc_id] = line
        try:
            published = _parse_date(row["published"])
        except ValueError:
            raise CorpusError(
                f"{where}: published '{row['published']}' is not a valid date (use ISO YYYY-MM-DD)"
            ) from None
        file = _row_file(manifest, row, where, allow_outside)
        record = {c: row.get(c, "") for c in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}
        record["published"] = published.isoformat()
        record["file"] = str(file)
        record["line"] = line
        records.append(record)
    import pandas as pd

    df = pd.DataFrame.from_records(records)
    df.attrs["manifest"] = str(manifest)
    return df


def describe_row(row, manifest_name: str = MANIFEST_NAME) -> str:
    """How errors name a manifest row: `corpus.csv line 3 (doc_id x)`."""
    return f"{manifest_name} line {row['line']} (doc_id {row['doc_id']})"
