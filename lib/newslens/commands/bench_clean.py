"""Benchmark of cleaning one large document: `python -m newslens.commands.bench_clean [--mb 40] [--runs 5]`.

The document is the seed texts (seeds/*.txt, blank line between them) repeated until it holds MB
megabytes, cleaned with `clean_document(text, title=None)` RUNS times. Printed: the CPU time
(`time.process_time`, fair on a loaded machine) and the wall time (first run, which also reads the
pattern file and builds its matcher, minimum and median), and a digest
of the result (body and removed lines) to compare two versions of the cleaner. The target (issue 23):
40 MB in under 3 s. Not a test: nothing asserts a time.
"""
from __future__ import annotations

import argparse
import gc
import hashlib
import json
import statistics
import time

from newslens.core.paths import SEEDS_DIR


def big_document(mb: float) -> str:
    """The seed texts repeated to `mb` megabytes (UTF-8), or a little more."""
    seeds = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))) + "\n\n"
    return seeds * (int(mb * 1_000_000) // len(seeds.encode("utf-8")) + 1)


def measure(mb: float, runs: int) -> dict:
    """Clean the big document `runs` times: CPU and wall seconds, and a digest of the result."""
    from newslens.corpus.clean import clean_document

    text = big_document(mb)
    cpu, wall = [], []     # the first run also reads the pattern file and builds its matcher
    for _ in range(runs):
        gc.collect()
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        cleaned = clean_document(text, title=None)
        cpu.append(time.process_time() - cpu_start)
        wall.append(time.perf_counter() - wall_start)
    digest = hashlib.sha256(cleaned.body.encode("utf-8"))
    for r in cleaned.removed:
        digest.update(f"{r.line}\t{r.text}\t{r.reason}\n".encode("utf-8"))
    return {"mb": round(len(text.encode("utf-8")) / 1e6, 1), "lines": text.count("\n") + 1,
            "removed": len(cleaned.removed), "runs": runs,
            "cpu_seconds": _figures(cpu), "wall_seconds": _figures(wall),
            "digest": digest.hexdigest()[:16]}


def _figures(seconds: list[float]) -> dict:
    return {"first": round(seconds[0], 2), "min": round(min(seconds), 2),
            "median": round(statistics.median(seconds), 2)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newslens.commands.bench_clean",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=40, help="size of the document in MB (default 40)")
    parser.add_argument("--runs", type=int, default=5, help="times to clean it (default 5)")
    args = parser.parse_args(argv)
    if args.mb <= 0 or args.runs < 1:
        parser.error("--mb must be above 0 and --runs at least 1")
    print(json.dumps(measure(args.mb, args.runs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
