"""Benchmark of `import` on N saved pages: `python -m newslens.commands.bench_import N [--engine E]`.

The pages are copies of the real saved news pages of tests/fixtures/pages, each made a distinct
article (its own address and a numbered last sentence) so that none is taken for a duplicate. They
are written to a temporary folder, imported into another, and the time of the import alone is printed
(the target: 10,000 pages in at most 2 minutes on the project's machine). Not a test: nothing asserts
a time.
"""
from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from newslens.core.paths import PROJECT_ROOT

PAGES = PROJECT_ROOT / "tests" / "fixtures" / "pages"


def _numbered(html: str, at: int, url: str, i: int) -> str:
    return (html[:at] + f" (copy {i})" + html[at:]).replace(url, f"{url}-copy-{i}")


def make_pages(n: int, folder: Path) -> None:
    """N distinct saved pages in `folder`, made from the fixture pages in turn (those where a number
    written after a body sentence, found by its words in the markup, reaches the extracted text)."""
    from newslens.corpus.importers.html import extract_page

    originals = []
    for path in sorted(PAGES.glob("*.html")):
        html = path.read_text(encoding="utf-8", errors="surrogateescape")
        article = extract_page(path.read_bytes(), path.name)
        if not article.url or article.url not in html:
            continue
        for words in (line[-40:] for line in article.text.split("\n")[::-1]):
            at = html.rfind(words) + len(words)
            if words in html and "(copy 0)" in extract_page(
                    _numbered(html, at, article.url, 0).encode("utf-8", "surrogateescape"), path.name).text:
                originals.append((path.stem, html, at, article.url))
                break
    for i in range(n):
        stem, html, at, url = originals[i % len(originals)]
        (folder / f"{stem}-{i:05d}.html").write_text(_numbered(html, at, url, i), encoding="utf-8",
                                                     errors="surrogateescape")


def _cpu_seconds() -> float:
    """CPU time of this process and its finished workers: what the import costs whatever the load."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("n", type=int, help="number of saved pages to import")
    p.add_argument("--engine", choices=["auto", "serial", "processes"], default="auto")
    args = p.parse_args(argv)
    from newslens.commands.import_cmd import read_txt
    from newslens.corpus.importers.collect import collect
    from newslens.corpus.importers.writer import write_corpus

    work = Path(tempfile.mkdtemp(prefix="newslens-bench-import-"))
    try:
        pages = work / "pages"
        pages.mkdir()
        make_pages(args.n, pages)
        start, cpu = time.perf_counter(), _cpu_seconds()
        collected = collect([pages], read_txt, engine=args.engine)
        written = write_corpus(collected, work / "corpus")
        seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu
        print(f"imported {len(written.added)} of {args.n} pages in {seconds:.1f} s "
              f"({args.n / seconds:.0f} pages/s; {cpu:.1f} s of CPU in all processes, "
              f"{1000 * cpu / args.n:.1f} ms a page; duplicates {len(collected.duplicates)})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
