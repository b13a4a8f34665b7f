"""One chart theme for every report: the same font, sizes, grid and colours, so charts read alike.

`newslens.report.notebook.setup()` registers and enables it; `THEME` is the Vega-Lite config it sets.
"""
from __future__ import annotations

NAME = "newslens"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
# Colour-blind-safe categorical palette (Okabe-Ito, black last) and a diverging scheme for tone/log-odds.
CATEGORY = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]
DIVERGING = "redblue"

THEME = {
    "config": {
        "font": FONT,
        "background": "white",
        "view": {"stroke": "transparent", "continuousWidth": 520, "continuousHeight": 300},
        "title": {"fontSize": 15, "fontWeight": 600, "anchor": "start", "color": "#222", "offset": 10},
        "axis": {"labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": 500, "labelColor": "#333",
                 "titleColor": "#333", "gridColor": "#ececec", "domainColor": "#999", "tickColor": "#999",
                 "labelLimit": 260},
        "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 260, "orient": "right"},
        "header": {"labelFontSize": 12, "titleFontSize": 12},
        "range": {"category": CATEGORY, "diverging": {"scheme": DIVERGING}},
        "mark": {"color": CATEGORY[0]},
        "bar": {"color": CATEGORY[0]},
        "point": {"filled": True},
    }
}


def register() -> None:
    """Register the theme with Altair and enable it (idempotent)."""
    import altair as alt

    if NAME not in alt.theme.names():
        alt.theme.register(NAME, enable=False)(lambda: THEME)
    alt.theme.enable(NAME)
