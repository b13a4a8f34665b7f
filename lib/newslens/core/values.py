"""Small helpers on single cell values, shared by the analyses."""
from __future__ import annotations

import pandas as pd


def is_missing(v) -> bool:
    """None, NaT or NaN (a cell pandas reads as missing). The common cases first, without pd.isna:
    merging timeline reports calls this millions of times on a large corpus."""
    if v is None or v is pd.NaT:
        return True
    if isinstance(v, float):
        return v != v
    if isinstance(v, (str, int, pd.Timestamp)):
        return False
    return bool(pd.isna(v))
