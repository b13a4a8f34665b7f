"""nbconvert's last pass over an HTML page, made in one streaming pass: the same bytes, without the tree.

nbconvert's HTMLExporter ends every export by parsing the whole page with BeautifulSoup ("html.parser"),
giving each `img` with no `alt` a stock alt text and each cell's input wrapper and output `tabindex="0"`
(under `.jp-Notebook`), and printing the tree again: about half of what an export costs once the
sanitizer's fast path (newslens.report.cleanform) has done its part. `finish_page(page)` gives the same
string. It drives BeautifulSoup's own html.parser front end (so tokens, entities, attributes, void
elements and stray end tags are read exactly as BeautifulSoup reads them) into a writer that prints each
element as BeautifulSoup would print it (attributes sorted, multi-valued ones such as `class` split and
joined by one space, values and text escaped by its "minimal" formatter, white-space-only strings
outside `pre`/`textarea` cut to one space or newline, void elements as `<br/>`, end tags at the same
places as the tree's), instead of building the tree, selecting in it and printing it.

Anything it does not reproduce for certain (a CDATA section, a processing instruction or a declaration
other than the doctype, a `<meta http-equiv="content-type">`) makes it hand the page to BeautifulSoup as
nbconvert does. tests/report/test_pagefinish.py compares the two on report pages and generated ones.
"""
from __future__ import annotations

import logging

from bs4 import BeautifulSoup
from bs4.exceptions import ParserRejectedMarkup
from bs4.builder import HTMLParserTreeBuilder
from bs4.builder._htmlparser import BeautifulSoupHTMLParser
from bs4.element import Comment, Doctype
from bs4.formatter import HTMLFormatter

ALT_TEXT = "No description has been provided for this image"  # nbconvert's
FOCUSABLE = ("jp-Cell-inputWrapper", "jp-OutputArea-output")  # divs under .jp-Notebook get tabindex="0"
_FORMATTER = HTMLFormatter.REGISTRY["minimal"]
_CDATA_TAGS = frozenset(_FORMATTER.cdata_containing_tags)  # their text is printed as it is
_SPACES = frozenset(" \n\t\x0c\r")  # BeautifulSoup.ASCII_SPACES


# The entities a report page holds, as BeautifulSoup's table reads them (the whole table is built on its
# first use, about 0.015 CPU-s; tests/report/test_pagefinish.py checks these against it).
COMMON_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'", "nbsp": "\xa0"}


class _Parser(BeautifulSoupHTMLParser):
    def handle_entityref(self, name: str) -> None:
        character = COMMON_ENTITIES.get(name)
        if character is None:
            super().handle_entityref(name)
        else:
            self.handle_data(character)


class _Unsure(Exception):
    """The page holds something this writer does not print exactly as BeautifulSoup would."""


class _Element:
    __slots__ = ("name", "classes", "is_empty_element")

    def __init__(self, name: str, classes: list[str], void: bool):
        self.name, self.classes, self.is_empty_element = name, classes, void


class _Writer:
    """What BeautifulSoupHTMLParser calls on its `soup`, printing as it goes."""

    def __init__(self):
        self.builder = HTMLParserTreeBuilder()
        self.contains_replacement_characters = False
        self.out: list[str] = []
        self.stack: list[_Element] = []
        self.open_count: dict[str, int] = {}
        self.preserving = 0  # open pre / textarea elements
        self.under_notebook = 0  # open elements whose class holds jp-Notebook
        self.current_data: list[str] = []
        self.missing_alt = 0

    def handle_data(self, data: str) -> None:
        self.current_data.append(data)

    def endData(self, container=None) -> None:  # noqa: N802 - BeautifulSoup's name
        if not self.current_data:
            return
        data = "".join(self.current_data)
        self.current_data = []
        if not self.preserving and all(c in _SPACES for c in data):
            data = "\n" if "\n" in data else " "
        if container is Comment or container is Doctype:
            self.out.append(container.PREFIX + data + container.SUFFIX)
        elif container is not None:
            raise _Unsure(container.__name__)
        elif self.stack and self.stack[-1].name in _CDATA_TAGS:
            self.out.append(data)
        else:
            self.out.append(_escape(data))

    def handle_starttag(self, name, namespace, nsprefix, attrs, sourceline=None, sourcepos=None):
        self.endData()
        builder = self.builder
        attrs = dict(attrs)
        if attrs:
            builder._replace_cdata_list_attribute_values(name, attrs)
        classes = attrs.get("class", [])
        classes = classes if isinstance(classes, list) else [classes]
        if name == "meta":
            if attrs.get("http-equiv", "").lower() == "content-type":
                raise _Unsure("meta content-type")
            if "charset" in attrs:
                attrs["charset"] = "utf-8"  # what BeautifulSoup prints for any charset when printing a str
        if name == "img" and "alt" not in attrs:
            attrs["alt"] = ALT_TEXT
            self.missing_alt += 1
        if name == "div" and self.under_notebook and any(c in classes for c in FOCUSABLE):
            attrs["tabindex"] = "0"
        void = name in builder.empty_element_tags
        self.out.append(f"<{name}{_attribute_string(attrs)}{'/' if void else ''}>")
        element = _Element(name, classes, void)
        self.stack.append(element)
        self.open_count[name] = self.open_count.get(name, 0) + 1
        self.preserving += name in builder.preserve_whitespace_tags
        self.under_notebook += "jp-Notebook" in classes
        return element

    def handle_endtag(self, name, nsprefix=None) -> None:
        self.endData()
        if not self.open_count.get(name):
            return
        while self.stack:
            element = self._pop()
            if element.name == name:
                return

    def _pop(self) -> _Element:
        element = self.stack.pop()
        self.open_count[element.name] -= 1
        self.preserving -= element.name in self.builder.preserve_whitespace_tags
        self.under_notebook -= "jp-Notebook" in element.classes
        if not element.is_empty_element:
            self.out.append(f"</{element.name}>")
        return element


def _escape(text: str) -> str:
    """The "minimal" formatter's substitution (EntitySubstitution.substitute_xml), without its regex
    and its per-call checks for strings of the tree (this writer has none)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _attribute_string(attrs: dict) -> str:
    if not attrs:
        return ""
    parts = []
    for key, value in sorted(attrs.items()):
        if isinstance(value, list):
            value = " ".join(value)
        parts.append(f"{key}={_FORMATTER.quoted_attribute_value(_escape(value))}")
    return " " + " ".join(parts)


def _streamed(page: str) -> tuple[str, int]:
    writer = _Writer()
    args, kwargs = writer.builder.parser_args
    parser = _Parser(writer, *args, **kwargs)
    parser.feed(page)
    parser.close()
    writer.endData()
    while writer.stack:
        writer._pop()
    return "".join(writer.out), writer.missing_alt


def finish_page(page: str, log: logging.Logger | None = None) -> str:
    """`page` as nbconvert's HTMLExporter leaves it: alt texts, tab stops, printed as BeautifulSoup prints."""
    try:
        out, missing_alt = _streamed(page)
    except (_Unsure, ParserRejectedMarkup, AssertionError):
        # Something this writer does not print as BeautifulSoup would, or markup the parser rejects
        # (html.parser may assert on it): BeautifulSoup itself, which says what it says of such a page.
        # Any other error is a bug here and is raised, not hidden behind the slower path.
        return _with_beautifulsoup(page, log)
    if missing_alt and log is not None:
        log.warning("Alternative text is missing on %s image(s).", missing_alt)
    return out


def _with_beautifulsoup(page: str, log: logging.Logger | None) -> str:
    """nbconvert's own code (nbconvert.exporters.html.HTMLExporter.from_notebook_node)."""
    soup = BeautifulSoup(page, features="html.parser")
    missing_alt = 0
    for elem in soup.select("img:not([alt])"):
        elem.attrs["alt"] = ALT_TEXT
        missing_alt += 1
    if missing_alt and log is not None:
        log.warning("Alternative text is missing on %s image(s).", missing_alt)
    for elem in soup.select(".jp-Notebook div.jp-Cell-inputWrapper"):
        elem.attrs["tabindex"] = "0"
    for elem in soup.select(".jp-Notebook div.jp-OutputArea-output"):
        elem.attrs["tabindex"] = "0"
    return str(soup)
