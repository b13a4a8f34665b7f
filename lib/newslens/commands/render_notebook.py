"""One notebook of a render: executed with papermill in its kernel, exported to HTML, and on failure
kept (when it can be) in DIR/failed/ for debugging; its working files never outlive it.

Part of `python -m newslens render` (see newslens.commands.render for the command as a whole).
"""
from __future__ import annotations

import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from newslens.commands.render_kernel import (
    KERNEL_START_ATTEMPTS, SETUP_SOURCE, kernel_start_clashed, read_startup_cost, start_kernel,
    stop_kernel,
)
from newslens.commands.render_memory import kernel_peak_mb
from newslens.commands.render_plan import Job
from newslens.core.atomic import write_text_atomic


@dataclass
class Result:
    name: str
    ok: bool
    seconds: float = 0.0
    kernel_cpu: float | None = None  # CPU seconds of the kernel's start-up, as the kernel measured it
    stack_cpu: float | None = None   # CPU seconds of importing the stack (measured in one kernel only)
    charts: int = 0
    error: str = ""
    files: list[str] = field(default_factory=list)
    kept: str | None = None          # the failed notebook kept for debugging, if it could be written
    peak_mb: float | None = None     # the kernel's peak resident memory, when it could be read


# Whole-or-absent writes (kept under this name for callers of render.atomic_write_text).
atomic_write_text = write_text_atomic


def failing_cell(source_nb, executed_nb, exc) -> str:
    """'cell 7 (`plot = comparison_chart(...`): KeyError: 'outlet'' — the cell as numbered in the source
    notebook (1-based, Markdown cells counted, as JupyterLab shows them) and the error's first line."""
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = str(getattr(exc, "evalue", exc)).strip().splitlines()
    evalue = evalue[0] if evalue else ""
    if len(evalue) > 200:
        evalue = evalue[:197] + "..."
    source = getattr(exc, "source", "") or ""
    position = None
    for i, cell in enumerate(source_nb.cells, start=1):
        if cell.cell_type == "code" and source and cell.source.strip() == source.strip():
            position = i
            break
    first_line = next((ln.strip() for ln in source.splitlines() if ln.strip()), "")
    if len(first_line) > 60:
        first_line = first_line[:57] + "..."
    where = f"cell {position}" if position else "the injected parameters cell" \
        if "injected-parameters" in str(source) else "a cell"
    return f"{where} (`{first_line}`): {ename}: {evalue}" if first_line else f"{where}: {ename}: {evalue}"


# Exports run one at a time: they are pure Python (the GIL serialises them anyway) and nbconvert's
# exporter is not documented as thread safe.
_EXPORT_LOCK = threading.Lock()


def _execute(job: Job, km, executed_path: Path):
    """(executed notebook, its kernel): papermill runs the notebook (its hidden setup cell first) in
    `km`; a kernel that died of a port clash at start-up is replaced, up to KERNEL_START_ATTEMPTS
    kernels. Raises what papermill raises, with the kernel that failed as `exc.newslens_km`."""
    import nbformat
    import papermill as pm

    from newslens.report.htmlexport import SETUP_TAG

    work = executed_path.parent
    nb = nbformat.read(job.notebook, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(SETUP_SOURCE, metadata={"tags": [SETUP_TAG]}))
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        if km is None:
            km = start_kernel(job.kernel, Path(job.notebook).parent, work / f"{job.name}.kernel.log")
        try:
            # request_save_on_cell_execute=False: papermill would otherwise write (and validate) the
            # whole notebook twice per cell; it still writes it once at the end, and with the failing
            # cell marked when a cell raises. No cwd: the kernel was started in the notebook's folder.
            # The kernel answers papermill's first request only after its warm-up (the setup cell's
            # imports), so it gets as long to start as a cell gets to run.
            executed = pm.execute_notebook(
                nb, str(executed_path), parameters=job.parameters, kernel_name=job.kernel,
                progress_bar=False, log_output=False, execution_timeout=job.timeout,
                start_timeout=max(60, job.timeout), request_save_on_cell_execute=False, km=km,
            )
            return executed, km
        except Exception as exc:  # noqa: BLE001 - re-raised below unless the kernel never started
            stop_kernel(km)
            if attempt < KERNEL_START_ATTEMPTS and kernel_start_clashed(km):
                print(f"  ...   {job.name}: its kernel could not bind a port (taken by another "
                      f"process); starting another ({attempt + 1}/{KERNEL_START_ATTEMPTS})", flush=True)
                km.newslens_log.unlink(missing_ok=True)
                km = None
                continue
            exc.newslens_km = km
            raise
    raise AssertionError("unreachable: the last attempt returns or raises")


def _whole_notebook(path: Path) -> bool:
    """Whether papermill wrote the notebook whole (it writes in place: a full disk leaves it cut)."""
    try:
        json.loads(path.read_text(encoding="utf-8"))
        return True
    except (OSError, ValueError):
        return False


def _keep_failure(km, executed_path: Path, failed_path: Path, result: Result) -> None:
    """Move the executed notebook (and a dead kernel's stderr) to DIR/failed/, when there is one and
    the disk lets us; result.kept names the notebook only if it is really there."""
    log_path = getattr(km, "newslens_log", None)
    try:
        if log_path is not None and log_path.exists() and log_path.stat().st_size:
            failed_path.parent.mkdir(parents=True, exist_ok=True)
            os.replace(log_path, failed_path.with_suffix(".kernel.log"))
        if executed_path.exists() and _whole_notebook(executed_path):
            failed_path.parent.mkdir(parents=True, exist_ok=True)
            os.replace(executed_path, failed_path)
            result.files.append(str(failed_path))
            result.kept = str(failed_path)
    except OSError:  # a full disk, say: the failure is still reported, without its notebook
        pass


def _export(job: Job, executed, out: Path, result: Result) -> None:
    """Write NAME.html (and NAME.code.html with --with-code), each whole or absent."""
    from newslens.report.htmlexport import export_html

    footer = f"{job.footer} · notebook {Path(job.notebook).name}"
    pages = [(out / f"{job.name}.html", False)]
    if job.with_code:
        pages.append((out / f"{job.name}.code.html", True))
    for path, with_code in pages:
        with _EXPORT_LOCK:
            body, info = export_html(executed, with_code=with_code, title=job.title, footer=footer)
        atomic_write_text(path, body)
        result.files.append(str(path))
        result.charts = info["charts"]


def render_one(job: Job, km=None) -> Result:
    """Execute one notebook with papermill in its kernel (`km`, started by start_kernel; started here if
    None) and export it; never raises for a notebook's own failure, nor for a disk that cannot take
    its files. Safe to run in several threads. Its working files (DIR/.work/NAME.*) are gone after."""
    import nbformat

    logging.getLogger("papermill").setLevel(logging.ERROR)
    started = time.perf_counter()
    print(f"  ...   {job.name} running\n", end="", flush=True)  # one write: threads print at once
    out = Path(job.out)
    executed_path = out / ".work" / f"{job.name}.ipynb"
    failed_path = out / "failed" / f"{job.name}.ipynb"
    result = Result(name=job.name, ok=False)
    try:
        try:
            executed, km = _execute(job, km, executed_path)
        except Exception as exc:  # a notebook's failure is reported, never hidden: see result.error
            km = getattr(exc, "newslens_km", km)
            if isinstance(exc, OSError):  # papermill could not write the executed notebook (full disk)
                result.error = f"cannot write {exc.filename or executed_path}: {exc.strerror or exc}"
            else:
                result.error = failing_cell(nbformat.read(job.notebook, as_version=4), None, exc)
            _keep_failure(km, executed_path, failed_path, result)
            return result
        cost = read_startup_cost(km)
        result.peak_mb = kernel_peak_mb(km)
        stop_kernel(km)  # every cell has run: nothing is lost, and its memory is freed now
        result.kernel_cpu, result.stack_cpu = cost.get("kernel_cpu"), cost.get("stack_cpu")
        try:
            _export(job, executed, out, result)
        except OSError as exc:  # a full or read-only disk: one line, the last good report stays
            result.error = f"cannot write {exc.filename or out}: {exc.strerror or exc}"
            return result
        failed_path.unlink(missing_ok=True)  # the failure it kept for debugging is fixed now
        result.ok = True
        return result
    finally:
        result.seconds = time.perf_counter() - started
        executed_path.unlink(missing_ok=True)
        for log_path in (getattr(km, "newslens_log", None), out / ".work" / f"{job.name}.kernel.log"):
            if log_path is not None:
                log_path.unlink(missing_ok=True)
