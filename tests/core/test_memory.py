"""release_freed_memory: the pages of freed tables go back to the operating system."""
from __future__ import annotations

import sys

import pytest

from newslens.core.memory import release_freed_memory


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096 / 1e6


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc and calls glibc")
def test_freed_heap_memory_goes_back():
    # 300 MB in 1 kB strings: each above pymalloc's limit, so on the C heap, which keeps freed pages
    held = [bytes(1000) + i.to_bytes(4, "little") for i in range(300_000)]
    pin = bytes(2000) + b"x"   # a live block above them: free alone cannot shrink the heap from its top
    grown = _rss_mb()
    del held
    kept = _rss_mb()
    release_freed_memory()
    released = _rss_mb()
    assert kept > grown - 50 and kept - released > 250, (grown, kept, released)   # kept by free alone
    release_freed_memory()   # twice is harmless
    assert pin.endswith(b"x")
