"""How many notebooks may run at once in the memory there is, and how much each kernel took.

Every kernel reads the corpus and the tables its report needs, so its memory grows with the corpus:
about 200 MB on the seeds, up to 8.3 GB at 100,000 articles (04_framing; measured, see
KERNEL_MB_PER_SENTENCE). Five kernels at once there need more than a 24 GB machine has, and the
system killed one of the processes. So unless --jobs says otherwise, render runs only as many notebooks at once as the memory
available now holds by this estimate, at least one; on a small corpus that is every notebook.
"""
from __future__ import annotations

from pathlib import Path

# One kernel's peak: the stack and a small corpus, plus this much per sentence of the corpus. Calibrated
# on the 100,000-article bench corpus (2.3 million sentences): the kernels' peaks were 4.0 GB (01),
# 6.5 GB (05) and 8.3 GB (04), i.e. up to 3.4 kB a sentence; 3.8 kB leaves a margin.
KERNEL_BASE_MB = 500
KERNEL_MB_PER_SENTENCE = 0.0038
RESERVE_MB = 1500  # left for this process, the page cache and everything else on the machine


def kernel_estimate_mb(sentences: int) -> float:
    """The memory one report's kernel is expected to take at its peak for a corpus of `sentences`."""
    return KERNEL_BASE_MB + KERNEL_MB_PER_SENTENCE * max(sentences, 0)


def _mb_field(path: Path, key: str) -> float | None:
    """The value of a "KEY:   N kB" line of a /proc file, in MB; None where it cannot be read."""
    try:
        for line in path.read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def available_mb(meminfo: Path = Path("/proc/meminfo")) -> float | None:
    """MemAvailable of /proc/meminfo in MB (Linux); None where it cannot be read."""
    return _mb_field(meminfo, "MemAvailable")


def jobs_for_memory(wanted: int, sentences: int, available: float | None) -> int:
    """At most `wanted` notebooks at once, fewer when their estimated peaks would not fit in
    `available` MB (less RESERVE_MB); never fewer than one. Unknown memory: `wanted`."""
    if available is None:
        return wanted
    fits = int((available - RESERVE_MB) // kernel_estimate_mb(sentences))
    return max(1, min(wanted, fits))


def kernel_peak_mb(km) -> float | None:
    """The peak resident memory (VmHWM) of a running kernel's process in MB; None when unknown."""
    pid = getattr(getattr(km, "provisioner", None), "pid", None)
    if pid is None:
        return None
    return _mb_field(Path(f"/proc/{pid}/status"), "VmHWM")
