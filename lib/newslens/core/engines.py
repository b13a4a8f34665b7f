"""Where batches of per-document work run: in this process, in worker processes, or on a Dask cluster.

An engine maps a plain, picklable function over a list of batches and returns the results in batch
order. The pipeline hands it per-document work only (reading + cleaning + splitting, and the stages
declared `per_document`); corpus-wide stages always run in the calling process.

    serial     everything in this process (the default for small corpora: nothing to start)
    processes  a pool of worker processes, one per core; on Linux the workers are forked after the
               pipeline has set the state they read, so the big tables are inherited, not pickled
    dask       dask.bag over the batches, on a distributed scheduler (an address such as
               tcp://10.0.0.5:8786, a distributed.Client, or a LocalCluster started on demand)
"""
from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from newslens.core.errors import ParameterError

ENGINE_NAMES = ("auto", "serial", "processes", "dask")
# Below this many documents, starting worker processes costs more than it saves.
MIN_DOCS_FOR_PROCESSES = 200
# Batches per worker: several, so that a slow batch does not leave the other cores idle at the end.
BATCHES_PER_WORKER = 4


def start_worker() -> None:
    """Run first in every forked worker: move the inherited objects (the corpus, the tables) out of
    reach of the worker's cycle collector. Its walks over them would otherwise cost CPU in every worker
    and, by writing each object's GC header, copy the parent's memory pages into the worker. Only the
    inherited objects are frozen; what the worker itself creates is collected as usual, and the
    worker exits when its batches are done."""
    gc.freeze()


def default_workers() -> int:
    """Cores this process may use (respects CPU affinity, e.g. in a container)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class SerialEngine:
    name = "serial"
    workers = 1
    # The function runs here, so module state set by the caller is visible to it.
    inherits_state = True

    def map(self, func: Callable[[Any], Any], batches: Sequence[Any]) -> Iterator[Any]:
        return (func(b) for b in batches)

    def close(self) -> None:
        pass


class ProcessEngine:
    """A fresh process pool per call: forked workers then see the state set just before the call."""

    name = "processes"

    def __init__(self, workers: int | None = None):
        self.workers = workers or default_workers()
        methods = multiprocessing.get_all_start_methods()
        self.mp_context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self.inherits_state = self.mp_context.get_start_method() == "fork"

    def map(self, func: Callable[[Any], Any], batches: Sequence[Any]) -> Iterator[Any]:
        if len(batches) <= 1:
            yield from (func(b) for b in batches)
            return
        with ProcessPoolExecutor(min(self.workers, len(batches)), mp_context=self.mp_context,
                                 initializer=start_worker if self.inherits_state else None) as pool:
            # Results come back in batch order, so the first failing batch (in corpus order) raises first.
            yield from pool.map(func, batches)

    def close(self) -> None:
        pass


def require_dask() -> None:
    """Dask is an extra (`pip install 'newslens[dask]'`): say so in one line when it is missing."""
    import importlib.util

    missing = [m for m in ("dask", "distributed") if importlib.util.find_spec(m) is None]
    if missing:
        raise ParameterError(f"--engine dask needs {' and '.join(missing)}, which "
                             f"{'is' if len(missing) == 1 else 'are'} not installed: "
                             "pip install 'newslens[dask]'")


class DaskEngine:
    """dask.bag over the batches. `scheduler`: an address, a distributed.Client, or None (local cluster)."""

    name = "dask"
    inherits_state = False

    def __init__(self, scheduler: Any = None, workers: int | None = None):
        self._scheduler = scheduler
        self._client = None
        self._own_cluster = None
        self.workers = workers or default_workers()

    def client(self):
        if self._client is not None:
            return self._client
        from distributed import Client, LocalCluster

        if self._scheduler is None:
            self._own_cluster = LocalCluster(
                n_workers=self.workers, threads_per_worker=1, processes=True,
                dashboard_address=None,
            )
            self._client = Client(self._own_cluster)
        elif isinstance(self._scheduler, str):
            try:
                self._client = Client(self._scheduler, timeout="10s")
            except OSError as exc:
                raise ParameterError(
                    f"cannot reach the Dask scheduler at {self._scheduler} ({exc})"
                ) from None
        else:
            self._client = self._scheduler  # a distributed.Client given by the caller
        return self._client

    def map(self, func: Callable[[Any], Any], batches: Sequence[Any]) -> list[Any]:
        import dask.bag as db

        if not batches:
            return []
        bag = db.from_sequence(list(batches), npartitions=len(batches)).map(func)
        return bag.compute(scheduler=self.client())

    def close(self) -> None:
        # Close only what this engine started; a caller's Client or a cluster address stays up.
        if self._own_cluster is not None:
            self._client.close()
            self._own_cluster.close()
            self._client = self._own_cluster = None


Engine = SerialEngine | ProcessEngine | DaskEngine


def make_engine(
    engine: str | Engine | None = None, n_docs: int = 0, workers: int | None = None,
    scheduler: Any = None,
) -> Engine:
    """The engine for a run. "auto" (or None): processes when the corpus is large enough and there are
    several cores, otherwise serial. An engine object is returned as given."""
    if engine is not None and not isinstance(engine, str):
        return engine
    name = engine or "auto"
    if name not in ENGINE_NAMES:
        raise ParameterError(f"engine '{name}' is unknown; engines are: {', '.join(ENGINE_NAMES)}")
    if scheduler is not None and name != "dask":
        raise ParameterError("--scheduler is for the Dask engine; add --engine dask")
    if workers is not None and workers < 1:
        raise ParameterError(f"workers must be at least 1 (got {workers})")
    if name == "dask":
        require_dask()
        return DaskEngine(scheduler, workers)
    if name == "processes":
        return ProcessEngine(workers)
    if name == "auto":
        cores = workers or default_workers()
        if cores > 1 and n_docs >= MIN_DOCS_FOR_PROCESSES:
            return ProcessEngine(cores)
    return SerialEngine()


def batch_ranges(weights: Sequence[float], n_batches: int) -> list[tuple[int, int]]:
    """Split items 0..len(weights) into at most n_batches contiguous [start, stop) ranges of about
    equal total weight (e.g. sentences per document), keeping corpus order."""
    n = len(weights)
    if n == 0:
        return []
    n_batches = max(1, min(n_batches, n))
    total = float(sum(weights)) or float(n)
    if not sum(weights):
        weights = [1.0] * n
    ranges, start, acc = [], 0, 0.0
    for i, w in enumerate(weights):
        acc += w
        # Close the batch once the batches so far hold their share of the total weight.
        done = len(ranges) + 1
        if acc >= total * done / n_batches and i + 1 < n:
            ranges.append((start, i + 1))
            start = i + 1
            if len(ranges) == n_batches - 1:
                break
    ranges.append((start, n))
    return ranges


def n_batches_for(engine: Engine, n_docs: int, batch_docs: int | None = None) -> int:
    """How many batches to cut a corpus into for this engine (batch_docs: documents per batch, forced)."""
    if batch_docs:
        return max(1, -(-n_docs // batch_docs))
    return max(1, engine.workers * BATCHES_PER_WORKER)
