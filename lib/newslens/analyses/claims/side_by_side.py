"""Claims set side by side across outlets: one row per claim group, with the values each outlet gives."""
from __future__ import annotations

import math

import pandas as pd

from newslens.analyses.claims.words import DEFAULT_TOLERANCE
from newslens.core.errors import ParameterError


# --- side by side ----------------------------------------------------------------------------------
def claim_interval(row, tolerance: float = DEFAULT_TOLERANCE) -> tuple[float, float]:
    """The range of values a claim allows: exact -> the value; "some"/"about" -> +/- tolerance;
    "more than" -> [value, inf); "up to" -> (-inf, value]; "nearly" -> [value*(1-tol), value];
    vague quantities ("dozens") -> their conventional range."""
    value, low, high = row.value, row.low, row.high
    if value is None or (isinstance(value, float) and math.isnan(value)):
        lo = -math.inf if low is None or pd.isna(low) else float(low)
        hi = math.inf if high is None or pd.isna(high) else float(high)
        return lo, hi
    value = float(value)
    lo = -math.inf if low is None or pd.isna(low) else float(low)
    hi = math.inf if high is None or pd.isna(high) else float(high)
    if row.approximate:
        if lo != -math.inf:
            lo = min(lo, value * (1 - tolerance))
        if hi != math.inf:
            hi = max(hi, value * (1 + tolerance))
    return lo, hi


def claims_side_by_side(
    claims: pd.DataFrame, min_outlets: int = 1, tolerance: float = DEFAULT_TOLERANCE,
) -> pd.DataFrame:
    """One row per claim group, one column per outlet with the figures as stated ("More than 8,000";
    several joined by "; "), and flags:

    * `values_differ`: outlets state different values (8,000 vs 8,868);
    * `compatible`: one true figure could satisfy every claim, reading "more than" as an open bound and
      "some"/"about" as +/- `tolerance` ("more than 8,000" and "8,868" are compatible; "some 8,000" and
      "8,868" are not, at 10%);
    * `disagree`: named by two or more outlets and not compatible.

    Groups named by fewer than `min_outlets` outlets are left out; disagreements come first.
    """
    if not 0 <= tolerance < 1:
        raise ParameterError(f"tolerance must be between 0 and 1, got {tolerance}")
    # claims without a unit have no group ("" here, NaN when read back from claims.csv)
    grouped = claims[claims["claim_group"].fillna("").astype(str) != ""]
    outlets = list(dict.fromkeys(grouped["outlet"].tolist()))
    rows = []
    for group, g in grouped.groupby("claim_group", sort=False):
        n_outlets = g["outlet"].nunique()
        if n_outlets < min_outlets:
            continue
        intervals = [claim_interval(r, tolerance) for r in g.itertuples(index=False)]
        lo = max(i[0] for i in intervals)
        hi = min(i[1] for i in intervals)
        per_outlet_values = g.dropna(subset=["value"]).groupby("outlet")["value"].agg(lambda v: frozenset(v))
        distinct = set().union(*per_outlet_values.tolist()) if len(per_outlet_values) else set()
        row = {
            "claim_group": group, "unit": g["unit"].iloc[0], "event": g["event"].iloc[0],
            "period": g["period"].iloc[0], "outlets": n_outlets, "claims": len(g),
        }
        for o in outlets:
            mine = g[g["outlet"] == o]
            row[o] = "; ".join(dict.fromkeys(mine["stated"].tolist())) if len(mine) else ""
        row["values_differ"] = n_outlets >= 2 and len(distinct) > 1
        row["compatible"] = bool(lo <= hi)
        row["disagree"] = bool(n_outlets >= 2 and lo > hi)
        row["min_value"] = g["value"].min()
        row["max_value"] = g["value"].max()
        rows.append(row)
    cols = ["claim_group", "unit", "event", "period", "outlets", "claims", *outlets, "values_differ",
            "compatible", "disagree", "min_value", "max_value"]
    table = pd.DataFrame(rows, columns=cols)
    if table.empty:
        return table
    return table.sort_values(["disagree", "values_differ", "outlets", "claims"],
                             ascending=[False, False, False, False]).reset_index(drop=True)
