"""The built wheel, installed into a new virtual environment outside the project, works from an empty
folder: `newslens analyze`, `render` and `init-manifest` on a copied corpus, with the curated data and
notebooks read from the package, the cache in the user's cache folder, nothing written into the package.

How the environment is made, and why: `python -m venv --without-pip` outside the project, the wheel
installed into it with `pip --python VENV/bin/python install --no-deps --no-index WHEEL`, and its
dependencies made importable by a `.pth` file naming the site-packages of the interpreter running the
tests (the project's own venv, which holds requirements.txt's pins), and nbconvert's templates linked
into its share/jupyter (pip puts them there when it installs nbconvert). A `.pth` line only adds a folder to
sys.path: the .pth files inside that folder (the editable install's finder that points at the checkout)
are not run, so `newslens` can only come from the wheel; PYTHONPATH is dropped for the same reason. This
takes seconds and needs no network, where installing the dependencies from the index takes minutes;
what it does not check (that the index resolves requirements.txt) pip checks at every `make`.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from newslens.core.paths import CHECKOUT, DATA_DIR, SEEDS_DIR

pytestmark = pytest.mark.slow

SKIP = shutil.ignore_patterns(".git", ".venv", ".cache", "reports", "build", "dist", "*.egg-info",
                              "__pycache__", ".pytest_cache", "*.pyc")


def _run(cmd, cwd, env, timeout=900) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, f"{cmd}\nstdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv folder, environment for its commands, the wheel)."""
    if CHECKOUT is None:
        pytest.skip("builds the wheel from a checkout")
    base = tmp_path_factory.mktemp("install")
    src = base / "src"
    shutil.copytree(CHECKOUT, src, ignore=SKIP)  # the working tree as it is, outside the project
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "JUPYTER_PATH", "NEWSLENS_CACHE_DIR")}
    _run([sys.executable, "-m", "pip", "wheel", src, "--no-deps", "--no-build-isolation", "--no-index",
          "-q", "-w", base / "wheels"], base, env)
    wheel = next((base / "wheels").glob("newslens-*.whl"))
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], base, env)
    site = next((venv / "lib").glob("python3*/site-packages"))
    (site / "_newslens_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    # nbconvert's templates are data files (PREFIX/share/jupyter/nbconvert), which pip would have put
    # into the new environment along with nbconvert: link them there (and nothing else: no kernels).
    templates = Path(sys.prefix) / "share" / "jupyter" / "nbconvert"
    (venv / "share" / "jupyter").mkdir(parents=True)
    (venv / "share" / "jupyter" / "nbconvert").symlink_to(templates, target_is_directory=True)
    _run([sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "--no-deps",
          "--no-index", "-q", wheel], base, env)
    home = base / "home"
    home.mkdir()
    env.update(HOME=str(home), XDG_CACHE_HOME=str(base / "xdg-cache"), MPLCONFIGDIR=str(home / "mpl"),
               PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}")
    return venv, env, wheel


def _copied_corpus(folder: Path) -> Path:
    """The seed corpus in a folder of its own: the texts and a manifest naming them."""
    folder.mkdir()
    manifest = pd.read_csv(DATA_DIR / "corpus.csv", dtype=str, keep_default_na=False)
    for p in manifest["path"]:
        shutil.copy(SEEDS_DIR / Path(p).name, folder / Path(p).name)
    manifest["path"] = [Path(p).name for p in manifest["path"]]
    manifest.to_csv(folder / "corpus.csv", index=False)
    return folder


def _package_files(venv: Path) -> set[str]:
    package = next((venv / "lib").glob("python3*/site-packages/newslens"))
    return {str(p.relative_to(package)) for p in package.rglob("*") if "__pycache__" not in p.parts}


def test_the_wheel_carries_data_notebooks_and_metadata(installed):
    _, _, wheel = installed
    names = zipfile.ZipFile(wheel).namelist()
    for expected in ("newslens/_resources/data/boilerplate_patterns.csv", "newslens/_resources/data/corpus.csv",
                     "newslens/_resources/notebooks/01_corpus_overview.ipynb",
                     "newslens/_resources/seeds/000_92c49ae44dc71b1c.txt",
                     "newslens/_resources/data/frames_codebook.csv", "newslens/report/templates/"):
        assert any(n.startswith(expected) for n in names), expected
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("/METADATA"))).decode()
    requires = [line.split(": ", 1)[1] for line in metadata.splitlines() if line.startswith("Requires-Dist: ")]
    pinned = [line.strip() for line in (CHECKOUT / "requirements.txt").read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")]
    assert [r for r in requires if "extra ==" not in r] == pinned
    assert any(r.startswith("distributed==") and 'extra == "dask"' in r for r in requires)
    assert "License-Expression: MIT" in metadata


def test_installed_newslens_analyzes_renders_and_drafts_from_an_empty_folder(installed, tmp_path):
    venv, env, _ = installed
    before = _package_files(venv)
    work = tmp_path / "empty"
    work.mkdir()
    corpus = _copied_corpus(tmp_path / "my corpus")
    newslens = venv / "bin" / "newslens"

    version = _run([newslens, "--version"], work, env)
    where = _run([venv / "bin" / "python", "-c",
                  "import newslens.core.paths as p, newslens; print(p.IN_CHECKOUT, p.DATA_DIR, newslens.__file__)"],
                 work, env).stdout.split()
    assert version.stdout.startswith("newslens ") and where[0] == "False"
    assert str(venv) in where[1] and str(venv) in where[2]

    # analyze with the default --out (reports/data under the current folder); the default path imports
    # no test-only library (scikit-learn) and no extra's (Dask, the importers')
    probe = ("import sys; from newslens.commands.cli import main; code = main(['analyze', sys.argv[1]]); "
             "print('IMPORTED', [m for m in ('sklearn', 'dask', 'distributed', 'trafilatura', 'warcio', 'ftfy') "
             "if m in sys.modules]); sys.exit(code)")
    out = _run([venv / "bin" / "python", "-c", probe, corpus], work, env).stdout
    assert "IMPORTED []" in out
    data = work / "reports" / "data"
    assert (data / "documents.csv").is_file() and (data / "sentences.parquet").is_file()
    assert (data / "README.md").read_text(encoding="utf-8").startswith("# newslens data dictionary")
    cache = Path(env["XDG_CACHE_HOME"]) / "newslens" / "analyze"
    assert cache.is_dir() and any(cache.rglob("*"))

    # render: no `newslens` kernel is installed anywhere this environment looks, so this Python's own
    rendered = _run([newslens, "render", corpus, "--out", "site"], work, env)
    assert "no Jupyter kernel named 'newslens' is installed" in rendered.stdout
    site = work / "site"
    pages = sorted(p.name for p in site.glob("0*.html"))
    assert len(pages) == len(list((CHECKOUT / "notebooks").glob("*.ipynb"))), rendered.stdout
    assert (site / "index.html").is_file() and not (site / "failed").exists()
    prov = json.loads((site / "provenance.json").read_text(encoding="utf-8"))
    assert prov["git_commit"] is None

    # init-manifest on a folder of texts with no manifest
    texts = tmp_path / "texts"
    texts.mkdir()
    for p in sorted(corpus.glob("*.txt"))[:2]:
        shutil.copy(p, texts / p.name)
    _run([newslens, "init-manifest", texts], work, env)
    assert len(pd.read_csv(texts / "corpus.csv")) == 2

    # tables read back alike from both formats, with the installed package's reader
    check = ("import sys, pandas as pd, newslens; a = newslens.read_tables(sys.argv[1], 'csv'); "
             "b = newslens.read_tables(sys.argv[1], 'parquet'); assert sorted(a) == sorted(b) and len(a) > 10; "
             "[pd.testing.assert_frame_equal(a[n], b[n]) for n in a]; "
             "assert str(a['documents']['published'].dtype) == 'datetime64[s]'; print('OK', len(a))")
    assert _run([venv / "bin" / "python", "-c", check, data], work, env).stdout.startswith("OK")

    assert _package_files(venv) == before  # nothing was written into the installed package
