"""render runs as many notebooks at once as the memory holds, and reports each kernel's peak."""
from __future__ import annotations

import os
import sys
from types import SimpleNamespace

import pytest

from newslens.commands.render_memory import (
    RESERVE_MB, available_mb, jobs_for_memory, kernel_estimate_mb, kernel_peak_mb,
)


def test_a_small_corpus_runs_every_notebook_and_a_large_one_fewer():
    seeds = kernel_estimate_mb(150)
    big = kernel_estimate_mb(2_300_000)            # the 100,000-article bench corpus
    assert seeds < 600 < big and 8300 < big < 10_000     # above the largest kernel measured there
    assert jobs_for_memory(5, 150, 20_000) == 5
    assert jobs_for_memory(5, 2_300_000, 20_000) == int((20_000 - RESERVE_MB) // big) < 5
    assert jobs_for_memory(5, 2_300_000, 2_000) == 1     # never none
    assert jobs_for_memory(5, 2_300_000, None) == 5       # memory unknown: as asked


def test_available_memory_is_read_from_meminfo(tmp_path):
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       24000000 kB\nMemAvailable:   12288000 kB\n")
    assert available_mb(meminfo) == 12000
    meminfo.write_text("MemTotal: 1 kB\n")
    assert available_mb(meminfo) is None and available_mb(tmp_path / "absent") is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kernel_peak_reads_the_process_high_water_mark():
    km = SimpleNamespace(provisioner=SimpleNamespace(pid=os.getpid()))
    assert kernel_peak_mb(km) > 10
    assert kernel_peak_mb(SimpleNamespace(provisioner=None)) is None
    assert kernel_peak_mb(SimpleNamespace(provisioner=SimpleNamespace(pid=2**22 + 12345))) is None
