"""newslens: compare how news outlets cover one story, every number traceable to its sentence.

The names below are imported on first use, so `python -m newslens --help` does not pay for pandas and
NLTK.
"""
from __future__ import annotations

from newslens.core.version import VERSION as __version__

__all__ = ["Corpus", "load_corpus", "read_tables", "NewslensError", "CorpusError", "ParameterError",
           "__version__"]

_LAZY = {
    "Corpus": "corpus.loader", "load_corpus": "corpus.loader", "read_tables": "pipeline.formats",
    "NewslensError": "core.errors", "CorpusError": "core.errors", "ParameterError": "core.errors",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'newslens' has no attribute {name!r}")
