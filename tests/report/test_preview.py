"""The index page's preview picture: a hand-drawn SVG of at most six bars, embedded as an <img>."""
from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET

from newslens.report.htmlexport import clean_html
from newslens.report.preview import mini_bars

SVG = "{http://www.w3.org/2000/svg}"


def _svg(img: str) -> ET.Element:
    data = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', img).group(1)
    return ET.fromstring(base64.b64decode(data))


def test_bars_are_labelled_scaled_and_capped_at_six():
    img = mini_bars([f"Outlet {i}" for i in range(9)], [900, 450, 300, 20, 10, 5, 4, 3, 2], "articles per outlet")
    svg = _svg(img)
    rects = svg.findall(f"{SVG}rect")
    texts = [t.text for t in svg.findall(f"{SVG}text")]
    assert len(rects) == 6 and "Outlet 5" in texts and "Outlet 6" not in texts
    widths = [float(r.get("width")) for r in rects]
    assert widths[0] == max(widths) and abs(widths[0] / widths[1] - 2) < 0.01
    assert "900" in texts and texts[0] == "articles per outlet"


def test_signed_bars_go_left_of_zero_in_orange_and_labels_are_escaped():
    img = mini_bars(['<b>"A" & B</b>', "C", "D"], [-0.25, 0.5, float("nan")], "tone", signed=True)
    svg = _svg(img)   # parses: the label's markup is text, not tags
    rects = svg.findall(f"{SVG}rect")
    zero = float(svg.find(f"{SVG}line").get("x1"))
    assert len(rects) == 2                                     # the missing value is left out
    neg, pos = rects
    assert neg.get("fill") == "#D55E00" and float(neg.get("x")) + float(neg.get("width")) <= zero + 0.1
    assert pos.get("fill") == "#0072B2" and abs(float(pos.get("x")) - zero) < 0.1
    assert '<b>"A" & B</b>' in [t.text for t in svg.findall(f"{SVG}text")]
    assert "-0.25" in [t.text for t in svg.findall(f"{SVG}text")]


def test_nothing_to_draw_gives_no_picture_and_the_sanitizer_keeps_the_picture():
    assert mini_bars(["A"], [float("nan")], "t") == "" and mini_bars([], [], "t") == ""
    img = mini_bars(["A"], [3], "t")
    assert clean_html(img).count("data:image/svg+xml;base64,") == 1
    assert 'src=' not in clean_html('<img src="https://example.org/pixel.svg">')
