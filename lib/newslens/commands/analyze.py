"""`newslens analyze CORPUS --out DIR`: every table of the analysis chain as CSV and Parquet."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from newslens.core.params import parse_param_pairs
from newslens.core.paths import DEFAULT_CORPUS, PROJECT_ROOT, REPORTS_DIR


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS),
                   help="a corpus.csv manifest or a folder holding one (default: the seed corpus)")
    p.add_argument("--out", default=str(REPORTS_DIR / "data"),
                   help="folder for the tables (default: reports/data; installed: under the current folder)")
    p.add_argument("--stage", action="append", dest="stages", metavar="NAME",
                   help="run only this stage (repeatable); default: all")
    p.add_argument("-p", "--param", nargs=2, action="append", metavar=("NAME", "VALUE"), default=[],
                   help="analysis parameter, e.g. -p source_a 'Deutsche Welle' (--list-params lists them)")
    p.add_argument("--list-params", action="store_true",
                   help="list every stage's parameters with their defaults and help lines, and stop")
    p.add_argument("--format", choices=["csv", "parquet", "both"], default="both",
                   help="table files: CSV, Parquet (typed columns) or both (default)")
    p.add_argument("--excel", action="store_true",
                   help="write the CSVs with a UTF-8 byte-order mark, so Excel reads accents right")
    p.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    add_engine_arguments(p)
    p.add_argument("--no-cache", action="store_true",
                   help="compute every table again, ignoring and not writing the cache")
    p.add_argument("--cache-dir", default=None,
                   help="folder for cached tables (default: .cache/analyze in a checkout, else the user's "
                        "cache folder, e.g. ~/.cache/newslens/analyze)")


def add_engine_arguments(p: argparse.ArgumentParser) -> None:
    """Where per-document work runs (shared with `bench`)."""
    p.add_argument("--engine", choices=["auto", "serial", "processes", "dask"], default="auto",
                   help="auto (default): worker processes for a large corpus, else in-process; "
                        "dask: per-document stages on a Dask cluster")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a local cluster)")
    p.add_argument("--workers", type=int, default=None,
                   help="worker processes (default: one per core)")


def list_params() -> str:
    """Each parameter a stage reads: name, default, the stages reading it, and its help line."""
    from newslens.pipeline import STAGES

    lines, seen = [], set()
    for stage in STAGES:
        if stage.settings is None:
            continue
        defaults = stage.settings.defaults()
        for name, help_line in stage.parameters().items():
            if name in seen:
                continue
            seen.add(name)
            readers = [s.name for s in STAGES if name in s.parameters()]
            default = defaults.get(name)
            shown = "(none)" if default in ("", None) else str(default)
            if shown.startswith(str(PROJECT_ROOT)):  # a curated file: as the user would write it
                shown = Path(shown).relative_to(PROJECT_ROOT).as_posix()
            lines.append(f"  {name} = {shown}  [{', '.join(readers)}]\n      {help_line}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from newslens.pipeline import RunLog, analyze
    from newslens.pipeline.registry import check_parameter_names

    if args.list_params:
        print("parameters (-p NAME VALUE), with their defaults and the stages that read them:")
        print(list_params())
        return 0
    started = time.perf_counter()
    params = parse_param_pairs(args.param)
    check_parameter_names(params)
    log = RunLog()
    cache = False if args.no_cache else (args.cache_dir or True)
    tables = analyze(args.corpus, out=args.out, stages=args.stages, params=params,
                     progress=False if args.no_progress else None, engine=args.engine,
                     workers=args.workers, scheduler=args.scheduler, cache=cache, log=log,
                     format=args.format, excel=args.excel)
    seconds = time.perf_counter() - started
    for name, value in tables.items():
        rows = len(value) if hasattr(value, "__len__") else ""
        print(f"  {name:<12} {rows:>7} rows", file=sys.stdout)
    print("seconds per step:")
    print(log.summary())
    docs = tables["documents"]
    print(f"wrote {len(tables)} tables for {len(docs)} documents to {args.out} in {seconds:.1f} s")
    return 0
