"""Numbers and text as a reader sees them: newslens.report.fmt and newslens.report.display."""
from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
from nbconvert.filters import markdown2html

from newslens.report.display import esc, table_html
from newslens.report.fmt import fmt_money, fmt_number, fmt_value, readable

VISIBLE_JUNK = re.compile(r"\b(NaN|NaT|None|nan)\b|\de\+\d")


def visible_text(fragment: str) -> str:
    """The text a browser shows for an HTML fragment (tags dropped, entities decoded once)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def test_numbers_read_like_a_report():
    assert fmt_number(1234567) == "1,234,567"
    assert fmt_number(0.200238) == "0.20"
    assert fmt_number(7.0e8) == "700,000,000"
    assert fmt_number(12.25) == "12.2" or fmt_number(12.25) == "12.3"
    assert fmt_number(3.0) == "3"
    assert fmt_money(7.0e8) == "$700 million"
    assert fmt_money(1.5e9) == "$1.5 billion"
    assert fmt_money(14500) == "$14,500"
    assert fmt_value(pd.Timestamp("2014-01-05")) == "2014-01-05"
    for empty in (None, float("nan"), pd.NaT, pd.NA, np.nan):
        assert fmt_value(empty) == ""


def test_readable_table_has_no_nan_nat_none_or_scientific_notation():
    df = pd.DataFrame({"outlet": ["Reader's Digest", None], "value_usd": [7.0e8, np.nan],
                       "published": pd.to_datetime(["2014-01-05", None]), "share": [0.200238, 1e-7],
                       "n": pd.array([3, None], dtype="Int64"), "flag": [True, False]})
    cells = readable(df)
    assert cells.loc[0, "value_usd"] == "$700 million" and cells.loc[1, "value_usd"] == ""
    assert cells.loc[1, "published"] == "" and cells.loc[1, "n"] == "" and cells.loc[1, "outlet"] == ""
    shown = visible_text(table_html(df))
    assert not VISIBLE_JUNK.search(shown), shown
    assert "Reader's Digest" in shown


def test_long_text_is_cut_with_the_whole_sentence_on_hover_and_wide_tables_scroll():
    sentence = "The minister said the delivery of the drones would begin in March. " * 5
    page = table_html(pd.DataFrame({"text": [sentence]}))
    assert 'class="newslens-scroll"' in page
    cut = re.search(r'<span class="newslens-cut" title="([^"]*)">([^<]*)</span>', page)
    assert cut and len(cut.group(2)) < len(sentence) and html.unescape(cut.group(1)) == sentence.strip() or \
        html.unescape(cut.group(1)).startswith(sentence.strip()[:100])


def test_a_long_table_says_how_many_rows_and_links_the_full_csv():
    page = table_html(pd.DataFrame({"x": range(120)}), max_rows=50, full="claims")
    assert "Showing 50 of 120 rows" in page and 'href="data/claims.csv"' in page


def test_apostrophes_show_as_apostrophes_in_markdown_prose():
    """Issue 23, item 7: "Reader's Digest" became "Reader&#x27;s Digest" (escaped twice)."""
    rendered = markdown2html(f"**{esc(chr(34) + 'Reader' + chr(39) + 's Digest' + chr(34))}** & co")
    assert " ".join(visible_text(rendered).split()) == "\"Reader's Digest\" & co"


def test_markup_in_prose_stays_text():
    rendered = markdown2html(esc("<script>alert(1)</script> *not bold* [link](http://x.org)"))
    assert "<script" not in rendered and "<em>" not in rendered and "<a " not in rendered
    assert "<script>alert(1)</script> *not bold* [link](http://x.org)" in visible_text(rendered)


def test_a_url_in_an_outlet_or_title_stays_text():
    """Issue 23, item 8: `<http://…>`, a bare URL or www. became a live link."""
    for value in ("<http://evil.example/x>", "http://evil.example/a_b", "www.evil.example", "mailto:a@b.example"):
        rendered = markdown2html(f"Outlet **{esc(value)}** said")
        assert "<a " not in rendered, rendered
        assert value in visible_text(rendered)


def test_huge_counts_in_tone_prose_have_no_scientific_notation():
    from newslens.analyses.tone import _count_text

    assert _count_text(2.13e202) == "about 2.1 × 10^202" and _count_text(120) == "120"
    assert not VISIBLE_JUNK.search(_count_text(5e9))
