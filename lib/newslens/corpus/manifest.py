"""The corpus manifest: one CSV row per document, validated before anything reads a file.

A corpus is either a CSV file or a folder holding `corpus.csv`. Paths inside it are relative to the
manifest's own folder, so a corpus folder can be moved or shared whole.
"""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pandas as pd

from newslens.core.errors import CorpusError
from newslens.core.paths import resolve
from newslens.core.tablefiles import unescape_cell
from newslens.corpus.textio import not_a_regular_file

MANIFEST_NAME = "corpus.csv"
REQUIRED_COLUMNS = ["doc_id", "path", "outlet", "published"]
OPTIONAL_COLUMNS = ["title", "author", "url", "language"]
# Header is line 1 of the file, so data row i (0-based) sits on line i + 2.
_FIRST_DATA_LINE = 2


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


def read_manifest(corpus: str | Path) -> pd.DataFrame:
    """Read and validate a manifest. Returns one row per document with an absolute `file` column.

    Every problem is reported as one CorpusError naming the manifest, the line and the doc_id.
    """
    manifest = find_manifest(corpus)
    name = manifest.name
    try:
        raw = manifest.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{manifest}: cannot read the manifest ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CorpusError(f"{manifest}: the manifest is not UTF-8 text; save it as UTF-8 CSV") from None
    try:
        rows = list(csv.DictReader(text.splitlines()))
    except csv.Error as exc:
        raise CorpusError(f"{manifest}: not a readable CSV ({exc})") from None
    header = next(csv.reader(text.splitlines()), [])
    header = [h.strip() for h in header]
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
    for i, row in enumerate(rows):
        line = i + _FIRST_DATA_LINE
        # A cell written with a leading ' so that a spreadsheet cannot run it (init-manifest does) reads
        # back as the text it was (newslens.core.tablefiles).
        row = {(k or "").strip(): unescape_cell((v or "").strip()) for k, v in row.items() if k is not None}
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
        file = (manifest.parent / row["path"]).resolve()
        if problem := not_a_regular_file(manifest.parent / row["path"]):   # missing, a FIFO, a device
            raise CorpusError(f"{where}: {row['path']}: {problem}")
        record = {c: row.get(c, "") for c in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}
        record["published"] = published.isoformat()
        record["file"] = str(file)
        record["line"] = line
        records.append(record)
    df = pd.DataFrame.from_records(records)
    df.attrs["manifest"] = str(manifest)
    return df


def describe_row(row, manifest_name: str = MANIFEST_NAME) -> str:
    """How errors name a manifest row: `corpus.csv line 3 (doc_id x)`."""
    return f"{manifest_name} line {row['line']} (doc_id {row['doc_id']})"
