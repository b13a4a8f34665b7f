"""csvbytes gives exactly the bytes of pandas' to_csv (it is only a faster way to make them)."""
import numpy as np
import pandas as pd

from newslens.core import csvbytes


def _table() -> pd.DataFrame:
    texts = ["x", "", None, "a,b", 'q"q', "l\nn", "c\rr", " sp", "tab\t", "'=x", "é€😀", '"']
    return pd.DataFrame({
        "text": texts, "n": range(len(texts)),
        "score": [1.0, np.nan, 1e-5, 1e16, -0.0, np.inf, 0.1 + 0.2, 123456789.125, -np.inf, 5e-324, 0.0, 2.0],
        "flag": [True, False] * 6,
    })


def test_same_bytes_as_pandas_in_any_blocks(monkeypatch):
    df = _table()
    for rows in (3, 5, csvbytes.CHUNK_ROWS):
        monkeypatch.setattr(csvbytes, "CHUNK_ROWS", rows)
        for part in (df, df.iloc[3:7], df.iloc[:0], df[["text", "flag"]].iloc[::2]):
            assert csvbytes.csv_bytes(part) == part.to_csv(index=False).encode("utf-8")


def test_other_tables_are_left_to_pandas():
    df = _table()
    assert csvbytes.csv_bytes(df[["text"]]) is None  # one column: pandas quotes an empty row
    assert csvbytes.csv_bytes(df.assign(when=pd.Timestamp("2024-01-02"))) is None
    assert csvbytes.csv_bytes(df.assign(n=df["n"].astype("Int64"))) is None
