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
  reports its own start-up CPU seconds; one of them also times importing the stack.
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
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import functools
import json
import logging
import os
import threading
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from newslens.core.atomic import write_text_atomic
from newslens.core.errors import NewslensError, ParameterError
from newslens.core.params import parse_param_pairs
from newslens.core.paths import DEFAULT_CORPUS, NOTEBOOKS_DIR, REPORTS_DIR, resolve

DEFAULT_KERNEL = "newslens"
THIS_PYTHON = "python3"  # the kernel of the interpreter running render, when no `newslens` kernel is installed
STATE_FILE = ".newslens-render.json"  # what earlier runs rendered, so the index can keep last good reports
SET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
SETUP_SOURCE = "import newslens.report.notebook\nnewslens.report.notebook.setup()"
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


# --- planning ----------------------------------------------------------------------------------------------

@dataclass
class ParamSet:
    name: str
    parameters: dict


@dataclass
class Job:
    notebook: str          # path of the source notebook
    name: str              # output name without extension (e.g. 02_source_comparison--wsws-vs-dw)
    parameters: dict       # what is injected (declared by the notebook only)
    sets: list[str]        # parameter sets this report serves
    title: str
    question: str
    out: str
    with_code: bool
    kernel: str
    timeout: int
    footer: str


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


def notebook_intro(nb) -> tuple[str, str]:
    """(title, what it answers) from the first Markdown cell: its first heading, then the rest (Markdown)."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.strip().splitlines()
        title = ""
        if lines and lines[0].lstrip().startswith("#"):
            title = lines[0].lstrip("# ").strip()
            lines = lines[1:]
        return title, "\n".join(lines).strip()
    return "", ""


def parameters_cell_names(nb) -> list[str]:
    """Names assigned in the cell tagged `parameters` (read with Python's parser, in order)."""
    import ast

    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                return []
            names = []
            for node in tree.body:
                targets = [node.target] if isinstance(node, ast.AnnAssign) else \
                    node.targets if isinstance(node, ast.Assign) else []
                names += [t.id for t in targets if isinstance(t, ast.Name)]
            return names
    return []


def declared_parameters(path: Path) -> dict:
    """name -> papermill's inferred parameter (type, default, help) of the notebook's `parameters` cell.

    papermill's inspector skips a line with more than one '=' (e.g. "x: str = ''  # empty = default"),
    so names it missed but the parameters cell assigns are added (as None) and reported once: papermill
    still injects them, but `papermill --help-notebook` would not document them.
    """

    import nbformat
    import papermill as pm

    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as exc:  # not JSON, not a notebook: name the file, no traceback
        raise ParameterError(f"notebook {path}: cannot be read ({type(exc).__name__}: "
                             f"{(str(exc).splitlines() or [''])[0][:150]})") from None
    if not nb.metadata.get("kernelspec", {}).get("name"):
        raise ParameterError(f"notebook {path}: no kernelspec in its metadata (expected "
                             f"{{\"name\": \"{DEFAULT_KERNEL}\", ...}})")
    pm_log = logging.getLogger("papermill")
    level = pm_log.level
    pm_log.setLevel(logging.ERROR)  # its "Unable to parse line" warnings are summarised below instead
    try:
        found = dict(pm.inspect_notebook(str(path)))
    finally:
        pm_log.setLevel(level)
    missed = [n for n in parameters_cell_names(nb) if n not in found]
    if missed:
        print(f"newslens: warning: {path.name}: papermill cannot read parameter(s) {', '.join(missed)} "
              "(a '=' in the comment?); they are injected all the same", file=sys.stderr)
        found.update({n: None for n in missed})
    return found


def load_config(path: str | None) -> dict:
    if not path:
        return {}
    import yaml

    file = resolve(path)
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ParameterError(f"config {path}: cannot read it ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise ParameterError(f"config {path}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise ParameterError(f"config {path}: expected a mapping with 'parameters' and 'sets'")
    unknown = set(data) - {"corpus", "parameters", "sets"}
    if unknown:
        raise ParameterError(f"config {path}: unknown key(s) {', '.join(sorted(unknown))} "
                             "(known: corpus, parameters, sets)")
    data["_path"] = str(file)
    return data


def parameter_sets(config: dict, cli_params: dict) -> list[ParamSet]:
    """The parameter sets of this run: the config's sets (each with the common parameters and -p added),
    or one unnamed set."""
    where = f"config {config.get('_path', '')}"
    common = config.get("parameters") or {}
    if not isinstance(common, dict):
        raise ParameterError(f"{where}: 'parameters' must be a mapping of NAME: VALUE")
    common = {**common, **cli_params}
    sets = config.get("sets")
    if not sets:
        return [ParamSet("", common)]
    if not isinstance(sets, list):
        raise ParameterError(f"{where}: 'sets' must be a list of {{name, parameters}}")
    result, seen = [], set()
    for i, entry in enumerate(sets, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ParameterError(f"{where}: set {i} needs a 'name'")
        name = entry["name"]
        if not SET_NAME.match(name):
            raise ParameterError(f"{where}: set name '{name}' may use only letters, digits, '-', '_', '.'")
        if name in seen:
            raise ParameterError(f"{where}: set name '{name}' is used twice")
        seen.add(name)
        params = entry.get("parameters") or {}
        if not isinstance(params, dict):
            raise ParameterError(f"{where}: set '{name}': 'parameters' must be a mapping")
        result.append(ParamSet(name, {**common, **params}))
    return result


def plan_jobs(notebooks: list[Path], sets: list[ParamSet], corpus_path: Path, args, footer: str,
              ) -> list[Job]:
    """One job per notebook and distinct injected parameters; undeclared parameters are an error only if
    no notebook declares them (a typo), otherwise each notebook gets just the ones it declares."""
    import nbformat

    declared = {nb: declared_parameters(nb) for nb in notebooks}
    every = set().union(*declared.values()) if declared else set()
    for s in sets:
        unknown = sorted(set(s.parameters) - every - {"corpus"})
        if unknown:
            label = f" (set '{s.name}')" if s.name else ""
            raise ParameterError(
                f"parameter(s) {', '.join(unknown)}{label} are declared by no notebook; "
                f"notebook parameters are: {', '.join(sorted(every)) or '(none)'}"
            )
    jobs: list[Job] = []
    for nb_path in notebooks:
        names = declared[nb_path]
        nb = nbformat.read(str(nb_path), as_version=4)
        title, question = notebook_intro(nb)
        distinct: dict[str, tuple[dict, list[str]]] = {}
        for s in sets:
            params = {"corpus": str(corpus_path), **s.parameters}
            injected = {k: v for k, v in params.items() if k in names}
            key = json.dumps(injected, sort_keys=True, default=str)
            distinct.setdefault(key, (injected, []))[1].append(s.name)
        for injected, set_names in distinct.values():
            name = nb_path.stem if len(distinct) == 1 else f"{nb_path.stem}--{set_names[0]}"
            jobs.append(Job(
                notebook=str(nb_path), name=name, parameters=injected, sets=set_names,
                title=title or nb_path.stem, question=question, out=str(args.out),
                with_code=args.with_code, kernel=args.kernel, timeout=args.timeout, footer=footer,
            ))
    return jobs


# --- one notebook (runs in a worker process) -----------------------------------------------------------------

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


def parse_startup_cost(reply: dict) -> dict:
    """What newslens.report.notebook.startup_cost measured, from the kernel's reply to the warm-up request
    (its `cost` user expression), or {} if the kernel could not say."""
    import ast

    from newslens.report.notebook import STARTUP_MARK

    data = reply.get("content", {}).get("user_expressions", {}).get("cost", {})
    try:
        line = ast.literal_eval(data.get("data", {}).get("text/plain", "''"))
        return json.loads(line[len(STARTUP_MARK):]) if str(line).startswith(STARTUP_MARK) else {}
    except (ValueError, SyntaxError):
        return {}


def start_kernel(kernel: str, cwd: Path, log_path: Path, measure_stack: bool = False):
    """Start a kernel now and return its KernelManager; it boots, measures its start-up cost and runs
    the hidden setup (importing the stack) while this process does other work.

    Its stderr, start-up chatter such as "Kernel is running over TCP without encryption", goes to
    `log_path`; it runs in `cwd`, the notebooks' folder (no os.chdir here: threads share the cwd).
    The two warm-up requests are queued at once (zmq holds them until the kernel is up), `silent` so
    they leave no trace in the notebook (no execution count, no output): the first only evaluates
    newslens.report.notebook.startup_cost as a user expression (read back by read_startup_cost), the second
    is SETUP_SOURCE, which the notebook's own hidden setup cell then finds done.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    km = _kernel_manager_class()(kernel_name=kernel)
    with open(log_path, "wb") as log:
        km.start_kernel(stderr=log, cwd=str(cwd))
    km.newslens_log = log_path  # where this kernel's stderr went (kept with a failed notebook)
    # Its own session: the shell socket's identity is the session id, and nbclient's client (same
    # manager, same session) would otherwise receive this client's replies.
    from jupyter_client.session import Session

    kc = km.client(session=Session(key=km.session.key, signature_scheme=km.session.signature_scheme))
    kc.start_channels()
    cost = f"__import__('newslens.report.notebook').report.notebook.startup_cost(measure_stack={bool(measure_stack)})"
    km.newslens_warmup = (kc, kc.execute("", silent=True, store_history=False,
                                         user_expressions={"cost": cost}))
    kc.execute(SETUP_SOURCE, silent=True, store_history=False)
    return km


def read_startup_cost(km) -> dict:
    """The start-up cost the kernel reported for its warm-up (see start_kernel); {} if none came.
    Called once its notebook has run, so the reply is long there."""
    import queue

    kc, msg_id = km.newslens_warmup
    while True:
        try:
            msg = kc.get_shell_msg(timeout=1)
        except queue.Empty:
            return {}
        if msg.get("parent_header", {}).get("msg_id") == msg_id:
            return parse_startup_cost(msg)


@functools.cache
def _kernel_manager_class():
    """A KernelManager that remembers the clients made for it: nbclient does not close the client of a
    kernel it did not start, so stop_kernel closes them (else each leaves a zmq context open)."""
    from jupyter_client import KernelManager

    class RenderKernelManager(KernelManager):
        @property
        def kernel_spec(self):
            # THIS_PYTHON is always this interpreter (sys.executable), whatever "python3" kernel a
            # Jupyter folder may hold for another one.
            if self.kernel_name == THIS_PYTHON and self._kernel_spec is None:
                from ipykernel.kernelspec import get_kernel_dict
                from jupyter_client.kernelspec import KernelSpec

                self._kernel_spec = KernelSpec(**get_kernel_dict())
            return super().kernel_spec

        def client(self, **kwargs):
            kc = super().client(**kwargs)
            self.__dict__.setdefault("newslens_clients", []).append(kc)
            return kc

    return RenderKernelManager


def stop_kernel(km) -> None:
    """Close the kernel's clients and end it at once (its notebook has run, or will not)."""
    for kc in km.__dict__.get("newslens_clients", []):
        kc.stop_channels()
    km.shutdown_kernel(now=True)


# Exports run one at a time: they are pure Python (the GIL serialises them anyway) and nbconvert's
# exporter is not documented as thread safe.
_EXPORT_LOCK = threading.Lock()


def render_one(job: Job, km=None) -> Result:
    """Execute one notebook with papermill in its kernel (`km`, started by start_kernel; started here if
    None) and export it; never raises for a notebook's own failure. Safe to run in several threads."""
    import nbformat
    import papermill as pm

    from newslens.report.htmlexport import SETUP_TAG, export_html

    logging.getLogger("papermill").setLevel(logging.ERROR)
    started = time.perf_counter()
    print(f"  ...   {job.name} running\n", end="", flush=True)  # one write: threads print at once
    out = Path(job.out)
    work = out / ".work"
    if km is None:
        km = start_kernel(job.kernel, Path(job.notebook).parent, work / f"{job.name}.kernel.log")
    source_nb = nbformat.read(job.notebook, as_version=4)
    nb = nbformat.read(job.notebook, as_version=4)
    setup = nbformat.v4.new_code_cell(SETUP_SOURCE, metadata={"tags": [SETUP_TAG]})
    nb.cells.insert(0, setup)
    executed_path = work / f"{job.name}.ipynb"
    failed_path = out / "failed" / f"{job.name}.ipynb"
    result = Result(name=job.name, ok=False)
    log_path = km.newslens_log
    try:
        # request_save_on_cell_execute=False: papermill would otherwise write (and validate) the whole
        # notebook twice per cell; it still writes it once at the end, and with the failing cell marked
        # when a cell raises. No cwd: the kernel was started in the notebook's folder. The kernel
        # answers papermill's first request only after its warm-up (the setup cell's imports), so it
        # gets as long to start as a cell gets to run.
        executed = pm.execute_notebook(
            nb, str(executed_path), parameters=job.parameters, kernel_name=job.kernel,
            progress_bar=False, log_output=False, execution_timeout=job.timeout,
            start_timeout=max(60, job.timeout), request_save_on_cell_execute=False, km=km,
        )
    except Exception as exc:  # a notebook's failure is reported, never hidden: see result.error
        stop_kernel(km)
        result.error = failing_cell(source_nb, None, exc)
        if log_path.exists() and log_path.stat().st_size:  # a dead kernel says why here
            failed_path.parent.mkdir(parents=True, exist_ok=True)
            os.replace(log_path, failed_path.with_suffix(".kernel.log"))
        log_path.unlink(missing_ok=True)
        if executed_path.exists():
            failed_path.parent.mkdir(parents=True, exist_ok=True)
            os.replace(executed_path, failed_path)
            result.files.append(str(failed_path))
        result.seconds = time.perf_counter() - started
        return result
    cost = read_startup_cost(km)
    stop_kernel(km)  # every cell has run: nothing is lost, and its memory is freed now
    log_path.unlink(missing_ok=True)
    result.kernel_cpu, result.stack_cpu = cost.get("kernel_cpu"), cost.get("stack_cpu")
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
    executed_path.unlink(missing_ok=True)
    failed_path.unlink(missing_ok=True)  # the failure it kept for debugging is fixed now
    result.ok = True
    result.seconds = time.perf_counter() - started
    return result


# --- the index page ---------------------------------------------------------------------------------------

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
    atomic_write_text(path, index_html(reports, corpus, prov, data_dirs, folder=out))
    return path


# --- the command ------------------------------------------------------------------------------------------

def choose_kernel(name: str | None) -> str:
    """The kernel asked for (which must exist), else `newslens` when installed, else THIS_PYTHON (this
    interpreter's own kernel: an installed package needs no kernel installed by hand), saying so."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    if name:
        _check_kernel(name)
        return name
    try:
        KernelSpecManager().get_kernel_spec(DEFAULT_KERNEL)
        return DEFAULT_KERNEL
    except NoSuchKernel:
        print(f"no Jupyter kernel named '{DEFAULT_KERNEL}' is installed: the notebooks run in this Python's "
              f"kernel ({sys.executable})", flush=True)
        return THIS_PYTHON


def _check_kernel(name: str) -> None:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    if name == THIS_PYTHON:
        return
    try:
        KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise NewslensError(
            f"Jupyter kernel '{name}' is not installed; run `make venv` (or `python -m ipykernel install "
            f"--sys-prefix --name {name}`), or choose one with --kernel"
        ) from None


def _notebooks(folder: str, only: list[str] | None) -> list[Path]:
    root = resolve(folder)
    if not root.is_dir():
        raise ParameterError(f"--notebooks {folder}: not a folder")
    found = sorted(p for p in root.glob("*.ipynb") if not p.name.startswith("."))
    if only:
        found = [p for p in found if any(o in p.name for o in only)]
    if not found:
        raise ParameterError(f"no notebooks to render in {root}" + (f" matching {', '.join(only)}" if only else ""))
    return found


def _load_state(out: Path) -> dict:
    try:
        return json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def run(args: argparse.Namespace) -> int:
    kernels: list = []  # started early by _render; those no job took are shut down here
    try:
        return _render(args, kernels)
    finally:
        for km in kernels:
            stop_kernel(km)
            km.newslens_log.unlink(missing_ok=True)


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


def _cpu_seconds() -> float:
    """CPU seconds of this process since it started and of its children that have ended (the kernels,
    once shut down, and git)."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def fixed_cost_summary(seconds: float, cpu: float, results: list[Result], cores: int) -> list[str]:
    """The summary lines that set the render against its fixed cost (issue 8): per notebook, starting its
    kernel (CPU seconds each kernel measured of itself) and importing the stack (CPU seconds measured
    once, in one kernel), spread over the cores used. [] when the kernels measured nothing."""
    from newslens.report.notebook import STACK

    kernel = [r.kernel_cpu for r in results if r.kernel_cpu is not None]
    stack = next((r.stack_cpu for r in results if r.stack_cpu is not None), None)
    if not kernel or stack is None:
        return []
    fixed = sum(kernel) + stack * len(kernel)
    spread = fixed / max(cores, 1)
    return [
        f"  render {seconds:.1f} s = {seconds / spread:.2f} x the fixed cost (bound 1.5x): "
        f"{len(kernel)} notebook(s) x (kernel start {sum(kernel) / len(kernel):.1f} + import "
        f"{', '.join(STACK)} {stack:.1f} CPU-s) = {fixed:.1f} CPU-s over {cores} core(s) = {spread:.1f} s",
        f"  CPU: {cpu:.1f} s in this process and its kernels = {cpu / fixed:.2f} x the fixed cost's "
        f"{fixed:.1f} CPU-s (the same ratio, unaffected by other load on the machine)",
    ]


def _render(args: argparse.Namespace, kernels: list) -> int:
    from newslens.corpus.loader import load_corpus
    from newslens.pipeline.run import analyze
    from newslens.report.provenance import provenance

    wall = time.perf_counter()
    # Kernel clients and nbconvert log through traitlets; their warnings (e.g. a figure without alt
    # text) stayed in the worker processes of earlier versions and are not for the user's terminal.
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    config = load_config(args.config)
    corpus_arg = args.corpus or config.get("corpus") or str(DEFAULT_CORPUS)
    sets = parameter_sets(config, parse_param_pairs(args.param))
    notebooks = _notebooks(args.notebooks, args.only)
    args.kernel = choose_kernel(args.kernel)
    out = Path(args.out).expanduser().resolve()
    out.mkdir(parents=True, exist_ok=True)
    n_jobs = args.jobs or DEFAULT_MAX_JOBS
    if n_jobs < 1:
        raise ParameterError(f"--jobs {args.jobs}: must be at least 1")
    # Kernels first (one per notebook, up to --jobs): each boots on a free core while this process
    # loads the corpus, plans and analyzes. They all run in the notebooks' folder.
    # The first kernel also times importing the stack, for the summary.
    for i in range(min(n_jobs, len(notebooks))):
        kernels.append(start_kernel(args.kernel, notebooks[0].parent, out / ".work" / f"kernel-{i}.log",
                                    measure_stack=i == 0))

    corpus = load_corpus(corpus_arg, progress=False)
    corpus_path = Path(corpus.manifest)
    prov = provenance(corpus)
    footer = (f"newslens report · corpus {corpus_path.name} ({len(corpus.documents)} documents) · "
              f"rendered {prov['rendered_at']}" + (f" · commit {prov['git_commit'][:12]}" if prov["git_commit"] else ""))
    jobs = plan_jobs(notebooks, sets, corpus_path, args, footer)
    n_jobs = min(n_jobs, len(jobs))
    print(f"rendering {len(jobs)} report(s) from {len(notebooks)} notebook(s) of {corpus_path} "
          f"into {out} with {n_jobs} kernel(s) at once", flush=True)

    results: dict[str, Result] = {}
    # The analysis tables are computed here while the kernels start, and before any thread runs
    # (a large corpus forks worker processes, which must not happen in a process with threads).
    data_dirs, data_error = [], ""
    for s in sets:
        data_dir = out / "data" / s.name if len(sets) > 1 else out / "data"
        params = {k: v for k, v in s.parameters.items() if k != "corpus"}
        try:
            analyze(corpus, out=data_dir, params=params)
        except Exception as exc:  # reported and makes the run fail; the notebooks still render
            first = (str(exc).strip().splitlines() or [""])[0][:200]
            data_error = f"analysis tables for {data_dir}: {type(exc).__name__}: {first}"
            print(f"  tables    FAILED  {data_error}", flush=True)
            break
        data_dirs.append(str(data_dir.relative_to(out)))
    if not data_error:
        print(f"  tables    written to {', '.join(data_dirs)}/", flush=True)

    def run_job(job: Job) -> Result:
        with kernels_lock:
            km = kernels.pop(0) if kernels else None
        return render_one(job, km)

    kernels_lock = threading.Lock()
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
                print(f"  {tag} {job.name:<40} ok      {result.seconds:5.1f} s  {result.charts} chart(s)"
                      f"  {page_size_note(out / f'{job.name}.html')}", flush=True)
            else:
                print(f"  {tag} {job.name:<40} FAILED  {result.seconds:5.1f} s  {result.error}",
                      flush=True)

    work = out / ".work"
    if work.is_dir() and not any(work.iterdir()):
        work.rmdir()
    state = _load_state(out)
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
            entry.update(status="ok", rendered_at=prov["rendered_at"], charts=result.charts)
        else:
            last_good = previous if previous and (out / previous["html"]).exists() else None
            entry.update(status="failed", error=result.error, failed_at=prov["rendered_at"],
                         last_good=last_good.get("rendered_at") if last_good else None,
                         failed_notebook=f"failed/{job.name}.ipynb")
        reports.append(entry)
        state[job.name] = entry if result.ok else (previous or entry)
    summary = corpus_summary(corpus.documents)
    from newslens.report.provenance import publishable

    atomic_write_text(out / "provenance.json", json.dumps(  # no absolute local paths (issue 23, item 22)
        publishable({**prov, "corpus": summary, "reports": reports}), indent=2, ensure_ascii=False, default=str))
    atomic_write_text(out / STATE_FILE, json.dumps(state, indent=2, ensure_ascii=False, default=str))
    index = write_index(out, reports, summary, prov, data_dirs)

    ok = [r for r in results.values() if r.ok]
    failed = [r for r in results.values() if not r.ok]
    seconds = time.perf_counter() - wall
    print(f"rendered {len(ok)} of {len(jobs)} report(s) in {seconds:.1f} s (index: {index})")
    # Against the fixed cost: the whole command, from the interpreter's start (CLI imports included).
    for line in fixed_cost_summary(seconds_since_start(), _cpu_seconds(), ok, min(os.cpu_count() or 1, n_jobs)):
        print(line)
    for r in failed:
        print(f"newslens: error: {r.name}: {r.error} (executed notebook kept in "
              f"{out / 'failed' / (r.name + '.ipynb')}; last good report left in place)", file=sys.stderr)
    if data_error:
        print(f"newslens: error: {data_error}", file=sys.stderr)
    return 1 if failed or data_error else 0
