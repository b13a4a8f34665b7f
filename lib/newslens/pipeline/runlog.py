"""What a run did: seconds, cache hits, batches and peak memory per step (load, each stage, write)."""
from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field


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
            record.peak_rss_mb = peak_rss_mb()
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


def peak_rss_mb() -> float:
    try:
        import resource
    except ImportError:  # not on Unix
        return 0.0
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20, 1)
