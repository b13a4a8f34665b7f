"""Write imported articles as a corpus folder, whole or not at all.

    write_corpus(collected, out, append=False) -> Written

The folder holds `corpus.csv` (the manifest: `doc_id, path, outlet, published, title, author, url,
language, origin, needs`), one UTF-8 `articles/<doc_id>.txt` per article, `import_removed.csv` (the
page furniture each extraction left out: `doc_id, block, text, reason`) and, when some archive rows had
no text, `needs_text.csv`. Everything is written into a new folder beside `out` and renamed into place
at the end, so a failed import leaves `out` as it was. An `out` that already holds a corpus is refused
unless `append` (then the new articles not already in it are added, under doc_ids not yet used) or
unless it holds exactly what this import would write.
"""
from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from newslens.core.errors import CorpusError
from newslens.core.tablefiles import escape_cell, unescape_cell
from newslens.corpus.importers.collect import Collected, text_key, url_key
from newslens.corpus.importers.records import Article
from newslens.corpus.manifest import MANIFEST_NAME

MANIFEST_COLUMNS = ["doc_id", "path", "outlet", "published", "title", "author", "url", "language",
                    "origin", "needs"]
REMOVED_NAME = "import_removed.csv"
NEEDS_TEXT_NAME = "needs_text.csv"
ARTICLES_DIR = "articles"
_UNSAFE = re.compile(r"[^a-z0-9_-]+")
_MAX_ID = 60


@dataclass
class Written:
    out: Path
    added: list[dict] = field(default_factory=list)     # manifest rows written by this import
    already: list[tuple[str, str, str]] = field(default_factory=list)  # (origin, doc_id, why) in out
    unchanged: bool = False


def doc_id_for(article: Article) -> str:
    hint = article.doc_hint or Path(article.origin.split(" ")[0]).name
    hint = re.sub(r"(\.warc)?(\.gz)?$", "", hint.lower())
    stem = Path(hint).stem if "." in hint else hint
    if " record " in article.origin:
        stem += "-" + article.origin.rsplit(" ", 1)[-1]
    return _UNSAFE.sub("-", stem).strip("-")[:_MAX_ID].strip("-") or "doc"


def _csv(rows: list[dict], columns: list[str]) -> str:
    """The rows as CSV; a cell a spreadsheet would run as a formula (a page's title "=...") gets a
    leading ' (newslens.core.tablefiles), which _read_csv and the manifest reader take off again."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows({k: escape_cell(v) if isinstance(v, str) else v for k, v in row.items()} for row in rows)
    return buffer.getvalue()


def _read_csv(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [{k: unescape_cell(v) if isinstance(v, str) else v for k, v in row.items()}
                for row in csv.DictReader(fh)]


def _existing(out: Path, append: bool) -> list[dict]:
    """The manifest rows already in `out` (appending), [] for an absent or empty folder."""
    if not out.exists():
        return []
    if not out.is_dir():
        raise CorpusError(f"--out {out} is a file, not a folder")
    manifest = out / MANIFEST_NAME
    if not manifest.is_file():
        if any(out.iterdir()):
            raise CorpusError(f"--out {out} is a folder that holds other files and no {MANIFEST_NAME}; "
                              "give an empty or new folder")
        return []
    rows = _read_csv(manifest)
    if not append:
        return rows          # compared with what this import would write: refused unless the same
    if "origin" not in (rows[0] if rows else {}):
        raise CorpusError(f"--out {out} holds a corpus not made by import (no 'origin' column); "
                          "--append adds only to a folder written by import")
    return rows


def _rows_and_files(articles, existing: list[dict], out: Path):
    """New manifest rows, their texts and removed blocks; articles already in `out` are set aside."""
    used = {r["doc_id"] for r in existing}
    seen = {}
    for r in existing:
        if r.get("url") and url_key(r["url"]):
            seen["u" + url_key(r["url"])] = r["doc_id"]
        text_file = out / r["path"]
        if text_file.is_file():
            seen["t" + text_key(text_file.read_text(encoding="utf-8"), r.get("outlet", ""))] = r["doc_id"]
    rows, texts, removed, already = [], {}, [], []
    for article in articles:
        keys = ([("same URL", "u" + url_key(article.url))] if url_key(article.url) else []) + \
            [("same text", "t" + text_key(article.text, article.outlet))]
        hit = next(((why, seen[k]) for why, k in keys if k in seen), None)
        if hit:
            already.append((article.origin, hit[1], hit[0]))
            continue
        base = doc_id = doc_id_for(article)
        k = 2
        while doc_id in used:
            doc_id, k = f"{base}-{k}", k + 1
        used.add(doc_id)
        path = f"{ARTICLES_DIR}/{doc_id}.txt"
        rows.append({"doc_id": doc_id, "path": path, "outlet": article.outlet,
                     "published": article.published, "title": article.title, "author": article.author,
                     "url": article.url, "language": article.language, "origin": article.origin,
                     "needs": " ".join(n for n in article.needs if n != "text")})
        texts[path] = article.text + "\n"
        removed.extend({"doc_id": doc_id, "block": i, "text": block, "reason": "page furniture"}
                       for i, block in enumerate(article.removed, start=1))
    return rows, texts, removed, already


def write_corpus(collected: Collected, out: str | Path, append: bool = False) -> Written:
    out = Path(out).expanduser()
    existing = _existing(out, append)
    rows, texts, removed, already = _rows_and_files(collected.articles, existing if append else [], out)
    manifest = _csv((existing if append else []) + rows, MANIFEST_COLUMNS)
    if existing and not append:
        if (out / MANIFEST_NAME).read_text(encoding="utf-8-sig") == manifest and all(
                (out / p).is_file() and (out / p).read_text(encoding="utf-8") == t for p, t in texts.items()):
            return Written(out, [], [], unchanged=True)
        raise CorpusError(f"--out {out} already holds a different corpus; add --append to add these "
                          "articles to it, or give another folder")
    old_removed = _read_csv(out / REMOVED_NAME) if append else []
    needs_text = [{"origin": a.origin, "url": a.url, "title": a.title, "published": a.published,
                   "outlet": a.outlet} for a in collected.needs_text]
    _write_folder(out, existing if append else [], {
        MANIFEST_NAME: manifest,
        REMOVED_NAME: _csv(old_removed + removed, ["doc_id", "block", "text", "reason"]),
        **({NEEDS_TEXT_NAME: _csv(needs_text, ["origin", "url", "title", "published", "outlet"])}
           if needs_text else {}),
        **texts,
    })
    return Written(out, rows, already)


def _write_folder(out: Path, existing: list[dict], files: dict[str, str]) -> None:
    """Build the new folder beside `out` (the existing articles linked in), then swap it into place."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.import-", dir=out.parent))
    try:
        (tmp / ARTICLES_DIR).mkdir()
        for r in existing:
            source, target = out / r["path"], tmp / r["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, target)
            except OSError:
                shutil.copy2(source, target)
        for name, text in files.items():
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp / name).write_text(text, encoding="utf-8")
        os.chmod(tmp, 0o777 & ~_umask())
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _swap(tmp: Path, out: Path) -> None:
    """Put `tmp` where `out` is: a rename onto an absent or empty folder; else the old folder is moved
    aside first and removed only once the new one is in place."""
    if out.exists() and any(out.iterdir()):
        aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.rename(out, aside / "old")
        try:
            os.rename(tmp, out)
        except BaseException:
            os.rename(aside / "old", out)
            raise
        shutil.rmtree(aside, ignore_errors=True)
        return
    if out.exists():
        out.rmdir()
    os.rename(tmp, out)
