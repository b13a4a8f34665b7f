"""What a render leaves besides the reports: DIR/index.html, DIR/provenance.json, the state that keeps
last good reports listed, and the summary lines that set the render against its fixed cost.

Part of `python -m newslens render` (see newslens.commands.render for the command as a whole).
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

from newslens.commands.render_notebook import Result
from newslens.commands.render_plan import Job
from newslens.core.atomic import write_text_atomic

STATE_FILE = ".newslens-render.json"  # what earlier runs rendered, so the index can keep last good reports


PAGE_BUDGET_MB = 3.0  # a report page above this is a warning in the summary (issue 21)


def page_size_note(path: Path, budget_mb: float = PAGE_BUDGET_MB) -> str:
    """"1.2 MB", or "4.1 MB  warning: over the 3 MB page budget" for a page above `budget_mb`."""
    try:
        size = path.stat().st_size / 1e6
    except OSError:
        return ""
    over = f"  warning: over the {budget_mb:g} MB page budget" if size > budget_mb else ""
    return f"{size:.1f} MB{over}"


def corpus_summary(documents) -> dict:
    outlets = documents.groupby("outlet").size().sort_values(ascending=False)
    dates = sorted(d for d in documents["published"].astype(str) if d)
    return {
        "documents": int(len(documents)),
        "words": int(documents["n_words"].sum()),
        "outlets": {str(k): int(v) for k, v in outlets.items()},
        "first": dates[0] if dates else "",
        "last": dates[-1] if dates else "",
    }


def write_index(out: Path, reports: list[dict], corpus: dict, prov: dict, data_dirs: list[str]) -> Path:
    from newslens.report.indexpage import index_html

    path = out / "index.html"
    write_text_atomic(path, index_html(reports, corpus, prov, data_dirs, folder=out))
    return path


def load_state(out: Path) -> dict:
    try:
        state = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    # Only well-formed entries: a damaged or hand-edited state file costs the last-good links, no more.
    return {k: v for k, v in state.items() if isinstance(v, dict) and isinstance(v.get("html"), str)} \
        if isinstance(state, dict) else {}


def seconds_since_start() -> float:
    """Wall seconds since this process started. On Linux both ends come from the kernel's clock since
    boot (/proc/self/stat, /proc/uptime): psutil's create_time adds the boot time, which /proc gives in
    whole seconds, and was 0.85 s off on the project machine (a 6.8 s render reported as 7.4 s)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        return uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22 of stat: starttime in ticks
    except (OSError, ValueError, IndexError):  # not Linux
        import psutil

        return time.time() - psutil.Process().create_time()


def cpu_seconds() -> float:
    """CPU seconds of this process since it started and of its children that have ended (the kernels,
    once shut down, and git)."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def fixed_cost_summary(seconds: float, cpu: float, results: list[Result], cores: int,
                       stored_stack: float | None = None) -> list[str]:
    """The summary lines that set the render against its fixed cost (issue 8): per notebook, starting its
    kernel (CPU seconds each kernel measured of itself) and importing the stack (CPU seconds measured
    once: in one kernel of this render, else `stored_stack`, what `prepare` measured; see
    newslens.commands.render_stack), spread over the cores used. [] when nothing was measured."""
    from newslens.report.notebook import STACK

    kernel = [r.kernel_cpu for r in results if r.kernel_cpu is not None]
    live = next((r.stack_cpu for r in results if r.stack_cpu is not None), None)
    stack = live if live is not None else stored_stack
    if not kernel or stack is None:
        return []
    source = "measured in this render" if live is not None else "measured by `newslens prepare`"
    fixed = sum(kernel) + stack * len(kernel)
    spread = fixed / max(cores, 1)
    return [
        f"  render {seconds:.1f} s = {seconds / spread:.2f} x the fixed cost (bound 1.5x): "
        f"{len(kernel)} notebook(s) x (kernel start {sum(kernel) / len(kernel):.1f} + import "
        f"{', '.join(STACK)} {stack:.1f} CPU-s, {source}) = {fixed:.1f} CPU-s over {cores} core(s) = {spread:.1f} s",
        f"  CPU: {cpu:.1f} s in this process and its kernels = {cpu / fixed:.2f} x the fixed cost's "
        f"{fixed:.1f} CPU-s (the same ratio, unaffected by other load on the machine)",
    ]


def report_entries(jobs: list[Job], results: dict[str, Result], out: Path, rendered_at: str,
                   ) -> tuple[list[dict], dict]:
    """(the index's entry of each report, the new state): a failed report keeps its last good one
    listed when that report is still on disk; `failed_notebook` only when it was kept."""
    state = load_state(out)
    reports = []
    for job in jobs:
        result = results[job.name]
        entry = {
            "name": job.name, "notebook": Path(job.notebook).name, "title": job.title,
            "question": job.question, "parameters": job.parameters, "sets": job.sets,
            "html": f"{job.name}.html", "code_html": f"{job.name}.code.html" if job.with_code else None,
        }
        previous = state.get(job.name)
        if result.ok:
            entry.update(status="ok", rendered_at=rendered_at, charts=result.charts)
        else:
            last_good = previous if previous and (out / previous["html"]).exists() else None
            entry.update(status="failed", error=result.error, failed_at=rendered_at,
                         last_good=last_good.get("rendered_at") if last_good else None,
                         failed_notebook=f"failed/{job.name}.ipynb" if result.kept else None)
        reports.append(entry)
        state[job.name] = entry if result.ok else (previous or entry)
    return reports, state


def write_outputs(out: Path, reports: list[dict], state: dict, summary: dict, prov: dict,
                  data_dirs: list[str]) -> Path:
    """provenance.json, the state file and index.html (the index last: it points at the others)."""
    from newslens.report.provenance import publishable

    write_text_atomic(out / "provenance.json", json.dumps(  # no absolute local paths (issue 23, item 22)
        publishable({**prov, "corpus": summary, "reports": reports}), indent=2, ensure_ascii=False,
        default=str))
    write_text_atomic(out / STATE_FILE, json.dumps(state, indent=2, ensure_ascii=False, default=str))
    return write_index(out, reports, summary, prov, data_dirs)
