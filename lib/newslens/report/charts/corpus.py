"""Charts of the corpus itself: how long the articles are and what cleaning removed.

Each function returns one Altair chart of aggregated data (bins, outlets, reasons), so its size does
not grow with the number of articles; outlets beyond the largest few are folded into one row.
"""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from newslens.report.charts.bounds import TOP_OUTLETS, fold_outlets

LENGTH_BINS = 24


def _title(text: str, note: str) -> alt.TitleParams | str:
    return alt.TitleParams(text, subtitle=note) if note else text


def document_lengths(documents: pd.DataFrame, top: int = TOP_OUTLETS, bins: int = LENGTH_BINS) -> alt.Chart:
    """Histogram of article length (words after cleaning) per outlet: one row per outlet (the largest
    `top`, the rest folded), bars = articles in each length bin. Hover for the bin and the count."""
    data, order, note = fold_outlets(documents[["outlet", "n_words"]], documents, top)
    words = data["n_words"].astype(float)
    hi = max(float(words.max()) if len(words) else 1.0, 1.0)
    edges = np.linspace(0, hi * 1.0001, bins + 1)
    data = data.assign(bin=np.clip(np.digitize(words, edges) - 1, 0, bins - 1))
    agg = data.groupby(["outlet", "bin"]).size().rename("articles").reset_index()
    agg["from"] = edges[agg["bin"]].round(0)
    agg["to"] = edges[agg["bin"] + 1].round(0)
    return alt.Chart(agg).mark_bar().encode(
        x=alt.X("from:Q", bin="binned", title="words after cleaning"), x2="to:Q",
        y=alt.Y("articles:Q", title="articles"),
        row=alt.Row("outlet:N", sort=order, title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
        tooltip=[alt.Tooltip("outlet:N"), alt.Tooltip("from:Q", title="from (words)", format=","),
                 alt.Tooltip("to:Q", title="to (words)", format=","), alt.Tooltip("articles:Q", format=",")],
    ).properties(width=460, height=40, title=_title("Article length", note))


def removed_by_reason(removed: pd.DataFrame, documents: pd.DataFrame, top: int = TOP_OUTLETS) -> alt.Chart:
    """Lines cleaning removed per outlet (the largest `top`, the rest folded), stacked by reason.
    Hover for the reason, the count, the articles affected and one example line."""
    cols = ["outlet", "reason", "lines", "articles", "example"]
    if removed.empty:
        data, order, note = pd.DataFrame(columns=cols), [], ""
    else:
        merged = removed.merge(documents[["doc_id", "outlet"]], on="doc_id", how="left")
        merged, order, note = fold_outlets(merged, documents, top)
        data = merged.groupby(["outlet", "reason"]).agg(
            lines=("line", "size"), articles=("doc_id", "nunique"), example=("text", "first")).reset_index()
        data["example"] = data["example"].map(lambda t: " ".join(str(t).split())[:120])
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("lines:Q", title="lines removed", stack=True),
        y=alt.Y("outlet:N", sort=order, title=None),
        color=alt.Color("reason:N", title="reason"),
        tooltip=[alt.Tooltip("outlet:N"), alt.Tooltip("reason:N"), alt.Tooltip("lines:Q", format=","),
                 alt.Tooltip("articles:Q", format=","), alt.Tooltip("example:N", title="example line")],
    ).properties(title=_title("What cleaning removed, per outlet", note), width=520, height=alt.Step(22))
