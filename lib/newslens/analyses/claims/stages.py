"""Stage `claims` of the pipeline."""
from __future__ import annotations

import pandas as pd

from newslens.analyses.claims.extract import extract_claims
from newslens.core.stage import Settings, Stage


# --- pipeline stage ------------------------------------------------------------------------------
def stage(corpus, tables: dict, settings: Settings) -> dict[str, pd.DataFrame]:
    """Pipeline stage `claims`: table `claims` (doc_id, outlet, sent_id, value, qualifier, unit,
    subject, claim_group, text, ...). Reads `entities` when the entities stage ran before it."""
    sentences = tables.get("sentences", corpus.sentences)
    documents = tables.get("documents", corpus.documents)
    entities = tables["entities"] if "entities" in tables else None
    return {"claims": extract_claims(sentences, documents, entities)}


STAGE = Stage("claims", stage, "numeric claims: what each number counts, qualifier, period, claim group",
              settings=Settings, needs=("documents", "sentences", "entities"), makes=("claims",), per_document=True)
