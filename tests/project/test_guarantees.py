"""Two of the guarantees README's "What newslens guarantees" lists, checked end to end on the command
line: the same inputs give the same bytes (whatever the engine or the cache), and an analysis opens
no network connection."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from newslens.core.paths import PROJECT_ROOT

OTHER = PROJECT_ROOT / "tests" / "fixtures" / "other_corpus"
ENV = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT / "lib")}

# Any attempt to resolve a name or open a connection to anything but this machine fails the run.
NO_NETWORK = """
import socket, sys
def refuse(*a, **k):
    raise SystemExit(f"network use attempted: {a[:2]!r}")
socket.getaddrinfo = refuse
socket.create_connection = refuse
real_connect = socket.socket.connect
def connect(self, address):
    if self.family == socket.AF_UNIX:
        return real_connect(self, address)
    refuse(address)
socket.socket.connect = connect
from newslens.commands.cli import main
sys.exit(main(sys.argv[1:]))
"""


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if p.suffix in (".csv", ".json") and not p.name.startswith(".")}  # not the run's own records


def analyze(out: Path, *extra: str, code: str | None = None) -> subprocess.CompletedProcess:
    head = [sys.executable, "-c", code] if code else [sys.executable, "-m", "newslens"]
    result = subprocess.run([*head, "analyze", str(OTHER), "--out", str(out), *extra],
                            capture_output=True, text=True, timeout=300, env=ENV)
    assert result.returncode == 0, result.stderr
    return result


def test_same_inputs_give_the_same_bytes_whatever_the_engine_or_the_cache(tmp_path):
    cache = tmp_path / "cache"
    inputs = {p.name: p.read_bytes() for p in OTHER.iterdir()}
    analyze(tmp_path / "fresh", "--no-cache")
    analyze(tmp_path / "filling", "--cache-dir", str(cache))
    analyze(tmp_path / "from-cache", "--cache-dir", str(cache))
    analyze(tmp_path / "processes", "--no-cache", "--engine", "processes", "--workers", "2")
    expected = digests(tmp_path / "fresh")
    assert len(expected) > 10
    for run in ("filling", "from-cache", "processes"):
        assert digests(tmp_path / run) == expected, run
    # the inputs are as they were, and nothing was written next to them
    assert {p.name: p.read_bytes() for p in OTHER.iterdir()} == inputs


def test_an_analysis_opens_no_network_connection(tmp_path):
    result = analyze(tmp_path / "out", "--no-cache", code=NO_NETWORK)
    assert "network use attempted" not in result.stderr
    assert (tmp_path / "out" / "documents.csv").is_file()
