"""newslens.report.pagefinish prints a page exactly as nbconvert's BeautifulSoup pass does."""
from __future__ import annotations

import random

import nbformat
import pytest

from newslens.report import htmlexport, pagefinish

PIECES = [
    "text", " ", "\n", "\n  \t", "&amp;", "&lt;", "&gt;", "&quot;", "&#x27;", "&#39;", "&#182;", "&nbsp;",
    "&#150;", "&#0;", "&#x110000;", "&#xD800;", "&notanentity;", "&T", "AT&T", "&", "a > b", "\u00a0", "\r\n",
    "'", '"', "<br>", "<br/>", "</br>", "<hr />", "<img src='x.png'>", '<img alt="" src="y">', "<IMG SRC=z>",
    "<!-- a comment -->", "<!---->", "<!DOCTYPE html>", "</p>", "</div>", "<p>", "<b>", "</b>", "<i>",
    '<div class="  jp-Notebook  x ">', '<div class="jp-Cell-inputWrapper" tabindex="-1">',
    '<div class="jp-OutputArea-output jp-Other">', '<div id="b" class="a" data-x="1">', "<div>",
    '<span title="say &quot;hi&quot; it\'s">', "<span title='single \"double\"'>", "<span title=unquoted>",
    "<span hidden>", '<a href="?a=1&b=2" rel="x  y">', "<td headers=' h1  h2 '>", '<td class="">',
    '<meta charset="UTF-8">', '<meta name="viewport" content="width=device-width">', "<pre>", "</pre>",
    "<textarea>", "</textarea>", "<script>if (a < b && c > d) { x = '</div>'; }</script>",
    "<style>p > b { color: red; }</style>", "<span a=1 a=2>", "<P CLASS=Up>", "<table><tr><td>",
    "</td></tr></table>", "<svg><path d='M0 0'/></svg>",
]
UNSURE = ["<![CDATA[x]]>", "<?xml version='1.0'?>", "<!ELEMENT x>",
          '<meta http-equiv="Content-Type" content="text/html; charset=latin-1">']


def _page(rng: random.Random, pieces: list[str]) -> str:
    return "".join(rng.choice(pieces) for _ in range(rng.randint(1, 40)))


@pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")
def test_the_stream_prints_what_beautifulsoup_prints():
    rng = random.Random(20261206)
    streamed = 0
    for i in range(1500):
        page = _page(rng, PIECES + (UNSURE if i % 10 == 0 else []))
        assert pagefinish.finish_page(page) == pagefinish._with_beautifulsoup(page, None), page
        try:
            pagefinish._streamed(page)
            streamed += 1
        except (pagefinish._Unsure, pagefinish.ParserRejectedMarkup, AssertionError):
            pass  # handed to BeautifulSoup: compared above all the same (any other error fails the test)
    assert streamed > 1200


def test_the_common_entities_are_beautifulsoups():
    from bs4.dammit import EntitySubstitution

    for name, character in pagefinish.COMMON_ENTITIES.items():
        assert EntitySubstitution.HTML_ENTITY_TO_CHARACTER.get(name) == character


def test_escaping_is_the_minimal_formatters():
    from bs4.formatter import HTMLFormatter

    for text in ["", "plain", "a & b < c > d", "&amp;&lt;", "<<>>&&", "\u00a0'\""]:
        assert pagefinish._escape(text) == HTMLFormatter.REGISTRY["minimal"].substitute(text)


def test_a_report_page_is_the_same_through_the_stream_and_through_beautifulsoup(monkeypatch):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title\n\nSome *text* & a [link](#x) <b>inline</b>."),
        nbformat.v4.new_code_cell("x = 1  # a < b", outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="out <1> & 'two'\n"),
            nbformat.v4.new_output("display_data", data={"text/html": '<p class="a  b">x&nbsp;y</p><img src="data:image/png;base64,AAAA">'}),
            nbformat.v4.new_output("execute_result", data={"text/plain": "'a' \"b\""}, execution_count=1),
        ]),
    ]
    monkeypatch.setattr(htmlexport.secrets, "token_hex", lambda n: "0f0f0f0f")
    pages = [htmlexport.export_html(nb, with_code=code, title="T", footer="F")[0] for code in (False, True)]

    def unsure(page):
        raise pagefinish._Unsure("use BeautifulSoup")

    monkeypatch.setattr(pagefinish, "_streamed", unsure)
    assert [htmlexport.export_html(nb, with_code=code, title="T", footer="F")[0] for code in (False, True)] == pages
    assert 'tabindex="0"' in pages[1] and pagefinish.ALT_TEXT in pages[0]
