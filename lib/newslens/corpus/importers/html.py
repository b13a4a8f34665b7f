"""Saved web pages: the article's main text and metadata, read with trafilatura (dates through htmldate).

    extract_page(data, origin, url="") -> Article

Title, author, site name, address and publication date come from the page's own metadata (its
`<meta>` tags, JSON-LD, `<title>`), as trafilatura reads them; the date is htmldate's *original*
publication date from the page's markup only (`extensive_search` off: a date merely mentioned in the
text or the address is not taken for the publication date). The language is the page's declared
`<html lang>`, when it has one. Whatever the page does not say is left blank.
"""
from __future__ import annotations

import logging
import re

from newslens.core.errors import CorpusError
from newslens.corpus.importers.records import Article, iso_date, paragraphs, repair, short_language
from newslens.corpus.textio import bom_encoding, looks_binary

# htmldate's options: the original publication date, from the markup only.
DATE_OPTIONS = {"original_date": True, "extensive_search": False}
_HTML_LANG = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)", re.I)
# Text blocks of a page: what the removed-furniture audit compares with the extracted body.
_BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "figcaption", "blockquote", "td",
               "dt", "dd", "caption", "label", "button")


def _quiet_libraries() -> None:
    """The extraction libraries log what they could not parse; the import says it in its own error
    line (one line per problem), so their messages below CRITICAL are not shown."""
    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _declared_language(data: bytes) -> str:
    m = _HTML_LANG.search(data[:20000])
    return short_language(m.group(1).decode("ascii")) if m else ""


def _blocks(tree) -> list[str]:
    """The page's text blocks (paragraphs, headings, list items, captions ...), each once, in order:
    read before extraction, which may change the tree."""
    blocks, seen = [], set()
    for element in tree.iter(*_BLOCK_TAGS):
        if any(child.tag in _BLOCK_TAGS for child in element.iterchildren()):
            continue      # the inner blocks speak for themselves
        text = " ".join(element.text_content().split())
        if text and text not in seen:
            seen.add(text)
            blocks.append(text)
    return blocks


def _furniture(blocks: list[str], body: str) -> list[str]:
    """The blocks not in the extracted body: the page furniture the extraction left out (the audit)."""
    kept = " ".join(body.split())
    return [block for block in blocks if block not in kept]


def extract_page(data: bytes, origin: str, url: str = "") -> Article:
    """One saved page -> Article. Raises CorpusError naming `origin` when the page holds no article."""
    import trafilatura
    from trafilatura.utils import load_html

    if not data.strip():
        raise CorpusError(f"{origin}: file is empty")
    if bom_encoding(data) is None and looks_binary(data):
        raise CorpusError(f"{origin}: a binary file, not a saved web page")
    _quiet_libraries()
    tree = load_html(data)
    if tree is None:
        raise CorpusError(f"{origin}: not an HTML page (nothing could be parsed)")
    blocks = _blocks(tree)
    doc = trafilatura.bare_extraction(
        tree, url=url or None, fast=True, with_metadata=True, include_comments=False,
        include_tables=False, date_extraction_params=DATE_OPTIONS)
    text = paragraphs(repair(getattr(doc, "text", None) or ""))
    if not text:
        raise CorpusError(f"{origin}: no article text found in this page")
    page_url = url or (doc.url or "")
    return Article(
        origin=origin, text=text, title=repair(doc.title or "").strip(),
        author=repair(doc.author or "").strip(), published=iso_date(doc.date, origin),
        outlet=repair(doc.sitename or doc.hostname or "").strip(), url=page_url,
        language=_declared_language(data), removed=_furniture(blocks, text),
    )
