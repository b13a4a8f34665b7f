"""`python -m newslens bench --articles N [--seed S]`: time the whole analyze pipeline on N articles.

The corpus is synthetic but goes through every real step: N `.txt` files and a `corpus.csv` are written
to a temporary folder, then `analyze` reads, cleans and splits them, runs every stage and writes the
tables. The last line printed is one JSON object:

    {"articles": N, "seconds": ..., "articles_per_s": ..., "peak_rss_mb": ..., "stage_seconds": {...}, ...}

How the articles are made (deterministic for a given --seed and seed corpus): sentences are drawn from
the cleaned sentences of the seed corpus in runs of consecutive sentences; each drawn sentence is
spliced (its opening words joined to the closing words of another seed sentence), 70% of its
lower-case words are swapped for other words of the seed vocabulary and half of its capitalised words
for other capitalised words (names) of the seeds. Five seed articles would otherwise
make 10,000 articles out of the same 150 sentences, and even spliced sentences would share long runs of
words across thousands of unrelated articles: a density of repetition no real corpus has;
names, numbers, quotation marks and abbreviations stay, so entities, numbers and quotations still occur. Some articles are "wire copies" of an earlier one (same text, a few sentences
dropped, another outlet, a day or two later), as in real coverage, so reuse detection has real work
bounded by the size of each family. Scraped-page lines the seed cleaning removed (navigation, captions,
share buttons) are added above and below the body, so cleaning has real work too.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import re
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from newslens.core.errors import ParameterError
from newslens.core.paths import DEFAULT_CORPUS

# Invented outlet names: a place and a newspaper word.
_PLACES = ("Northfield", "Lakeside", "Granite", "Harbor", "Riverside", "Summit", "Eastport", "Westbrook",
           "Pine Valley", "Cedar", "Ironwood", "Bayview")
_PAPERS = ("Courier", "Herald", "Tribune", "Observer", "Chronicle", "Gazette", "Ledger", "Dispatch")
N_OUTLETS = 24
FIRST_DATE = dt.date(2013, 6, 1)
DAYS = 940  # until the end of 2015
WIRE_COPY_SHARE = 0.3  # share of articles that copy an earlier article of their family
MAX_COPIES = 5  # wire copies of one original at most
SWAP_SHARE = 0.7  # share of lower-case words swapped per sentence
NAME_SWAP_SHARE = 0.5  # share of capitalised words swapped for another capitalised word of the seeds
_SWAPPABLE = re.compile(r"(?<![\w'’])[a-z]{3,}(?![\w'’])")
_SWAPPABLE_NAME = re.compile(r"(?<![\w'’.-])[A-Z][a-z]{2,}(?![\w'’-])")


def add_arguments(p: argparse.ArgumentParser) -> None:
    from newslens.commands.analyze import add_engine_arguments

    p.add_argument("--articles", type=int, default=1000, help="number of synthetic articles (default 1000)")
    p.add_argument("--seed", type=int, default=0, help="random seed of the synthetic corpus (default 0)")
    p.add_argument("--source", default=str(DEFAULT_CORPUS),
                   help="corpus whose cleaned sentences are recombined (default: the seed corpus)")
    add_engine_arguments(p)
    p.add_argument("--rerun", action="store_true",
                   help="also time a second analyze of the unchanged corpus (with a fresh cache)")
    p.add_argument("--keep", metavar="DIR", default=None,
                   help="write the synthetic corpus and tables to DIR and keep them")


def _outlets(rng: random.Random) -> list[str]:
    names = [f"{place} {paper}" for place in _PLACES for paper in _PAPERS]
    rng.shuffle(names)
    return names[:N_OUTLETS]


def _swap_words(sentence: str, vocabulary: list[str], names: list[str], rng: random.Random) -> str:
    sentence = _SWAPPABLE.sub(
        lambda m: rng.choice(vocabulary) if rng.random() < SWAP_SHARE else m.group(0), sentence
    )
    return _SWAPPABLE_NAME.sub(
        lambda m: rng.choice(names) if rng.random() < NAME_SWAP_SHARE else m.group(0), sentence
    )


def _splice(sentence: str, other: str, rng: random.Random) -> str:
    """The opening words of `sentence` followed by the closing words of `other`."""
    head, tail = sentence.split(" "), other.split(" ")
    if len(head) < 4 or len(tail) < 4:
        return sentence
    return " ".join(head[: rng.randint(2, len(head) - 1)] + tail[rng.randint(1, len(tail) - 2):])


def synthetic_articles(n: int, seed: int, source: str | Path = DEFAULT_CORPUS) -> list[dict]:
    """N article dicts (doc_id, outlet, published, title, text), deterministic for (n, seed, source)."""
    from newslens.corpus.loader import load_corpus

    if n < 1:
        raise ParameterError(f"--articles must be at least 1 (got {n})")
    base = load_corpus(source, progress=False)
    runs = [group["text"].tolist() for _, group in base.sentences.groupby("doc_id", sort=True)]
    runs = [r for r in runs if r]
    if not runs:
        raise ParameterError(f"{source} has no sentences to recombine")
    vocabulary = sorted({w for r in runs for s in r for w in _SWAPPABLE.findall(s)}) or ["word"]
    names = sorted({w for r in runs for s in r for w in _SWAPPABLE_NAME.findall(s)}) or ["Name"]
    page_lines = sorted(set(base.removed["text"].tolist())) or ["Share this article"]
    rng = random.Random(seed)
    outlets = _outlets(rng)
    # Zipf-like outlet sizes: a few large outlets, a long tail.
    outlet_weights = [1.0 / (rank + 1) for rank in range(len(outlets))]

    pool = [s for r in runs for s in r]
    articles: list[dict] = []
    originals: list[dict] = []  # articles written from scratch, which wire copies copy
    copies: dict[str, int] = {}
    for i in range(n):
        # A wire copy copies a recent original (never a copy, at most MAX_COPIES times), so a family of
        # identical text stays small however large the corpus: real agency copy, not a chain letter.
        recent = [a for a in originals[-50:] if copies[a["doc_id"]] < MAX_COPIES]
        if recent and rng.random() < WIRE_COPY_SHARE:
            original = rng.choice(recent)
            copies[original["doc_id"]] += 1
            sentences = [s for s in original["sentences"] if rng.random() > 0.15] or original["sentences"]
            published = dt.date.fromisoformat(original["published"]) + dt.timedelta(days=rng.randint(0, 2))
        else:
            original = None
            sentences = _new_sentences(rng, runs, pool, vocabulary, names)
            published = FIRST_DATE + dt.timedelta(days=rng.randrange(DAYS))
        outlet = rng.choices(outlets, weights=outlet_weights)[0]
        article = _laid_out(rng, f"synth-{i:07d}", outlet, published, sentences, page_lines)
        articles.append(article)
        if original is None:
            originals.append(article)
            copies[article["doc_id"]] = 0
    return articles


def _new_sentences(rng: random.Random, runs: list[list[str]], pool: list[str], vocabulary: list[str],
                   names: list[str]) -> list[str]:
    """The sentences of an article written from scratch: runs of seed sentences, spliced and reworded."""
    sentences: list[str] = []
    target = rng.randint(8, 40)
    while len(sentences) < target:
        run = rng.choice(runs)
        start = rng.randrange(len(run))
        sentences += run[start:start + rng.randint(2, 6)]
    return [_swap_words(_splice(s, rng.choice(pool), rng), vocabulary, names, rng) for s in sentences[:target]]


def _laid_out(rng: random.Random, doc_id: str, outlet: str, published: dt.date, sentences: list[str],
              page_lines: list[str]) -> dict:
    """An article dict: its sentences in paragraphs under a title, between lines of page furniture."""
    paragraphs, k = [], 0
    while k < len(sentences):
        size = rng.randint(1, 3)
        paragraphs.append(" ".join(sentences[k:k + size]))
        k += size
    header = rng.sample(page_lines, min(len(page_lines), rng.randint(0, 3)))
    footer = rng.sample(page_lines, min(len(page_lines), rng.randint(0, 3)))
    title_words = sentences[0].split()[: rng.randint(6, 10)]
    title = " ".join(title_words).rstrip(".,;:!?\"'”’")
    return {
        "doc_id": doc_id,
        "outlet": outlet,
        "published": published.isoformat(),
        "title": title,
        "sentences": sentences,
        "text": "\n\n".join([title, *header, *paragraphs, *footer]) + "\n",
    }


def write_corpus(articles: list[dict], folder: Path) -> Path:
    """Write the articles as .txt files plus corpus.csv under `folder`; returns the manifest path."""
    texts = folder / "articles"
    texts.mkdir(parents=True, exist_ok=True)
    manifest = folder / "corpus.csv"
    with manifest.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["doc_id", "path", "outlet", "published", "title", "author", "url", "language"])
        for a in articles:
            path = texts / f"{a['doc_id']}.txt"
            path.write_text(a["text"], encoding="utf-8")
            writer.writerow([a["doc_id"], f"articles/{path.name}", a["outlet"], a["published"],
                             a["title"], "", "", "en"])
    return manifest


class PeakMemory:
    """Peak resident memory of this process plus its worker processes, sampled in a thread.

    Two figures: the sum of RSS counts pages that forked workers share with the parent once per
    process (a worker forked from a 1 GB parent starts at 1 GB of RSS), so it overstates real use; it is
    the conservative figure. The sum of PSS (proportional set size: a page shared by k processes counts
    1/k in each) is the physical memory the run really holds. getrusage's maxima are kept as a floor.
    RSS is sampled twice a second (from /proc/PID/statm: cheap). PSS comes from /proc/PID/smaps_rollup,
    for which the kernel walks every page of the process while holding its memory map: on a run of
    40,000 articles (6 GB) reading it twice a second took 53 CPU-s of a 240 s run and grew with memory
    times duration, so the benchmark measured itself. PSS is therefore read at most 5% of the time: the
    next reading waits at least 20 times as long as the last one took (and `interval` at the least).
    A short-lived peak between two PSS readings can be missed; `pss_samples` says how many were taken.
    """

    PSS_BUDGET = 0.05  # at most this share of the wall time goes to reading PSS

    def __init__(self, interval: float = 0.5):
        self.interval = interval
        self.peak_bytes = 0
        self.peak_pss_bytes = 0
        self.pss_samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        import psutil

        me = psutil.Process(os.getpid())
        next_pss = 0.0
        while not self._stop.is_set():
            try:
                processes = [me, *me.children(recursive=True)]
            except psutil.Error:
                processes = [me]
            self.peak_bytes = max(self.peak_bytes, _summed(processes, lambda p: p.memory_info().rss))
            started = time.perf_counter()
            if started >= next_pss:
                pss = _summed(processes, lambda p: _pss(p.memory_full_info()))
                self.peak_pss_bytes = max(self.peak_pss_bytes, pss)
                self.pss_samples += 1
                now = time.perf_counter()
                next_pss = now + (now - started) / self.PSS_BUDGET
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def peak_mb(self) -> float:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        return round(max(self.peak_bytes, own, children) / 2**20, 1)

    def peak_pss_mb(self) -> float:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        return round(max(self.peak_pss_bytes, own) / 2**20, 1)


def _pss(info) -> int:
    """PSS from psutil's full memory info; RSS where there is no PSS (it is Linux-only)."""
    return getattr(info, "pss", info.rss)


def _summed(processes, measure) -> int:
    """The sum of `measure(process)` over the processes still running (a worker may just have ended)."""
    import psutil

    total = 0
    for process in processes:
        try:
            total += measure(process)
        except psutil.Error:
            continue
    return total


# The reference workload (see reference_seconds): a fixed text of this many words, scanned this many times.
_REFERENCE_WORDS = 20_000
_REFERENCE_PASSES = 12


def reference_seconds(repeats: int = 3) -> float:
    """CPU seconds of a fixed pure-Python workload like the pipeline's own (a regex tokenizing a fixed
    text, words counted in a dict, the counts sorted): the median of `repeats` runs.

    It measures how fast this machine runs Python right now. On the project machine (a VM) that speed
    moved by about a third within minutes: the same commit took 64 s and 83 s on the same 10,000
    articles (before this reference existed), and the reference itself measured 0.24-0.40 s on one
    afternoon. bench times it just before and after analyze, so runs from different days, or different
    moments, can be set side by side."""
    rng = random.Random(0)
    letters = "etaoinshrdlucmfwypvbgkqjxz"
    text = " ".join("".join(rng.choice(letters) for _ in range(rng.randint(2, 9))) for _ in range(_REFERENCE_WORDS))
    word = re.compile(r"\w+")
    times = []
    for _ in range(repeats):
        started = time.process_time()
        for _ in range(_REFERENCE_PASSES):
            counts: dict[str, int] = {}
            for w in word.findall(text):
                counts[w] = counts.get(w, 0) + 1
            sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        times.append(time.process_time() - started)
    return round(sorted(times)[len(times) // 2], 3)


def _machine_ticks() -> tuple[int, int] | None:
    """(steal, busy) clock ticks of all CPUs since boot from /proc/stat (None off Linux). Steal is time
    a virtual CPU had work but the hypervisor ran another guest; busy is user + nice + system + steal."""
    try:
        with open("/proc/stat", encoding="ascii") as fh:
            fields = fh.readline().split()
    except OSError:
        return None
    if not fields or fields[0] != "cpu" or len(fields) < 9:
        return None
    user, nice, system, steal = (int(fields[i]) for i in (1, 2, 3, 8))
    return steal, user + nice + system + steal


def steal_between(before: tuple[int, int] | None, after: tuple[int, int] | None) -> dict | None:
    """Steal seconds between two `_machine_ticks()` readings, and their share of the busy time: the
    part of the run the hypervisor withheld from this machine's CPUs."""
    if before is None or after is None:
        return None
    steal, busy = after[0] - before[0], after[1] - before[1]
    hz = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    return {"seconds": round(steal / hz, 2), "share": round(steal / busy, 3) if busy > 0 else 0.0}


def _cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def run_bench(articles: int, seed: int = 0, source: str | Path = DEFAULT_CORPUS, engine: str = "auto",
              workers: int | None = None, scheduler: str | None = None, rerun: bool = False,
              keep: str | Path | None = None, echo=print) -> dict:
    """Build the synthetic corpus, time analyze on it, return the figures (and print a summary)."""
    from newslens.pipeline import RunLog, analyze

    if keep and Path(keep).exists() and (not Path(keep).is_dir() or any(Path(keep).iterdir())):
        # bench writes corpus.csv, articles/ and tables/ there: never over a user's files
        raise ParameterError(f"--keep {keep}: give a new or empty folder (bench would write over what is there)")
    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="newslens-bench-"))
    try:
        manifest = _make_corpus(articles, seed, source, folder, echo)
        log = RunLog()
        cache = folder / "cache" if rerun else False
        reference_before = reference_seconds()
        with PeakMemory() as memory:
            cpu_before, ticks_before = _cpu_seconds(), _machine_ticks()
            started = time.perf_counter()
            tables = analyze(manifest, out=folder / "tables", progress=False, engine=engine,
                             workers=workers, scheduler=scheduler, cache=cache, log=log)
            seconds = time.perf_counter() - started
            steal = steal_between(ticks_before, _machine_ticks())
            result = {
                "articles": articles,
                "seconds": round(seconds, 2),
                "articles_per_s": round(articles / seconds, 1),
                "peak_rss_mb": None,
                "stage_seconds": log.seconds(),
                "stage_peak_rss_mb": log.peak_rss(),
                # CPU time of this process and its finished workers: comparable across runs even when
                # other programs compete for the cores (wall seconds then grow, CPU seconds do not).
                "cpu_seconds": round(_cpu_seconds() - cpu_before, 2),
                # The machine's speed just before and just after the run (see reference_seconds).
                "reference_seconds": {"before": reference_before, "after": reference_seconds()},
                # CPU time the hypervisor gave other guests while this machine's CPUs had work (Linux).
                "steal": steal,
                "load_average": round(os.getloadavg()[0], 2),
                "rows": {name: len(v) for name, v in tables.items() if hasattr(v, "__len__")},
                "sentences": int(len(tables["sentences"])),
                "engine": engine,
                "workers": workers,
                "cores": os.cpu_count(),
                "seed": seed,
            }
            echo("seconds per step:")
            echo(log.summary())
            if rerun:
                del tables
                result.update(_rerun(manifest, folder, engine, workers, scheduler, cache, echo))
        result["peak_rss_mb"] = memory.peak_mb()
        result["peak_pss_mb"] = memory.peak_pss_mb()
        result["pss_samples"] = memory.pss_samples
        _echo_machine(result, echo)
        return result
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def _make_corpus(articles: int, seed: int, source: str | Path, folder: Path, echo) -> Path:
    """Write the synthetic corpus to `folder`; its manifest."""
    started = time.perf_counter()
    made = synthetic_articles(articles, seed, source)
    try:
        manifest = write_corpus(made, folder)
    except OSError as exc:
        raise ParameterError(f"cannot write the benchmark corpus to {folder}: {exc.strerror or exc}") from None
    echo(f"wrote {articles} synthetic articles to {folder} in {time.perf_counter() - started:.1f} s")
    return manifest


def _rerun(manifest: Path, folder: Path, engine: str, workers, scheduler, cache, echo) -> dict:
    """A second analyze of the unchanged corpus (from the cache): its seconds, in all and per step."""
    from newslens.pipeline import RunLog, analyze

    relog = RunLog()
    started = time.perf_counter()
    analyze(manifest, out=folder / "tables", progress=False, engine=engine, workers=workers,
            scheduler=scheduler, cache=cache, log=relog)
    seconds = round(time.perf_counter() - started, 2)
    echo("second run (unchanged corpus, cached):")
    echo(relog.summary())
    return {"rerun_seconds": seconds, "rerun_stage_seconds": relog.seconds()}


def _echo_machine(result: dict, echo) -> None:
    """Print the run's peak memory, the machine's speed around it and the CPU time withheld from it."""
    echo(f"peak memory: {result['peak_pss_mb']:.0f} MB PSS (physical), "
         f"{result['peak_rss_mb']:.0f} MB summed RSS (counts pages shared with forked workers again)")
    ref = result["reference_seconds"]
    echo(f"machine speed: the reference workload took {ref['before']:.3f} s before the run and "
         f"{ref['after']:.3f} s after (it varies with the machine's load, not with newslens)")
    if result["steal"] is not None:
        echo(f"steal: the hypervisor withheld {result['steal']['seconds']:.1f} CPU-s "
             f"({100 * result['steal']['share']:.1f}% of the busy time) during the run")


def run(args: argparse.Namespace) -> int:
    result = run_bench(args.articles, args.seed, args.source, args.engine, args.workers, args.scheduler,
                       args.rerun, args.keep)
    sys.stdout.flush()
    print(json.dumps(result))
    return 0
