"""Numbers, dates and empty cells as a reader expects them in a report.

    fmt_value(1234567)        -> "1,234,567"
    fmt_value(0.200238)       -> "0.20"
    fmt_value(7e8)            -> "700,000,000"
    fmt_money(7e8)            -> "$700 million"
    fmt_value(float("nan"))   -> ""            (NaN, NaT, None and pd.NA are empty, never "nan")
    fmt_value(pd.Timestamp("2014-01-05")) -> "2014-01-05"
    readable(df)              -> the same table with every cell as display text

No scientific notation ("7.000000e+08"), no "NaN"/"NaT"/"None" in what a reader sees.
"""
from __future__ import annotations

import datetime as dt
import math
from numbers import Integral, Real

import numpy as np
import pandas as pd

_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
# Columns holding money (US dollars) are shown as "$700 million".
MONEY_SUFFIXES = ("_usd",)
MONEY_NAMES = {"value_usd", "usd", "value (USD)"}


def is_empty(value) -> bool:
    """True for None, NaN, NaT, pd.NA and the empty string."""
    if value is None:
        return True
    if isinstance(value, str):
        return value == ""
    try:
        result = pd.isna(value)
    except (TypeError, ValueError):
        return False
    return bool(result) if isinstance(result, (bool, np.bool_)) else False


def fmt_number(value, decimals: int | None = None) -> str:
    """A number for reading: thousands separators, at most a few decimals, never scientific notation.

    decimals=None chooses: whole numbers without decimals, |x| >= 100 with none, |x| >= 1 with one
    (dropped when zero), smaller numbers with two significant decimals (0.20, 0.013)."""
    if is_empty(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, Integral):
        return f"{int(value):,}"
    x = float(value)
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if decimals is not None:
        return f"{x:,.{decimals}f}"
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    ax = abs(x)
    if ax >= 100:
        return f"{x:,.0f}"
    if ax >= 1:
        text = f"{x:,.1f}"
        return text[:-2] if text.endswith(".0") else text
    if ax >= 0.01:
        return f"{x:.2f}"
    if ax >= 0.0001:
        return f"{x:.4f}".rstrip("0")
    return "0" if ax < 5e-5 else f"{x:.4f}"


def fmt_money(value, currency: str = "$") -> str:
    """Money in words: 700e6 -> "$700 million", 1.5e9 -> "$1.5 billion", 14500 -> "$14,500"."""
    if is_empty(value):
        return ""
    x = float(value)
    for scale, word in _SCALES:
        if abs(x) >= scale:
            n = x / scale
            text = f"{n:,.1f}".removesuffix(".0") if abs(n) < 100 else f"{n:,.0f}"
            return f"{currency}{text} {word}"
    return f"{currency}{x:,.0f}"


def fmt_date(value) -> str:
    """A date or timestamp as YYYY-MM-DD (with the time only when it is not midnight); empty for NaT."""
    if is_empty(value):
        return ""
    ts = pd.Timestamp(value)
    if ts.hour or ts.minute or ts.second:
        return ts.strftime("%Y-%m-%d %H:%M")
    return ts.strftime("%Y-%m-%d")


def fmt_share(value, decimals: int = 0) -> str:
    """A share 0..1 as a percentage: 0.213 -> "21%"."""
    if is_empty(value):
        return ""
    return f"{100 * float(value):.{decimals}f}%"


def fmt_value(value, column: str = "") -> str:
    """Any cell as display text (see the module doc); `column` picks money formatting for *_usd columns."""
    if is_empty(value):
        return ""
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date, np.datetime64)):
        return fmt_date(value)
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (Real, np.number)):
        if column in MONEY_NAMES or column.endswith(MONEY_SUFFIXES):
            return fmt_money(value)
        return fmt_number(value)
    if isinstance(value, (list, tuple, set)):
        return ", ".join(fmt_value(v) for v in value)
    return str(value)


def readable(df: pd.DataFrame) -> pd.DataFrame:
    """Every cell of `df` as display text (object dtype), column by column (vectorised where it counts)."""
    out = {}
    for col in df.columns:
        s = df[col]
        name = str(col)
        if pd.api.types.is_datetime64_any_dtype(s):
            out[col] = [fmt_date(v) for v in s]
        elif pd.api.types.is_bool_dtype(s):
            out[col] = np.where(s.to_numpy(), "yes", "no")
        elif pd.api.types.is_integer_dtype(s) and not (name in MONEY_NAMES or name.endswith(MONEY_SUFFIXES)):
            out[col] = [f"{v:,}" if not is_empty(v) else "" for v in s]
        else:
            out[col] = [fmt_value(v, name) for v in s]
    return pd.DataFrame(out, index=df.index, columns=df.columns)
