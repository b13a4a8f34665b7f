"""Running stages on worker processes (or Dask): batches of a per-document stage, waves of stages that
run at once, and stages run alongside the others in a process of their own.

Forked workers read the corpus and the tables from the memory they inherit: they are never pickled.
What they read is one object, a WorkerState, handed over for the length of a `with` block
(`WorkerState.handed`); a task names only its stage, its documents and its settings.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

from newslens.core.stage import Settings, Stage
from newslens.corpus.loader import Corpus
from newslens.pipeline.runlog import peak_rss_mb
from newslens.pipeline.tracked import BatchTables, TrackedTables, batch_corpus, rows_of


@dataclass
class WorkerState:
    """What forked workers read: the corpus and the tables of a run, the stages a process runs
    alongside (each with its settings), or the tables being written and their folder."""

    corpus: Corpus | None = None
    tables: dict | None = None
    alongside: list[tuple[Stage, Any]] | None = None
    out: Path | None = None
    options: Any = None  # newslens.pipeline.formats.TableOptions of the tables being written

    # The state handed to the workers forked now. A forked worker can reach its parent's memory only
    # through a name it imports (its task function is pickled by reference): this one slot, set for
    # the length of `handed()` only.
    _handed: ClassVar["WorkerState | None"] = None

    @contextmanager
    def handed(self):
        """Hand this state to the workers forked inside the block."""
        WorkerState._handed = self
        try:
            yield self
        finally:
            WorkerState._handed = None

    @staticmethod
    def inherited() -> "WorkerState":
        """In a worker: the state its parent handed over."""
        return WorkerState._handed


def import_before_fork(stages) -> None:
    """Import the modules of these stages' functions in this process, before workers are forked for
    them: each worker then inherits them rather than importing them again (the registry names a
    stage's function as "module:function", imported when the stage first runs)."""
    for stage in stages:
        stage.function()


def call_stage(stage: Stage, corpus: Corpus, tables: TrackedTables, given: Settings | dict):
    """Run a stage with its settings (a stage without settings: a copy of the parameters dict);
    returns (its tables, the names of the tables it read)."""
    produced = stage.function()(corpus, tables, given if isinstance(given, Settings) else dict(given))
    return produced, sorted(tables.reads)


def run_shipped_batch(task: tuple[Stage, Corpus, dict, Any]):
    """One batch of a per-document stage whose data travelled with it (Dask, or spawned processes)."""
    stage, corpus, tables, given = task
    return call_stage(stage, corpus, TrackedTables(tables), given)


def run_inherited_task(task: tuple[Stage, list[str] | None, Any]):
    """One task in a forked worker, on the state inherited from the pipeline: a batch of a per-document
    stage (doc_ids given) or, in a wave, a whole corpus-wide stage (None); returns (tables, reads,
    seconds)."""
    stage, doc_ids, given = task
    state = WorkerState.inherited()
    started = time.perf_counter()
    if doc_ids is None:
        produced, reads = call_stage(stage, state.corpus, TrackedTables(state.tables), given)
    else:
        produced, reads = call_stage(stage, batch_corpus(state.corpus, doc_ids),
                                     BatchTables(state.tables, doc_ids), given)
    return produced, reads, time.perf_counter() - started


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


def batches(corpus: Corpus, engine, batch_docs) -> list[list[str]]:
    """The documents of each batch of a per-document stage, in corpus order, of about equal sentences."""
    from newslens.core.engines import batch_ranges, n_batches_for

    doc_ids = corpus.documents["doc_id"].tolist()
    weights = corpus.documents["n_sentences"].fillna(1).astype(float).add(1).tolist()
    ranges = batch_ranges(weights, n_batches_for(engine, len(doc_ids), batch_docs))
    return [doc_ids[a:b] for a, b in ranges]


def joined(stage: Stage, results: list[tuple[dict, list[str]]]) -> tuple[dict, list[str]]:
    """A per-document stage's tables from its batches' (tables, reads), concatenated in corpus order."""
    names: list[str] = []
    for produced, _ in results:
        names += [n for n in produced if n not in names]
    produced = {n: _concat(n, [p[n] for p, _ in results if n in p], stage) for n in names}
    return produced, sorted({r for _, rs in results for r in rs})


def run_in_batches(stage: Stage, corpus: Corpus, tables: dict, given, engine, batch_docs):
    """Run a per-document stage over batches of documents and concatenate its tables in corpus order;
    returns (tables, reads, number of batches)."""
    parts = batches(corpus, engine, batch_docs)
    if engine.inherits_state:
        import_before_fork([stage])
        with WorkerState(corpus, tables).handed():
            results = [(produced, reads) for produced, reads, _ in
                       engine.map(run_inherited_task, [(stage, ids, given) for ids in parts])]
    else:
        tasks = []
        for ids in parts:
            chosen = set(ids)
            tasks.append((stage, batch_corpus(corpus, ids), {k: rows_of(v, chosen) for k, v in tables.items()},
                          given))
        results = list(engine.map(run_shipped_batch, tasks))
    produced, reads = joined(stage, results)
    return produced, reads, len(parts)


def run_wave(wave: list[Stage], corpus: Corpus, tables: dict, given: dict, engine, batch_docs):
    """Run the stages of a wave in one pool of forked workers: every batch of its per-document stages
    and each corpus-wide stage as one task (those first: they are the longest), so a corpus-wide stage
    such as `tone` fills a core while the others' batches fill the rest, instead of leaving it idle.
    Returns {stage name: (tables, reads, batches, busy seconds in the workers)}."""
    parts = batches(corpus, engine, batch_docs)
    tasks, owner = [], []
    for stage in sorted(wave, key=lambda s: s.per_document):  # corpus-wide stages first
        for ids in (parts if stage.per_document else [None]):
            tasks.append((stage, ids, given[stage.name]))
            owner.append(stage)
    import_before_fork(wave)
    with WorkerState(corpus, tables).handed():
        results = list(engine.map(run_inherited_task, tasks))
    done = {}
    for stage in wave:
        mine = [r for r, o in zip(results, owner) if o is stage]
        if stage.per_document:
            produced, reads = joined(stage, [(p, rs) for p, rs, _ in mine])
        else:
            produced, reads = mine[0][0], sorted(mine[0][1])
        done[stage.name] = (produced, reads, len(mine) if stage.per_document else 0,
                            sum(seconds for _, _, seconds in mine))
    return done


def runs_waves(engine, batched: bool, corpus: Corpus) -> bool:
    """Whether stages that do not depend on each other share one pool (see run_wave): worker processes
    forked from this one (the Dask and spawn engines run one stage after another)."""
    from newslens.core.engines import ProcessEngine

    return (batched and isinstance(engine, ProcessEngine) and engine.inherits_state and engine.workers > 1
            and len(corpus.documents) > 1)


def _run_alongside() -> dict[str, tuple]:
    """In the forked process: run the alongside stages one after another on the corpus tables."""
    state = WorkerState.inherited()
    done = {}
    for stage, given in state.alongside:
        started = time.perf_counter()
        produced, reads = call_stage(stage, state.corpus, TrackedTables(state.tables), given)
        done[stage.name] = (produced, reads, time.perf_counter() - started, peak_rss_mb())
    return done


class Alongside:
    """Stages running in one forked process while the pipeline goes on; results() waits for them."""

    def __init__(self, stages: list[tuple[Stage, Any]], corpus: Corpus, core: dict, context):
        from concurrent.futures import ProcessPoolExecutor

        from newslens.core.engines import start_worker

        self.names = {s.name for s, _ in stages}
        self._done: dict[str, tuple] | None = None
        self._pool = ProcessPoolExecutor(1, mp_context=context, initializer=start_worker)
        import_before_fork([s for s, _ in stages])
        with WorkerState(corpus, core, alongside=stages).handed():
            self._future = self._pool.submit(_run_alongside)  # forks now: the child inherits the state

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


def start_alongside(stages: list[tuple[Stage, Any]], corpus: Corpus, core: dict, engine) -> Alongside | None:
    """Start the stages (each with its settings) in their own process when the engine has workers and
    forks; else None (they then run in turn, in this process)."""
    from newslens.core.engines import ProcessEngine

    if not stages or not isinstance(engine, ProcessEngine) or not engine.inherits_state or engine.workers < 2:
        return None
    return Alongside(stages, corpus, core, engine.mp_context)
