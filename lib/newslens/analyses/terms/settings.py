"""The settings of stage `terms` and its declaration, apart from the scoring (newslens.analyses.terms.stages):
listing the stages, or reading their tables from the cache, does not import it."""
from __future__ import annotations

from dataclasses import dataclass

from newslens.analyses.outlet_pair import PairSettings
from newslens.analyses.terms.scoring import DEFAULT_PRIOR, DEFAULT_REST_MIN_COUNT
from newslens.core.stage import Stage, param


@dataclass(frozen=True)
class TermsSettings(PairSettings):
    """The parameters of stage `terms`: the outlet pair and the thresholds below."""

    prior_strength: float = param(DEFAULT_PRIOR, "alpha_0, total strength of the Dirichlet prior")
    terms_min_count: int = param(3, "a term is listed when the two outlets together use it this often")
    terms_rest_min_count: int = param(DEFAULT_REST_MIN_COUNT, "an outlet-vs-rest row needs the outlet to "
                                      "use the term this often (unless its under-use is significant)")


STAGE = Stage("terms", "newslens.analyses.terms.stages:stage",
              "distinctive words: Dirichlet-prior log-odds, A vs B and each vs rest",
              settings=TermsSettings, needs=("documents", "sentences"), makes=("terms",))
