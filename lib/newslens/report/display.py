"""Showing results in a notebook without letting article text run as code, formatted for reading.

Article text, titles and outlet names are untrusted input: a scraped page can contain `<script>` or
`<img onerror=...>`. Everything that interpolates such text into Markdown goes through `esc`, into HTML
through `h` (html.escape); tables go through `table`, which escapes every cell.

    from newslens.report.display import md, esc, table
    md(f"**{esc(outlet_a)}** is more negative than **{esc(outlet_b)}** ...")
    table(df, full="tone_article")      # a bounded, readable table, linked to data/tone_article.csv

Tables are formatted for reading (newslens.report.fmt: thousands separators, "$700 million", dates,
empty cells empty), long text is cut with the whole text on hover, and a wide table scrolls inside its
own box. A table longer than `max_rows` says how many rows it holds and links the full CSV.
"""
from __future__ import annotations

import html
import re

import pandas as pd

from newslens.report.fmt import fmt_number, readable

# Markdown punctuation that would change the meaning of interpolated text.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~-])")
# What Markdown's autolink extension turns into a link: a scheme's colon, "www." (issue 23, item 8).
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto|file|javascript|data)(:)|\b(www)(\.)")
_DATE = r"(\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?)?"  # a column of dates (or empty cells) does not wrap
LONG_TEXT = 160  # characters of a cell shown before it is cut (the whole text on hover)
HOVER_TEXT = 1200  # characters of a cut cell shown on hover


def esc(value) -> str:
    """Escape untrusted text for Markdown: tags become text, Markdown marks become literal, a URL stays
    text (no autolink). Markdown marks are escaped first and HTML after, so an apostrophe stays an
    apostrophe (no visible `&#x27;`, issue 23 item 7)."""
    text = _MD_SPECIAL.sub(r"\\\1", str(value))
    text = _AUTOLINK.sub(lambda m: f"{m.group(1)}\\:" if m.group(1) else f"{m.group(3)}\\.", text)
    return html.escape(text, quote=False)


def h(value) -> str:
    """Escape untrusted text for HTML (element content and quoted attributes)."""
    return html.escape(str(value), quote=True)


def md(text: str) -> None:
    """Display Markdown (callers escape interpolated values with `esc`)."""
    from IPython.display import Markdown, display

    display(Markdown(text))


def show_html(fragment: str) -> None:
    """Display an HTML fragment built with `h` (the render step sanitizes it again)."""
    from IPython.display import HTML, display

    display(HTML(fragment))


def _cell(text: str, limit: int) -> str:
    if len(text) <= limit:
        return h(text)
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    full = text if len(text) <= HOVER_TEXT else text[:HOVER_TEXT].rsplit(" ", 1)[0] + " … (the whole text in the data folder)"
    return f'<span class="newslens-cut" title="{h(full)}">{h(cut)} …</span>'


def table_html(df: pd.DataFrame, max_rows: int | None = 50, caption: str | None = None,
               full: str | None = None, long_text: int = LONG_TEXT) -> str:
    """The HTML of `table` (see there)."""
    shown = df if max_rows is None else df.head(max_rows)
    cells = readable(shown)
    head = "".join(f"<th>{h(c)}</th>" for c in cells.columns)
    kinds = []  # "num" right-aligned, "text" wide enough to read a sentence, "" otherwise
    for c in shown.columns:
        if pd.api.types.is_numeric_dtype(shown[c]) and not pd.api.types.is_bool_dtype(shown[c]):
            kinds.append(' class="num"')
        elif len(cells) and cells[c].str.fullmatch(_DATE).all():
            kinds.append(' class="date"')
        elif len(cells) and cells[c].str.len().max() > 60:
            kinds.append(' class="text"')
        else:
            kinds.append("")
    rows = []
    for values in cells.itertuples(index=False, name=None):
        tds = "".join(f"<td{kind}>{_cell(v, long_text)}</td>" for v, kind in zip(values, kinds))
        rows.append(f"<tr>{tds}</tr>")
    parts = []
    if caption:
        parts.append(f'<p class="newslens-caption"><b>{h(caption)}</b></p>')
    parts.append(f'<div class="newslens-scroll"><table class="newslens-table"><thead><tr>{head}</tr></thead>'
                 f"<tbody>{''.join(rows)}</tbody></table></div>")
    note = []
    if max_rows is not None and len(df) > max_rows:
        note.append(f"Showing {fmt_number(max_rows)} of {fmt_number(len(df))} rows")
    if full:
        note.append(f'the full table: <a href="data/{h(full)}.csv">data/{h(full)}.csv</a>')
    if note:
        parts.append(f'<p class="newslens-more"><i>{"; ".join(note)}.</i></p>')
    return "".join(parts)


def table(df: pd.DataFrame, max_rows: int | None = 50, caption: str | None = None,
          full: str | None = None) -> None:
    """Display a DataFrame as an escaped, readable HTML table (cell text never becomes markup).

    At most `max_rows` rows (None: all; use it only for tables bounded by construction); `full` names
    the analysis table (data/NAME.csv) that holds every row."""
    show_html(table_html(df, max_rows=max_rows, caption=caption, full=full))
