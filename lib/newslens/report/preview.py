"""A small picture of a report's main figure for the index page: a few bars drawn with matplotlib
(which every report's kernel has imported anyway), as an embedded PNG.

The key-findings cell puts it in its box (hidden in the report itself, where the full chart is shown);
the index page shows it beside the report's key findings. The index runs no script, so the picture is
an image, not an interactive chart.
"""
from __future__ import annotations

import base64
import html
import io
import textwrap

CLASS = "newslens-preview"


def mini_bars(labels: list[str], values: list[float], title: str, signed: bool = False) -> str:
    """An <img> of horizontal bars (at most 6), `title` above; "" when there is nothing to draw."""
    pairs = [(str(l), float(v)) for l, v in zip(labels, values) if v == v][:6]
    if not pairs:
        return ""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3.4, 0.55 + 0.26 * len(pairs)), dpi=100)
    ax = fig.add_subplot()
    names = [textwrap.shorten(l, 26, placeholder="…") for l, _ in pairs][::-1]
    vals = [v for _, v in pairs][::-1]
    colours = [("#0072B2" if v >= 0 else "#D55E00") if signed else "#0072B2" for v in vals]
    ax.barh(range(len(vals)), vals, color=colours, height=0.7)
    ax.set_yticks(range(len(vals)), names, fontsize=7)
    ax.tick_params(axis="x", labelsize=6)
    if signed:
        ax.axvline(0, color="#666", linewidth=0.6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(textwrap.shorten(title, 46, placeholder="…"), fontsize=7.5, loc="right")
    fig.tight_layout(pad=0.3)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    data = base64.b64encode(buf.getvalue()).decode()
    return f'<img class="{CLASS}" alt="preview: {html.escape(title)}" src="data:image/png;base64,{data}">'
