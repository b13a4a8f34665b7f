"""Summaries of the entities table: mentions by outlet, the actor table, spelling variants."""
from __future__ import annotations

import pandas as pd


# --- summaries ---------------------------------------------------------------------------------------
def mentions_by_outlet(entities: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Mentions per actor per outlet: outlet, entity, type, group, source, mentions, articles,
    outlet_articles, share_of_articles (articles of the outlet naming the actor / its articles)."""
    cols = ["outlet", "entity", "type", "group", "source", "mentions", "articles", "outlet_articles",
            "share_of_articles"]
    if entities.empty:
        return pd.DataFrame(columns=cols)
    docs = documents[["doc_id", "outlet"]].astype({"doc_id": str})
    per_outlet = docs.groupby("outlet").size().rename("outlet_articles")
    merged = entities.merge(docs, on="doc_id", how="left")
    counts = (
        merged.groupby(["outlet", "entity", "type", "group", "source"], dropna=False)
        .agg(mentions=("doc_id", "size"), articles=("doc_id", "nunique"))
        .reset_index()
        .join(per_outlet, on="outlet")
    )
    counts["share_of_articles"] = counts["articles"] / counts["outlet_articles"]
    return counts.sort_values(["outlet", "mentions", "entity"], ascending=[True, False, True])[cols] \
        .reset_index(drop=True)


def actor_table(entities: pd.DataFrame, documents: pd.DataFrame, min_mentions: int = 1) -> pd.DataFrame:
    """One row per actor, one column per outlet with its mentions, plus `total` and `outlets` (how many
    outlets name it); actors with fewer than `min_mentions` in all are left out. Sorted by total."""
    long = mentions_by_outlet(entities, documents)
    if long.empty:
        return pd.DataFrame(columns=["entity", "type", "group", "total", "outlets"])
    wide = long.pivot_table(index=["entity", "type", "group"], columns="outlet", values="mentions",
                            aggfunc="sum", fill_value=0)
    wide.columns = [str(c) for c in wide.columns]
    wide = wide.reset_index()
    outlets = [c for c in wide.columns if c not in ("entity", "type", "group")]
    wide["total"] = wide[outlets].sum(axis=1)
    wide["outlets"] = (wide[outlets] > 0).sum(axis=1)
    wide = wide[wide["total"] >= min_mentions]
    return wide.sort_values(["total", "entity"], ascending=[False, True]).reset_index(drop=True)


def variants(entities: pd.DataFrame) -> pd.DataFrame:
    """Spellings merged into each actor: entity, surface, mentions (only actors written more than one way)."""
    if entities.empty:
        return pd.DataFrame(columns=["entity", "surface", "mentions"])
    v = entities.groupby(["entity", "surface"]).size().rename("mentions").reset_index()
    multi = v.groupby("entity")["surface"].transform("nunique") > 1
    return v[multi].sort_values(["entity", "mentions"], ascending=[True, False]).reset_index(drop=True)
