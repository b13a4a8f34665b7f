"""render's guards (issue 23): one corpus per render (item 6), set names checked whole (item 19), a
full disk is one line and leaves no working files (item 13), a kernel killed by a port clash at
start-up is started again (item 20)."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import types
from pathlib import Path

import nbformat
import pytest

from newslens.commands import render, render_kernel
from newslens.commands.render_index import report_entries
from newslens.core.errors import ParameterError
from newslens.core.paths import DEFAULT_CORPUS, PROJECT_ROOT

OTHER = PROJECT_ROOT / "tests" / "fixtures" / "other_corpus"
ENV = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT / "lib"), "NEWSLENS_CACHE": "0"}


def cli(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newslens", *args], capture_output=True, text=True,
                          timeout=timeout, env=ENV)


def tiny_notebook(folder: Path, source: str = "answer = 6 * 7\nprint(answer)") -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "newslens", "display_name": "Python 3 (newslens)", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Tiny\n\nWhat a tiny notebook answers."),
                nbformat.v4.new_code_cell('corpus: str = "data/corpus.csv"  # manifest',
                                          metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(source)]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "tiny.ipynb"
    nbformat.write(nb, str(path))
    return path


# --- item 6 --------------------------------------------------------------------------------------------

def test_a_corpus_parameter_naming_another_corpus_is_refused():
    sets = render.parameter_sets({}, {"corpus": str(OTHER)})
    with pytest.raises(ParameterError, match=r"parameter corpus '.*other_corpus' is not the corpus rendered"):
        render.check_corpus_parameter(sets, DEFAULT_CORPUS)
    config = {"sets": [{"name": "a", "parameters": {"corpus": str(OTHER)}}, {"name": "b", "parameters": {}}]}
    with pytest.raises(ParameterError, match=r"\(set 'a'\) is not the corpus rendered"):
        render.check_corpus_parameter(render.parameter_sets(config, {}), DEFAULT_CORPUS)
    # the same corpus, spelt as its folder: accepted, and the notebooks get the corpus rendered
    render.check_corpus_parameter(render.parameter_sets({}, {"corpus": str(OTHER)}), OTHER / "corpus.csv")


def test_the_notebooks_always_get_the_corpus_rendered(tmp_path):
    nb = tiny_notebook(tmp_path)
    sets = render.parameter_sets({}, {"corpus": "elsewhere/corpus.csv"})
    args = types.SimpleNamespace(out=str(tmp_path), with_code=False, kernel="newslens", timeout=60)
    jobs = render.plan_jobs([nb], sets, Path("/c/corpus.csv"), args, "f")
    assert jobs[0].parameters == {"corpus": "/c/corpus.csv"}


def test_cli_render_with_another_corpus_parameter_is_one_line_before_anything_starts(tmp_path):
    out = tmp_path / "reports"
    result = cli("render", str(DEFAULT_CORPUS), "-p", "corpus", str(OTHER), "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "is not the corpus rendered" in result.stderr
    assert not out.exists()


# --- item 19 -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["x\n", "wsws-vs-dw\n", "a\r", "ok\n\n"])
def test_a_set_name_with_a_trailing_line_break_is_refused(name):
    config = {"sets": [{"name": name, "parameters": {}}]}
    with pytest.raises(ParameterError, match="may use only letters"):
        render.parameter_sets(config, {})


def test_good_set_names_still_pass():
    config = {"sets": [{"name": "wsws-vs-dw", "parameters": {}}, {"name": "f24.v2_b", "parameters": {}}]}
    assert [s.name for s in render.parameter_sets(config, {})] == ["wsws-vs-dw", "f24.v2_b"]


# --- item 13 -------------------------------------------------------------------------------------------

# A full disk, as write() reports it (no file name): every newslens write through core.atomic fails.
FULL_DISK = """
import errno, os, sys
real_chmod = os.chmod
def chmod(path, mode, *a, **k):
    if str(path).endswith(".tmp"):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return real_chmod(path, mode, *a, **k)
os.chmod = chmod
from newslens.commands.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_full_disk_is_one_line_naming_the_file_not_a_traceback(tmp_path):
    result = subprocess.run([sys.executable, "-c", FULL_DISK, "analyze", str(OTHER), "--out",
                             str(tmp_path / "out")], capture_output=True, text=True, timeout=300, env=ENV)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert f"{tmp_path / 'out'}/" in result.stderr and "No space left on device" in result.stderr
    out = tmp_path / "out"
    assert not out.exists() or not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_a_failure_without_its_notebook_does_not_point_at_one(tmp_path):
    job = types.SimpleNamespace(name="tiny", notebook="tiny.ipynb", title="T", question="q",
                                parameters={}, sets=[""], with_code=False)
    failed = render.Result(name="tiny", ok=False, error="cannot write x: No space left on device")
    reports, _ = report_entries([job], {"tiny": failed}, tmp_path, "now")
    assert reports[0]["status"] == "failed" and reports[0]["failed_notebook"] is None
    failed.kept = str(tmp_path / "failed" / "tiny.ipynb")
    reports, _ = report_entries([job], {"tiny": failed}, tmp_path, "now")
    assert reports[0]["failed_notebook"] == "failed/tiny.ipynb"


def _tiny_tmpfs(path: Path, size: str) -> bool:
    path.mkdir()
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True).returncode == 0


@pytest.mark.slow
def test_render_onto_a_full_disk_leaves_no_working_files_and_names_no_missing_notebook(tmp_path):
    disk = tmp_path / "disk"
    if not _tiny_tmpfs(disk, "64k"):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        nb = tiny_notebook(tmp_path / "nbs", "print('x' * 200_000)")  # an output bigger than the disk
        result = cli("render", str(OTHER), "--out", str(disk / "r"), "--notebooks", str(nb.parent),
                     timeout=600)
        assert result.returncode in (1, 2) and "Traceback" not in result.stderr
        assert "No space left on device" in result.stdout + result.stderr
        assert not (disk / "r" / ".work").exists()
        assert not (disk / "r" / "failed" / "tiny.ipynb").exists()
        assert "kept in" not in result.stderr
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


# --- item 20 -------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_kernel_killed_by_a_port_clash_is_started_again(tmp_path, monkeypatch, capsys):
    """The first kernel is given a port another socket holds (what a race with another process on the
    machine does): it dies at start-up with ZMQError: Address already in use; render starts another."""
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    real = render_kernel._kernel_manager_class()
    made = []

    class Clashing(real):
        def __init__(self, **kw):
            super().__init__(**kw)
            made.append(self)
            if len(made) == 1:
                self.ip = "127.0.0.1"
                self.cache_ports = False  # else the provisioner picks fresh ports itself
                self.shell_port = taken.getsockname()[1]

    monkeypatch.setattr(render_kernel, "_kernel_manager_class", lambda: Clashing)
    nb = tiny_notebook(tmp_path / "nbs")
    job = render.Job(notebook=str(nb), name="tiny", parameters={"corpus": str(OTHER)}, sets=[""],
                     title="Tiny", question="", out=str(tmp_path / "out"), with_code=False,
                     kernel="newslens", timeout=120, footer="f")
    try:
        result = render.render_one(job)
    finally:
        taken.close()
    assert len(made) == 2, f"no second kernel was started ({result.error})"
    assert result.ok, result.error
    assert "42" in (tmp_path / "out" / "tiny.html").read_text(encoding="utf-8")
    assert "could not bind a port" in capsys.readouterr().out
    assert not (tmp_path / "out" / ".work").exists() or not any((tmp_path / "out" / ".work").iterdir())


def test_the_index_of_a_failure_without_its_notebook_names_none():
    from newslens.report.indexpage import _report

    report = {"name": "tiny", "notebook": "tiny.ipynb", "title": "Tiny", "question": "q", "parameters": {},
              "sets": [""], "html": "tiny.html", "code_html": None, "status": "failed",
              "error": "cannot write x: No space left on device", "failed_at": "now", "last_good": None,
              "failed_notebook": None}
    block = _report(report)
    assert "No space left on device" in block and "Executed notebook for debugging" not in block
    block = _report({**report, "failed_notebook": "failed/tiny.ipynb"})
    assert "Executed notebook for debugging: <code>failed/tiny.ipynb</code>" in block
