"""Claim groups across outlets, vectorised: the rows of `claims.claims_side_by_side` (same flags, same
order) in time linear in the claims, with figure columns only for the outlets asked for.

`claims_side_by_side` builds one row per group in Python and looks up every outlet in every group: on
10,000 articles (35,000 groups, 50 outlets) that takes minutes. This computes the same `values_differ`,
`compatible`, `disagree`, `min_value`, `max_value` with group-wise pandas operations (tested equal).

    side = compare_groups(claims, outlets=[a, b], min_outlets=2)
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from newslens.analyses.claims import DEFAULT_TOLERANCE


def intervals(claims: pd.DataFrame, tolerance: float = DEFAULT_TOLERANCE) -> tuple[np.ndarray, np.ndarray]:
    """`claims.claim_interval` of every row at once: (low bounds, high bounds)."""
    value = pd.to_numeric(claims["value"], errors="coerce").to_numpy(dtype=float)
    lo = pd.to_numeric(claims["low"], errors="coerce").fillna(-np.inf).to_numpy(dtype=float)
    hi = pd.to_numeric(claims["high"], errors="coerce").fillna(np.inf).to_numpy(dtype=float)
    approx = claims["approximate"].fillna(False).astype(bool).to_numpy() & ~np.isnan(value)
    widen_lo = approx & (lo != -np.inf)
    widen_hi = approx & (hi != np.inf)
    lo = np.where(widen_lo, np.minimum(lo, value * (1 - tolerance)), lo)
    hi = np.where(widen_hi, np.maximum(hi, value * (1 + tolerance)), hi)
    return lo, hi


def compare_groups(claims: pd.DataFrame, outlets: list[str] | None = None, min_outlets: int = 1,
                   tolerance: float = DEFAULT_TOLERANCE) -> pd.DataFrame:
    """One row per claim group named by at least `min_outlets` outlets: claim_group, unit, event, period,
    outlets, claims, one column per outlet in `outlets` (figures as stated, "; "-joined), values_differ,
    compatible, disagree, min_value, max_value; disagreements first (as claims_side_by_side)."""
    outlets = [o for o in (outlets or []) if o]
    g = claims[claims["claim_group"].fillna("").astype(str) != ""].copy()
    cols = ["claim_group", "unit", "event", "period", "outlets", "claims", *outlets, "values_differ",
            "compatible", "disagree", "min_value", "max_value"]
    if g.empty:
        return pd.DataFrame(columns=cols)
    g["_lo"], g["_hi"] = intervals(g, tolerance)
    g["_order"] = np.arange(len(g))
    by = g.groupby("claim_group", sort=False)
    table = by.agg(unit=("unit", "first"), event=("event", "first"), period=("period", "first"),
                   outlets=("outlet", "nunique"), claims=("outlet", "size"), lo=("_lo", "max"), hi=("_hi", "min"),
                   min_value=("value", "min"), max_value=("value", "max"), first=("_order", "min"))
    distinct = g.dropna(subset=["value"]).groupby("claim_group", sort=False)["value"].nunique()
    table = table[table["outlets"] >= min_outlets]
    table["values_differ"] = (table["outlets"] >= 2) & (distinct.reindex(table.index).fillna(0) > 1)
    table["compatible"] = table["lo"] <= table["hi"]
    table["disagree"] = (table["outlets"] >= 2) & ~table["compatible"]
    for o in outlets:
        mine = g[g["outlet"] == o]
        stated = mine.groupby("claim_group", sort=False)["stated"].agg(lambda s: "; ".join(dict.fromkeys(s)))
        table[o] = stated.reindex(table.index).fillna("")
    table = table.sort_values("first").reset_index()
    table = table.sort_values(["disagree", "values_differ", "outlets", "claims"],
                              ascending=[False, False, False, False], kind="stable").reset_index(drop=True)
    return table[cols]
