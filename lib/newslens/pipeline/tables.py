"""Writing the tables of a run: DataFrames as CSV and/or Parquet (newslens.pipeline.formats), dicts and
lists as JSON, each file whole or absent (written to a temporary file, then renamed), an unchanged table
not written again, the files of an earlier run removed (`prune`)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from newslens.core.atomic import write_text_atomic
from newslens.pipeline.parallel import WorkerState


def _table_path(name: str, value: Any, out: Path, options=None) -> Path:
    from newslens.pipeline.formats import TableOptions, table_files

    return table_files(name, value, out, options or TableOptions())[0]


def _write_one(name: str, value: Any, out: Path, options=None) -> Path:
    """Write one table in every format of `options` (newslens.pipeline.formats); its main file."""
    from newslens.pipeline.formats import TableOptions, write_table

    return write_table(name, value, out, options or TableOptions())[0]


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
    return _write_one(name, state.tables[name], state.out, state.options)


def _file_state(paths: list[Path]) -> list[list[int] | None]:
    states = []
    for path in paths:
        try:
            st = path.stat()
            states.append([st.st_size, st.st_mtime_ns])
        except FileNotFoundError:
            states.append(None)
    return states


def _read_written_record(out: Path) -> dict:
    try:
        record = json.loads((out / WRITTEN_RECORD).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
        return {}  # no record (or a damaged one): every table is written
    return record if isinstance(record, dict) else {}


def write_tables(tables: dict[str, Any], out: Path, workers: int | None = None,
                 fingerprints: dict[str, str] | None = None, options=None,
                 inputs: list[Path] = (), prune: bool = False) -> WrittenTables:
    """Write DataFrames as UTF-8 CSV (`name.csv`) and/or Parquet (`name.parquet`) as `options` say
    (newslens.pipeline.formats.TableOptions; default both), dicts/lists as JSON (`name.json`), and the
    data dictionary (README.md). With `prune` (analyze's runs), the files of an earlier run that this
    one did not write are removed; a table that would overwrite one of `inputs` (the manifest, an
    article) is refused before any write.

    Large sets of tables are written by forked worker processes (CSV formatting holds the GIL), the
    biggest tables first; `workers=1` writes in this process.

    With `fingerprints` (table name -> content fingerprint, as analyze's cache computes them), a table
    whose file was written from the same fingerprint and has not been touched since (same size and
    modification time) is left as it is.
    """
    from newslens.core.engines import ProcessEngine
    from newslens.pipeline import formats

    options = options or formats.TableOptions()
    files = {name: formats.table_files(name, value, out, options) for name, value in tables.items()}
    formats.check_inputs_safe([f for fs in files.values() for f in fs], list(inputs))
    out.mkdir(parents=True, exist_ok=True)
    fingerprints = fingerprints or {}
    record = _read_written_record(out)
    paths = {name: fs[0] for name, fs in files.items()}
    todo = {}
    for name, value in tables.items():
        seen = record.get(paths[name].name)
        unchanged = (fingerprints.get(name) is not None and isinstance(seen, dict)
                     and seen.get("fingerprint") == fingerprints[name]
                     and seen.get("format") == options.tag
                     and seen.get("file") == _file_state(files[name]))
        if not unchanged:
            todo[name] = value
    rows = {name: len(v) if isinstance(v, pd.DataFrame) else 0 for name, v in todo.items()}
    engine = ProcessEngine(workers)
    if (len(todo) < 2 or engine.workers < 2 or not engine.inherits_state
            or sum(rows.values()) < MIN_ROWS_FOR_PARALLEL_WRITE):
        for name, value in todo.items():
            _write_one(name, value, out, options)
    else:
        with WorkerState(tables=todo, out=out, options=options).handed():
            list(engine.map(_write_inherited, sorted(todo, key=lambda n: -rows[n])))
    # The record: every file this run wrote (with prune, stale ones of earlier runs go), fingerprints.
    if prune:
        formats.remove_stale(out, record, [f for fs in files.values() for f in fs])
    record = formats.record_of(tables, files, fingerprints, options, record, set(todo), _file_state, prune)
    formats.write_dictionary(out, tables, record)
    write_text_atomic(out / WRITTEN_RECORD, json.dumps(record, indent=1, sort_keys=True))
    written = WrittenTables(paths[name] for name in tables)
    written.rewritten = list(todo)
    return written
