"""One writer per output folder: `analyze` and `render` lock their --out while they write to it.

Two runs into one folder at once would leave a mix (the index and provenance of one corpus, tables and
reports of the other). The second run therefore refuses at once, with one line naming the run that
holds the folder, rather than waiting: it never hangs, and the user chooses (wait, or another --out).

The lock is an advisory fcntl lock (flock) on DIR/.newslens.lock, which holds who locked it (command,
pid, start time) for that message. The operating system releases it when its process ends, however it
ends (kill -9 included), so a crashed run never leaves a folder locked. The file is removed when the
run ends; a run that opened it just before checks, after locking, that it locked the file still there.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from newslens.core.errors import NewslensError

LOCK_NAME = ".newslens.lock"


class FolderBusyError(NewslensError):
    """Another newslens run is writing to the folder."""


def _holder(fd: int) -> str:
    """Who holds the lock, as that run wrote it into the file ("" if not yet written)."""
    try:
        return os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        return ""


def _lock_once(path: Path) -> int | None:
    """The locked file's descriptor, or None when the file was replaced meanwhile (try again)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        holder = _holder(fd)
        os.close(fd)
        if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            raise
        raise FolderBusyError(
            f"{path.parent} is being written by another newslens run"
            + (f" ({holder})" if holder else "")
            + "; wait for it to end or choose another --out") from None
    try:
        same = os.stat(path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino
    except FileNotFoundError:
        same = False
    if not same:  # the holder removed it as it ended: lock the new file instead
        os.close(fd)
        return None
    return fd


@contextlib.contextmanager
def locked_folder(folder: str | Path, command: str) -> Iterator[Path]:
    """Hold `folder` (created if needed) for this run; FolderBusyError if another run holds it."""
    folder = Path(folder)
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    fd = None
    for _ in range(100):  # each turn means another run ended just now; 100 cannot happen in practice
        fd = _lock_once(path)
        if fd is not None:
            break
    if fd is None:
        raise FolderBusyError(f"{folder}: its lock file keeps being replaced; is another run looping?")
    try:
        since = time.strftime("%H:%M:%S", time.localtime())
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{command}, pid {os.getpid()}, since {since}".encode(), 0)
        yield folder
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)
        if created:  # a run that wrote nothing (bad input, say) leaves no empty folder behind
            with contextlib.suppress(OSError):
                folder.rmdir()


@contextlib.contextmanager
def locked_folders(folders: list[Path], command: str) -> Iterator[None]:
    """Hold several folders (each once, in a fixed order, so two runs cannot each wait on the other)."""
    with contextlib.ExitStack() as stack:
        for folder in sorted({Path(f).resolve() for f in folders}):
            stack.enter_context(locked_folder(folder, command))
        yield
