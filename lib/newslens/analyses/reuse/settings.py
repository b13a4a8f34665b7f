"""The settings of shared-passage detection (stage `reuse`) and the columns of its tables."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from newslens.core.errors import ParameterError
from newslens.core.stage import Settings, Stage, param


REUSE_COLUMNS = ["doc_a", "doc_b", "start_a", "end_a", "start_b", "end_b", "text_a", "text_b", "n_words"]


PAIR_COLUMNS = ["doc_a", "doc_b", "outlet_a", "outlet_b", "published_a", "published_b",
                "passages", "n_words", "share_a", "share_b"]


SHARE_COLUMNS = ["doc_id", "outlet", "published", "n_words", "shared_words", "share", "partners"]


def _read_as(kind: type):
    """A reader of a reuse parameter as `kind` (int or float), naming the parameter when it fails."""
    def read(name: str, value) -> int | float:
        try:
            return kind(value)
        except (TypeError, ValueError):
            raise ParameterError(f"{name} must be a number ({kind.__name__}), got {value!r}") from None
    return read


@dataclass(frozen=True)
class ReuseSettings(Settings):
    """The knobs of shared-passage detection, with defaults that suit news articles; the parameters of
    stage `reuse`, named reuse_<field> (e.g. reuse_min_words=12)."""

    prefix: ClassVar[str] = "reuse_"

    min_words: int = param(10, "identical words a passage needs to be reported", _read_as(int))
    shingle: int = param(3, "words per shingle; also the shortest identical run used as a seed", _read_as(int))
    max_gap: int = param(3, "differing words allowed inside one passage, on each side", _read_as(int))
    min_jaccard: float = param(0.3, "sentence-pair Jaccard similarity that makes two articles a candidate",
                               _read_as(float))
    num_perm: int = param(128, "MinHash signature length", _read_as(int))
    target_recall: float = param(0.95, "detection probability wanted for a sentence pair at min_jaccard",
                                 _read_as(float))
    seed: int = param(1, "MinHash permutations are drawn from this seed (results are repeatable)", _read_as(int))

    @classmethod
    def resolve(cls, documents, params: dict) -> "ReuseSettings":
        """The settings reuse_<field> parameters give ("" and None read as the default; an unknown
        reuse_ name is refused), validated."""
        known = cls.parameters()
        unknown = sorted(k for k in params if k.startswith(cls.prefix) and k not in known)
        if unknown:
            raise ParameterError(f"unknown reuse parameter(s): {', '.join(unknown)}; known: {', '.join(known)}")
        return super().resolve(documents, params)

    def finished(self, documents) -> "ReuseSettings":
        return self.validate()

    def validate(self) -> "ReuseSettings":
        checks = [
            (self.min_words >= 1, f"min_words must be at least 1, got {self.min_words}"),
            (self.shingle >= 1, f"shingle must be at least 1, got {self.shingle}"),
            (self.max_gap >= 0, f"max_gap must be 0 or more, got {self.max_gap}"),
            (0 < self.min_jaccard <= 1, f"min_jaccard must be in (0, 1], got {self.min_jaccard}"),
            (self.num_perm >= 2, f"num_perm must be at least 2, got {self.num_perm}"),
            (0 < self.target_recall < 1, f"target_recall must be in (0, 1), got {self.target_recall}"),
        ]
        for ok, message in checks:
            if not ok:
                raise ParameterError(f"reuse: {message}")
        return self


def band_shape(min_jaccard: float, num_perm: int, target_recall: float) -> tuple[int, int]:
    """(bands, rows): the most selective band shape (most rows per band, so fewest chance collisions)
    that still finds a pair at `min_jaccard` with probability >= target_recall."""
    for rows in range(num_perm, 0, -1):
        bands = num_perm // rows
        if detection_probability(min_jaccard, bands, rows) >= target_recall:
            return bands, rows
    return num_perm, 1


def detection_probability(similarity: float, bands: int, rows: int) -> float:
    """Chance that LSH puts two sets of this Jaccard similarity in a common bucket: 1 - (1 - s^r)^b."""
    return 1.0 - (1.0 - similarity ** rows) ** bands


def recall_note(settings: ReuseSettings | None = None) -> dict[str, float]:
    """The LSH band shape and the chance of finding a sentence pair at a few similarities, for a
    method card: {"bands", "rows", "p_threshold" (at min_jaccard), "p_0.2", "p_0.5", "p_0.8"}."""
    settings = (settings or ReuseSettings()).validate()
    bands, rows = band_shape(settings.min_jaccard, settings.num_perm, settings.target_recall)
    note = {"bands": bands, "rows": rows,
            "p_threshold": detection_probability(settings.min_jaccard, bands, rows)}
    for s in (0.2, 0.5, 0.8):
        note[f"p_{s:g}"] = detection_probability(s, bands, rows)
    return note


def settings_from_params(params: dict) -> ReuseSettings:
    """ReuseSettings from pipeline parameters named reuse_<field> (e.g. reuse_min_words=12), validated."""
    return ReuseSettings.resolve(None, params)


# The stage is declared here, away from its implementation (newslens.analyses.reuse.passages, which
# imports scipy): listing the stages, or reading their tables from the cache, imports neither.
STAGE = Stage("reuse", "newslens.analyses.reuse.passages:stage",
              "shared passages between articles (MinHash/LSH + alignment)",
              settings=ReuseSettings, needs=("documents", "sentences"), makes=("reuse", "reuse_pairs", "reuse_share"))
