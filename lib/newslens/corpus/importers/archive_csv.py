"""News-archive CSV exports (Media Cloud): one story per row.

    read_archive_csv(path, name) -> list[Article]     # a row without text has text "" (needs "text")

Columns read (Media Cloud's own names; the first present wins):

    id         stories_id, id                 title      title
    published  publish_date                   url        url
    outlet     media_name                     language   language
    text       text, story_text, full_text    (exports include text only when asked for)

An export must have a `url` and a `publish_date` column; a CSV with neither is not an archive export
and is an error naming the file and the columns it has. The origin of a row is "FILE line N" (N the
line of the file where the row starts; the header is line 1).
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from newslens.core.errors import CorpusError
from newslens.corpus.importers.records import Article, iso_date, paragraphs, repair, short_language

ID_COLUMNS = ("stories_id", "id")
TEXT_COLUMNS = ("text", "story_text", "full_text")
REQUIRED = ("url", "publish_date")


def _value(row: dict, names: tuple[str, ...]) -> str:
    for name in names:
        value = (row.get(name) or "").strip()
        if value:
            return value
    return ""


def _rows(path: Path, name: str):
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CorpusError(f"{name}: not UTF-8 text (save the export as UTF-8 CSV)") from None
    if not text.strip():
        raise CorpusError(f"{name}: file is empty")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise CorpusError(f"{name}: not a news-archive export: no {' or '.join(missing)} column "
                          f"(Media Cloud exports have url and publish_date; found: {', '.join(header[:10])})")
    line = 1
    try:
        for row in reader:
            yield line + 1, row
            line = reader.line_num
    except csv.Error as exc:
        raise CorpusError(f"{name} line {reader.line_num}: not readable CSV ({exc})") from None


def read_archive_csv(path: Path, name: str) -> list[Article]:
    articles = []
    for line, row in _rows(path, name):
        origin = f"{name} line {line}"
        story = _value(row, ID_COLUMNS)
        articles.append(Article(
            origin=origin, doc_hint=f"story-{story}" if story else f"{path.stem}-{line}",
            text=paragraphs(repair(_value(row, TEXT_COLUMNS))),
            title=repair(_value(row, ("title",))).strip(),
            published=iso_date(_value(row, ("publish_date",)), origin),
            outlet=repair(_value(row, ("media_name",))).strip(),
            url=_value(row, ("url",)),
            language=short_language(_value(row, ("language",))),
        ))
    if not articles:
        raise CorpusError(f"{name}: the export lists no story")
    return articles
