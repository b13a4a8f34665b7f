"""The analysis chain: a corpus in, tidy tables out, one stage after another.

Each stage is a plain function

    stage(corpus: Corpus, tables: dict[str, DataFrame], params: dict) -> dict[str, DataFrame | dict | list]

that reads the tables of earlier stages and returns its own (a returned "sentences" table replaces the
earlier one, which is how stages add columns to it). Stages are listed below by import path, so adding
one is one line here and no stage module imports another stage's module just to run it.
"""
from __future__ import annotations

import importlib
import json
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from newslens.core.atomic import write_text_atomic
from newslens.corpus.loader import Corpus, load_corpus
from newslens.core.errors import NewslensError, ParameterError


@dataclass(frozen=True)
class Stage:
    name: str
    target: str  # "module:function" inside the newslens package
    doc: str
    # The parameter names the stage reads, e.g. ("source_a", "source_b"); "reuse_*" names every parameter
    # starting "reuse_". The cache re-runs a stage when one of these changes; None (the default) means
    # "every parameter", which is always safe.
    params: tuple[str, ...] | None = None
    # True when the stage's tables for a set of documents are its tables for any split of those documents
    # into batches, concatenated in corpus order: per-sentence or per-document work with no statistic
    # over the whole corpus. Such a stage is run in batches on worker processes (or Dask) for a large
    # corpus; every DataFrame it returns must have a doc_id column.
    per_document: bool = False
    # The tables the stage reads (also those it reads only when present), when declared; None means
    # "any table". Asking for a stage runs the stages that make what it needs, so it reads the same
    # tables (and hits the same cache entries) as in a run of every stage.
    # A stage that reads only the corpus tables (documents, sentences, removed) and is not per-document
    # runs *alongside* the stages after it: in its own worker process when the engine has several (on
    # Linux), so a corpus-wide stage does not hold up the others. Its tables join the results at the
    # end of the run whatever the engine, so no later stage ever reads them and results never depend
    # on the engine.
    needs: tuple[str, ...] | None = None
    # The tables the stage may return, when declared (a stage returning another one fails); None means
    # "any table".
    makes: tuple[str, ...] | None = None
    # "module:function" (documents, params) -> the values of the declared parameters the stage will
    # use: defaults filled in, "" and None read as "the default", a file as its resolved path, the outlet
    # pair chosen. The stage is called with them and the cache keys them, so two calls that mean the
    # same run (a notebook's {"n_boot": 2000, "codebook": "data/frames_codebook.csv"}, analyze's {})
    # share one cache entry, and a bad value fails before any stage runs.
    settings: str | None = None

    def load(self) -> Callable[..., dict[str, Any]]:
        return load_target(self.target)

    @property
    def alongside(self) -> bool:
        return self.needs is not None and set(self.needs) <= set(CORE_TABLES) and not self.per_document


def stage_params(stage: Stage, documents: pd.DataFrame, params: dict) -> dict:
    """The parameters `stage` is called with: `params` with the stage's settings (see Stage.settings)."""
    if stage.settings is None:
        return dict(params)
    return {**params, **load_target(stage.settings)(documents, params)}


def load_target(target: str) -> Callable[..., dict[str, Any]]:
    """The function named "module:function": a module of the newslens package, else any importable
    module (a stage kept outside the package, e.g. a user's own or a test's)."""
    module, func = target.split(":")
    try:
        found = importlib.import_module(f"newslens.{module}")
    except ModuleNotFoundError as exc:
        if exc.name != f"newslens.{module}":
            raise
        found = importlib.import_module(module)
    return getattr(found, func)


# Order matters: a stage may read any table produced above it.
STAGES: list[Stage] = [
    Stage("reuse", "analyses.reuse:stage", "shared passages between articles (MinHash/LSH + alignment)",
          needs=("documents", "sentences"), makes=("reuse", "reuse_pairs", "reuse_share"),
          params=("reuse_*",), settings="analyses.reuse:stage_settings"),
    Stage("terms", "analyses.terms:stage", "distinctive words: Dirichlet-prior log-odds, A vs B and each vs rest",
          needs=("documents", "sentences"), makes=("terms",),
          params=("source_a", "source_b", "prior_strength", "terms_min_count", "terms_rest_min_count"),
          settings="analyses.terms:stage_settings"),
    Stage("entity_words", "analyses.entities:words_stage", "capitalised words standing alone, per document (for entities)",
          needs=("sentences",), makes=("_entity_words",),
          params=("gazetteer", "detect_names"), per_document=True, settings="analyses.entities:stage_settings"),
    Stage("entity_lexicon", "analyses.entities:lexicon_stage", "lower-case vocabulary and recurring one-word names (for entities)",
          needs=("sentences", "_entity_words"), makes=("_entity_lexicon",),
          params=("gazetteer", "detect_names"), settings="analyses.entities:stage_settings"),
    Stage("entity_mentions", "analyses.entities:mentions_stage", "actor mentions per sentence, before types are harmonised",
          needs=("sentences", "_entity_lexicon"), makes=("entities",),
          params=("gazetteer", "detect_names"), per_document=True, settings="analyses.entities:stage_settings"),
    Stage("entities", "analyses.entities:stage", "actors named: gazetteer data/actors.csv + detected capitalised names",
          needs=("sentences", "entities"), makes=("entities",),
          params=("gazetteer", "detect_names"), settings="analyses.entities:stage_settings"),
    Stage("quotes", "analyses.quotes:stage", "voices: direct and reported speech, speaker and speaker group",
          needs=("sentences", "entities"), makes=("quotes",), params=(), per_document=True),
    Stage("claims", "analyses.claims:stage", "numeric claims: what each number counts, qualifier, period, claim group",
          needs=("documents", "sentences", "entities"), makes=("claims",), params=(), per_document=True),
    Stage("sentiment", "analyses.sentiment:stage", "VADER per sentence, voice (quoted/own/mixed), voice parts",
          needs=("documents", "sentences"), makes=("sentences", "voice_parts"),
          params=(), per_document=True),
    Stage("tone", "analyses.sentiment:tone_stage", "tone per article and outlet with intervals, A v B tests, word-shift",
          needs=("documents", "sentences", "voice_parts"),
          makes=("tone_article", "tone_outlet", "tone_tests", "tone_wordshift"),
          params=("n_boot", "n_perm", "seed", "source_a", "source_b", "lexicon"),
          settings="analyses.sentiment:tone_settings"),
    Stage("tone_targets", "analyses.sentiment:targets_stage", "tone of the sentences naming each actor, per outlet, with intervals",
          needs=("documents", "sentences", "entities"), makes=("tone_targets",),
          params=("n_boot", "seed"), settings="analyses.sentiment:targets_settings"),
    Stage("frames", "analyses.frames:stage", "frames per sentence from a cue codebook (param codebook: CSV path)",
          needs=("sentences",), makes=("frames",),
          params=("codebook",), per_document=True, settings="analyses.frames:stage_settings"),
    Stage("events", "analyses.events:stage", "arms transfers per sentence: weapon, count, value, status, parties, dates",
          needs=("documents", "sentences"), makes=("events",),
          params=("weapons",), per_document=True, settings="analyses.events:stage_settings"),
    Stage("timeline", "analyses.timeline:stage", "events merged across reports, conflicts flagged; timeline.json for TimelineJS",
          needs=("events",), makes=("timeline", "timeline.json", "timeline_reference"),
          params=("reference", "weapons"), settings="analyses.timeline:stage_settings"),
]

CORE_TABLES = ("documents", "sentences", "removed")


def stage_names() -> list[str]:
    return [s.name for s in STAGES]


def _select(names: list[str] | None) -> list[Stage]:
    """The stages `names` and, before them, the stages that make the tables they need (see
    upstream_stages), in registry order; every stage when `names` is None."""
    if names is None:
        return list(STAGES)
    known = {s.name: s for s in STAGES}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ParameterError(
            f"unknown stage(s) {', '.join(unknown)}; stages are: {', '.join(known) or '(none)'}"
        )
    return upstream_stages(STAGES, names)


def upstream_stages(stages: list[Stage], names: list[str]) -> list[Stage]:
    """The stages named and those they depend on, in the order of `stages`.

    A stage depends, for each table it needs, on the last stage before it that makes that table (and
    on every stage between the two that does not declare what it makes); a stage that does not declare
    what it needs depends on every stage before it. So a stage asked for alone reads exactly the
    tables it reads in a run of every stage: "frames" reads the sentences "sentiment" scored, and its
    cache entry is the one a full `analyze` stored.
    """
    wanted = set(names)
    for i in range(len(stages) - 1, -1, -1):
        stage = stages[i]
        if stage.name not in wanted:
            continue
        earlier = stages[:i]
        if stage.needs is None:
            wanted.update(s.name for s in earlier)
            continue
        for table in stage.needs:
            for maker in reversed(earlier):
                if maker.makes is None or table in maker.makes:
                    wanted.add(maker.name)
                if maker.makes is not None and table in maker.makes:
                    break
    return [s for s in stages if s.name in wanted]


def run_stages(
    corpus: Corpus, stages: list[str] | None = None, params: dict | None = None, *,
    engine: Any = None, workers: int | None = None, scheduler: Any = None,
    cache: Any = True, log: RunLog | None = None, batch_docs: int | None = None,
) -> dict[str, Any]:
    """Run the chosen stages (all by default) over a loaded corpus; returns every table by name.

    engine: "auto" (default: worker processes for per-document stages of a large corpus), "serial",
    "processes", "dask" (with `scheduler`: an address or a distributed.Client), or an engine object.
    cache: True (default: PROJECT_ROOT/.cache/analyze, unless the environment sets NEWSLENS_CACHE=0),
    False/None (no cache), a folder, or a StageCache.
    log: a RunLog to fill with seconds per stage and cache hits. batch_docs: force batches of this size.
    """
    from newslens.core.engines import make_engine

    selected = _select(stages)
    own_engine = engine is None or isinstance(engine, str)
    runner = make_engine(engine, n_docs=len(corpus.documents), workers=workers, scheduler=scheduler)
    try:
        return _run(corpus, selected, dict(params or {}), runner, _stage_cache(cache), log or RunLog(),
                    batch_docs)
    finally:
        if own_engine:
            runner.close()


def analyze(
    corpus: str | Path | Corpus = "data/corpus.csv",
    out: str | Path | None = None,
    stages: list[str] | None = None,
    params: dict | None = None,
    progress: bool | None = None,
    *,
    engine: Any = None, workers: int | None = None, scheduler: Any = None,
    cache: Any = True, log: RunLog | None = None, batch_docs: int | None = None,
    format: str | None = None, excel: bool = False,
) -> dict[str, Any]:
    """Load a corpus, run the stages and, when `out` is given, write every table there (`format`:
    csv, parquet or both, the default; `excel`: CSVs with a byte-order mark; see pipeline.formats).

    Results are cached (PROJECT_ROOT/.cache/analyze, see newslens.core.cache) unless cache=False; a second
    call on an unchanged corpus with the same code and parameters reads its tables back.
    """
    from newslens.core.engines import make_engine

    from newslens.pipeline.formats import TableOptions

    _select(stages)  # unknown stage names fail before any work
    options = TableOptions.of(format, excel)
    log = log if log is not None else RunLog()
    stage_cache = _stage_cache(cache)
    own_engine = engine is None or isinstance(engine, str)
    runner = make_engine(engine, n_docs=_manifest_size(corpus), workers=workers, scheduler=scheduler)
    try:
        if not isinstance(corpus, Corpus):
            with log.step("load") as step:
                load_cache = False
                if stage_cache is not None:
                    from newslens.corpus.manifest import find_manifest

                    load_cache = stage_cache.load_cache(find_manifest(corpus))
                corpus = load_corpus(corpus, progress=progress, engine=runner, cache=load_cache)
                if load_cache and load_cache.hits:
                    step.note = f"{load_cache.hits} of {len(corpus.documents)} documents from cache"
                    step.cached = load_cache.hits == len(corpus.documents)
        table_fps: dict[str, str] = {}
        tables = _run(corpus, _select(stages), dict(params or {}), runner, stage_cache, log, batch_docs,
                      table_fps)
    finally:
        if own_engine:
            runner.close()
    if out is not None:
        with log.step("write") as step:
            inputs = [Path(corpus.manifest)] + [Path(corpus.manifest).parent / p
                                                 for p in corpus.documents.get("path", [])]
            written = write_tables(tables, Path(out), workers=workers, fingerprints=table_fps,
                                   options=options, inputs=inputs, prune=True)
            kept = len(tables) - len(written.rewritten)
            if kept:
                step.note = f"{kept} of {len(tables)} tables unchanged on disk, not rewritten"
                step.cached = not written.rewritten
    return tables


def _manifest_size(corpus: str | Path | Corpus) -> int:
    """Documents a corpus holds, to choose an engine before loading it (0 when unknown)."""
    if isinstance(corpus, Corpus):
        return len(corpus.documents)
    from newslens.corpus.manifest import find_manifest

    try:
        with find_manifest(corpus).open("rb") as fh:
            return max(0, sum(1 for _ in fh) - 1)
    except (OSError, NewslensError):
        return 0  # load_corpus reports the problem with its own clear message


@dataclass
class StepTime:
    name: str
    seconds: float = 0.0
    cached: bool = False
    batches: int = 0
    note: str = ""
    # This process's peak resident memory when the step ended (it only grows: the step that raises it
    # is the one that needed the memory).
    peak_rss_mb: float = 0.0
    # For a stage run at once with others (see _run_wave): the seconds its tasks kept the workers busy,
    # reported as its seconds instead of the step's wall time.
    busy_seconds: float | None = None


@dataclass
class RunLog:
    """What a run did: one StepTime per step (load, each stage, write), in order."""
    steps: list[StepTime] = field(default_factory=list)

    @contextmanager
    def step(self, name: str):
        record = StepTime(name)
        started = time.perf_counter()
        try:
            yield record
        finally:
            record.seconds = (time.perf_counter() - started if record.busy_seconds is None
                              else record.busy_seconds)
            record.peak_rss_mb = _peak_rss_mb()
            self.steps.append(record)

    def seconds(self) -> dict[str, float]:
        return {s.name: round(s.seconds, 3) for s in self.steps}

    def peak_rss(self) -> dict[str, float]:
        return {s.name: s.peak_rss_mb for s in self.steps}

    def summary(self) -> str:
        lines = []
        width = max([12, *(len(s.name) for s in self.steps)])
        for s in self.steps:
            how = "cache" if s.cached else (f"{s.batches} batches" if s.batches else "")
            extra = "; ".join(x for x in (how, s.note) if x)
            lines.append(f"  {s.name:<{width}} {s.seconds:8.2f} s" + (f"  ({extra})" if extra else ""))
        return "\n".join(lines)


def _peak_rss_mb() -> float:
    try:
        import resource
    except ImportError:  # not on Unix
        return 0.0
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20, 1)


def _stage_cache(cache: Any):
    from newslens.core.cache import StageCache, cache_enabled

    if cache is None or cache is False or (cache is True and not cache_enabled()):
        return None
    if isinstance(cache, StageCache):
        return cache
    return StageCache(None if cache is True else cache)


class TrackedTables(dict):
    """The tables a stage receives, recording which names it looked up (for the cache's dependencies).

    Iterating over all tables counts as reading all of them.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reads: set[str] = set()

    def __getitem__(self, name):
        self.reads.add(name)
        return super().__getitem__(name)

    def get(self, name, default=None):
        self.reads.add(name)
        return super().get(name, default)

    def __contains__(self, name):
        self.reads.add(name)
        return super().__contains__(name)

    def _read_all(self):
        self.reads.update(super().keys())

    def __iter__(self):
        self._read_all()
        return super().__iter__()

    def keys(self):
        self._read_all()
        return super().keys()

    def values(self):
        self._read_all()
        return super().values()

    def items(self):
        self._read_all()
        return super().items()

    def copy(self):
        self._read_all()
        return dict(super().items())


class _BatchTables(TrackedTables):
    """A batch's view of the tables: a table with a doc_id column is cut to the batch's documents the
    first time it is looked up (so a worker slices only what its stage reads)."""

    def __init__(self, tables: dict, doc_ids: list[str]):
        super().__init__(tables)
        self._ids = set(doc_ids)
        self._cut: set[str] = set()

    def _slice(self, name):
        if name not in self._cut and dict.__contains__(self, name):
            self._cut.add(name)
            dict.__setitem__(self, name, _rows_of(dict.__getitem__(self, name), self._ids))

    def __getitem__(self, name):
        self._slice(name)
        return super().__getitem__(name)

    def get(self, name, default=None):
        self._slice(name)
        return super().get(name, default)

    def _read_all(self):
        for name in list(dict.keys(self)):
            self._slice(name)
        super()._read_all()


def _rows_of(value: Any, ids: set[str]) -> Any:
    """The rows of a table that belong to the documents `ids` (other values are passed whole)."""
    if not isinstance(value, pd.DataFrame) or "doc_id" not in value.columns:
        return value
    part = value[value["doc_id"].isin(ids)]
    if isinstance(value.index, pd.RangeIndex):
        part = part.reset_index(drop=True)
    return part


def batch_corpus(corpus: Corpus, doc_ids: list[str]) -> Corpus:
    """The part of a corpus holding the documents `doc_ids` (in corpus order)."""
    ids = set(doc_ids)
    return Corpus(
        corpus.manifest,
        _rows_of(corpus.documents, ids),
        _rows_of(corpus.sentences, ids),
        _rows_of(corpus.removed, ids),
        {d: corpus.bodies[d] for d in doc_ids if d in corpus.bodies},
        {d: corpus.raw[d] for d in doc_ids if d in corpus.raw},
    )


def _call_stage(target: str, corpus: Corpus, tables: TrackedTables, params: dict):
    produced = load_target(target)(corpus, tables, dict(params))
    return produced, sorted(tables.reads)


# The corpus and tables a forked worker reads its batch from; set just before the pool starts.
_INHERITED: tuple[Corpus, dict] | None = None


def run_shipped_batch(task: tuple[str, Corpus, dict, dict]):
    """One batch of a per-document stage whose data travelled with it (Dask, or spawned processes)."""
    target, corpus, tables, params = task
    return _call_stage(target, corpus, TrackedTables(tables), params)


def _concat(name: str, parts: list[Any], stage: Stage) -> pd.DataFrame:
    if not all(isinstance(p, pd.DataFrame) for p in parts):
        raise TypeError(
            f"stage {stage.name} is declared per_document but returned '{name}' that is not a DataFrame"
        )
    frames = [p for p in parts if len(p)] or parts[:1]
    if len(frames) == 1:
        return frames[0]
    ignore_index = all(isinstance(f.index, pd.RangeIndex) for f in frames)
    return pd.concat(frames, ignore_index=ignore_index)


def _batches(corpus: Corpus, engine, batch_docs) -> list[list[str]]:
    """The documents of each batch of a per-document stage, in corpus order, of about equal sentences."""
    from newslens.core.engines import batch_ranges, n_batches_for

    doc_ids = corpus.documents["doc_id"].tolist()
    weights = corpus.documents["n_sentences"].fillna(1).astype(float).add(1).tolist()
    ranges = batch_ranges(weights, n_batches_for(engine, len(doc_ids), batch_docs))
    return [doc_ids[a:b] for a, b in ranges]


def _joined(stage: Stage, results: list[tuple[dict, list[str]]]) -> tuple[dict, list[str]]:
    """A per-document stage's tables from its batches' (tables, reads), concatenated in corpus order."""
    names: list[str] = []
    for produced, _ in results:
        names += [n for n in produced if n not in names]
    produced = {n: _concat(n, [p[n] for p, _ in results if n in p], stage) for n in names}
    return produced, sorted({r for _, rs in results for r in rs})


def _run_in_batches(stage: Stage, corpus: Corpus, tables: dict, params: dict, engine, batch_docs):
    """Run a per-document stage over batches of documents and concatenate its tables in corpus order."""
    global _INHERITED

    batches = _batches(corpus, engine, batch_docs)
    if engine.inherits_state:
        _INHERITED = (corpus, tables)
        try:
            results = [(produced, reads) for produced, reads, _ in
                       engine.map(run_inherited_task, [(stage.target, ids, params) for ids in batches])]
        finally:
            _INHERITED = None
    else:
        tasks = []
        for ids in batches:
            chosen = set(ids)
            tasks.append((stage.target, batch_corpus(corpus, ids),
                          {k: _rows_of(v, chosen) for k, v in tables.items()}, params))
        results = list(engine.map(run_shipped_batch, tasks))
    produced, reads = _joined(stage, results)
    return produced, reads, len(batches)


def run_inherited_task(task: tuple[str, list[str] | None, dict]):
    """One task in a forked worker, on the state inherited from the pipeline: a batch of a per-document
    stage (doc_ids given) or, in a wave, a whole corpus-wide stage (None); returns (tables, reads,
    seconds)."""
    target, doc_ids, params = task
    corpus, tables = _INHERITED
    started = time.perf_counter()
    if doc_ids is None:
        produced, reads = _call_stage(target, corpus, TrackedTables(tables), params)
    else:
        produced, reads = _call_stage(target, batch_corpus(corpus, doc_ids), _BatchTables(tables, doc_ids),
                                      params)
    return produced, reads, time.perf_counter() - started


def wave_of(stages: list[Stage], first: int) -> list[Stage]:
    """stages[first] and the stages right after it that need no table any of them makes (stages run
    alongside are passed over: no stage reads their tables): they all read the tables as they are
    before stages[first] runs, as they would one after another, so they can run at once. A stage that
    does not declare what it needs or makes ends the wave."""
    wave = [stages[first]]
    made = set(stages[first].makes) if stages[first].makes is not None else None
    for stage in stages[first + 1:]:
        if stage.alongside:
            continue
        if made is None or stage.needs is None or stage.makes is None or made & set(stage.needs):
            break
        wave.append(stage)
        made |= set(stage.makes)
    return wave


def _run_wave(wave: list[Stage], corpus: Corpus, tables: dict, given: dict, engine, batch_docs):
    """Run the stages of a wave in one pool of forked workers: every batch of its per-document stages
    and each corpus-wide stage as one task (those first: they are the longest), so a corpus-wide stage
    such as `tone` fills a core while the others' batches fill the rest, instead of leaving it idle.
    Returns {stage name: (tables, reads, batches, busy seconds in the workers)}."""
    global _INHERITED

    batches = _batches(corpus, engine, batch_docs)
    tasks, owner = [], []
    for stage in sorted(wave, key=lambda s: s.per_document):  # corpus-wide stages first
        for ids in (batches if stage.per_document else [None]):
            tasks.append((stage.target, ids, given[stage.name]))
            owner.append(stage)
    _INHERITED = (corpus, tables)
    try:
        results = list(engine.map(run_inherited_task, tasks))
    finally:
        _INHERITED = None
    done = {}
    for stage in wave:
        mine = [r for r, o in zip(results, owner) if o is stage]
        if stage.per_document:
            produced, reads = _joined(stage, [(p, rs) for p, rs, _ in mine])
        else:
            produced, reads = mine[0][0], sorted(mine[0][1])
        done[stage.name] = (produced, reads, len(mine) if stage.per_document else 0,
                            sum(seconds for _, _, seconds in mine))
    return done


def _runs_waves(engine, batched: bool, corpus: Corpus) -> bool:
    """Whether stages that do not depend on each other share one pool (see _run_wave): worker processes
    forked from this one (the Dask and spawn engines run one stage after another)."""
    from newslens.core.engines import ProcessEngine

    return (batched and isinstance(engine, ProcessEngine) and engine.inherits_state and engine.workers > 1
            and len(corpus.documents) > 1)


def _run(corpus: Corpus, selected: list[Stage], params: dict, engine, stage_cache, log: RunLog,
         batch_docs: int | None, table_fps: dict[str, str] | None = None) -> dict[str, Any]:
    """Run the selected stages; with a cache, fill `table_fps` with each result table's fingerprint."""
    tables: dict[str, Any] = {
        "documents": corpus.documents,
        "sentences": corpus.sentences,
        "removed": corpus.removed,
    }
    fingerprints: dict[str, str] = {}
    if stage_cache is not None:
        from newslens.core.cache import corpus_fingerprint, table_fingerprint

        corpus_fp = corpus_fingerprint(corpus)
        fingerprints = {name: f"{corpus_fp}:{name}" for name in tables}
    batched = batch_docs is not None or engine.name != "serial"
    # Each stage's parameters with its settings resolved, all before any stage runs: a bad value fails
    # at once, and the cache keys what the stage will use rather than how it was spelt.
    given = {stage.name: stage_params(stage, corpus.documents, params) for stage in selected}
    core = {name: tables[name] for name in CORE_TABLES}
    # Stages run alongside read the corpus tables as loaded, even when a later stage replaces one
    # (sentiment adds its scores to "sentences"): their cache entries record these fingerprints.
    core_fps = dict(fingerprints)
    held: dict[str, tuple] = {}  # stage name -> (produced, key, read_fps) of stages run alongside
    steps: dict[str, StepTime] = {}
    # Stages run alongside read only the corpus tables, so their cache entries can be looked up now.
    early_hits = {}
    if stage_cache is not None:
        for stage in selected:
            if stage.alongside:
                key = stage_cache.stage_key(stage, corpus_fp, given[stage.name])
                early_hits[stage.name] = (key, stage_cache.lookup(stage.name, key, core_fps))
    background = _start_alongside(
        [(s, given[s.name]) for s in selected
         if s.alongside and early_hits.get(s.name, (None, None))[1] is None],
        corpus, core, engine)
    # Stages computed ahead, in a wave with an earlier one: name -> (tables, reads, batches, seconds),
    # and the note each one's step gets.
    ahead: dict[str, tuple] = {}
    wave_notes: dict[str, str] = {}
    waves = _runs_waves(engine, batched, corpus)
    for index, stage in enumerate(selected):
        with log.step(stage.name) as step:
            steps[stage.name] = step
            hit = key = None
            if stage.name in early_hits:
                key, hit = early_hits[stage.name]
            elif stage_cache is not None:
                key = stage_cache.stage_key(stage, corpus_fp, given[stage.name])
                hit = stage_cache.lookup(stage.name, key, fingerprints)
            if stage.alongside:
                if hit is not None:
                    step.cached = True
                    held[stage.name] = (hit[0], key, hit[1])
                elif background is not None and stage.name in background.names:
                    step.note = "alongside the later stages, in its own process"
                else:
                    produced, reads = _call_stage(stage.target, corpus, TrackedTables(core),
                                                  given[stage.name])
                    _check_declared(stage, produced, reads)
                    held[stage.name] = (produced, key, None if stage_cache is None else
                                        {name: core_fps.get(name) for name in reads})
                    if stage_cache is not None:
                        stage_cache.store(stage.name, key, held[stage.name][2], produced)
                continue
            if background is not None:
                background.poll()
            stored_fps = None
            if hit is not None:
                produced, read_fps, stored_fps = hit
                step.cached = True
            else:
                if waves and stage.name not in ahead:
                    # The stages after this one that could run at the same time, and are not in the
                    # cache (their lookup now is the one they would get later: nothing in the wave
                    # makes a table they read).
                    wave = [s for s in wave_of(selected, index)[1:]
                            if stage_cache is None or stage_cache.lookup(
                                s.name, stage_cache.stage_key(s, corpus_fp, given[s.name]), fingerprints) is None]
                    if wave:
                        wave.insert(0, stage)
                        ahead.update(_run_wave(wave, corpus, tables, given, engine, batch_docs))
                        for member in wave:
                            wave_notes[member.name] = ("run at once with " + ", ".join(
                                s.name for s in wave if s is not member) + "; seconds busy in the workers")
                if stage.name in ahead:
                    produced, reads, step.batches, step.busy_seconds = ahead.pop(stage.name)
                    step.note = wave_notes.pop(stage.name)
                elif stage.per_document and batched and len(corpus.documents) > 1:
                    produced, reads, step.batches = _run_in_batches(
                        stage, corpus, tables, given[stage.name], engine, batch_docs)
                else:
                    produced, reads = _call_stage(stage.target, corpus, TrackedTables(tables),
                                                  given[stage.name])
                _check_declared(stage, produced, reads)
                if stage_cache is not None:
                    read_fps = {name: fingerprints.get(name) for name in reads}
            tables.update(produced)
            if stage_cache is not None:
                made_fps = _made_fingerprints(produced, key, read_fps, stored_fps, _read_after(selected, index))
                if hit is None:
                    stage_cache.store(stage.name, key, read_fps, produced, made_fps)
                fingerprints.update(made_fps)
    if background is not None:
        by_name = {stage.name: stage for stage in selected}
        for name, (produced, reads, seconds, peak_mb) in background.results().items():
            _check_declared(by_name[name], produced, reads)
            steps[name].seconds, steps[name].peak_rss_mb = seconds, max(steps[name].peak_rss_mb, peak_mb)
            key = early_hits[name][0] if stage_cache is not None else None
            read_fps = None if stage_cache is None else {r: core_fps.get(r) for r in reads}
            if stage_cache is not None:
                stage_cache.store(name, key, read_fps, produced)
            held[name] = (produced, key, read_fps)
    # The tables of stages run alongside join at the end, in stage order.
    ordered: dict[str, Any] = {name: tables[name] for name in CORE_TABLES}
    for stage in selected:
        produced = held[stage.name][0] if stage.name in held else None
        if produced is not None and stage_cache is not None:
            _, key, read_fps = held[stage.name]
            for name in produced:
                fingerprints[name] = table_fingerprint(key, read_fps, name)
        for name, value in (produced or {}).items():
            ordered.setdefault(name, value)
    for name, value in tables.items():
        ordered.setdefault(name, value)
    # A table named "_..." passes between stages (and is cached) but is not a result: not returned,
    # so never written.
    results = {name: value for name, value in ordered.items() if not is_internal(name)}
    if table_fps is not None and stage_cache is not None:
        table_fps.update({name: fingerprints[name] for name in results if fingerprints.get(name)})
    return results


def _read_after(selected: list[Stage], index: int) -> set[str] | None:
    """The tables the stages after selected[index] declare they read (None: one may read any)."""
    names: set[str] = set()
    for later in selected[index + 1:]:
        if later.needs is None:
            return None
        names.update(later.needs)
    return names


def _made_fingerprints(produced: dict, key: str, read_fps: dict, stored: dict | None,
                       read_later: set[str] | None) -> dict[str, str]:
    """Fingerprints of a stage's tables: those stored with its cache entry; else, for a DataFrame a
    later stage reads, its content (so a re-run that gives the same table re-runs nothing after it);
    else the stage's key and inputs (no hashing for tables no stage reads)."""
    from newslens.core.cache import content_fingerprint, table_fingerprint

    out = {}
    for name, value in produced.items():
        if stored and stored.get(name):
            out[name] = stored[name]
        elif isinstance(value, pd.DataFrame) and (read_later is None or name in read_later):
            out[name] = content_fingerprint(value)
        else:
            out[name] = table_fingerprint(key, read_fps, name)
    return out


def _check_declared(stage: Stage, produced: dict, reads) -> None:
    """A stage reads only the tables it declares it needs and returns only those it declares it makes:
    the stages it depends on, and those that may run at once with it, are chosen by them."""
    extra = sorted(set(produced) - set(stage.makes)) if stage.makes is not None else []
    if extra:
        raise NewslensError(f"stage {stage.name} returned table(s) {', '.join(extra)} it does not declare "
                            f"in makes=({', '.join(stage.makes)})")
    unread = sorted(set(reads) - set(stage.needs)) if stage.needs is not None else []
    if unread:
        raise NewslensError(f"stage {stage.name} read table(s) {', '.join(unread)} it does not declare "
                            f"in needs=({', '.join(stage.needs)})")


def is_internal(table_name: str) -> bool:
    return table_name.startswith("_")


# The work of stages run alongside (each with its parameters), set just before their process is forked.
_ALONGSIDE: tuple[list[tuple[Stage, dict]], Corpus, dict] | None = None


def _run_alongside() -> dict[str, tuple]:
    """In the forked process: run the alongside stages one after another on the corpus tables."""
    stages, corpus, core = _ALONGSIDE
    done = {}
    for stage, params in stages:
        started = time.perf_counter()
        produced, reads = _call_stage(stage.target, corpus, TrackedTables(core), params)
        done[stage.name] = (produced, reads, time.perf_counter() - started, _peak_rss_mb())
    return done


class _Alongside:
    """Stages running in one forked process while the pipeline goes on; results() waits for them."""

    def __init__(self, stages: list[tuple[Stage, dict]], corpus: Corpus, core: dict, context):
        from concurrent.futures import ProcessPoolExecutor

        from newslens.core.engines import start_worker

        global _ALONGSIDE
        self.names = {s.name for s, _ in stages}
        self._done: dict[str, tuple] | None = None
        self._pool = ProcessPoolExecutor(1, mp_context=context, initializer=start_worker)
        _ALONGSIDE = (stages, corpus, core)
        try:
            self._future = self._pool.submit(_run_alongside)  # forks now: the child sees _ALONGSIDE
        finally:
            _ALONGSIDE = None

    def poll(self) -> None:
        """Between stages: once the process has finished, take its tables and let it go (its memory is
        freed now, not at the end of the run); a failure (e.g. a bad parameter) is reported now."""
        if self._done is None and self._future.done():
            self.results()

    def results(self) -> dict[str, tuple]:
        if self._done is None:
            try:
                self._done = self._future.result()
            finally:
                self._pool.shutdown(cancel_futures=True)
        return self._done


def _start_alongside(stages: list[tuple[Stage, dict]], corpus: Corpus, core: dict, engine):
    """Start the stages (each with its parameters) in their own process when the engine has workers
    and forks; else None (they then run in turn, in this process)."""
    from newslens.core.engines import ProcessEngine

    if not stages or not isinstance(engine, ProcessEngine) or not engine.inherits_state or engine.workers < 2:
        return None
    return _Alongside(stages, corpus, core, engine.mp_context)


def _table_path(name: str, value: Any, out: Path, options=None) -> Path:
    from newslens.pipeline.formats import TableOptions, table_files

    return table_files(name, value, out, options or TableOptions())[0]


def _write_one(name: str, value: Any, out: Path, options=None) -> Path:
    """Write one table in every format of `options` (newslens.pipeline.formats); its main file."""
    from newslens.pipeline.formats import TableOptions, write_table

    return write_table(name, value, out, options or TableOptions())[0]


# Below this many rows in all, writing the tables in worker processes costs more than it saves.
MIN_ROWS_FOR_PARALLEL_WRITE = 200_000
_TABLES_TO_WRITE: tuple[dict, Path] | None = None

# In an output folder: for each table file written with a known fingerprint, that fingerprint and the
# file's size and modification time, so an unchanged table is not written again.
WRITTEN_RECORD = ".newslens-tables.json"


class WrittenTables(list):
    """The paths of all tables (a list, in table order); `rewritten` names those written this time."""

    rewritten: list[str]


def _write_inherited(name: str) -> Path:
    tables, out, options = _TABLES_TO_WRITE
    return _write_one(name, tables[name], out, options)


def _file_state(paths: list[Path]) -> list[list[int] | None]:
    states = []
    for path in paths:
        try:
            st = path.stat()
            states.append([st.st_size, st.st_mtime_ns])
        except FileNotFoundError:
            states.append(None)
    return states


def _read_written_record(out: Path) -> dict:
    try:
        record = json.loads((out / WRITTEN_RECORD).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
        return {}  # no record (or a damaged one): every table is written
    return record if isinstance(record, dict) else {}


def write_tables(tables: dict[str, Any], out: Path, workers: int | None = None,
                 fingerprints: dict[str, str] | None = None, options=None,
                 inputs: list[Path] = (), prune: bool = False) -> WrittenTables:
    """Write DataFrames as UTF-8 CSV (`name.csv`) and/or Parquet (`name.parquet`) as `options` say
    (newslens.pipeline.formats.TableOptions; default both), dicts/lists as JSON (`name.json`), and the
    data dictionary (README.md). With `prune` (analyze's runs), the files of an earlier run that this
    one did not write are removed; a table that would overwrite one of `inputs` (the manifest, an
    article) is refused before any write.

    Large sets of tables are written by forked worker processes (CSV formatting holds the GIL), the
    biggest tables first; `workers=1` writes in this process.

    With `fingerprints` (table name -> content fingerprint, as analyze's cache computes them), a table
    whose file was written from the same fingerprint and has not been touched since (same size and
    modification time) is left as it is.
    """
    global _TABLES_TO_WRITE
    from newslens.core.engines import ProcessEngine
    from newslens.pipeline import formats

    options = options or formats.TableOptions()
    files = {name: formats.table_files(name, value, out, options) for name, value in tables.items()}
    formats.check_inputs_safe([f for fs in files.values() for f in fs], list(inputs))
    out.mkdir(parents=True, exist_ok=True)
    fingerprints = fingerprints or {}
    record = _read_written_record(out)
    paths = {name: fs[0] for name, fs in files.items()}
    todo = {}
    for name, value in tables.items():
        seen = record.get(paths[name].name)
        unchanged = (fingerprints.get(name) is not None and isinstance(seen, dict)
                     and seen.get("fingerprint") == fingerprints[name]
                     and seen.get("format") == options.tag
                     and seen.get("file") == _file_state(files[name]))
        if not unchanged:
            todo[name] = value
    rows = {name: len(v) if isinstance(v, pd.DataFrame) else 0 for name, v in todo.items()}
    engine = ProcessEngine(workers)
    if (len(todo) < 2 or engine.workers < 2 or not engine.inherits_state
            or sum(rows.values()) < MIN_ROWS_FOR_PARALLEL_WRITE):
        for name, value in todo.items():
            _write_one(name, value, out, options)
    else:
        _TABLES_TO_WRITE = (todo, out, options)
        try:
            by_size = sorted(todo, key=lambda n: -rows[n])
            list(engine.map(_write_inherited, by_size))
        finally:
            _TABLES_TO_WRITE = None
    # The record: every file this run wrote (stale ones of earlier runs go), with the fingerprints.
    if prune:
        formats.remove_stale(out, record, [f for fs in files.values() for f in fs])
    record = formats.record_of(tables, files, fingerprints, options, record, set(todo), _file_state, prune)
    formats.write_dictionary(out, tables, record)
    write_text_atomic(out / WRITTEN_RECORD, json.dumps(record, indent=1, sort_keys=True))
    written = WrittenTables(paths[name] for name in tables)
    written.rewritten = list(todo)
    return written
