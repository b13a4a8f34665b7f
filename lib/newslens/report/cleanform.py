"""Whether an HTML fragment is already in the exact form the sanitizer gives back, so it need not run.

`newslens.report.htmlexport.clean_html` sanitizes every HTML and Markdown output with bleach: html5lib
parses the fragment into a tree, the tree is filtered through the allow-list and serialized again. That is
about a third of an export's CPU, and on the reports' own outputs (tables built with `display.h`, Markdown
from nbconvert) it gives back exactly its input. `already_clean(fragment, allow_attribute)` recognises
such fragments with one regex pass, and clean_html then returns the fragment as it is: the same bytes.

It is deliberately narrow. It answers True only when ALL of this holds (anything else: False, and
bleach runs as before):
- every tag is `<name attr="value" ...>` or `</name>`, lower case, one space before each attribute, values
  in double quotes holding no `"`, `<` or `>`, no attribute twice, no `/>`, no comment, doctype or `<!`/`<?`;
- every tag is on the sanitizer's allow-list and every attribute passes the sanitizer's own attribute test
  (the function given), `style` never (the CSS sanitizer may rewrite it), `href` only a `#anchor` (no
  white space or `&`) or a relative path of letters, digits, `_`, `-`, `.`, `/` (no scheme), `src` only a
  base64 PNG, JPEG or SVG picture (which the attribute test already insists on);
- text holds no `<` or `>`, and `&` only in `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#x27;`, `&#39;` or a
  decimal reference to a printable character; no control, non-character or BOM code points, no `\\r`;
- the tags nest exactly (each end tag closes the innermost open element; void elements have none) and in
  a shape an HTML parser keeps as it is: nothing that closes a `<p>` inside one, no heading in a heading,
  no link in a link, `li` only in `ul`/`ol`, `dd`/`dt` only in `dl`, tables only as table > caption,
  colgroup (> col), thead, tbody, tfoot > tr > td, th with no text between but white space, no newline
  right after `<pre>`.

Safety does not rest on bleach agreeing: a string of this form can only ever parse (in any HTML parser)
into allow-listed elements with allow-listed attributes, because no text can open a tag or end an
attribute value. tests/report/test_cleanform.py checks, on the reports' fragments and on many generated
ones, that bleach gives back every fragment this accepts byte for byte.
"""
from __future__ import annotations

import re
from typing import Callable

_TOKEN = re.compile(r'<(/?)([a-z][a-z0-9]*)((?: [a-z]+="[^"<>]*")*)>|[^<>]+')
_ATTR = re.compile(r' ([a-z]+)="([^"<>]*)"')
_ASTRAL_NONCHARACTERS = "".join(f"\\U{p:08x}\\U{p + 1:08x}" for p in range(0x1FFFE, 0x110000, 0x10000))
_BAD_CHAR = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ufeff\ufffe\uffff\ud800-\udfff"
                       + _ASTRAL_NONCHARACTERS + "]")
_AMP = re.compile(r"&(?!(?:amp|lt|gt|quot|#x27|#39|#([0-9]{2,5}));)|&#([0-9]{2,5});")
_HREF = re.compile(r"#[^\s&]*|[A-Za-z0-9_./-]+")
_SRC = re.compile(r"data:image/(?:png|jpeg|svg\+xml);base64,[A-Za-z0-9+/]*={0,2}")

PHRASING = frozenset("a abbr b br cite code del em i img ins kbd mark q s samp small span strong sub sup u var"
                     .split())
VOID = frozenset({"br", "col", "hr", "img"})
HEADINGS = frozenset(f"h{i}" for i in range(1, 7))
# Start tags that close an open <p> (the HTML parsing algorithm's list, as far as the allow-list has them).
CLOSES_P = frozenset("blockquote details div dl figcaption figure hr li dd dt ol p pre summary table ul"
                     .split()) | HEADINGS
# Elements whose children may only be phrasing content here (a stricter rule than HTML's, on purpose).
PHRASING_ONLY = PHRASING | HEADINGS | {"p", "pre", "caption", "summary", "dt"}
# Elements that may appear only right inside one of these parents.
PARENTS = {"caption": {"table"}, "colgroup": {"table"}, "thead": {"table"}, "tbody": {"table"},
           "tfoot": {"table"}, "col": {"colgroup"}, "tr": {"thead", "tbody", "tfoot"}, "td": {"tr"},
           "th": {"tr"}, "li": {"ul", "ol"}, "dd": {"dl"}, "dt": {"dl"}}
# Elements whose only children are these (and white space).
CHILDREN = {"table": {"caption", "colgroup", "thead", "tbody", "tfoot"}, "colgroup": {"col"},
            "thead": {"tr"}, "tbody": {"tr"}, "tfoot": {"tr"}, "tr": {"td", "th"}}


def _clean_text(text: str) -> bool:
    if _BAD_CHAR.search(text):
        return False
    for m in _AMP.finditer(text):
        code = m.group(2)
        if code is None:
            return False  # a bare `&` or another entity
        n = int(code)
        if not (32 <= n <= 126 or 160 <= n <= 0xD7FF or 0xE000 <= n <= 0xFDCF or 0xFDF0 <= n <= 0xFFFD):
            return False
    return True


def _clean_attributes(tag: str, attrs: str, allow_attribute: Callable[[str, str, str], bool]) -> bool:
    seen = set()
    for name, value in _ATTR.findall(attrs):
        if name in seen or name == "style" or not allow_attribute(tag, name, value) or not _clean_text(value):
            return False
        seen.add(name)
        if name == "href" and not _HREF.fullmatch(value):
            return False
        if name == "src" and not _SRC.fullmatch(value):
            return False
    return True


def _start_ok(tag: str, stack: list[str]) -> bool:
    parent = stack[-1] if stack else None
    if parent in CHILDREN:
        return tag in CHILDREN[parent]
    if tag in PARENTS:
        return parent in PARENTS[tag]
    if parent in PHRASING_ONLY and tag not in PHRASING:
        return False
    if tag in CLOSES_P and "p" in stack:
        return False
    if tag in HEADINGS and not HEADINGS.isdisjoint(stack):
        return False
    return not (tag == "a" and "a" in stack)


def already_clean(fragment: str, allowed_tags, allow_attribute: Callable[[str, str, str], bool]) -> bool:
    """Whether bleach would give `fragment` back unchanged, by the narrow rules in the module doc
    (False does not mean it is unsafe, only that the sanitizer has to look)."""
    stack: list[str] = []
    after_pre = False
    pos = 0
    for m in _TOKEN.finditer(fragment):
        if m.start() != pos:
            return False  # a `<` or `>` that is not part of a tag of the accepted form
        pos = m.end()
        closing, tag, attrs = m.group(1), m.group(2), m.group(3)
        if tag is None:
            text = m.group(0)
            if (after_pre and text.startswith("\n")) or not _clean_text(text):
                return False
            if stack and stack[-1] in CHILDREN and text.strip(" \t\n"):
                return False
        elif closing:
            if attrs or not stack or stack.pop() != tag:
                return False
        else:
            if tag not in allowed_tags or not _start_ok(tag, stack) \
                    or not _clean_attributes(tag, attrs, allow_attribute):
                return False
            if tag not in VOID:
                stack.append(tag)
        after_pre = tag == "pre" and not closing
    return pos == len(fragment) and not stack
