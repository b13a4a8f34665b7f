"""The analysis chain: a corpus in, tidy tables out, one stage after another.

Each stage is a plain function

    stage(corpus: Corpus, tables: dict[str, DataFrame], params: dict) -> dict[str, DataFrame | dict | list]

that reads the tables of earlier stages and returns its own (a returned "sentences" table replaces the
earlier one, which is how stages add columns to it). Stages are listed below by import path, so adding
one is one line here and no stage module imports another stage's module just to run it.
"""
from __future__ import annotations

import importlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from .corpus import Corpus, load_corpus
from .errors import ParameterError


@dataclass(frozen=True)
class Stage:
    name: str
    target: str  # "module:function" inside the newslens package
    doc: str

    def load(self) -> Callable[..., dict[str, Any]]:
        module, func = self.target.split(":")
        return getattr(importlib.import_module(f"newslens.{module}"), func)


# Order matters: a stage may read any table produced above it.
STAGES: list[Stage] = [
    Stage("reuse", "reuse:stage", "shared passages between articles (MinHash/LSH + alignment)"),
    Stage("terms", "terms:stage", "distinctive words: Dirichlet-prior log-odds, A vs B and each vs rest"),
    Stage("sentiment", "sentiment:stage", "VADER per sentence, voice, tone per article/outlet/target, A v B"),
]

CORE_TABLES = ("documents", "sentences", "removed")


def stage_names() -> list[str]:
    return [s.name for s in STAGES]


def _select(names: list[str] | None) -> list[Stage]:
    if names is None:
        return list(STAGES)
    known = {s.name: s for s in STAGES}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ParameterError(
            f"unknown stage(s) {', '.join(unknown)}; stages are: {', '.join(known) or '(none)'}"
        )
    return [s for s in STAGES if s.name in names]


def run_stages(
    corpus: Corpus, stages: list[str] | None = None, params: dict | None = None
) -> dict[str, Any]:
    """Run the chosen stages (all by default) over a loaded corpus; returns every table by name."""
    params = dict(params or {})
    tables: dict[str, Any] = {
        "documents": corpus.documents,
        "sentences": corpus.sentences,
        "removed": corpus.removed,
    }
    for stage in _select(stages):
        produced = stage.load()(corpus, tables, params)
        tables.update(produced)
    return tables


def analyze(
    corpus: str | Path | Corpus = "data/corpus.csv",
    out: str | Path | None = None,
    stages: list[str] | None = None,
    params: dict | None = None,
    progress: bool | None = None,
) -> dict[str, Any]:
    """Load a corpus, run the stages and, when `out` is given, write every table there."""
    if not isinstance(corpus, Corpus):
        corpus = load_corpus(corpus, progress=progress)
    tables = run_stages(corpus, stages, params)
    if out is not None:
        write_tables(tables, Path(out))
    return tables


def _atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Write via a temporary file in the same folder, then rename: a table is whole or absent."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_tables(tables: dict[str, Any], out: Path) -> list[Path]:
    """Write DataFrames as UTF-8 CSV (`name.csv`) and dicts/lists as JSON (`name.json`)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, value in tables.items():
        if isinstance(value, pd.DataFrame):
            path = out / f"{name}.csv"
            _atomic_write(path, lambda p, v=value: v.to_csv(p, index=False, encoding="utf-8"))
        else:
            path = out / f"{name}.json"
            _atomic_write(
                path,
                lambda p, v=value: p.write_text(
                    json.dumps(v, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
                ),
            )
        written.append(path)
    return written
