"""Writing the tables of a run: DataFrames as UTF-8 CSV, dicts and lists as JSON, each file whole or
absent (written to a temporary file, then renamed), and an unchanged table not written again."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from newslens.core.atomic import write_atomic, write_text_atomic
from newslens.pipeline.parallel import WorkerState


def _table_path(name: str, value: Any, out: Path) -> Path:
    if isinstance(value, pd.DataFrame):
        return out / f"{name}.csv"
    return out / (name if name.endswith(".json") else f"{name}.json")  # "timeline.json" as given


def _write_one(name: str, value: Any, out: Path) -> Path:
    path = _table_path(name, value, out)
    if isinstance(value, pd.DataFrame):
        write_atomic(path, lambda p, v=value: v.to_csv(p, index=False, encoding="utf-8"))
    else:
        write_text_atomic(path, json.dumps(value, ensure_ascii=False, indent=2, default=str))
    return path


# Below this many rows in all, writing the tables in worker processes costs more than it saves.
MIN_ROWS_FOR_PARALLEL_WRITE = 200_000

# In an output folder: for each table file written with a known fingerprint, that fingerprint and the
# file's size and modification time, so an unchanged table is not written again.
WRITTEN_RECORD = ".newslens-tables.json"


class WrittenTables(list):
    """The paths of all tables (a list, in table order); `rewritten` names those written this time."""

    rewritten: list[str]


def _write_inherited(name: str) -> Path:
    """In a forked worker: write one of the tables handed over (see WorkerState)."""
    state = WorkerState.inherited()
    return _write_one(name, state.tables[name], state.out)


def _file_state(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _read_written_record(out: Path) -> dict:
    try:
        record = json.loads((out / WRITTEN_RECORD).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
        return {}  # no record (or a damaged one): every table is written
    return record if isinstance(record, dict) else {}


def write_tables(tables: dict[str, Any], out: Path, workers: int | None = None,
                 fingerprints: dict[str, str] | None = None) -> WrittenTables:
    """Write DataFrames as UTF-8 CSV (`name.csv`) and dicts/lists as JSON (`name.json`).

    Large sets of tables are written by forked worker processes (CSV formatting holds the GIL), the
    biggest tables first; `workers=1` writes in this process.

    With `fingerprints` (table name -> content fingerprint, as analyze's cache computes them), a table
    whose file was written from the same fingerprint and has not been touched since (same size and
    modification time) is left as it is.
    """
    from newslens.core.engines import ProcessEngine

    out.mkdir(parents=True, exist_ok=True)
    fingerprints = fingerprints or {}
    record = _read_written_record(out) if fingerprints else {}
    paths = {name: _table_path(name, value, out) for name, value in tables.items()}
    todo = {}
    for name, value in tables.items():
        seen = record.get(paths[name].name)
        unchanged = (fingerprints.get(name) is not None and isinstance(seen, dict)
                     and seen.get("fingerprint") == fingerprints[name]
                     and seen.get("file") == _file_state(paths[name]))
        if not unchanged:
            todo[name] = value
    rows = {name: len(v) if isinstance(v, pd.DataFrame) else 0 for name, v in todo.items()}
    engine = ProcessEngine(workers)
    if (len(todo) < 2 or engine.workers < 2 or not engine.inherits_state
            or sum(rows.values()) < MIN_ROWS_FOR_PARALLEL_WRITE):
        for name, value in todo.items():
            _write_one(name, value, out)
    else:
        with WorkerState(tables=todo, out=out).handed():
            list(engine.map(_write_inherited, sorted(todo, key=lambda n: -rows[n])))
    if fingerprints:
        for name in todo:
            if fingerprints.get(name):
                record[paths[name].name] = {"fingerprint": fingerprints[name],
                                            "file": _file_state(paths[name])}
            else:
                record.pop(paths[name].name, None)
        write_text_atomic(out / WRITTEN_RECORD, json.dumps(record, indent=1, sort_keys=True))
    written = WrittenTables(paths[name] for name in tables)
    written.rewritten = list(todo)
    return written
