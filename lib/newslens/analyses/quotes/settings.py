"""The declaration of stage `quotes` (it reads no parameter), apart from the extraction
(newslens.analyses.quotes.stages): listing the stages, or reading their tables from the cache, does not import it."""
from __future__ import annotations

from newslens.core.stage import Settings, Stage


STAGE = Stage("quotes", "newslens.analyses.quotes.stages:stage",
              "voices: direct and reported speech, speaker and speaker group",
              settings=Settings, needs=("sentences", "entities"), makes=("quotes",), per_document=True)
