"""The outlet pair of a comparison stage (terms, tone) as settings: `source_a` set against `source_b`."""
from __future__ import annotations

from dataclasses import dataclass, replace

from newslens.core.stage import Settings, param
from newslens.corpus.loader import pair_settings


@dataclass(frozen=True)
class PairSettings(Settings):
    """Settings with the outlet pair: given names validated, the default pair chosen for the corpus
    (newslens.corpus.loader.pair_settings); "" on a corpus of fewer than two outlets."""

    source_a: str = param("", "outlet set against source_b (default: the second-largest outlet)")
    source_b: str = param("", "the reference outlet (default: the outlet with most articles)")

    def finished(self, documents) -> "PairSettings":
        return replace(self, **pair_settings(documents, {"source_a": self.source_a, "source_b": self.source_b}))
