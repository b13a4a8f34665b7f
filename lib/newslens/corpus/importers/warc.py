"""Web archives (.warc, .warc.gz): every HTML response record read as a saved page (warcio).

    read_warc(path, name) -> (articles, skipped)

A WARC holds other records besides the pages (`warcinfo`, `request`, `metadata`, `revisit`) and
responses that are not pages (images, scripts): those are counted in `skipped` ("3 request, 2 not
HTML"), never imported. The address of each page is its record's `WARC-Target-URI`; its origin is
"FILE record N" (N counts every record of the file from 1). An archive without any HTML response, or
one that cannot be read, is an error naming the file (and the record).
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from newslens.core.errors import CorpusError
from newslens.corpus.importers.html import extract_page

PAGE_RECORDS = ("response", "resource")


def _is_html(record) -> bool:
    if record.rec_type == "response" and record.http_headers is not None:
        kind = record.http_headers.get_header("Content-Type") or ""
    else:
        kind = record.rec_headers.get_header("Content-Type") or ""
    return "html" in kind.lower()


def read_warc_pages(path: Path, name: str) -> tuple[list[tuple[str, str, bytes]], Counter]:
    """(origin, url, page bytes) of every HTML response in the archive, and the records skipped."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    pages, skipped = [], Counter()
    n = 0
    try:
        with open(path, "rb") as fh:
            for n, record in enumerate(ArchiveIterator(fh), start=1):
                if not record.rec_type:
                    raise CorpusError(f"{name} record {n}: not a WARC record (no WARC-Type)")
                if record.rec_type not in PAGE_RECORDS:
                    skipped[record.rec_type] += 1
                elif not _is_html(record):
                    skipped["not HTML"] += 1
                else:
                    url = record.rec_headers.get_header("WARC-Target-URI") or ""
                    pages.append((f"{name} record {n}", url, record.content_stream().read()))
    except (ArchiveLoadFailed, ValueError, EOFError, OSError) as exc:
        where = f"{name} record {n + 1}" if n else name
        raise CorpusError(f"{where}: not a readable WARC archive ({str(exc).splitlines()[0][:120]})") from None
    if not pages:
        found = ", ".join(f"{k} {v}" for k, v in skipped.items()) or "no records"
        raise CorpusError(f"{name}: no HTML response record in this archive ({found})")
    return pages, skipped


def read_warc(path: Path, name: str):
    """The pages of an archive as Articles (in record order), and the records skipped."""
    pages, skipped = read_warc_pages(path, name)
    return [extract_page(data, origin, url) for origin, url, data in pages], skipped
