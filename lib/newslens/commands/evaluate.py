"""`python -m newslens evaluate GOLD_FOLDER... [--write]`: events and voices scored against gold stories.

A gold folder holds `gold.json` (the devset's format, see newslens.analyses.evaluation) and the corpus it
scores: `corpus.csv` beside it, or a path in gold.json's "corpus" key (relative to the folder), as
`data/gold/seeds` does for the seed corpus. Each story is analysed (stages events, timeline and quotes and
what they need; no cache) and scored with the reference matching; the figures are printed per story and
for each set in all. A story's set is gold.json's "set" key, else the name of the folder holding it
(`../shared/devset/STORY` is in set "devset").

--write stores the figures in data/evaluation.json (the method cards read it):
    {"command": str, "date": "YYYY-MM-DD", "sets": {SET: {"stories": {STORY: FIG}, "all": FIG}}}
Sets not evaluated in this run are kept from the file as it was.
--tables DIR keeps each story's analysed tables in DIR/STORY/ (to check with the reference scorer).
--missed prints the gold transfers not found.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from newslens.core.paths import DATA_DIR

RESULTS_FILE = DATA_DIR / "evaluation.json"
STAGES = ["events", "timeline", "quotes"]


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("gold", nargs="+", metavar="GOLD_FOLDER", help="folders holding gold.json (and corpus.csv)")
    p.add_argument("--write", action="store_true", help=f"write the figures to {RESULTS_FILE.name} in data/")
    p.add_argument("--results", default=str(RESULTS_FILE), help=argparse.SUPPRESS)
    p.add_argument("--tables", default=None, metavar="DIR", help="keep each story's tables in DIR/STORY/")
    p.add_argument("--missed", action="store_true", help="list the gold transfers not found")


def _line(name: str, fig: dict) -> str:
    e, v = fig["events"], fig["voices"]

    def pct(x):
        return "  -  " if x is None else f"{x:5.2f}"
    return (f"{name:<40} events {e['found']:>3}/{e['gold']:<3} recall {pct(e['recall'])} precision "
            f"{pct(e['precision'])} ({e['counted_rows']} rows) parties {pct(e['parties_right'])} value "
            f"{pct(e['value_right'])} dates {pct(e['dates_right'])} | voices {v['found']:>3}/{v['gold']:<3} "
            f"recall {pct(v['recall'])} precision {pct(v['precision'])} ({v['rows']} rows) "
            f"group {pct(v['group_right'])}")


def evaluate(folders: list[str], tables_dir: str | None = None, missed: bool = False) -> dict:
    """{SET: {"stories": {STORY: FIG}, "all": FIG}} for the gold folders, printing a line per story."""
    from newslens.analyses.evaluation import add_counts, figures, missed_events, read_gold, score_story
    from newslens.pipeline.run import analyze

    counts: dict[str, dict[str, dict]] = {}
    for folder in folders:
        gold = read_gold(folder)
        out = str(Path(tables_dir) / gold["story"]) if tables_dir else None
        tables = analyze(gold["corpus"], out=out, stages=STAGES, progress=False, cache=False)
        raw = score_story(tables.get("events"), tables.get("quotes"), gold)
        counts.setdefault(gold["set"], {})[gold["story"]] = raw
        print(_line(gold["story"], figures(raw)))
        if missed:
            for line in missed_events(tables.get("events"), gold):
                print(f"    missed {line}")
    sets = {}
    for name, stories in counts.items():
        sets[name] = {"stories": {s: figures(c) for s, c in stories.items()},
                      "all": figures(add_counts(list(stories.values())))}
        print(_line(f"{name}: all", sets[name]["all"]))
    return sets


def run(args: argparse.Namespace) -> int:
    from newslens.core.atomic import write_text_atomic

    sets = evaluate(args.gold, args.tables, args.missed)
    if args.write:
        path = Path(args.results)
        old = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        merged = {**old.get("sets", {}), **sets}
        result = {"command": "python -m newslens evaluate " + " ".join(sys.argv[2:] if sys.argv[1:2] == ["evaluate"]
                                                                        else args.gold),
                  "date": dt.datetime.now(dt.timezone.utc).date().isoformat(), "sets": merged}
        write_text_atomic(path, json.dumps(result, indent=1) + "\n")
        print(f"wrote {path}")
    return 0
