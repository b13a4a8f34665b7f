"""One writer per output folder (issue 23, item 1): a second `analyze` or `render` into a folder another
run is writing refuses with one line; runs started together leave one corpus's consistent set.

Real processes throughout, every one bounded by a timeout (a hang fails the test, never blocks it).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

from newslens.core.outlock import LOCK_NAME, FolderBusyError, locked_folder
from newslens.core.paths import PROJECT_ROOT

OTHER = PROJECT_ROOT / "tests" / "fixtures" / "other_corpus"
ARMS = PROJECT_ROOT / "tests" / "fixtures" / "arms_other"
ENV = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT / "lib"), "NEWSLENS_CACHE": "0"}


def cli(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newslens", *args], capture_output=True, text=True,
                          timeout=timeout, env=ENV)


def hold(folder: Path, command: str) -> subprocess.Popen:
    """A process holding `folder`'s lock until killed (it says "locked" once it holds it)."""
    code = ("import sys, time; from newslens.core.outlock import locked_folder\n"
            f"with locked_folder({str(folder)!r}, {command!r}):\n"
            "    print('locked', flush=True); time.sleep(120)\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=ENV)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def cli_while_held(folder: Path, holder_command: str, *args: str):
    """(the holder, its pid still readable; the result of `newslens ARGS` run while `folder` is held by
    a process that says it is `holder_command`). The holder is killed (-9) after the run."""
    holder = hold(folder, holder_command)
    try:
        return holder, cli(*args, timeout=120)
    finally:
        holder.kill()
        holder.wait(timeout=30)


def test_analyze_into_a_folder_another_run_writes_refuses_in_one_line(tmp_path):
    out = tmp_path / "out"
    holder, result = cli_while_held(out, "render", "analyze", str(OTHER), "--out", str(out))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert f"{out} is being written by another newslens run (render, pid {holder.pid}" in lines[0]
    assert not list(out.glob("*.csv"))  # it wrote nothing
    # The holder was killed (-9): the lock went with it, and a run now goes through.
    again = cli("analyze", str(OTHER), "--out", str(out), timeout=300)
    assert again.returncode == 0, again.stderr
    assert (out / "documents.csv").is_file() and not (out / LOCK_NAME).exists()


def test_render_into_a_folder_another_run_writes_refuses_before_starting_anything(tmp_path):
    out = tmp_path / "reports"
    # render writes its tables in DIR/data: that is held too
    holder, result = cli_while_held(out / "data", "analyze", "render", str(OTHER), "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert "being written by another newslens run (analyze, pid" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (out / ".work").exists() and not (out / "index.html").exists()


def test_analyze_runs_started_together_leave_one_corpus_consistent_set(tmp_path):
    out = tmp_path / "out"
    cmds = [[sys.executable, "-m", "newslens", "analyze", str(corpus), "--out", str(out)]
            for corpus in (OTHER, ARMS)]
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
             for c in cmds]
    outcomes = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    for code, err in outcomes:
        assert code == 0 or (code == 2 and "being written by another newslens run" in err), err
    assert any(code == 0 for code, _ in outcomes)
    documents = pd.read_csv(out / "documents.csv", dtype=str)
    manifests = {c: set(pd.read_csv(c / "corpus.csv", dtype=str)["doc_id"]) for c in (OTHER, ARMS)}
    ids = set(documents["doc_id"])
    corpus = next(c for c, m in manifests.items() if m == ids)  # the documents of one corpus
    for table in ("sentences", "removed", "tone_article"):
        frame = pd.read_csv(out / f"{table}.csv", dtype=str)
        assert set(frame["doc_id"]) <= manifests[corpus], table


def test_lock_is_released_and_its_file_removed(tmp_path):
    with locked_folder(tmp_path, "analyze"):
        assert "analyze, pid" in (tmp_path / LOCK_NAME).read_text()
        try:
            with locked_folder(tmp_path, "render"):
                raise AssertionError("a second lock in one folder was granted")
        except FolderBusyError as exc:
            assert "is being written by another newslens run" in str(exc)
    assert not (tmp_path / LOCK_NAME).exists()
    with locked_folder(tmp_path, "render"):  # free again
        pass


def test_a_folder_made_for_the_lock_goes_when_nothing_was_written(tmp_path):
    result = cli("analyze", str(tmp_path / "no-such-corpus"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert not (tmp_path / "out").exists()
