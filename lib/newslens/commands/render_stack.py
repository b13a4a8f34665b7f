"""The stack's import cost, measured once per installation by `prepare` and read by every render.

The render's summary sets the render against its fixed cost: per notebook, starting its kernel and
importing the stack (newslens.report.notebook.STACK). Kernel start is measured live, by each kernel of
the render. Importing the stack was measured live too, in the first kernel, before its notebook: that
kernel then also imported what no report needs (matplotlib.pyplot and nltk are in the stack, the
reports import neither), about 1 CPU-s of every render spent only on measuring. So `prepare` measures
it in kernels of its own, the same way (the same user expression in a fresh kernel, CPU seconds), and
keeps the median here with what it depends on: the Python, the kernel, the stack's versions, the CPU.
A render whose environment matches reads it; any other render (no file, another kernel, an upgraded
library, another machine) measures it live as before. The summary says which.
"""
from __future__ import annotations

import json
import os
import platform
import statistics
from pathlib import Path

from newslens.core.atomic import write_text_atomic
from newslens.core.paths import cache_dir

STACK_COST_FILE = cache_dir("render") / "stack-cost.json"
# Kernels `prepare` measures the stack in, one after another on a quiet machine; the median is kept.
MEASURE_RUNS = 3
# Seconds a kernel gets to start and report its cost.
MEASURE_TIMEOUT = 120


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def environment_key(kernel: str) -> dict:
    """What the stack's import cost depends on: a stored cost is used only where all of it matches."""
    from newslens.report.notebook import STACK
    from newslens.report.provenance import package_versions

    return {"kernel": kernel, "packages": package_versions([module.split(".")[0] for module in STACK]),
            "cpu": _cpu_model(), "cores": os.cpu_count()}


def stored_stack_cpu(kernel: str, path: Path | None = None) -> float | None:
    """The stack's import cost `prepare` measured for this environment, or None (none kept, unreadable,
    or measured for another kernel, library version or machine)."""
    try:
        kept = json.loads((path or STACK_COST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(kept, dict) or kept.get("key") != environment_key(kernel):
        return None
    cost = kept.get("stack_cpu")
    return float(cost) if isinstance(cost, (int, float)) and cost > 0 else None


def measure_once(kernel: str, cwd: Path, log_path: Path) -> float | None:
    """The stack's import cost in one fresh kernel, as a render's first kernel measured it (None when the
    kernel could not say)."""
    from newslens.commands.render_kernel import read_startup_cost, start_kernel, stop_kernel

    km = start_kernel(kernel, cwd, log_path, measure_stack=True)
    try:
        return read_startup_cost(km, timeout=MEASURE_TIMEOUT).get("stack_cpu")
    finally:
        stop_kernel(km)
        log_path.unlink(missing_ok=True)


def measure_and_keep(kernel: str, runs: int | None = None, path: Path | None = None) -> dict:
    """Measure the stack's import cost in `runs` kernels (MEASURE_RUNS), keep the median with its
    environment key (whole or absent) in `path` (STACK_COST_FILE) and return it, with `kept` False when
    the folder could not take it (read-only); {} when no kernel could say."""
    import tempfile
    from datetime import datetime, timezone

    path = path or STACK_COST_FILE
    runs = runs or MEASURE_RUNS
    with tempfile.TemporaryDirectory(prefix="newslens-stack-") as work:  # the kernels' stderr
        measured = [m for m in (measure_once(kernel, Path(work), Path(work) / f"kernel-{i}.log")
                                for i in range(runs)) if m is not None]
    if not measured:
        return {}
    found = {"stack_cpu": round(statistics.median(measured), 3), "runs": measured,
             "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
             "key": environment_key(kernel)}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, json.dumps(found, indent=1) + "\n")
    except OSError:
        return {**found, "kept": False}
    return {**found, "kept": True}
