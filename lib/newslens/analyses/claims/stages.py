"""Stage `claims` of the pipeline (its declaration: newslens.analyses.claims.settings)."""
from __future__ import annotations

import pandas as pd

from newslens.analyses.claims.extract import extract_claims
from newslens.core.stage import Settings
# Declared in the light settings module; importable from here as before.
from newslens.analyses.claims.settings import STAGE  # noqa: F401


# --- pipeline stage ------------------------------------------------------------------------------
def stage(corpus, tables: dict, settings: Settings) -> dict[str, pd.DataFrame]:
    """Pipeline stage `claims`: table `claims` (doc_id, outlet, sent_id, value, qualifier, unit,
    subject, claim_group, text, ...). Reads `entities` when the entities stage ran before it."""
    sentences = tables.get("sentences", corpus.sentences)
    documents = tables.get("documents", corpus.documents)
    entities = tables["entities"] if "entities" in tables else None
    return {"claims": extract_claims(sentences, documents, entities)}
