"""Keeping a chart bounded whatever the corpus size: top-N outlets with the rest folded into one row,
and a titled note of what was left out.

    data, note = top_outlets(documents, 12)   # doc rows, outlet beyond the 12 largest -> "other outlets (N)"
"""
from __future__ import annotations

import pandas as pd

TOP_OUTLETS = 12


def outlet_order(documents: pd.DataFrame) -> list[str]:
    from newslens.corpus.loader import ranked_outlets

    return ranked_outlets(documents)


CHART_OUTLETS = 8  # outlets drawn in per-outlet charts of reports 03 and 04 (A and B always)


def shown_outlets(r, n: int = CHART_OUTLETS) -> list[str]:
    """A, B of a report `r` (newslens.report.opening.Report) and then the largest outlets, at most `n`."""
    order = [o for o in (r.a, r.b) if o] + outlet_order(r.documents)
    return list(dict.fromkeys(order))[:n]


def fold_outlets(frame: pd.DataFrame, documents: pd.DataFrame, top: int = TOP_OUTLETS,
                 column: str = "outlet") -> tuple[pd.DataFrame, list[str], str]:
    """`frame` with `column` outside the `top` largest outlets replaced by "other outlets (N)";
    returns (frame, the order of the shown labels, a note such as "and 36 more outlets" or "")."""
    order = outlet_order(documents)
    if len(order) <= top:
        return frame, order, ""
    keep = order[:top]
    other = f"other outlets ({len(order) - top})"
    out = frame.copy()
    out[column] = out[column].where(out[column].isin(keep), other)
    return out, [*keep, other], f"the {top} largest outlets and {len(order) - top} more folded into one row"
