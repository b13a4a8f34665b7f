"""Whole-or-absent file writes: every table, report and cache entry newslens writes goes through here.

A file is written to a temporary name in its own folder and renamed over the target, so a reader (or a
crash half-way) never sees a partial file and an earlier good file survives a failed write. The result
gets the permissions an ordinary `open()` would give (0666 minus the umask), not mkstemp's private 0600,
so reports can be shared and served.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


_MODE = _default_mode()


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Call `write(tmp_path)` to fill a temporary file, then rename it to `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, _MODE)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        # A write that fails (a full disk: ENOSPC, raised by write() without a file name) names the
        # file it was for, so the CLI can say so in one line.
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    write_atomic(path, lambda p: p.write_text(text, encoding="utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    write_atomic(path, lambda p: p.write_bytes(data))
