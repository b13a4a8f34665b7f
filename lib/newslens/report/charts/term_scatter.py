"""A Scattertext-style chart of outlet A against outlet B: each term at (its frequency in A, its
frequency in B), coloured by its log-odds z-score (blue leans to A, red to B), hover for the term, its
counts and a few keyword-in-context lines from each outlet.

Bounded whatever the corpus: only the `top` terms most typical of each side and the `frequent` most used
terms are drawn (the subtitle says how many of how many); KWIC lines (two per outlet) for the most typical
terms only, found among the first sentences holding the term's first word.
"""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

KWIC_WIDTH = 50


def chosen_terms(pair: pd.DataFrame, top: int = 60, frequent: int = 60) -> pd.DataFrame:
    """The rows drawn: the `top` highest and lowest z, and the `frequent` most used terms (no repeats)."""
    if pair.empty:
        return pair
    total = pair["count_a"] + pair["count_b"]
    keep = pd.Index(pair.nlargest(top, "z").index).union(pair.nsmallest(top, "z").index)\
        .union(total.nlargest(frequent).index)
    return pair.loc[keep]


def kwic_lines(sentences: pd.DataFrame, documents: pd.DataFrame, terms: list[str], outlet: str,
               per_term: int = 2, max_sentences: int = 20000) -> dict[str, str]:
    """term -> up to `per_term` "…left TERM right…" lines from `outlet`'s sentences (the first
    `max_sentences` that hold the term's first word)."""
    from newslens.analyses.terms import keyword_in_context

    docs = set(documents.loc[documents["outlet"] == outlet, "doc_id"])
    own = sentences[sentences["doc_id"].isin(docs)]
    lowered = own["text"].str.lower()
    out = {}
    for term in terms:
        first = term.split()[0] if term.split() else term
        hits = own[lowered.str.contains(first, regex=False)].head(max_sentences)
        rows = keyword_in_context(hits, term, KWIC_WIDTH, limit=per_term)
        out[term] = " | ".join(f"…{' '.join(r.left.split())} [{r.term}] {' '.join(r.right.split())}…"
                               for r in rows.itertuples())
    return out


def term_scatter(pair: pd.DataFrame, words_a: int, words_b: int, label_a: str, label_b: str,
                 kwic: dict[str, tuple[str, str]] | None = None, top: int = 60, frequent: int = 60) -> alt.Chart:
    """The chart (see the module doc). `pair`: the terms table rows of A against B (count_a, count_b,
    z); words_a/words_b: words of each outlet (frequencies per 10,000 words); kwic: term -> (A line, B line)."""
    data = chosen_terms(pair, top, frequent).copy()
    data["per10k_a"] = 1e4 * data["count_a"] / max(words_a, 1)
    data["per10k_b"] = 1e4 * data["count_b"] / max(words_b, 1)
    # Log axes: a term absent from one side sits on that axis' floor, half the smallest visible rate.
    floor_a = 0.5e4 / max(words_a, 1)
    floor_b = 0.5e4 / max(words_b, 1)
    data["x"] = np.maximum(data["per10k_a"], floor_a)
    data["y"] = np.maximum(data["per10k_b"], floor_b)
    kwic = kwic or {}
    data["in_a"] = data["term"].map(lambda t: kwic.get(t, ("", ""))[0])
    data["in_b"] = data["term"].map(lambda t: kwic.get(t, ("", ""))[1])
    data["z"] = data["z"].round(2)
    data = data[["term", "count_a", "count_b", "per10k_a", "per10k_b", "x", "y", "z", "in_a", "in_b"]]
    lim = float(max(3.0, data["z"].abs().max() if len(data) else 3.0))
    subtitle = (f"{len(data):,} of {len(pair):,} terms drawn: the {top} most typical of each outlet and the "
                f"{frequent} most used; hover for examples")
    return alt.Chart(data).mark_circle(size=55, opacity=0.85).encode(
        x=alt.X("x:Q", scale=alt.Scale(type="log"), title=f"per 10,000 words in {label_a}"),
        y=alt.Y("y:Q", scale=alt.Scale(type="log"), title=f"per 10,000 words in {label_b}"),
        color=alt.Color("z:Q", scale=alt.Scale(scheme="redblue", domain=[-lim, lim], reverse=False),
                        title="z (log-odds)"),
        tooltip=[alt.Tooltip("term:N"), alt.Tooltip("count_a:Q", title=f"uses in {label_a}", format=","),
                 alt.Tooltip("count_b:Q", title=f"uses in {label_b}", format=","),
                 alt.Tooltip("z:Q", title="z", format="+.2f"),
                 alt.Tooltip("in_a:N", title=f"in {label_a}"), alt.Tooltip("in_b:N", title=f"in {label_b}")],
    ).properties(title=alt.TitleParams(f"Terms: {label_a} (right) vs {label_b} (up)", subtitle=subtitle),
                 width=520, height=420)
