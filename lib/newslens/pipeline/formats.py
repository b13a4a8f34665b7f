"""The files of a table set: which formats, what a reused folder keeps, and reading the tables back.

    analyze(..., out="reports/data")         # writes each table as name.csv and name.parquet (default)
    tables = newslens.read_tables("reports/data")   # the DataFrames, in their declared types

* `--format csv|parquet|both` (default both: CSV for spreadsheets and eyes, Parquet for typed, smaller,
  faster reading); `--excel` adds a UTF-8 byte-order mark to the CSVs (see newslens.core.tablefiles).
  Tables that are not DataFrames (timeline.json) are JSON in every format.
* An output folder records what newslens wrote in it (`.newslens-tables.json`); an `analyze` run
  removes the files of an earlier run that it did not write itself (a one-outlet corpus after the
  seeds leaves no seed `tone_tests.csv` behind), and never touches any other file. Other callers of
  write_tables (a notebook exporting two tables) add to the folder.
* A run refuses to overwrite its own input (the manifest, an article) with a table.
* The column types come from newslens.core.schema declarations, made where each table is produced.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from newslens.core import schema
from newslens.core.atomic import write_text_atomic
from newslens.core.errors import ParameterError
from newslens.core.tablefiles import read_csv, read_parquet, write_csv, write_parquet
from newslens.pipeline.datadict import dictionary_markdown, load_declarations

FORMATS = {"csv": ("csv",), "parquet": ("parquet",), "both": ("csv", "parquet")}
DEFAULT_FORMAT = "both"
RECORD = ".newslens-tables.json"  # the same file write_tables keeps its fingerprints in
DICTIONARY = "README.md"


@dataclass(frozen=True)
class TableOptions:
    formats: tuple[str, ...] = FORMATS[DEFAULT_FORMAT]
    excel: bool = False

    @classmethod
    def of(cls, format: str | None = None, excel: bool = False) -> "TableOptions":
        name = format or DEFAULT_FORMAT
        if name not in FORMATS:
            raise ParameterError(f"--format {name}: formats are {', '.join(FORMATS)}")
        return cls(FORMATS[name], bool(excel))

    @property
    def tag(self) -> str:
        """What the options change in the files (kept beside a table's fingerprint)."""
        return ",".join(self.formats) + (",excel" if self.excel else "")


def table_files(name: str, value: Any, out: Path, options: TableOptions) -> list[Path]:
    """The files a table is written to (the first is its main file)."""
    if isinstance(value, pd.DataFrame):
        return [out / f"{name}.{fmt}" for fmt in options.formats]
    return [out / (name if name.endswith(".json") else f"{name}.json")]  # "timeline.json" as given


def write_table(name: str, value: Any, out: Path, options: TableOptions) -> list[Path]:
    files = table_files(name, value, out, options)
    for path in files:
        if path.suffix == ".csv":
            write_csv(value, path, excel=options.excel)
        elif path.suffix == ".parquet":
            write_parquet(value, path, schema.types(name))
        else:
            write_text_atomic(path, json.dumps(value, ensure_ascii=False, indent=2, default=str))
    return files


def check_inputs_safe(files: list[Path], inputs: list[Path]) -> None:
    """Refuse (one line) when a table would overwrite an input of the run (the manifest, an article)."""
    protected = {Path(p).resolve() for p in inputs}
    for path in files:
        if path.resolve() in protected:
            raise ParameterError(f"--out {path.parent}: the table {path.name} would overwrite the corpus's own "
                                 f"file {path}; choose another --out")


def recorded_names(record: dict) -> set[str]:
    """The file names a record says newslens wrote (each entry's key and its `files`)."""
    names = set()
    for key, entry in record.items():
        names.add(key)
        if isinstance(entry, dict) and isinstance(entry.get("files"), list):
            names.update(str(n) for n in entry["files"])
    return names


def record_of(tables: dict, files: dict[str, list[Path]], fingerprints: dict, options: TableOptions,
              old: dict, rewritten: set[str], file_state, prune: bool = True) -> dict:
    """The folder's new record: per table (keyed by its main file) the files written, the options and,
    for a table with a content fingerprint, that fingerprint and the files' state (size, mtime), so an
    unchanged table is not written again. Tables left as they were keep their entry; without `prune`,
    so do the other tables an earlier run wrote (their files stay)."""
    record = {} if prune else {k: v for k, v in old.items() if k != DICTIONARY}
    for name in tables:
        main = files[name][0].name
        if name not in rewritten and isinstance(old.get(main), dict):
            record[main] = old[main]
            continue
        entry = {"files": [p.name for p in files[name]], "format": options.tag}
        if fingerprints.get(name):
            entry.update(fingerprint=fingerprints[name], file=file_state(files[name]))
        record[main] = entry
    if DICTIONARY in old:
        record[DICTIONARY] = old[DICTIONARY]
    return record


def remove_stale(out: Path, record: dict, written: list[Path]) -> list[str]:
    """Delete the files an earlier run recorded in `out` that this run did not write; their names."""
    keep = {p.name for p in written} | {DICTIONARY}
    removed = []
    for name in sorted(recorded_names(record)):
        if name in keep or "/" in name or name.startswith("."):
            continue
        path = out / name
        if path.is_file():
            path.unlink()
            removed.append(name)
    return removed


def read_tables(folder: str | Path, format: str = "auto") -> dict[str, pd.DataFrame]:
    """The tables of an `analyze` output folder as DataFrames in their declared types (dates as
    datetimes, missing text as ""), from Parquet or CSV (`format`: "parquet", "csv", or "auto": Parquet
    where there is one). Only the files newslens recorded writing there, when it did."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise ParameterError(f"read_tables: {folder} is not a folder")
    if format not in ("auto", "csv", "parquet"):
        raise ParameterError(f"read_tables: format {format!r} is not one of auto, csv, parquet")
    load_declarations()
    recorded = _recorded_files(folder)
    found: dict[str, Path] = {}
    for suffix in ("csv", "parquet"):
        if format not in ("auto", suffix):
            continue
        for path in sorted(folder.glob(f"*.{suffix}")):
            if recorded is None or path.name in recorded:
                found[path.stem] = path  # parquet after csv: "auto" prefers it
    return {name: (read_parquet(path, schema.types(name)) if path.suffix == ".parquet"
                   else read_csv(path, schema.types(name))) for name, path in sorted(found.items())}


def _recorded_files(folder: Path) -> set[str] | None:
    try:
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return recorded_names(record) if isinstance(record, dict) else None


def write_dictionary(out: Path, tables: dict, record: dict) -> None:
    """The data dictionary of the tables written (README.md in `out`), recorded in `record`; a
    README.md that newslens did not write is left alone."""
    path = out / DICTIONARY
    if path.exists() and DICTIONARY not in record:
        return
    frames = [name for name, value in tables.items() if isinstance(value, pd.DataFrame)]
    text = dictionary_markdown(frames, heading_level=1)
    try:
        unchanged = path.read_text(encoding="utf-8") == text
    except (OSError, UnicodeDecodeError):
        unchanged = False
    if not unchanged:  # a cached re-run rewrites no file
        write_text_atomic(path, text)
    record[DICTIONARY] = {"files": [DICTIONARY]}
