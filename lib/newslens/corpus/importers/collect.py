"""Gather articles from the sources of one `import` call: files and folders, of every kind, mixed.

    collect(sources, read_txt) -> Collected(articles, duplicates, needs_text, skipped)

- Folders are walked (sorted, recursively); their files of an unknown kind are counted in `skipped`,
  while a file named directly must be of a known kind.
- Saved pages (also those inside WARC archives) are extracted in worker processes when there are many.
- Rows of an archive export without text take the text of a saved page of the same address given in
  the same call (the row's own values first, the page's filling the blanks); the others are listed in
  `needs_text`, not imported.
- Articles whose source gives no language get the detected one (corpus.language.detect_language).
- The same article given twice (the same address, or the same text from the same outlet) is kept
  once: its first occurrence, in the order of the sources; each later one is listed in `duplicates`.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from newslens.core.errors import CorpusError
from newslens.corpus.importers.records import Article
from newslens.corpus.language import detect_language, language_code
from newslens.corpus.textio import not_a_regular_file

KINDS = {".html": "html", ".htm": "html", ".warc": "warc", ".warc.gz": "warc", ".jsonl": "jsonl",
         ".json": "json", ".csv": "csv", ".txt": "txt"}
# Pages per worker batch, and the number of pages from which worker processes pay off.
_PAGES_PER_BATCH = 50
MIN_PAGES_FOR_WORKERS = 100


@dataclass
class Collected:
    articles: list[Article] = field(default_factory=list)
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (origin, kept origin, why)
    needs_text: list[Article] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)                      # what was not imported


def kind_of(path: Path) -> str | None:
    name = path.name.lower()
    for suffix in sorted(KINDS, key=len, reverse=True):
        if name.endswith(suffix):
            return KINDS[suffix]
    return None


def _walk(folder: Path, exclude: Path | None) -> list[Path]:
    """The files of a folder in name order, hidden ones (and those inside hidden folders) and those
    under `exclude` (the corpus being written, when it sits inside a source folder) left out."""
    files = []
    for p in sorted(folder.rglob("*")):
        relative = p.relative_to(folder).parts
        if any(part.startswith(".") for part in relative) or not p.is_file():
            continue
        if exclude is not None and p.resolve().is_relative_to(exclude):
            continue
        files.append(p)
    return files


def source_files(sources: list[str | Path], skipped: Counter,
                 exclude: Path | None = None) -> list[tuple[Path, str]]:
    """(file, kind) for every source, folders walked in name order."""
    files = []
    exclude = exclude.resolve() if exclude is not None else None
    for source in sources:
        path = Path(source).expanduser()
        if path.is_dir():
            for p in _walk(path, exclude):
                kind = kind_of(p)
                if kind:
                    files.append((p, kind))
                else:
                    skipped["files of another kind"] += 1
            continue
        problem = not_a_regular_file(path)
        if problem:
            raise CorpusError(problem)
        kind = kind_of(path)
        if kind is None:
            raise CorpusError(f"{path}: unknown kind of file (import reads {', '.join(sorted(KINDS))})")
        files.append((path, kind))
    if not files:
        raise CorpusError("nothing to import: no file of a known kind in " + ", ".join(map(str, sources)))
    return files


def _page_batch(batch: list[tuple[str, str, object]]) -> list[Article]:
    """Extract a batch of pages (run in a worker): (origin, url, path or bytes) each."""
    from newslens.corpus.importers.html import extract_page

    out = []
    for origin, url, data in batch:
        article = extract_page(Path(data).read_bytes() if isinstance(data, str) else data, origin, url)
        _set_language(article)      # here, in the worker: detection is most of the rest of the work
        out.append(article)
    return out


def _set_language(article: Article) -> None:
    article.language = language_code(article.language) or detect_language(article.text)


def _warm_up() -> None:
    """Import the extraction library and load the language model once, here, before the workers are
    forked: they inherit both instead of each spending a second on them."""
    import trafilatura  # noqa: F401

    detect_language("The workers inherit the language model loaded for this sentence, once and for all.")


def _extract_pages(pages: list[tuple[str, str, object]], engine) -> list[Article]:
    from newslens.core.engines import default_workers, make_engine

    if engine in (None, "auto"):
        many = len(pages) >= MIN_PAGES_FOR_WORKERS and default_workers() > 1
        engine = "processes" if many else "serial"
    if engine == "processes":
        _warm_up()
    batches = [pages[i:i + _PAGES_PER_BATCH] for i in range(0, len(pages), _PAGES_PER_BATCH)]
    runner = make_engine(engine)
    try:
        return [a for part in runner.map(_page_batch, batches) for a in part]
    finally:
        runner.close()


def _read_file(path: Path, kind: str, name: str, read_txt, skipped: Counter) -> list:
    """Articles of one file; saved pages come back as (origin, url, data) for batch extraction."""
    if kind == "html":
        return [(name, "", str(path))]
    if kind == "warc":
        from newslens.corpus.importers.warc import read_warc_pages

        pages, not_pages = read_warc_pages(path, name)
        skipped.update({f"WARC records: {k}": v for k, v in not_pages.items()})
        return pages
    if kind == "jsonl":
        from newslens.corpus.importers.scraper import read_json_lines
        return read_json_lines(path, name)
    if kind == "json":
        from newslens.corpus.importers.scraper import read_json
        return read_json(path, name)
    if kind == "csv":
        from newslens.corpus.importers.archive_csv import read_archive_csv
        return read_archive_csv(path, name)
    return [read_txt(path, name)]


def url_key(url: str) -> str:
    """An address as matching compares it: no scheme, no "www.", no fragment, no trailing slash."""
    if not url:
        return ""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    key = f"{host}{parts.path.rstrip('/')}" + (f"?{parts.query}" if parts.query else "")
    return key if host else ""


def text_key(text: str, outlet: str) -> str:
    """The same text from the same outlet (blanks and case ignored). The same agency story run by two
    outlets is two articles (what the shared-passages analysis is for), not a duplicate."""
    key = f"{outlet.strip().lower()}\n{' '.join(text.split()).lower()}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _fill_from_page(row: Article, page: Article) -> Article:
    """A text-less archive row completed by the saved page of its address."""
    row.text, row.removed = page.text, page.removed
    for name in ("title", "author", "published", "outlet", "language"):
        if not getattr(row, name):
            setattr(row, name, getattr(page, name))
    row.origin = f"{row.origin} + {page.origin}"
    return row


def collect(sources, read_txt: Callable[[Path, str], Article], engine="auto",
            exclude: Path | None = None) -> Collected:
    """Every article of `sources` (see the module docstring); files under `exclude` are not read."""
    out = Collected()
    items: list = []         # Articles, or (origin, url, data) pages to extract, in source order
    for path, kind in source_files(sources, out.skipped, exclude):
        # origins name a file as it was given (a folder's files under the folder as given)
        items.extend(_read_file(path, kind, path.as_posix(), read_txt, out.skipped))
    pages = [item for item in items if isinstance(item, tuple)]
    extracted = iter(_extract_pages(pages, engine)) if pages else iter(())
    articles = [next(extracted) if isinstance(item, tuple) else item for item in items]
    _match_rows_to_pages(articles, out)
    for article in out.articles:
        _set_language(article)
    return out


def _match_rows_to_pages(articles: list[Article], out: Collected) -> None:
    """Complete text-less archive rows with saved pages, then keep each article once."""
    pages_by_url = {}
    for a in articles:
        if a.text and url_key(a.url):
            pages_by_url.setdefault(url_key(a.url), a)
    used_pages = set()
    completed = []
    for a in articles:
        if not a.text:
            page = pages_by_url.get(url_key(a.url))
            if page is None:
                out.needs_text.append(a)
                continue
            used_pages.add(id(page))
            completed.append(_fill_from_page(a, page))
        else:
            completed.append(a)
    seen: dict[str, str] = {}
    for a in completed:
        if id(a) in used_pages:
            continue        # a page that gave its text to an archive row is that row's article
        keys = [("same URL", "u" + url_key(a.url))] if url_key(a.url) else []
        keys.append(("same text", "t" + text_key(a.text, a.outlet)))
        first = next(((why, seen[k]) for why, k in keys if k in seen), None)
        if first:
            out.duplicates.append((a.origin, first[1], first[0]))
            continue
        for _, k in keys:
            seen[k] = a.origin
        out.articles.append(a)
