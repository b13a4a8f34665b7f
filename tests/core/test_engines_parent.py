"""Worker processes end with the process that started them (issue 23, item 4): kill -9 of `analyze`
used to leave its workers blocked forever, a few hundred MB each.

Real processes, killed for real; every wait is bounded (a worker that survives fails the test).
"""
from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from newslens.core.paths import PROJECT_ROOT

ENV = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT / "lib"), "NEWSLENS_CACHE": "0"}

# Runs in a child python: a two-worker pool whose workers either sleep in their batch ("busy") or
# have finished every batch and wait for more while the parent dawdles over the first result ("idle").
SCRIPT = """
import os, sys, time
from newslens.core.engines import ProcessEngine

def say(text):
    os.write(1, (text + "\\n").encode())  # one write: lines of several processes never interleave

def busy(i):
    say(f"worker {os.getpid()}")
    time.sleep(300)

def idle(i):
    say(f"worker {os.getpid()}")
    time.sleep(0.5)  # every worker takes a batch before any ends
    return i

func = busy if sys.argv[1] == "busy" else idle
for result in ProcessEngine(2).map(func, [1, 2, 3, 4]):
    say("parent waits")
    time.sleep(300)
"""


class Lines:
    """A process's stdout lines, each waited for at most `seconds` (a silent child fails, never hangs)."""

    def __init__(self, proc: subprocess.Popen):
        self.queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [self.queue.put(ln) for ln in proc.stdout], daemon=True).start()

    def next(self, seconds: float = 60.0) -> str:
        try:
            return self.queue.get(timeout=seconds)
        except queue.Empty:
            raise AssertionError(f"no output for {seconds} s") from None


def alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def wait_ended(pids: set[int], seconds: float = 20.0) -> set[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.2)
    return {p for p in pids if alive(p)}


def kill_group(pid: int) -> None:
    """Whatever is left of the process group the test started (a worker that outlived the test)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def kill_all(pids) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def kill_and_check_workers_end(parent: subprocess.Popen, workers: set[int], what: str) -> None:
    """kill -9 the parent: every worker must then end on its own."""
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=30)
    survivors = wait_ended(workers)
    assert not survivors, f"workers {sorted(survivors)} outlived {what}"


def clean_up(parent: subprocess.Popen, workers: set[int]) -> None:
    """Whatever a test left running, killed (the parent, its workers, its process group)."""
    parent.kill()
    kill_all(workers)
    kill_group(parent.pid)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("mode", ["busy", "idle"])
def test_workers_end_when_their_parent_is_killed(mode):
    parent = subprocess.Popen([sys.executable, "-c", SCRIPT, mode], stdout=subprocess.PIPE, text=True,
                              env=ENV, start_new_session=True)  # its own group: cleaned up whole below
    workers: set[int] = set()
    lines = Lines(parent)
    try:
        line = ""
        while len(workers) < 2 or (mode == "idle" and line != "parent waits"):
            line = lines.next().strip()
            workers.update(int(pid) for pid in re.findall(r"worker (\d+)", line))
            line = "parent waits" if "parent waits" in line else line
        if mode == "idle":
            time.sleep(1.0)  # the workers have run out of batches and wait for more
        assert all(alive(p) for p in workers)
        kill_and_check_workers_end(parent, workers, "their killed parent")
    finally:
        clean_up(parent, workers)


def children_of(pid: int) -> set[int]:
    try:
        return {int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kill_9_of_analyze_during_its_per_document_stages_leaves_no_worker(tmp_path):
    from newslens.commands.bench import synthetic_articles, write_corpus

    manifest = write_corpus(synthetic_articles(240, seed=3), tmp_path / "corpus")
    proc = subprocess.Popen([sys.executable, "-m", "newslens", "analyze", str(manifest), "--out",
                             str(tmp_path / "out"), "--engine", "processes", "--workers", "2",
                             "--no-progress"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=ENV, start_new_session=True)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 240
        while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
            workers |= children_of(proc.pid)
            time.sleep(0.05)
        assert len(workers) >= 2, "analyze never started its workers"
        kill_and_check_workers_end(proc, workers, "the killed analyze")
    finally:
        clean_up(proc, workers)
