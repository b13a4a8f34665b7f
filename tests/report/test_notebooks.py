"""Every notebook in notebooks/: committed clean (no outputs), with a kernelspec, a title, a tagged
parameters cell papermill can read, and running end to end on the seeds (papermill, small parameters).
"""
from __future__ import annotations

import ast

import nbformat
import papermill as pm
import pytest

from newslens.core.paths import NOTEBOOKS_DIR, PROJECT_ROOT
from newslens.commands.render import parameters_cell_names

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
# Small parameter values (fewer resamples) where a notebook declares them; others run with defaults.
SMALL = {"n_boot": 200, "n_perm": 200, "n_resamples": 200, "max_removed_rows": 20}
OTHER_CORPUS = PROJECT_ROOT / "tests" / "fixtures" / "other_corpus"


def _read(path):
    return nbformat.read(str(path), as_version=4)


def test_there_are_notebooks():
    assert any(p.name.startswith("01_corpus_overview") for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    nb = _read(path)
    dirty = [i for i, c in enumerate(nb.cells, start=1)
             if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs; clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_kernelspec_title_and_parameters_cell(path):
    nb = _read(path)
    assert nb.metadata.get("kernelspec", {}).get("name") == "newslens", f"{path.name}: kernelspec"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.lstrip().startswith("# "), \
        f"{path.name}: the first cell is a Markdown title"
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: exactly one cell tagged 'parameters'"
    # Literal assignments only: nothing derived, no logic.
    for node in ast.parse(tagged[0].source).body:
        assert isinstance(node, (ast.Assign, ast.AnnAssign)), f"{path.name}: {ast.dump(node)[:60]}"
        value = node.value
        ast.literal_eval(value)  # raises if a parameter is computed


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_papermill_documents_every_parameter(path):
    """`papermill --help-notebook` lists every parameter (its parser skips a line with a second '=',
    e.g. in the comment) and each has a type annotation and a help comment."""
    found = pm.inspect_notebook(str(path))
    names = parameters_cell_names(_read(path))
    missing = [n for n in names if n not in found]
    assert not missing, f"{path.name}: papermill cannot read {missing} (no '=' in parameter comments)"
    for name, p in found.items():
        assert p["inferred_type_name"] != "None", f"{path.name}: {name} has no type annotation"
        assert p["help"], f"{path.name}: {name} has no help comment"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_are_thin(path):
    """One cell opens the report (imports, setup, one open_report call); every other code cell is one
    statement: a call whose result is displayed, or one assignment. No computed prose in the notebook
    (no f-string), no reading of tests/ (method cards read data/evaluation.json)."""
    nb = _read(path)
    code = [c for c in nb.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]
    opening = ast.parse(code[0].source).body
    assert [n for n in opening if not isinstance(n, (ast.Import, ast.ImportFrom))][-1].value.func.id == "open_report"
    for cell in code[1:]:
        body = ast.parse(cell.source).body
        assert len(body) == 1, f"{path.name}: a cell holds {len(body)} statements:\n{cell.source}"
        assert isinstance(body[0], (ast.Expr, ast.Assign)) and isinstance(body[0].value, ast.Call), cell.source
        assert not any(isinstance(n, ast.JoinedStr) for n in ast.walk(body[0])), cell.source
    text = "".join(c.source for c in nb.cells)
    assert "tests/" not in text and "tests\\" not in text, f"{path.name} reads tests/"


def _run(path, tmp_path, corpus):
    declared = set(parameters_cell_names(_read(path)))
    params = {"corpus": str(corpus), **{k: v for k, v in SMALL.items() if k in declared}}
    params = {k: v for k, v in params.items() if k in declared}
    out = tmp_path / path.name
    pm.execute_notebook(str(path), str(out), parameters=params, kernel_name="newslens",
                        progress_bar=False, cwd=str(path.parent))
    return _read(out)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_end_to_end_on_the_seeds(path, tmp_path):
    nb = _run(path, tmp_path, PROJECT_ROOT / "data" / "corpus.csv")
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    shown = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
             if o.output_type in ("display_data", "execute_result")]
    assert shown, f"{path.name} displayed nothing"


@pytest.mark.slow
def test_corpus_overview_runs_on_another_corpus(tmp_path):
    path = NOTEBOOKS_DIR / "01_corpus_overview.ipynb"
    nb = _run(path, tmp_path, OTHER_CORPUS)
    text = "".join(str(o.get("data", {}).get("text/markdown", "")) for c in nb.cells
                   if c.cell_type == "code" for o in c.outputs)
    # The overview states this corpus's own counts (5 invented articles, 3 outlets, March 2021).
    assert "**5** documents from **3** outlets" in text
    assert "2021-03-02" in text


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_end_to_end_on_a_corpus_nobody_tuned_for(path, tmp_path):
    """The same notebook, unchanged, on invented articles from other outlets: no error, and its prose
    names this corpus's outlets (findings are computed, not typed in)."""
    import pandas as pd

    outlets = set(pd.read_csv(OTHER_CORPUS / "corpus.csv")["outlet"])
    nb = _run(path, tmp_path, OTHER_CORPUS)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    shown = " ".join(str(o.get("data", {})) for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert any(outlet in shown for outlet in outlets), f"{path.name} never names an outlet of this corpus"
    assert "World Socialist Web Site" not in shown and "Deutsche Welle" not in shown
