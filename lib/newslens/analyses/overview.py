"""The corpus at a glance: the facts notebook 01 states and the cleaning audit it shows.

    facts = corpus_facts(corpus.documents)          # documents, outlets, words, first/last date, ...
    removed_summary(corpus.removed, corpus.documents)  # one row per cleaning reason, with its explanation
"""
from __future__ import annotations

import pandas as pd

from newslens.corpus.clean import REASONS


def corpus_facts(documents: pd.DataFrame) -> dict:
    """Counts a reader needs first: documents, outlets, words, sentences, date range, shortest/longest."""
    docs = documents.sort_values(["n_words", "doc_id"])
    dates = pd.to_datetime(documents["published"], errors="coerce").dropna()
    return {
        "documents": int(len(documents)),
        "outlets": int(documents["outlet"].nunique()),
        "words": int(documents["n_words"].sum()),
        "sentences": int(documents["n_sentences"].sum()),
        "first": dates.min().date().isoformat() if len(dates) else "",
        "last": dates.max().date().isoformat() if len(dates) else "",
        "span_days": int((dates.max() - dates.min()).days) if len(dates) else 0,
        "median_words": float(documents["n_words"].median()) if len(documents) else 0.0,
        "shortest": docs.iloc[0].to_dict() if len(docs) else {},
        "longest": docs.iloc[-1].to_dict() if len(docs) else {},
        "non_utf8": documents.loc[documents["encoding"] != "utf-8", "doc_id"].tolist(),
    }


def outlet_table(documents: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: documents, words, median words per document, first and last date (most articles first)."""
    from newslens.corpus.loader import ranked_outlets

    table = documents.groupby("outlet").agg(
        documents=("doc_id", "size"), words=("n_words", "sum"), median_words=("n_words", "median"),
        first=("published", "min"), last=("published", "max"),
    )
    return table.reindex(ranked_outlets(documents)).reset_index()


def removed_summary(removed: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """One row per cleaning reason: lines removed, documents affected, what the reason means, an example.

    Sorted by lines removed. `share_of_lines` is the reason's share of all removed lines.
    """
    columns = ["reason", "lines", "documents", "share_of_lines", "meaning", "example"]
    if removed.empty:
        return pd.DataFrame(columns=columns)
    grouped = removed.groupby("reason").agg(
        lines=("line", "size"), documents=("doc_id", "nunique"), example=("text", "first"),
    ).reset_index()
    grouped["share_of_lines"] = (grouped["lines"] / grouped["lines"].sum()).round(3)
    grouped["meaning"] = grouped["reason"].map(lambda r: REASONS.get(r, r))
    grouped["example"] = grouped["example"].map(lambda t: t if len(t) <= 120 else t[:119] + "…")
    return grouped.sort_values(["lines", "reason"], ascending=[False, True])[columns].reset_index(drop=True)


def removed_lines(removed: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Every removed line with its document's outlet, in document and line order (the audit table)."""
    merged = removed.merge(documents[["doc_id", "outlet"]], on="doc_id", how="left")
    return merged[["doc_id", "outlet", "line", "reason", "text"]].sort_values(
        ["doc_id", "line"]).reset_index(drop=True)
