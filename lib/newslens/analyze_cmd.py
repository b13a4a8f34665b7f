"""`python -m newslens analyze CORPUS --out DIR`: every table of the analysis chain as UTF-8 CSV."""
from __future__ import annotations

import argparse
import sys
import time

from .params import parse_param_pairs
from .paths import DEFAULT_CORPUS, REPORTS_DIR


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS),
                   help="a corpus.csv manifest or a folder holding one (default: the seed corpus)")
    p.add_argument("--out", default=str(REPORTS_DIR / "data"),
                   help="folder for the tables (default: reports/data)")
    p.add_argument("--stage", action="append", dest="stages", metavar="NAME",
                   help="run only this stage (repeatable); default: all")
    p.add_argument("-p", "--param", nargs=2, action="append", metavar=("NAME", "VALUE"), default=[],
                   help="analysis parameter, e.g. -p source_a 'Deutsche Welle'")
    p.add_argument("--no-progress", action="store_true", help="never show a progress bar")


def run(args: argparse.Namespace) -> int:
    from .pipeline import analyze

    started = time.perf_counter()
    params = parse_param_pairs(args.param)
    tables = analyze(args.corpus, out=args.out, stages=args.stages, params=params,
                     progress=False if args.no_progress else None)
    seconds = time.perf_counter() - started
    for name, value in tables.items():
        rows = len(value) if hasattr(value, "__len__") else ""
        print(f"  {name:<12} {rows:>7} rows", file=sys.stdout)
    docs = tables["documents"]
    print(f"wrote {len(tables)} tables for {len(docs)} documents to {args.out} in {seconds:.1f} s")
    return 0
