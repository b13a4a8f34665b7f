"""A small picture of a report's main figure for the index page: a few labelled bars, drawn as SVG by
hand and embedded as an image.

The key-findings cell puts it in its box (hidden in the report itself, where the full chart is shown);
the index page shows it beside the report's key findings. The index runs no script, so the picture is
an image, not an interactive chart; as an <img>, the SVG cannot run script either. Drawing it by hand
rather than with matplotlib keeps it off every report's bill: a matplotlib figure cost each kernel
0.15-0.25 CPU-s, more than the rest of its key findings.
"""
from __future__ import annotations

import base64
import html
import textwrap

from newslens.report.fmt import fmt_number

CLASS = "newslens-preview"
MAX_BARS = 6
WIDTH, LABEL_W, VALUE_W, ROW, TOP = 340, 132, 40, 22, 24   # pixels
BLUE, ORANGE = "#0072B2", "#D55E00"


def _bar_rows(pairs: list[tuple[str, float]], signed: bool) -> list[str]:
    """One <g> per bar: label on the left, the bar from the zero line, its value at the bar's end."""
    span = WIDTH - LABEL_W - 2 * VALUE_W
    low = min(0.0, min(v for _, v in pairs)) if signed else 0.0
    high = max(0.0, max(v for _, v in pairs))
    scale = span / ((high - low) or 1.0)
    zero = LABEL_W + VALUE_W + (-low) * scale
    rows = []
    for i, (label, value) in enumerate(pairs):
        y = TOP + i * ROW
        x0, x1 = sorted((zero, zero + value * scale))
        colour = ORANGE if signed and value < 0 else BLUE
        end, anchor = (x0 - 3, "end") if value < 0 else (x1 + 3, "start")
        rows.append(
            f'<text x="{LABEL_W - 4}" y="{y + 14}" text-anchor="end">'
            f'{html.escape(textwrap.shorten(label, 24, placeholder="…"))}</text>'
            f'<rect x="{x0:.1f}" y="{y + 3}" width="{max(x1 - x0, 1):.1f}" height="{ROW - 6}" fill="{colour}"/>'
            f'<text x="{end:.1f}" y="{y + 14}" text-anchor="{anchor}" fill="#555">'
            f'{html.escape(fmt_number(value))}</text>')
    if signed:
        rows.append(f'<line x1="{zero:.1f}" x2="{zero:.1f}" y1="{TOP}" y2="{TOP + len(pairs) * ROW}" '
                    'stroke="#666" stroke-width="0.8"/>')
    return rows


def mini_bars(labels: list[str], values: list[float], title: str, signed: bool = False) -> str:
    """An <img> of horizontal bars (at most 6, missing values left out), `title` above; "" when there
    is nothing to draw. `signed`: negative bars in orange to the left of a zero line."""
    pairs = [(str(l), float(v)) for l, v in zip(labels, values) if v == v][:MAX_BARS]
    if not pairs:
        return ""
    height = TOP + len(pairs) * ROW + 4
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
           f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="11">'
           f'<text x="{WIDTH - 2}" y="15" text-anchor="end" font-size="12">'
           f'{html.escape(textwrap.shorten(title, 52, placeholder="…"))}</text>'
           + "".join(_bar_rows(pairs, signed)) + "</svg>")
    data = base64.b64encode(svg.encode("utf-8")).decode()
    return (f'<img class="{CLASS}" alt="preview: {html.escape(title)}" width="{WIDTH}" height="{height}" '
            f'src="data:image/svg+xml;base64,{data}">')
