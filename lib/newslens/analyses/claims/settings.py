"""The declaration of stage `claims` (it reads no parameter), apart from the extraction
(newslens.analyses.claims.stages): listing the stages, or reading their tables from the cache, does not import it."""
from __future__ import annotations

from newslens.core.stage import Settings, Stage


STAGE = Stage("claims", "newslens.analyses.claims.stages:stage",
              "numeric claims: what each number counts, qualifier, period, claim group",
              settings=Settings, needs=("documents", "sentences", "entities"), makes=("claims",), per_document=True)
