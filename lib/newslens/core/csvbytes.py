"""The bytes `DataFrame.to_csv(index=False)` writes, made by pyarrow's compute kernels instead of
pandas' row-by-row writer (several times less CPU on the text-heavy tables).

Only the column types whose CSV text is known exactly are done here: text (pandas' strings), int64,
float64 (numpy's `astype(str)`, which pandas itself uses) and bool; `csv_bytes` returns None for any
other table (dates, nullable or object columns, a single column, odd column names) and the caller
writes that one with pandas. The rules copied are those of Python's csv writer under pandas' defaults
(QUOTE_MINIMAL, `"` doubled, "\\n" line ends): a cell is quoted when it holds a `,`, a `"` or a "\\n"
(a lone "\\r" is not); a missing value is an empty cell.
"""
from __future__ import annotations

import csv
import io
from typing import Iterator

import numpy as np
import pandas as pd

_NEEDS_QUOTES = '[,"\\n]'


def _header(columns: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(columns)
    return buffer.getvalue().encode("utf-8")


def _text_cells(series: pd.Series):
    """A column's cells as pyarrow strings as the csv writer writes them (a type `_done_here`)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    dtype = series.dtype
    if isinstance(dtype, np.dtype) and dtype == np.int64:
        return pc.cast(pa.array(series.to_numpy()), pa.large_string())
    if isinstance(dtype, np.dtype) and dtype == np.float64:
        # Formatted once per distinct value (by its bits, so 0.0 and -0.0 stay apart: scores repeat);
        # NaN, a missing value, is an empty cell.
        values = series.to_numpy()
        bits, where = np.unique(values.view(np.int64), return_inverse=True)
        numbers = bits.view(np.float64)
        text = np.where(np.isnan(numbers), "", numbers.astype(str))
        return pa.array(text, type=pa.large_string()).take(pa.array(where.reshape(-1)))
    if isinstance(dtype, np.dtype) and dtype == np.bool_:
        return pa.array(np.where(series.to_numpy(), "True", "False"), type=pa.large_string())
    cells = pa.chunked_array(pa.array(series.array)).combine_chunks().cast(pa.large_string())
    needs = pc.match_substring_regex(cells, _NEEDS_QUOTES)
    if pc.any(needs).as_py():
        mark = pa.scalar('"', pa.large_string())
        quoted = pc.binary_join_element_wise(mark, pc.replace_substring(cells, '"', '""'), mark,
                                             pa.scalar("", pa.large_string()))
        cells = pc.if_else(needs, quoted, cells)
    return cells


# Rows formatted at a time: the buffers of one block are reused by the next (no table-sized temporaries).
CHUNK_ROWS = 8192


def _done_here(dtype) -> bool:
    if isinstance(dtype, np.dtype):
        return dtype in (np.dtype(np.int64), np.dtype(np.float64), np.dtype(np.bool_))
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"


def csv_parts(df: pd.DataFrame) -> Iterator | None:
    """`df.to_csv(index=False)` encoded as UTF-8, as parts to write one after the other (the header's
    bytes, then a pyarrow buffer per block of rows), or None when the table has a column (or shape)
    whose CSV text this module does not reproduce."""
    columns = list(df.columns)
    if (len(columns) < 2 or len(set(columns)) != len(columns)
            or not all(isinstance(c, str) for c in columns)
            or not all(_done_here(dtype) for dtype in df.dtypes)):
        return None
    return _parts(df, columns)


def _parts(df: pd.DataFrame, columns: list[str]) -> Iterator:
    import pyarrow as pa
    import pyarrow.compute as pc

    yield _header(columns)
    text = pa.large_string()
    for first_row in range(0, len(df), CHUNK_ROWS):
        block = df.iloc[first_row:first_row + CHUNK_ROWS]
        cells = [_text_cells(block.iloc[:, index]) for index in range(len(columns))]
        # The line end joins the last cell first (a pass over one column, not over the whole text).
        cells[-1] = pc.binary_join_element_wise(cells[-1], pa.scalar("", text), pa.scalar("\n", text),
                                                null_handling="replace", null_replacement="")
        lines = pc.binary_join_element_wise(*cells, pa.scalar(",", text), null_handling="replace",
                                            null_replacement="")
        if isinstance(lines, pa.ChunkedArray):
            lines = lines.combine_chunks()
        _, offsets, data = lines.buffers()
        first, last = np.frombuffer(offsets, dtype=np.int64)[[lines.offset, lines.offset + len(lines)]]
        yield data.slice(int(first), int(last - first))


def csv_bytes(df: pd.DataFrame) -> bytes | None:
    """`df.to_csv(index=False)` encoded as UTF-8 in one bytes object (see `csv_parts`)."""
    parts = csv_parts(df)
    return None if parts is None else b"".join(bytes(part) for part in parts)
