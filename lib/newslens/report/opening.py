"""One call opens a report: the corpus, the outlet pair and the analysis tables it reads.

    r = open_report(corpus, source_a, source_b, needs=["terms", "reuse"], params={"prior_strength": 500})
    r.corpus, r.a, r.b, r.tables["terms"]

The tables come from the pipeline's `run_stages`, so they are the same as `analyze` writes to data/ (and
read from its cache when the render has just analysed the corpus). A notebook never recomputes a stage's
table: it reads it here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from newslens.core.paths import resolve


@dataclass
class Report:
    """What a report's cells read: the loaded corpus, outlet A and B, and the tables by name."""

    corpus: object
    a: str | None
    b: str | None
    tables: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    path: Path | None = None
    _memo: dict = field(default_factory=dict, repr=False)

    def memo(self, key: str, compute):
        """compute() once per report: several cells read the same derived table."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def pair(self) -> str:
        """"A and B" (or A alone on a one-outlet corpus), for captions."""
        return " and ".join(o for o in (self.a, self.b) if o)

    @property
    def documents(self) -> pd.DataFrame:
        return self.corpus.documents

    @property
    def sentences(self) -> pd.DataFrame:
        """The sentences as the stages left them (scored by `sentiment` when it ran)."""
        return self.tables.get("sentences", self.corpus.sentences)

    def table(self, name: str) -> pd.DataFrame:
        """A table by name; an empty frame when the stage made none (e.g. one outlet: no terms)."""
        value = self.tables.get(name)
        return value if value is not None else pd.DataFrame()


def _pair(documents: pd.DataFrame, source_a: str, source_b: str) -> tuple[str | None, str | None]:
    from newslens.corpus.loader import choose_sources

    if documents["outlet"].nunique() < 2 and not (source_a or source_b):
        only = documents["outlet"].iloc[0] if len(documents) else None
        return only, None
    return choose_sources(documents, source_a or None, source_b or None)


def open_report(corpus: str | Path, source_a: str = "", source_b: str = "", needs=(),
                params: dict | None = None) -> Report:
    """Load `corpus`, choose outlets A and B (empty: the default pair) and run the stages in `needs`
    with `params` (the outlet pair is added to them). A one-outlet corpus opens with b = None."""
    from newslens.corpus.loader import load_corpus
    from newslens.pipeline.run import run_stages

    path = resolve(corpus)
    c = load_corpus(path, progress=False)
    a, b = _pair(c.documents, source_a, source_b)
    run_params = dict(params or {})
    if source_a:
        run_params["source_a"] = a
    if source_b:
        run_params["source_b"] = b
    tables = run_stages(c, list(needs), run_params) if needs else {}
    return Report(corpus=c, a=a, b=b, tables=tables, params=run_params, path=path)
