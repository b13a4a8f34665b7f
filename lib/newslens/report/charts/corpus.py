"""Charts of the corpus itself: how long each article is and what cleaning removed from each page.

Each function returns one Altair chart; data is one row per document or per (document, reason), so it
stays small for any corpus. Clicking an outlet in the legend highlights its articles.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from newslens.corpus.loader import ranked_outlets


def _short(text, n: int = 120) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def document_lengths(documents: pd.DataFrame) -> alt.Chart:
    """One bar per document: its length in words after cleaning, coloured by outlet, documents grouped
    by outlet and ordered by date. Hover for the title, date and sentence count; click the legend to
    highlight one outlet."""
    data = documents[["doc_id", "outlet", "title", "published", "n_words", "n_sentences"]].copy()
    data["title"] = data["title"].map(_short)
    data["published"] = data["published"].astype(str)
    data = data.sort_values(["published", "doc_id"])
    order = ranked_outlets(documents)
    pick = alt.selection_point(fields=["outlet"], bind="legend")
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("n_words:Q", title="words after cleaning"),
        y=alt.Y("doc_id:N", sort=data["doc_id"].tolist(), title=None),
        color=alt.Color("outlet:N", sort=order, title="outlet"),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.25)),
        tooltip=[alt.Tooltip("outlet:N"), alt.Tooltip("published:N", title="date"),
                 alt.Tooltip("title:N"), alt.Tooltip("n_words:Q", title="words", format=","),
                 alt.Tooltip("n_sentences:Q", title="sentences")],
    ).add_params(pick).properties(title="Article length", width=520, height=alt.Step(18))


def removed_by_reason(removed: pd.DataFrame, documents: pd.DataFrame) -> alt.Chart:
    """Lines cleaning removed from each document, stacked by reason (navigation, captions, related
    links, ...). Hover for the reason, the count and one example line."""
    if removed.empty:
        data = pd.DataFrame(columns=["doc_id", "outlet", "reason", "lines", "example"])
    else:
        data = removed.merge(documents[["doc_id", "outlet"]], on="doc_id", how="left").groupby(
            ["doc_id", "outlet", "reason"]).agg(lines=("line", "size"), example=("text", "first")).reset_index()
        data["example"] = data["example"].map(_short)
    doc_order = documents.sort_values(["published", "doc_id"])["doc_id"].tolist()
    pick = alt.selection_point(fields=["reason"], bind="legend")
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("sum(lines):Q", title="lines removed"),
        y=alt.Y("doc_id:N", sort=doc_order, title=None),
        color=alt.Color("reason:N", title="reason"),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.25)),
        tooltip=[alt.Tooltip("doc_id:N", title="document"), alt.Tooltip("outlet:N"),
                 alt.Tooltip("reason:N"), alt.Tooltip("lines:Q"),
                 alt.Tooltip("example:N", title="example line")],
    ).add_params(pick).properties(title="What cleaning removed, per document", width=520,
                                  height=alt.Step(18))
