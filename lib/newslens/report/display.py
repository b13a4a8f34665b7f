"""Showing results in a notebook without letting article text run as code.

Article text, titles and outlet names are untrusted input: a scraped page can contain `<script>` or
`<img onerror=...>`. Everything that interpolates such text into Markdown or HTML goes through `esc`,
and tables go through pandas' escaping HTML writer.

    from newslens.report.display import md, esc, table
    md(f"**{esc(outlet_a)}** is more negative than **{esc(outlet_b)}** ...")
    table(df)
"""
from __future__ import annotations

import html
import re

import pandas as pd

# Markdown punctuation that would change the meaning of interpolated text.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")


def esc(value) -> str:
    """Escape untrusted text for Markdown and HTML: tags become text, Markdown marks become literal."""
    text = html.escape(str(value), quote=True)
    return _MD_SPECIAL.sub(r"\\\1", text)


def md(text: str) -> None:
    """Display Markdown (callers escape interpolated values with `esc`)."""
    from IPython.display import Markdown, display

    display(Markdown(text))


def table(df: pd.DataFrame, max_rows: int | None = 50, caption: str | None = None) -> None:
    """Display a DataFrame as an escaped HTML table (cell text never becomes markup)."""
    from IPython.display import HTML, display

    shown = df if max_rows is None else df.head(max_rows)
    styled_html = shown.to_html(index=False, escape=True, border=0, classes="newslens-table")
    if caption:
        styled_html = f"<p><b>{html.escape(caption)}</b></p>" + styled_html
    if max_rows is not None and len(df) > max_rows:
        styled_html += f"<p><i>Showing {max_rows} of {len(df)} rows.</i></p>"
    display(HTML(styled_html))
