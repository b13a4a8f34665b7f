"""The settings of the tone stages and the declarations of stages "sentiment", "tone" and "tone_targets",
apart from their implementations (newslens.analyses.sentiment, tone, targets): listing the stages, or
reading their tables from the cache, imports none of them (nor VADER, the lexicons or the bootstrap)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from newslens.analyses.outlet_pair import PairSettings
from newslens.core.errors import ParameterError
from newslens.core.paths import resolve
from newslens.core.stage import Settings, Stage, param


def read_positive_whole(name: str, value) -> int:
    """A whole number of 1 or more (7, "7")."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        if isinstance(value, str) and value.strip().isdigit() and int(value) >= 1:
            return int(value)
        raise ParameterError(f"{name} must be a positive whole number, got {value!r}")
    return int(value)


def read_seed(name: str, value) -> int:
    """A whole number of 0 or more."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer, str)) or not str(value).strip().isdigit():
        raise ParameterError(f"{name} must be a whole number of 0 or more, got {value!r}")
    return int(value)


@dataclass(frozen=True)
class IntervalSettings(Settings):
    """The bootstrap's parameters (stage "tone_targets"; also part of "tone")."""

    n_boot: int = param(2000, "bootstrap resamples for each interval", read_positive_whole)
    seed: int = param(0, "random seed of the bootstrap and permutation draws", read_seed)


@dataclass(frozen=True)
class ToneSettings(PairSettings, IntervalSettings):
    """The parameters of stage "tone": the outlet pair, the bootstrap's, n_perm and a user lexicon."""

    n_perm: int = param(10_000, "permutations of each A-versus-B test", read_positive_whole)
    lexicon: str = param("", "a user lexicon CSV for the article tone and the word-shift (default: none)",
                         lambda name, value: str(resolve(value)))


STAGE = Stage("sentiment", "newslens.analyses.sentiment:stage",
              "VADER per sentence, voice (quoted/own/mixed), voice parts",
              settings=Settings, needs=("documents", "sentences"), makes=("sentences", "voice_parts"),
              per_document=True)


TONE_STAGE = Stage("tone", "newslens.analyses.tone:tone_stage",
                   "tone per article and outlet with intervals, A v B tests, word-shift",
                   settings=ToneSettings, needs=("documents", "sentences", "voice_parts"),
                   makes=("tone_article", "tone_outlet", "tone_tests", "tone_wordshift"))


TARGETS_STAGE = Stage("tone_targets", "newslens.analyses.targets:targets_stage",
                      "tone of the sentences naming each actor, per outlet, with intervals",
                      settings=IntervalSettings, needs=("documents", "sentences", "entities"),
                      makes=("tone_targets",))
