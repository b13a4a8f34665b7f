"""JSON Lines / JSON written by news scrapers: news-please and newspaper (newspaper3k, newspaper4k).

    read_scraper_json(path, name) -> list[Article]

A `.jsonl` file holds one article per line; a `.json` file one article or a list of them. The
fields read, per scraper (the first one present wins):

    field      news-please                 newspaper
    text       maintext                    text
    title      title, title_page           title
    published  date_publish                publish_date
    author     authors (list)              authors (list)
    outlet     source_domain               meta_site_name, source_url
    url        url                         canonical_link, url
    language   language                    meta_lang

A record holding none of the text fields, a line that is not JSON, or a record without text is an
error naming the file and the line (or the record's position in a JSON list).
"""
from __future__ import annotations

import json
from pathlib import Path

from newslens.core.errors import CorpusError
from newslens.corpus.importers.records import Article, iso_date, paragraphs, repair, short_language

FIELDS = {
    "text": ("maintext", "text"),
    "title": ("title", "title_page"),
    "published": ("date_publish", "publish_date"),
    "author": ("authors", "author"),
    "outlet": ("source_domain", "meta_site_name", "source_url"),
    "url": ("url", "canonical_link"),
    "language": ("language", "meta_lang"),
}
# newspaper's "language" is the language it was set to parse in, while its "meta_lang" is the
# page's own declaration.
_NEWSPAPER_LANGUAGE = ("meta_lang", "language")


def _first(record: dict, names: tuple[str, ...]):
    for name in names:
        value = record.get(name)
        if value not in (None, "", []):
            return value
    return None


def _authors(value) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(repair(str(v)).strip() for v in value if v)
    return repair(str(value)).strip() if value else ""


def article_from_record(record, origin: str, hint: str) -> Article:
    """One scraper record -> Article (raises CorpusError naming `origin`)."""
    if not isinstance(record, dict):
        raise CorpusError(f"{origin}: expected a JSON object (an article), found {type(record).__name__}")
    if not any(name in record for name in FIELDS["text"]):
        raise CorpusError(f"{origin}: no article text field (news-please writes 'maintext', "
                          f"newspaper 'text'); fields here: {', '.join(list(record)[:8])}")
    text = paragraphs(repair(str(_first(record, FIELDS["text"]) or "")))
    if not text:
        raise CorpusError(f"{origin}: the article's text is empty")
    is_newspaper = "maintext" not in record
    language = _first(record, _NEWSPAPER_LANGUAGE if is_newspaper else FIELDS["language"])
    return Article(
        origin=origin, text=text, doc_hint=hint,
        title=repair(str(_first(record, FIELDS["title"]) or "")).strip(),
        author=_authors(_first(record, FIELDS["author"])),
        published=iso_date(_first(record, FIELDS["published"]), origin),
        outlet=repair(str(_first(record, FIELDS["outlet"]) or "")).strip(),
        url=str(_first(record, FIELDS["url"]) or "").strip(),
        language=short_language(language),
    )


def _text_of(path: Path, name: str) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[:exc.start].count(b"\n") + 1
        raise CorpusError(f"{name} line {line}: not UTF-8 (JSON is UTF-8 text)") from None


def read_json_lines(path: Path, name: str) -> list[Article]:
    articles = []
    for n, line in enumerate(_text_of(path, name).split("\n"), start=1):
        if not line.strip():
            continue
        origin = f"{name} line {n}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorpusError(f"{origin}: invalid JSON ({exc.msg} at column {exc.colno})") from None
        articles.append(article_from_record(record, origin, f"{path.stem}-{n}"))
    if not articles:
        raise CorpusError(f"{name}: file is empty (no JSON line)")
    return articles


def read_json(path: Path, name: str) -> list[Article]:
    text = _text_of(path, name)
    if not text.strip():
        raise CorpusError(f"{name}: file is empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CorpusError(f"{name} line {exc.lineno}: invalid JSON ({exc.msg} at column {exc.colno})") from None
    if isinstance(data, list):
        if not data:
            raise CorpusError(f"{name}: the JSON list holds no article")
        return [article_from_record(r, f"{name} record {i}", f"{path.stem}-{i}")
                for i, r in enumerate(data, start=1)]
    return [article_from_record(data, name, path.stem)]
