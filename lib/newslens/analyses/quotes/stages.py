"""Stage `quotes` of the pipeline (its declaration: newslens.analyses.quotes.settings)."""
from __future__ import annotations

from newslens.analyses.quotes.extract import extract_quotes
from newslens.core.stage import Settings
# Declared in the light settings module; importable beside the function as for the other stages.
from newslens.analyses.quotes.settings import STAGE  # noqa: F401


def stage(corpus, tables: dict, settings: Settings) -> dict:
    """Pipeline stage "quotes": table `quotes` (reads `entities` when that stage ran). An article's own
    outlet (the documents' `outlet`) is never one of its speakers."""
    docs = getattr(corpus, "documents", None)
    outlets = (dict(zip(docs["doc_id"], docs["outlet"].fillna("").astype(str)))
               if docs is not None and "outlet" in docs else None)
    return {"quotes": extract_quotes(tables["sentences"], bodies=corpus.bodies,
                                     entities=tables.get("entities"), outlets=outlets)}
