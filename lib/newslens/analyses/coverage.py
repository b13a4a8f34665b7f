"""Coverage at a glance: how much each outlet published on the story, and when.

    outlet_coverage(documents)    # outlet, articles, words, sentences, first, last, span_days
    publication_dates(documents)  # doc_id, outlet, title, published, n_words (one row per article)

Both read the `documents` table of the corpus (`corpus.documents`), whose `n_words` and `n_sentences`
are counted on the cleaned bodies, so they match every other table of the chain.
"""
from __future__ import annotations

import pandas as pd

from newslens.corpus.loader import ranked_outlets

COVERAGE_COLUMNS = ["outlet", "articles", "words", "sentences", "first", "last", "span_days"]
DATE_COLUMNS = ["doc_id", "outlet", "title", "published", "n_words"]


def _dates(documents: pd.DataFrame) -> pd.Series:
    # The manifest validates `published` as an ISO date, so parsing cannot silently drop rows.
    return pd.to_datetime(documents["published"], format="%Y-%m-%d")


def publication_dates(documents: pd.DataFrame) -> pd.DataFrame:
    """One row per article with its publication date as a datetime, earliest first."""
    out = documents.reindex(columns=DATE_COLUMNS).copy()
    out["published"] = _dates(documents)
    out["n_words"] = out["n_words"].astype(int)
    return out.sort_values(["published", "outlet", "doc_id"], ignore_index=True)


def outlet_coverage(documents: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: articles, words and sentences (cleaned bodies), first and last publication date and
    the span between them in days; outlets ranked as everywhere else (most articles first)."""
    dated = documents.assign(_date=_dates(documents))
    per = dated.groupby("outlet").agg(
        articles=("doc_id", "size"),
        words=("n_words", "sum"),
        sentences=("n_sentences", "sum"),
        first=("_date", "min"),
        last=("_date", "max"),
    )
    per["span_days"] = (per["last"] - per["first"]).dt.days
    per = per.reindex(ranked_outlets(documents)).reset_index()
    for col in ("articles", "words", "sentences", "span_days"):
        per[col] = per[col].astype(int)
    return per[COVERAGE_COLUMNS]
