"""The package as a research tool: one version, its citation and changelog, where things live installed
or in a checkout, what the requirements hold, the data dictionary, the Dask extra and the render kernel."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import newslens
from newslens.core import paths, schema
from newslens.core.errors import ParameterError
from newslens.pipeline.datadict import dictionary_markdown
from newslens.pipeline.formats import load_declarations

ROOT = paths.PROJECT_ROOT


def test_one_version_everywhere(capsys):
    from newslens.commands.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"newslens {newslens.__version__}"
    citation = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(r"^version: (\S+)$", citation, re.M).group(1) == newslens.__version__
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(r"^## (\S+)", changelog, re.M).group(1) == newslens.__version__
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'version = { attr = "newslens.core.version.VERSION" }' in pyproject
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")


def test_in_a_checkout_paths_are_the_checkouts_folders():
    assert paths.IN_CHECKOUT and paths.CHECKOUT == Path(__file__).resolve().parents[2]
    assert paths.DATA_DIR == paths.CHECKOUT / "data"
    assert paths.cache_dir("analyze") == paths.CHECKOUT / ".cache" / "analyze"
    for name in paths.RESOURCE_DIRS:  # what a build copies into the wheel exists here
        assert (paths.CHECKOUT / name).is_dir(), name


def test_user_cache_dir_follows_xdg(monkeypatch, tmp_path):
    if sys.platform in ("win32", "darwin"):
        pytest.skip("XDG_CACHE_HOME is the Linux rule")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert paths.user_cache_dir() == tmp_path / "newslens"


def test_notebooks_read_only_packaged_relative_files():
    """Every project-relative file a notebook names (data/..., tests/..., seeds/...) travels in the wheel."""
    named = set()
    for nb in sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")):
        # a quoted path in a cell's source (JSON-escaped quotes): a file the code reads
        text = nb.read_text(encoding="utf-8")
        named |= set(re.findall(r'\\"((?:data|tests|seeds)/[\w./-]+\.(?:csv|txt))\\"', text))
    assert named
    for rel in named:
        assert any(rel.startswith(d + "/") for d in paths.RESOURCE_DIRS), rel
        assert (paths.CHECKOUT / rel).is_file(), rel


def _requirement_names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"([A-Za-z0-9_.\-]+)", line.strip())
        if m and not line.startswith(("#", "-")):
            names.add(_normal(m.group(1)))
    return names


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _closure(names: set[str]) -> set[str]:
    """The distributions `names` need, with what they need in turn (installed ones; extras a
    requirement asks for, like bleach[css], included)."""
    from importlib import metadata

    from packaging.requirements import Requirement

    seen, todo = set(), [(n, frozenset()) for n in names]
    while todo:
        name, extras = todo.pop()
        key = (name, extras)
        if key in seen:
            continue
        seen.add(key)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for text in requires:
            req = Requirement(text)
            env = [{"extra": e} for e in extras] or [{"extra": ""}]
            if req.marker is None or any(req.marker.evaluate(e) for e in env):
                todo.append((_normal(req.name), frozenset(req.extras)))
    return {n for n, _ in seen}


def _imported_top_levels() -> set[str]:
    imported = set()
    for path in (ROOT / "lib" / "newslens").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                imported.add(node.module.split(".")[0])
    return imported - set(sys.stdlib_module_names) - {"newslens", "__future__"}


def test_requirements_hold_what_the_package_imports_and_no_more():
    """requirements.txt (runtime) and each requirements-NAME.txt (an extra) cover every library the
    package imports; scikit-learn and Dask are not runtime requirements."""
    from importlib import metadata

    runtime = _requirement_names(ROOT / "requirements.txt")
    assert "scikit-learn" not in runtime and "dask" not in runtime and "pyarrow" in runtime
    assert {"dask", "distributed"} <= _requirement_names(ROOT / "requirements-dask.txt")
    dev = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")
    assert "-r requirements-dask.txt" in dev and "scikit-learn==" in dev  # make test installs them
    extras = {p.stem.split("-", 1)[1]: _requirement_names(p) for p in ROOT.glob("requirements-*.txt")
              if p.stem != "requirements-dev"}
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for extra in extras:
        assert f'{extra} = {{ file = ["requirements-{extra}.txt"] }}' in pyproject, extra
    allowed = _closure(runtime).union(*(_closure(names) for names in extras.values()))
    providers = metadata.packages_distributions()
    imported = _imported_top_levels()
    assert "sklearn" not in imported
    unexplained = {m for m in imported if not {_normal(d) for d in providers.get(m, [])} & allowed}
    assert unexplained == set(), "imported but in no requirements file: " + ", ".join(sorted(unexplained))


def test_dask_missing_is_one_clear_line(monkeypatch):
    import importlib.util

    from newslens.core.engines import make_engine

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "distributed" else real(name, *a))
    with pytest.raises(ParameterError, match=r"--engine dask needs distributed.*newslens\[dask\]"):
        make_engine("dask")


def test_render_runs_in_this_pythons_kernel_when_no_newslens_kernel(monkeypatch, tmp_path, capsys):
    from newslens.commands import render

    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))   # no kernel anywhere but the defaults ...
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path))
    from jupyter_client import kernelspec

    monkeypatch.setattr(kernelspec, "jupyter_path", lambda *parts: [str(tmp_path / "kernels")])
    assert render.choose_kernel(None) == render.THIS_PYTHON
    assert sys.executable in capsys.readouterr().out
    km = render._kernel_manager_class()(kernel_name=render.THIS_PYTHON)
    assert km.kernel_spec.argv[0] == sys.executable
    with pytest.raises(Exception, match="not installed"):
        render.choose_kernel("no-such-kernel")


def test_every_column_of_a_seed_run_is_declared(tmp_path):
    from newslens.pipeline.run import analyze

    load_declarations()
    tables = analyze(paths.DEFAULT_CORPUS, cache=False, progress=False)
    frames = {n: v for n, v in tables.items() if isinstance(v, pd.DataFrame)}
    assert set(frames) <= set(schema.declared_tables())
    for name, df in frames.items():
        declared = schema.columns(name)
        assert list(declared) == list(df.columns), name  # same columns, same order
        for col in declared.values():
            kind = df[col.name].dtype.kind
            expected = {"text": "OUT", "int": "iu", "float": "f", "bool": "b", "date": "MOUT"}[col.type]
            assert kind in expected, f"{name}.{col.name}: declared {col.type}, made {df[col.name].dtype}"


def test_data_dictionary_in_docs_is_current():
    committed = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == dictionary_markdown(heading_level=1), (
        "docs/data-dictionary.md is out of date: python -m newslens.pipeline.datadict docs/data-dictionary.md")


@pytest.fixture
def own_registry(monkeypatch):
    """Declarations made by a test stay in the test."""
    load_declarations()
    monkeypatch.setattr(schema, "_TABLES", dict(schema._TABLES))
    monkeypatch.setattr(schema, "_ABOUT", dict(schema._ABOUT))


def test_declare_checks_its_lines(own_registry):
    with pytest.raises(ValueError, match="needs a type"):
        schema.declare("t_check", "", "mystery")
    with pytest.raises(ValueError, match="type 'number'"):
        schema.declare("t_check", "", "x number a count")
    assert "t_check" not in schema.declared_tables()


def test_make_lab_starts_as_root_and_prints_the_address():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nlab:", 1)[1].split("\n\n", 1)[0]
    assert '"$$(id -u)" = 0' in recipe and "--allow-root" in recipe
    assert "--no-browser" in recipe and "--ip 127.0.0.1" in recipe and "open http://127.0.0.1:" in recipe
    out = subprocess.run(["bash", "-n", "-c", recipe.split("\n", 2)[2].replace("$$", "$").replace("\\\n", " ")
                          .replace("\t", "").replace("@token", "token")], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_declarations_inside_an_analysis_package_are_found(tmp_path, monkeypatch, own_registry):
    """An analysis split into a package keeps its declarations beside it (PACKAGE/columns.py); its
    other modules are not imported to find them."""
    import newslens.analyses

    package = tmp_path / "fake_analysis"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "heavy.py").write_text("raise RuntimeError('not imported to find declarations')\n")
    (package / "columns.py").write_text(
        "from newslens.core.schema import declare\n"
        "declare('fake_table', 'one row per invented thing', '''\n    doc_id\n    weight float how heavy\n''')\n")
    monkeypatch.setattr(newslens.analyses, "__path__", [*newslens.analyses.__path__, str(tmp_path)])
    load_declarations()
    assert schema.types("fake_table") == {"doc_id": "text", "weight": "float"}
    assert schema.about("fake_table") == "one row per invented thing"


def test_a_package_installed_into_another_projects_lib_is_not_a_checkout(tmp_path, monkeypatch):
    """`pip install --target lib newslens` inside someone's project (pyproject.toml, data/): newslens
    still reads its own packaged data, not the project's."""
    project = tmp_path / "their_project"
    (project / "lib" / "newslens").mkdir(parents=True)
    (project / "data").mkdir()
    (project / "pyproject.toml").write_text('[project]\nname = "their-tool"\n', encoding="utf-8")
    monkeypatch.setattr(paths, "PACKAGE_DIR", project / "lib" / "newslens")
    assert paths._checkout_root() is None
    (project / "pyproject.toml").write_text('[project]\nname = "newslens"\n', encoding="utf-8")
    assert paths._checkout_root() == project


def test_import_extra_missing_is_one_clear_line(monkeypatch, capsys, tmp_path):
    import importlib.util

    from newslens.commands.cli import main

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "trafilatura" else real(name, *a))
    assert main(["import", str(tmp_path), "--out", str(tmp_path / "corpus")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["newslens: error: newslens import needs trafilatura, which is not installed: "
                   "pip install 'newslens[import]'"]
