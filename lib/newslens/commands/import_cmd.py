"""`python -m newslens import SOURCE... --out FOLDER`: turn saved pages, scraper output and archive
exports into a corpus folder that `analyze` and `render` read.

SOURCE: files or folders, mixed: `.html`/`.htm` saved pages, `.warc`/`.warc.gz` archives, `.jsonl`/
`.json` from news-please or newspaper, `.csv` exports of Media Cloud, `.txt` articles (read as
`init-manifest` reads them). Inputs are only read. See newslens.corpus.importers for what is taken
from each, and the README's "Bring your corpus".
"""
from __future__ import annotations

import argparse
from pathlib import Path

from newslens.core.errors import CorpusError


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("sources", nargs="+", metavar="SOURCE",
                   help="files or folders to import (only read, never changed)")
    p.add_argument("--out", required=True, help="the corpus folder to write (new, empty, or with --append)")
    p.add_argument("--append", action="store_true",
                   help="add the new articles to the corpus already in --out")
    p.add_argument("--engine", choices=["auto", "serial", "processes"], default="auto",
                   help="auto (default): worker processes when there are many pages")


def read_txt(path: Path, name: str):
    """A .txt article as init-manifest drafts it: title, author, date and outlet from its own lines."""
    from newslens.commands.init_manifest import draft_row
    from newslens.corpus.importers.records import Article, repair
    from newslens.corpus.textio import read_document

    try:
        doc = read_document(path, name)
    except CorpusError as exc:
        if "saved web page (HTML)" not in str(exc):
            raise
        from newslens.corpus.importers.html import extract_page
        return extract_page(path.read_bytes(), name)      # a page saved under a .txt name
    row = draft_row(path.resolve(), path.stem, path.resolve().parent)
    values = row.values
    return Article(origin=name, text=repair(doc.text), title=values.get("title", ""),
                   author=values.get("author", ""), published=values.get("published", ""),
                   outlet=values.get("outlet", ""), doc_hint=path.stem)


def _report(collected, written) -> None:
    for origin, kept, why in collected.duplicates:
        print(f"  duplicate: {origin} is {kept} ({why}): imported once")
    for origin, doc_id, why in written.already:
        print(f"  already in the corpus: {origin} is {doc_id} ({why})")
    for a in collected.needs_text:
        print(f"  needs text: {a.origin} {a.url} (no text in the export and no saved page of this address)")
    skipped = ", ".join(f"{n} {what}" for what, n in collected.skipped.items())
    incomplete = sum(1 for r in written.added if r["needs"])
    print(f"wrote {written.out}: {len(written.added)} articles"
          + (f", {len(collected.duplicates)} duplicates imported once" if collected.duplicates else "")
          + (f", {incomplete} with cells to fill (column 'needs')" if incomplete else "")
          + (f", {len(collected.needs_text)} stories need their text (needs_text.csv)"
             if collected.needs_text else "")
          + (f"; not imported: {skipped}" if skipped else ""))


IMPORT_EXTRA = ("trafilatura", "warcio", "ftfy")  # requirements-import.txt: `pip install 'newslens[import]'`


def require_import_extra() -> None:
    """The importers' libraries are an extra: say so in one line when they are missing."""
    import importlib.util

    from newslens.core.errors import ParameterError

    missing = [m for m in IMPORT_EXTRA if importlib.util.find_spec(m) is None]
    if missing:
        raise ParameterError(f"newslens import needs {', '.join(missing)}, which "
                             f"{'is' if len(missing) == 1 else 'are'} not installed: "
                             "pip install 'newslens[import]'")


def run(args: argparse.Namespace) -> int:
    require_import_extra()
    from newslens.corpus.importers.collect import collect
    from newslens.corpus.importers.writer import write_corpus

    out = Path(args.out).expanduser()
    for source in args.sources:
        if Path(source).expanduser().resolve() == out.resolve():
            raise CorpusError(f"--out {out} is also a source; write the corpus to another folder")
    collected = collect(args.sources, read_txt, engine=args.engine, exclude=out)
    if not collected.articles and not args.append:
        raise CorpusError("nothing to import: every story needs its text ("
                          + "; ".join(a.origin for a in collected.needs_text[:3]) + ")")
    written = write_corpus(collected, out, append=args.append)
    if written.unchanged:
        print(f"{out} already holds exactly this import: nothing to do")
        return 0
    _report(collected, written)
    return 0
