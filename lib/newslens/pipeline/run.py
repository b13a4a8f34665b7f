"""Running the analysis chain: a corpus in, tidy tables out, one stage after another.

Each stage (newslens.core.stage.Stage, listed in newslens.pipeline.registry) is a function

    stage(corpus: Corpus, tables: dict[str, DataFrame], settings: Settings) -> dict[str, DataFrame | dict | list]

that reads the tables of earlier stages and returns its own (a returned "sentences" table replaces the
earlier one, which is how stages add columns to it). The runner resolves each stage's settings once,
looks its tables up in the cache, and runs it in this process, in batches on worker processes or Dask
(newslens.pipeline.parallel), or alongside the later stages.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from newslens.core.errors import NewslensError
from newslens.core.stage import CORE_TABLES, Stage
from newslens.corpus.language import english_part
from newslens.corpus.loader import Corpus, load_corpus
from newslens.pipeline import parallel, registry
from newslens.pipeline.graph import read_after, wave_of
from newslens.pipeline.registry import stage_names  # noqa: F401  (re-exported: callers import it from here)
from newslens.pipeline.runlog import RunLog, StepTime
from newslens.pipeline.tables import write_tables
from newslens.pipeline.tracked import TrackedTables


def run_stages(
    corpus: Corpus, stages: list[str] | None = None, params: dict | None = None, *,
    engine: Any = None, workers: int | None = None, scheduler: Any = None,
    cache: Any = True, log: RunLog | None = None, batch_docs: int | None = None,
) -> dict[str, Any]:
    """Run the chosen stages (all by default) over a loaded corpus; returns every table by name.

    engine: "auto" (default: worker processes for per-document stages of a large corpus), "serial",
    "processes", "dask" (with `scheduler`: an address or a distributed.Client), or an engine object.
    cache: True (default: .cache/analyze of a checkout, else the user's cache folder; NEWSLENS_CACHE=0: off),
    False/None (no cache), a folder, or a StageCache.
    log: a RunLog to fill with seconds per stage and cache hits. batch_docs: force batches of this size.
    """
    from newslens.core.engines import make_engine

    selected = registry.select(stages)
    own_engine = engine is None or isinstance(engine, str)
    runner = make_engine(engine, n_docs=len(corpus.documents), workers=workers, scheduler=scheduler)
    try:
        return Run(corpus, selected, dict(params or {}), runner, _stage_cache(cache), log or RunLog(),
                   batch_docs).run()
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

    Results are cached (.cache/analyze of a checkout, else the user's cache folder; see
    newslens.core.cache) unless cache=False; a second call on an unchanged corpus with the same code and
    parameters reads its tables back.
    """
    from newslens.core.engines import make_engine
    from newslens.pipeline.formats import TableOptions

    selected = registry.select(stages)  # unknown stage names fail before any work
    options = TableOptions.of(format, excel)
    log = log if log is not None else RunLog()
    stage_cache = _stage_cache(cache)
    own_engine = engine is None or isinstance(engine, str)
    runner = make_engine(engine, n_docs=_manifest_size(corpus), workers=workers, scheduler=scheduler)
    try:
        if not isinstance(corpus, Corpus):
            corpus = _load(corpus, progress, runner, stage_cache, log)
        run = Run(corpus, selected, dict(params or {}), runner, stage_cache, log, batch_docs)
        tables = run.run()
    finally:
        if own_engine:
            runner.close()
    if out is not None:
        with log.step("write") as step:
            inputs = [Path(corpus.manifest)] + [Path(corpus.manifest).parent / p
                                                 for p in corpus.documents.get("path", [])]
            written = write_tables(tables, Path(out), workers=workers, fingerprints=run.table_fingerprints,
                                   options=options, inputs=inputs, prune=True)
            kept = len(tables) - len(written.rewritten)
            if kept:
                step.note = f"{kept} of {len(tables)} tables unchanged on disk, not rewritten"
                step.cached = not written.rewritten
    return tables


def _load(path: str | Path, progress: bool | None, engine, stage_cache, log: RunLog) -> Corpus:
    """The corpus of a manifest, its documents read from the load cache when they are there."""
    with log.step("load") as step:
        load_cache = False
        if stage_cache is not None:
            from newslens.corpus.manifest import find_manifest

            load_cache = stage_cache.load_cache(find_manifest(path))
        corpus = load_corpus(path, progress=progress, engine=engine, cache=load_cache)
        if load_cache and load_cache.hits:
            step.note = f"{load_cache.hits} of {len(corpus.documents)} documents from cache"
            step.cached = load_cache.hits == len(corpus.documents)
    return corpus


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


def _stage_cache(cache: Any):
    from newslens.core.cache import StageCache, cache_enabled

    if cache is None or cache is False or (cache is True and not cache_enabled()):
        return None
    if isinstance(cache, StageCache):
        return cache
    return StageCache(None if cache is True else cache)


def is_internal(table_name: str) -> bool:
    """A table named "_..." passes between stages (and is cached) but is not a result: never written."""
    return table_name.startswith("_")


def check_declared(stage: Stage, produced: dict, reads) -> None:
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


def made_fingerprints(produced: dict, key: str, read_fps: dict, stored: dict | None,
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


class Run:
    """One run of the selected stages over a corpus: settings resolved once, each stage's tables read
    from the cache or computed (here, in batches, in a wave with the stages after it, or alongside),
    and with a cache, each result table's fingerprint (`table_fingerprints`)."""

    def __init__(self, corpus: Corpus, selected: list[Stage], params: dict, engine, stage_cache,
                 log: RunLog, batch_docs: int | None):
        # Every analysis reads English: articles in another language are left out of the stages (one
        # warning names them) but stay in the documents table, with their language, for the overview.
        self.all_documents = corpus.documents
        corpus = english_part(corpus)
        self.corpus, self.selected, self.engine, self.cache = corpus, selected, engine, stage_cache
        self.log, self.batch_docs = log, batch_docs
        self.tables: dict[str, Any] = {"documents": corpus.documents, "sentences": corpus.sentences,
                                       "removed": corpus.removed}
        self.fingerprints: dict[str, str] = {}
        if stage_cache is not None:
            from newslens.core.cache import corpus_fingerprint

            self.corpus_fp = corpus_fingerprint(corpus)
            self.fingerprints = {name: f"{self.corpus_fp}:{name}" for name in self.tables}
        self.batched = batch_docs is not None or engine.name != "serial"
        # Each stage's settings, all resolved before any stage runs: a bad value fails at once, and the
        # cache keys what the stage will use rather than how it was spelt.
        self.given = {stage.name: stage.resolve(corpus.documents, params) for stage in selected}
        self.core = {name: self.tables[name] for name in CORE_TABLES}
        # Stages run alongside read the corpus tables as loaded, even when a later stage replaces one
        # (sentiment adds its scores to "sentences"): their cache entries record these fingerprints.
        self.core_fps = dict(self.fingerprints)
        self.held: dict[str, tuple] = {}  # stage name -> (produced, key, read_fps) of stages run alongside
        self.steps: dict[str, StepTime] = {}
        # Stages computed ahead, in a wave with an earlier one: name -> (tables, reads, batches,
        # seconds), and the note each one's step gets.
        self.ahead: dict[str, tuple] = {}
        self.wave_notes: dict[str, str] = {}
        self.table_fingerprints: dict[str, str] = {}

    def key(self, stage: Stage) -> str | None:
        if self.cache is None:
            return None
        return self.cache.stage_key(stage, self.corpus_fp, stage.cache_params(self.given[stage.name]))

    def lookup(self, stage: Stage, fingerprints: dict):
        """(key, cache hit or None) of a stage whose inputs have these fingerprints."""
        key = self.key(stage)
        return key, (None if key is None else self.cache.lookup(stage.name, key, fingerprints))

    def run(self) -> dict[str, Any]:
        """Run every selected stage; the result tables by name (see `results`)."""
        # Stages run alongside read only the corpus tables, so their cache entries can be looked up now.
        early = {s.name: self.lookup(s, self.core_fps) for s in self.selected if s.alongside}
        self.background = parallel.start_alongside(
            [(s, self.given[s.name]) for s in self.selected if s.alongside and early[s.name][1] is None],
            self.corpus, self.core, self.engine)
        self.waves = parallel.runs_waves(self.engine, self.batched, self.corpus)
        for index, stage in enumerate(self.selected):
            with self.log.step(stage.name) as step:
                self.steps[stage.name] = step
                if stage.alongside:
                    self._alongside_step(stage, step, *early[stage.name])
                else:
                    self._step(index, stage, step)
        self._join_background(early)
        return self.results()

    def _alongside_step(self, stage: Stage, step: StepTime, key, hit) -> None:
        """A stage that reads only the corpus tables: from the cache, started in its own process, or
        run now on the corpus tables; its tables are held until the end of the run."""
        if hit is not None:
            step.cached = True
            self.held[stage.name] = (hit[0], key, hit[1])
        elif self.background is not None and stage.name in self.background.names:
            step.note = "alongside the later stages, in its own process"
        else:
            produced, reads = parallel.call_stage(stage, self.corpus, TrackedTables(self.core),
                                                  self.given[stage.name])
            check_declared(stage, produced, reads)
            read_fps = None if self.cache is None else {name: self.core_fps.get(name) for name in reads}
            self.held[stage.name] = (produced, key, read_fps)
            if self.cache is not None:
                self.cache.store(stage.name, key, read_fps, produced)

    def _step(self, index: int, stage: Stage, step: StepTime) -> None:
        """A stage in turn: its tables from the cache or computed, added to the run's tables."""
        if self.background is not None:
            self.background.poll()
        key, hit = self.lookup(stage, self.fingerprints)
        stored_fps = read_fps = None
        if hit is not None:
            produced, read_fps, stored_fps = hit
            step.cached = True
        else:
            produced, reads = self._compute(index, stage, step)
            check_declared(stage, produced, reads)
            if self.cache is not None:
                read_fps = {name: self.fingerprints.get(name) for name in reads}
        self.tables.update(produced)
        if self.cache is not None:
            made = made_fingerprints(produced, key, read_fps, stored_fps, read_after(self.selected, index))
            if hit is None:
                self.cache.store(stage.name, key, read_fps, produced, made)
            self.fingerprints.update(made)

    def _compute(self, index: int, stage: Stage, step: StepTime) -> tuple[dict, list[str]]:
        """Run a stage that missed the cache: in a wave with the stages after it, in batches, or here."""
        if self.waves and stage.name not in self.ahead:
            self._run_wave(index, stage)
        if stage.name in self.ahead:
            produced, reads, step.batches, step.busy_seconds = self.ahead.pop(stage.name)
            step.note = self.wave_notes.pop(stage.name)
            return produced, reads
        given = self.given[stage.name]
        if stage.per_document and self.batched and len(self.corpus.documents) > 1:
            produced, reads, step.batches = parallel.run_in_batches(
                stage, self.corpus, self.tables, given, self.engine, self.batch_docs)
            return produced, reads
        return parallel.call_stage(stage, self.corpus, TrackedTables(self.tables), given)

    def _run_wave(self, index: int, stage: Stage) -> None:
        """Compute, at once with `stage`, the stages after it that could run at the same time and are
        not in the cache (their lookup now is the one they would get later: nothing in the wave makes a
        table they read)."""
        wave = [s for s in wave_of(self.selected, index)[1:] if self.lookup(s, self.fingerprints)[1] is None]
        if not wave:
            return
        wave.insert(0, stage)
        self.ahead.update(parallel.run_wave(wave, self.corpus, self.tables, self.given, self.engine,
                                            self.batch_docs))
        for member in wave:
            self.wave_notes[member.name] = ("run at once with " + ", ".join(
                s.name for s in wave if s is not member) + "; seconds busy in the workers")

    def _join_background(self, early: dict) -> None:
        """The tables of the stages run in their own process, checked, cached and held."""
        if self.background is None:
            return
        by_name = {stage.name: stage for stage in self.selected}
        for name, (produced, reads, seconds, peak_mb) in self.background.results().items():
            check_declared(by_name[name], produced, reads)
            step = self.steps[name]
            step.seconds, step.peak_rss_mb = seconds, max(step.peak_rss_mb, peak_mb)
            key = early[name][0]
            read_fps = None if self.cache is None else {r: self.core_fps.get(r) for r in reads}
            if self.cache is not None:
                self.cache.store(name, key, read_fps, produced)
            self.held[name] = (produced, key, read_fps)

    def results(self) -> dict[str, Any]:
        """The result tables: the corpus tables, then each stage's in stage order (the tables of stages
        run alongside join here), internal ("_...") tables left out."""
        from newslens.core.cache import table_fingerprint

        ordered: dict[str, Any] = {name: self.tables[name] for name in CORE_TABLES}
        ordered["documents"] = self.all_documents
        for stage in self.selected:
            produced = self.held[stage.name][0] if stage.name in self.held else None
            if produced is not None and self.cache is not None:
                _, key, read_fps = self.held[stage.name]
                for name in produced:
                    self.fingerprints[name] = table_fingerprint(key, read_fps, name)
            for name, value in (produced or {}).items():
                ordered.setdefault(name, value)
        for name, value in self.tables.items():
            ordered.setdefault(name, value)
        results = {name: value for name, value in ordered.items() if not is_internal(name)}
        if self.cache is not None:
            if self.all_documents is not self.corpus.documents:  # the documents table lists every article
                from newslens.core.cache import frame_fingerprint

                self.fingerprints["documents"] = frame_fingerprint(self.all_documents)
            self.table_fingerprints = {name: self.fingerprints[name] for name in results
                                       if self.fingerprints.get(name)}
        return results
