"""Planning a render: the notebooks, the parameter sets of a config, and one job per report.

Part of `python -m newslens render` (see newslens.commands.render for the command as a whole).
"""
from __future__ import annotations

import json
import logging
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from newslens.core.errors import NewslensError, ParameterError
from newslens.core.paths import resolve

DEFAULT_KERNEL = "newslens"
# A set name becomes part of file names: letters, digits, '-', '_', '.' and nothing else (fullmatch:
# `$` would also match before a trailing newline, letting "x\n" through).
SET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


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
        if not SET_NAME.fullmatch(name):
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
            # The corpus rendered is the one analysed (check_corpus_parameter refused any other).
            params = {**s.parameters, "corpus": str(corpus_path)}
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


def check_corpus_parameter(sets: list[ParamSet], manifest: Path) -> None:
    """Refuse a `corpus` parameter (-p corpus X, or `corpus:` in a set's parameters) that names another
    corpus than the one rendered: the notebooks would describe X while the tables, the index and the
    provenance describe the CORPUS argument. The same corpus under another spelling is accepted."""
    from newslens.corpus.manifest import find_manifest

    for s in sets:
        value = s.parameters.get("corpus")
        if value is None:
            continue
        label = f" (set '{s.name}')" if s.name else ""
        try:
            same = find_manifest(str(value)).resolve() == Path(manifest).resolve()
        except NewslensError:
            same = False
        if not same:
            raise ParameterError(
                f"parameter corpus '{value}'{label} is not the corpus rendered ({manifest}); one render "
                "is one corpus: give it as the CORPUS argument (or the config's top-level corpus:)")


def find_notebooks(folder: str, only: list[str] | None) -> list[Path]:
    root = resolve(folder)
    if not root.is_dir():
        raise ParameterError(f"--notebooks {folder}: not a folder")
    found = sorted(p for p in root.glob("*.ipynb") if not p.name.startswith("."))
    if only:
        found = [p for p in found if any(o in p.name for o in only)]
    if not found:
        raise ParameterError(f"no notebooks to render in {root}" + (f" matching {', '.join(only)}" if only else ""))
    return found

