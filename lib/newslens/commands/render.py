"""`python -m newslens render [CORPUS] --out DIR`: every notebook to a self-contained HTML report.

    python -m newslens render data/corpus.csv --out reports
    python -m newslens render --out reports -p source_a "France 24" -p source_b "U.S. News & World Report"
    python -m newslens render --out reports --config pairs.yaml --with-code --jobs 2

- Each notebook runs with papermill in its own Jupyter kernel, the corpus and parameters injected; a
  parameter a notebook does not declare (read with papermill's inspect API) is not injected into it.
  The kernels (up to --jobs at once) are started first, so their start-up overlaps the analysis; this
  process drives them from one thread each (papermill without its os.chdir and without saving the
  notebook after every cell, so the threads share no state) and exports each one as soon as it ends,
  through newslens.report.htmlexport (offline charts, sanitized outputs, code hidden unless --with-code).
- The summary sets the render's wall time against its fixed cost (issue 8): starting each notebook's
  kernel and importing the stack (newslens.report.notebook.STACK), spread over the cores used. Each kernel
  reports its own start-up CPU seconds; importing the stack is timed once per installation by `prepare`
  (newslens.commands.render_stack), or by the first kernel when this environment has no such figure.
- Each kernel runs the hidden setup (imports included) as soon as it is up, before its notebook is
  even planned: the imports fill the cores while this process loads, plans and analyzes.
- A YAML config asks for several parameter sets in one run, each its own report:

      corpus: data/corpus.csv          # optional; the CORPUS argument wins
      parameters: {}                   # for every set (the -p options are added here)
      sets:
        - name: wsws-vs-dw
          parameters: {source_a: World Socialist Web Site, source_b: Deutsche Welle}
        - name: france24-vs-usnews
          parameters: {source_a: France 24, source_b: "U.S. News & World Report"}

  A notebook that declares none of a set's parameters gives the same report for every set; it is run once.
- The analysis tables go to DIR/data/ (DIR/data/SET/ with several sets); DIR/index.html lists every
  report with what it answers, its parameters, the corpus and a provenance block (DIR/provenance.json).
- A notebook that fails leaves the last good report in place, keeps its executed notebook in
  DIR/failed/NAME.ipynb, is named with its failing cell and error in one line, and the command exits 1
  after rendering the others. Every file is written atomically (temp file in the same folder, then
  os.replace): a report is whole or absent.
- One render at a time per DIR (newslens.core.outlock): a second render or analyze into the same DIR
  (or its data/ folders) refuses with one line naming the run that holds it.
- The pieces: render_plan (notebooks, config, parameter sets, jobs), render_kernel (starting, warming
  up and stopping kernels), render_notebook (one notebook run and exported), render_index (index.html,
  provenance.json, the summary lines). This module holds the command's flow.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import logging
import os
import sys
import threading
import time
from pathlib import Path

from newslens.commands.render_index import (  # noqa: F401 - re-exported for callers of render.*
    PAGE_BUDGET_MB, STATE_FILE, corpus_summary, cpu_seconds, fixed_cost_summary, load_state,
    page_size_note, report_entries, seconds_since_start, write_index, write_outputs,
)
from newslens.commands.render_kernel import (  # noqa: F401
    SETUP_SOURCE, THIS_PYTHON, _kernel_manager_class, check_kernel, choose_kernel, parse_startup_cost,
    read_startup_cost, start_kernel, stop_kernel,
)
from newslens.commands.render_notebook import Result, atomic_write_text, failing_cell, render_one  # noqa: F401
from newslens.commands.render_stack import stored_stack_cpu
from newslens.commands.render_plan import (  # noqa: F401
    DEFAULT_KERNEL, SET_NAME, Job, ParamSet, check_corpus_parameter, declared_parameters, find_notebooks,
    load_config, notebook_intro, parameter_sets, parameters_cell_names, plan_jobs,
)
from newslens.core.errors import ParameterError
from newslens.core.outlock import locked_folders
from newslens.core.params import check_parameter_files, parse_param_pairs
from newslens.core.paths import DEFAULT_CORPUS, NOTEBOOKS_DIR, REPORTS_DIR

DEFAULT_MAX_JOBS = 8  # kernels at once by default (each holds a few hundred MB)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("corpus", nargs="?", default=None,
                   help="a corpus.csv manifest or a folder holding one (default: the config's corpus, "
                        "else the seed corpus)")
    p.add_argument("--out", default=str(REPORTS_DIR), help="folder for the reports (default: reports)")
    p.add_argument("-p", "--param", nargs=2, action="append", metavar=("NAME", "VALUE"), default=[],
                   help="notebook parameter for every report, e.g. -p source_a 'Deutsche Welle' "
                        "(repeatable; JSON values such as 3 or true are parsed)")
    p.add_argument("--config", metavar="FILE", help="YAML file with several parameter sets (see module doc)")
    p.add_argument("--with-code", action="store_true",
                   help="also write NAME.code.html with the code shown, for reviewers")
    p.add_argument("--jobs", type=int, default=None,
                   help=f"notebooks run at once, each in its own kernel (default: all, at most {DEFAULT_MAX_JOBS})")
    p.add_argument("--notebooks", default=str(NOTEBOOKS_DIR), metavar="DIR",
                   help="folder of notebooks to render (default: notebooks/)")
    p.add_argument("--only", action="append", metavar="NAME",
                   help="render only notebooks whose file name contains NAME (repeatable)")
    p.add_argument("--timeout", type=int, default=600, help="seconds one cell may run (default 600)")
    p.add_argument("--kernel", default=None,
                   help="Jupyter kernel (default: newslens when installed, else this Python's own kernel)")
    p.add_argument("--allow-outside", action="store_true",
                   help="let manifest paths point outside the corpus folder (see newslens.corpus.manifest)")


def run(args: argparse.Namespace) -> int:
    kernels: list = []  # started early by _render; those no job took are shut down here
    out = Path(args.out).expanduser().resolve()
    try:
        return _render(args, out, kernels)
    finally:
        for km in kernels:
            stop_kernel(km)
            km.newslens_log.unlink(missing_ok=True)
        work = out / ".work"  # each notebook removed its own working files; the folder goes too
        if work.is_dir() and not any(work.iterdir()):
            work.rmdir()


def _data_dir(out: Path, s: ParamSet, sets: list[ParamSet]) -> Path:
    return out / "data" / s.name if len(sets) > 1 else out / "data"


def _prepare(args: argparse.Namespace) -> tuple[str, list[ParamSet], list[Path], int]:
    """(corpus argument, parameter sets, notebooks, kernels at once), every argument checked before
    anything starts or is written."""
    from newslens.corpus.manifest import ALLOW_OUTSIDE_ENV, find_manifest

    if args.allow_outside:  # the kernels inherit the environment: their load_corpus allows it too
        os.environ[ALLOW_OUTSIDE_ENV] = "1"
    config = load_config(args.config)
    corpus_arg = args.corpus or config.get("corpus") or str(DEFAULT_CORPUS)
    sets = parameter_sets(config, parse_param_pairs(args.param))
    for s in sets:
        check_parameter_files(s.parameters)
    check_corpus_parameter(sets, find_manifest(corpus_arg))
    notebooks = find_notebooks(args.notebooks, args.only)
    args.kernel = choose_kernel(args.kernel)
    n_jobs = args.jobs or DEFAULT_MAX_JOBS
    if n_jobs < 1:
        raise ParameterError(f"--jobs {args.jobs}: must be at least 1")
    return corpus_arg, sets, notebooks, n_jobs


def _analyze_tables(corpus, sets: list[ParamSet], out: Path) -> tuple[list[str], str]:
    """(the data folders written, relative to DIR; the error that stopped them, or "").

    Computed here while the kernels start, and before any thread runs (a large corpus forks worker
    processes, which must not happen in a process with threads)."""
    from newslens.pipeline.run import analyze

    data_dirs = []
    for s in sets:
        data_dir = _data_dir(out, s, sets)
        params = {k: v for k, v in s.parameters.items() if k != "corpus"}
        try:
            analyze(corpus, out=data_dir, params=params)
        except Exception as exc:  # reported and makes the run fail; the notebooks still render
            first = (str(exc).strip().splitlines() or [""])[0][:200]
            error = f"analysis tables for {data_dir}: {type(exc).__name__}: {first}"
            print(f"  tables    FAILED  {error}", flush=True)
            return data_dirs, error
        data_dirs.append(str(data_dir.relative_to(out)))
    print(f"  tables    written to {', '.join(data_dirs)}/", flush=True)
    return data_dirs, ""


def _run_jobs(jobs: list[Job], kernels: list, n_jobs: int, out: Path) -> dict[str, Result]:
    """Every job on a thread of its own (up to n_jobs at once), each taking one of the kernels started
    early (or starting its own); one line per report as it ends (with its page's size)."""
    results: dict[str, Result] = {}
    kernels_lock = threading.Lock()

    def run_job(job: Job) -> Result:
        with kernels_lock:
            km = kernels.pop(0) if kernels else None
        return render_one(job, km)

    with cf.ThreadPoolExecutor(max_workers=n_jobs, thread_name_prefix="notebook") as pool:
        futures = {pool.submit(run_job, job): job for job in jobs}
        for done, future in enumerate(cf.as_completed(futures), start=1):
            job = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # the kernel could not start or the run broke: report it, go on
                result = Result(name=job.name, ok=False,
                                error=f"notebook run failed: {type(exc).__name__}: {exc}")
            results[job.name] = result
            tag = f"[{done}/{len(jobs)}]"
            if result.ok:
                memory = f"  kernel peak {result.peak_mb:,.0f} MB" if result.peak_mb else ""
                print(f"  {tag} {job.name:<40} ok      {result.seconds:5.1f} s  {result.charts} chart(s)"
                      f"  {page_size_note(out / f'{job.name}.html')}{memory}", flush=True)
            else:
                print(f"  {tag} {job.name:<40} FAILED  {result.seconds:5.1f} s  {result.error}",
                      flush=True)
    return results


def _render(args: argparse.Namespace, out: Path, kernels: list) -> int:
    # Kernel clients and nbconvert log through traitlets; their warnings (e.g. a figure without alt
    # text) stayed in the worker processes of earlier versions and are not for the user's terminal.
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    wall = time.perf_counter()
    corpus_arg, sets, notebooks, n_jobs = _prepare(args)
    with locked_folders([out] + [_data_dir(out, s, sets) for s in sets], "render"):
        # Kernels first (one per notebook, up to --jobs): each boots on a free core while this process
        # loads the corpus, plans and analyzes. They all run in the notebooks' folder.
        # The stack's import cost, for the summary: as `prepare` measured it for this environment, else
        # timed by the first kernel (render_stack).
        stored_stack = stored_stack_cpu(args.kernel)
        for i in range(min(n_jobs, len(notebooks))):
            kernels.append(start_kernel(args.kernel, notebooks[0].parent, out / ".work" / f"kernel-{i}.log",
                                        measure_stack=i == 0 and stored_stack is None))
        args.stored_stack = stored_stack
        return _render_locked(args, out, kernels, corpus_arg, sets, notebooks, n_jobs, wall)


def _render_locked(args, out: Path, kernels: list, corpus_arg: str, sets: list[ParamSet],
                   notebooks: list[Path], n_jobs: int, wall: float) -> int:
    from newslens.commands.render_memory import available_mb, jobs_for_memory, kernel_estimate_mb
    from newslens.core.memory import release_freed_memory
    from newslens.corpus.loader import load_corpus
    from newslens.report.provenance import provenance

    corpus = load_corpus(corpus_arg, progress=False)
    corpus_path = Path(corpus.manifest)
    prov = provenance(corpus)
    footer = (f"newslens report · corpus {corpus_path.name} ({len(corpus.documents)} documents) · "
              f"rendered {prov['rendered_at']}" + (f" · commit {prov['git_commit'][:12]}" if prov["git_commit"] else ""))
    jobs = plan_jobs(notebooks, sets, corpus_path, args, footer)
    n_jobs = min(n_jobs, len(jobs))
    data_dirs, data_error = _analyze_tables(corpus, sets, out)
    release_freed_memory()  # the analysis' tables are gone: their memory goes to the kernels
    memory_note = ""
    if not args.jobs:  # as many at once as the memory holds (render_memory); --jobs decides itself
        fits = jobs_for_memory(n_jobs, len(corpus.sentences), available_mb())
        if fits < n_jobs:
            memory_note = f" (memory for {fits}, about {kernel_estimate_mb(len(corpus.sentences)):,.0f} MB each)"
        n_jobs = fits
    print(f"rendering {len(jobs)} report(s) from {len(notebooks)} notebook(s) of {corpus_path} "
          f"into {out} with {n_jobs} kernel(s) at once{memory_note}", flush=True)
    results = _run_jobs(jobs, kernels, n_jobs, out)
    reports, state = report_entries(jobs, results, out, prov["rendered_at"])
    index = write_outputs(out, reports, state, corpus_summary(corpus.documents), prov, data_dirs)

    ok = [r for r in results.values() if r.ok]
    failed = [r for r in results.values() if not r.ok]
    seconds = time.perf_counter() - wall
    print(f"rendered {len(ok)} of {len(jobs)} report(s) in {seconds:.1f} s (index: {index})")
    # Against the fixed cost: the whole command, from the interpreter's start (CLI imports included).
    cores = min(os.cpu_count() or 1, n_jobs)
    for line in fixed_cost_summary(seconds_since_start(), cpu_seconds(), ok, cores, args.stored_stack):
        print(line)
    for r in failed:
        kept = f"executed notebook kept in {r.kept}" if r.kept else "no executed notebook could be kept"
        print(f"newslens: error: {r.name}: {r.error} ({kept}; last good report left in place)",
              file=sys.stderr)
    if data_error:
        print(f"newslens: error: {data_error}", file=sys.stderr)
    return 1 if failed or data_error else 0
