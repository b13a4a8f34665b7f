"""Table files: CSV that spreadsheets open safely, Parquet with typed columns, and reading either back.

* CSV: UTF-8 (with a byte-order mark when `excel=True`, which Excel needs to read UTF-8; without one by
  default, so every other program reads the file as plain UTF-8). A text cell that a spreadsheet would
  run as a formula (one beginning with `=`, `+`, `-`, `@`, a tab or a carriage return, OWASP's list) is
  written with a leading `'`, the spreadsheet's own "this is text" mark; numbers stay numbers (numeric
  columns, and text cells that are plain numbers such as "-5", are written as they are). The escape is
  reversible: `unescape_cell(escape_cell(s)) == s` for every string (a cell that already begins with `'`
  followed by something escapable gets one more `'`), so reading a table back gives the original text.
* Parquet: the declared column types (`TYPES`), exact text (no escape: no spreadsheet opens Parquet).
* `coerce(df, types)`: one set of dtypes for a table whatever file it came from: text as pandas strings
  (missing text as ""), int as int64 (Int64 when values are missing), float as float64, bool as bool
  (boolean when values are missing), date as datetime64[s].
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from newslens.core.atomic import write_atomic
from newslens.core.csvbytes import csv_parts

TYPES = ("text", "int", "float", "bool", "date")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d[\d,]*(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")


def needs_escape(cell: str) -> bool:
    """True when a spreadsheet could read `cell` as a formula (or it is `'` before such a cell)."""
    if not cell:
        return False
    if cell[0] == "'":
        return needs_escape(cell[1:])
    return cell[0] in FORMULA_START and not _PLAIN_NUMBER.fullmatch(cell)


def escape_cell(cell: str) -> str:
    return "'" + cell if needs_escape(cell) else cell


def unescape_cell(cell: str) -> str:
    return cell[1:] if cell[:1] == "'" and needs_escape(cell[1:]) else cell


def _is_text(series: pd.Series) -> bool:
    return series.dtype == object or pd.api.types.is_string_dtype(series.dtype)


def escape_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """`df` with every text cell that needs it escaped (the same object when none does)."""
    changed = {}
    for column in df.columns:
        series = df[column]
        if not _is_text(series):
            continue
        starts = series.astype("str").str[:1]
        suspect = (starts.isin(FORMULA_START + ("'",)) & series.notna()).to_numpy()
        if suspect.any():
            values = series.to_numpy(dtype=object, copy=True)
            values[suspect] = [escape_cell(str(v)) for v in values[suspect]]
            changed[column] = pd.Series(values, index=series.index, dtype=series.dtype)
    return df.assign(**changed) if changed else df


def write_csv(df: pd.DataFrame, path: Path, excel: bool = False) -> None:
    """`df` as CSV (no index), formulas escaped, atomically. The bytes are pandas' `to_csv`; pyarrow
    makes them for the tables whose column types newslens.core.csvbytes reproduces."""
    safe = escape_formulas(df)
    parts = csv_parts(safe)
    if parts is None:
        encoding = "utf-8-sig" if excel else "utf-8"
        write_atomic(path, lambda p: safe.to_csv(p, index=False, encoding=encoding))
    else:
        write_atomic(path, lambda p: _write_parts(p, "\ufeff".encode("utf-8") if excel else b"", parts))


def _write_parts(path: Path, start: bytes, parts) -> None:
    with open(path, "wb") as fh:
        fh.write(start)
        for part in parts:
            fh.write(part)


def write_parquet(df: pd.DataFrame, path: Path, types: dict[str, str] | None = None) -> None:
    """`df` as Parquet with its columns in their declared types (others as they are), atomically."""
    typed = coerce(df, types or {})
    write_atomic(path, lambda p: typed.to_parquet(p, index=False, engine="pyarrow"))


def read_csv(path: Path, types: dict[str, str] | None = None) -> pd.DataFrame:
    """A table newslens wrote as CSV, in its declared types; undeclared columns are numbers when every
    cell is one, else text. Escaped formulas are read back as the text they were."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig")
    types = dict(types or {})
    for column in raw.columns:
        if column not in types:
            types[column] = _guess(raw[column])
    for column, kind in types.items():
        if kind == "text" and column in raw.columns:
            raw[column] = raw[column].map(unescape_cell)
    return coerce(raw, types, from_text=True)


def read_parquet(path: Path, types: dict[str, str] | None = None) -> pd.DataFrame:
    return coerce(pd.read_parquet(path, engine="pyarrow"), types or {})


def _guess(column: pd.Series) -> str:
    values = column[column != ""]
    if values.empty:
        return "text"
    if values.isin(["True", "False"]).all():
        return "bool"
    numbers = pd.to_numeric(values, errors="coerce")
    if numbers.notna().all():
        return "int" if values.str.fullmatch(r"[+-]?\d+").all() else "float"
    return "text"


def coerce(df: pd.DataFrame, types: dict[str, str], from_text: bool = False) -> pd.DataFrame:
    """`df` with each declared column in its type's dtype (see the module doc). `from_text`: the cells
    are strings as read from a CSV ("" for a missing value)."""
    out = {}
    for column, kind in types.items():
        if column not in df.columns:
            continue
        series = df[column]
        if from_text and kind != "text":
            series = series.mask(series == "")
        out[column] = _as(series, kind, column)
    return df.assign(**out) if out else df


def _as(series: pd.Series, kind: str, column: str) -> pd.Series:
    if kind == "text":
        return series.fillna("").astype("str")
    if kind == "int":
        numbers = pd.to_numeric(series)
        return numbers.astype("Int64" if numbers.isna().any() else "int64")
    if kind == "float":
        return pd.to_numeric(series).astype("float64")
    if kind == "bool":
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            series = series.map({"True": True, "False": False, True: True, False: False})
        return series.astype("boolean" if series.isna().any() else "bool")
    if kind == "date":
        if not pd.api.types.is_datetime64_any_dtype(series):
            series = pd.to_datetime(series, format="ISO8601")
        return series.astype("datetime64[s]")
    raise ValueError(f"column {column}: unknown type {kind!r} (types are {', '.join(TYPES)})")
