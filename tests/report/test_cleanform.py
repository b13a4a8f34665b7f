"""The sanitizer's fast path (newslens.report.cleanform): whatever it lets through, bleach gives back
byte for byte, and nothing hostile gets through it."""
from __future__ import annotations

import random

import bleach
import pandas as pd

from newslens.report import htmlexport
from newslens.report.cleanform import already_clean
from newslens.report.display import table_html

HOSTILE_TEXT = [
    '<script>window.__pwned=1</script>', '<img src=x onerror="window.__pwned=2">', "a & b", "x > y",
    "&lt;b&gt;", "&amp;quot;", "&#x27;", "'quoted' \"double\"", "tab\tnew\nline", "\r\n", "nul\x00",
    "\u2028\u00a0\ufeff", "emoji \U0001F600", "&#0;", "&#128;", "&nbsp;", "javascript:alert(1)",
    "</td></tr></table><script>x()</script>", "<!-- c -->", "]]>", "&#60;script&#62;",
]


def bleached(fragment: str) -> str:
    return bleach.clean(fragment, tags=htmlexport.ALLOWED_TAGS, attributes=htmlexport._allow_attribute,
                        protocols=htmlexport.ALLOWED_PROTOCOLS, css_sanitizer=htmlexport._CSS,
                        strip=False, strip_comments=True)


def accepted(fragment: str) -> bool:
    return already_clean(fragment, htmlexport._ALLOWED_TAG_SET, htmlexport._allow_attribute)


# --- a generator of fragments near the accepted form --------------------------------------------------

GOOD_TEXTS = ["word", " ", "\n", "&amp;", "&lt;", "&gt;", "&quot;", "&#x27;", "&#39;", "&#182;", "'", '"',
              "\t", "\u00e9", "\u00a0", "\U0001F600", "a:b", "#", ";", "=", "/", "\n\n", "x&amp;y"]
BAD_TEXTS = ["&#0;", "&#9;", "&", "&amp", "&nbsp;", "&foo;", ">", "<", "\r", "\x00", "\x0c", "\x85",
             "\ufeff", "\U0001FFFE", "-->", "</b>", "<p>", "</p>", "<br/>", "<B>", "</td>", "<!--x-->"]
GOOD_VALUES = ["x", "", " a  b ", "num", "&amp;", "&quot;", "&#x27;", "1", "left", "a:b", "\u00e9 \U0001F600"]
URLS = {"href": ["#anchor", "#a:b,c's", "data/t.csv", "#"],
        "src": ["data:image/png;base64,iVBORw0KGgo=", "data:image/svg+xml;base64,PHN2Zz4="]}
BAD_VALUES = ["javascript:x()", "JaVaScRiPt:x", "data:text/html,x", "http://e.org/", "&", "a&b", " #x",
              "\x01", "x\ry"]
BAD_ATTRS = ["style", "onclick", "tabindex", "class", "href", "src"]
FLOW = ["div", "p", "ul", "ol", "dl", "table", "pre", "blockquote", "details", "summary", "figure",
        "figcaption", "h1", "h2", "h3", "hr"]
BAD_FLOW = ["li", "dd", "dt", "td", "tr", "script", "iframe", "svg", "style", "form"]
PHRASING_PARENTS = ["p", "pre", "h1", "h2", "h3", "summary", "caption", "dt"]
PHRASE = ["a", "b", "i", "em", "strong", "span", "code", "small", "sub", "sup", "br", "img", "q", "abbr",
          "mark", "s", "u", "var", "kbd", "samp", "cite", "del", "ins"]


class Fragments:
    """Random fragments built from the accepted form, with a `junk` chance at each choice of a piece that
    is not (a bad character, attribute, tag or misplaced element)."""

    def __init__(self, seed: int, junk: float):
        self.rng, self.junk = random.Random(seed), junk

    def pick(self, good: list[str], bad: list[str]) -> str:
        return self.rng.choice(bad if self.rng.random() < self.junk else good)

    def tag(self, name: str) -> str:
        good = [a for a in htmlexport.ALLOWED_ATTRIBUTES.get(name, []) if a != "style"]
        good += htmlexport.ALLOWED_ATTRIBUTES["*"]
        names = self.rng.sample(good, self.rng.choice([0, 0, 1, 1, 2]))
        names += [self.rng.choice(BAD_ATTRS)] if self.rng.random() < self.junk else []
        return f"<{name}" + "".join(f' {a}="{self.pick(URLS.get(a, GOOD_VALUES), BAD_VALUES)}"'
                                    for a in names) + ">"

    def table(self, depth: int) -> str:
        def row():
            return self.tag("tr") + "".join(self.element(self.pick(["td", "th"], ["p", "tr"]), depth + 1)
                                            for _ in range(self.rng.randint(1, 3))) + "</tr>"
        rows = "".join(row() for _ in range(self.rng.randint(0, 2)))
        section = self.pick(["tbody", "thead", "tfoot"], ["tr", "div"])
        inner = self.rng.choice([f"<{section}>{rows}</{section}>", f"\n<{section}>\n{rows}\n</{section}>\n",
                                 f"<colgroup><col>\n<col></colgroup><{section}>{rows}</{section}>",
                                 f"<caption>{self.content(depth + 1, True)}</caption><{section}>{rows}</{section}>"])
        return f"{self.tag('table')}{inner}</table>"

    def element(self, name: str, depth: int, phrasing: bool = False) -> str:
        if name in ("br", "img", "hr", "col"):
            return self.tag(name)
        if name == "table":
            return self.table(depth)
        if name in ("ul", "ol", "dl"):
            items = ["li"] if name != "dl" else ["dt", "dd"]
            return f"<{name}>" + "".join(self.element(self.pick(items, ["p", "b"]), depth + 1)
                                         for _ in range(self.rng.randint(0, 3))) + f"</{name}>"
        inner = self.content(depth + 1, phrasing or name in PHRASE or name in PHRASING_PARENTS)
        return f"{self.tag(name)}{inner}</{name}>"

    def content(self, depth: int, phrasing: bool = False) -> str:
        parts = []
        for _ in range(self.rng.randint(0, 3)):
            roll = self.rng.random()
            if roll < 0.3 or depth > 4:
                parts.append("".join(self.pick(GOOD_TEXTS, BAD_TEXTS) for _ in range(3)))
            elif roll < 0.55 or (phrasing and self.rng.random() > self.junk):
                parts.append(self.element(self.rng.choice(PHRASE), depth, phrasing))
            else:
                parts.append(self.element(self.pick(FLOW, BAD_FLOW), depth))
        return "".join(parts)


def test_bleach_gives_back_every_fragment_the_fast_path_accepts():
    seen = {"<table": 0, "<pre>": 0, "<td": 0, "<caption>": 0, "<li": 0, "<dd": 0, 'href="#': 0, "<img": 0,
            "&#x27;": 0, "\n": 0}
    n_rejected = 0
    for junk, n in ((0.0, 3000), (0.02, 1000), (0.1, 1000)):
        fragments = Fragments(20261206, junk)
        for _ in range(n):
            fragment = fragments.content(0)
            if not accepted(fragment):
                n_rejected += 1
                continue
            assert bleached(fragment) == fragment, fragment
            for k in seen:
                seen[k] += k in fragment
    # The test means something only if the accepted fragments hold each kind of piece many times (and
    # the junk is seen to be turned away).
    assert min(seen.values()) >= 30 and n_rejected >= 100, (seen, n_rejected)


def test_report_tables_take_the_fast_path_and_stay_what_bleach_makes_of_them():
    df = pd.DataFrame({"text": HOSTILE_TEXT, "n": range(len(HOSTILE_TEXT)),
                       "long": [t * 40 for t in HOSTILE_TEXT]})
    fragment = table_html(df, caption="<b>caption</b> & \"more\"", full="tone_article")
    assert bleached(fragment) == htmlexport.clean_html(fragment)
    assert htmlexport.clean_html(fragment) == bleached(fragment)


def test_hostile_markup_never_takes_the_fast_path():
    for fragment in HOSTILE_TEXT:
        assert htmlexport.clean_html(fragment) == bleached(fragment)
    for fragment in [
        '<script>window.__pwned=1</script>', '<img src=x onerror="window.__pwned=2">', "x > y", "nul\x00",
        "a & b", "&nbsp;", "&#0;", "<!-- c -->", '<a href="javascript:alert(1)">x</a>', '<a href="data:text/html,x">x</a>', '<b onclick="x()">b</b>',
        '<img src="http://tracker/p.png">', '<p style="background:url(x)">p</p>', '<svg><script>x</script></svg>',
        '<td>cell</td>', "<p><div>x</div></p>", "<a href=\"#a\"><a href=\"#b\">x</a></a>", "<b>unclosed",
        "<pre>\nx</pre>", '<table>text<tr><td>x</td></tr></table>', '<span title="a"b">x</span>',
    ]:
        assert not accepted(fragment), fragment
        assert htmlexport.clean_html(fragment) == bleached(fragment)
