"""The tables a stage receives, recording what it reads; a batch's view of them and of the corpus."""
from __future__ import annotations

from typing import Any

import pandas as pd

from newslens.corpus.loader import Corpus


class TrackedTables(dict):
    """The tables a stage receives, recording which names it looked up (for the cache's dependencies).

    Iterating over all tables counts as reading all of them.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reads: set[str] = set()

    def __getitem__(self, name):
        self.reads.add(name)
        return super().__getitem__(name)

    def get(self, name, default=None):
        self.reads.add(name)
        return super().get(name, default)

    def __contains__(self, name):
        self.reads.add(name)
        return super().__contains__(name)

    def _read_all(self):
        self.reads.update(super().keys())

    def __iter__(self):
        self._read_all()
        return super().__iter__()

    def keys(self):
        self._read_all()
        return super().keys()

    def values(self):
        self._read_all()
        return super().values()

    def items(self):
        self._read_all()
        return super().items()

    def copy(self):
        self._read_all()
        return dict(super().items())


class BatchTables(TrackedTables):
    """A batch's view of the tables: a table with a doc_id column is cut to the batch's documents the
    first time it is looked up (so a worker slices only what its stage reads)."""

    def __init__(self, tables: dict, doc_ids: list[str]):
        super().__init__(tables)
        self._ids = set(doc_ids)
        self._cut: set[str] = set()

    def _slice(self, name):
        if name not in self._cut and dict.__contains__(self, name):
            self._cut.add(name)
            dict.__setitem__(self, name, rows_of(dict.__getitem__(self, name), self._ids))

    def __getitem__(self, name):
        self._slice(name)
        return super().__getitem__(name)

    def get(self, name, default=None):
        self._slice(name)
        return super().get(name, default)

    def _read_all(self):
        for name in list(dict.keys(self)):
            self._slice(name)
        super()._read_all()


def rows_of(value: Any, ids: set[str]) -> Any:
    """The rows of a table that belong to the documents `ids` (other values are passed whole)."""
    if not isinstance(value, pd.DataFrame) or "doc_id" not in value.columns:
        return value
    part = value[value["doc_id"].isin(ids)]
    if isinstance(value.index, pd.RangeIndex):
        part = part.reset_index(drop=True)
    return part


def batch_corpus(corpus: Corpus, doc_ids: list[str]) -> Corpus:
    """The part of a corpus holding the documents `doc_ids` (in corpus order)."""
    ids = set(doc_ids)
    return Corpus(
        corpus.manifest,
        rows_of(corpus.documents, ids),
        rows_of(corpus.sentences, ids),
        rows_of(corpus.removed, ids),
        {d: corpus.bodies[d] for d in doc_ids if d in corpus.bodies},
        {d: corpus.raw[d] for d in doc_ids if d in corpus.raw},
    )
