"""Cache entries on disk, signed: a damaged or foreign entry is never trusted, and never run.

An entry file is MAGIC, then HMAC-SHA256(key, entry's path inside the cache folder + payload), then
the payload (a pickle of tables, or JSON). The key is 32 random bytes in the cache folder's
`key-UID` file, created by this user with permissions 0600; a key file that is not a regular file of
ours, private to us, is not used (nor is the cache). The payload is unpickled only when its HMAC
matches, that is only when it was written by someone holding the key: anyone else who can write the
cache folder (a shared NEWSLENS_CACHE_DIR) can damage entries but not make newslens run code. The
path in the HMAC stops a valid entry from being passed off as another.

Nothing about the cache can make a run fail: an entry that fails its check is reported in one warning
line, deleted and recomputed; a folder that cannot be written (read-only, full) is reported once and
the run goes on without storing.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import pickle
import secrets
import stat
from pathlib import Path
from typing import Any

from newslens.core.atomic import write_atomic

log = logging.getLogger("newslens")

MAGIC = b"newslens-cache-2\n"
_MAC_SIZE = 32
_warned: set[str] = set()


def warn_once(message: str) -> None:
    """One warning line per distinct message per process (a run meets the same full disk many times)."""
    if message not in _warned:
        _warned.add(message)
        log.warning(message)


class CacheStore:
    """Reads and writes signed entries under one cache folder."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self._key: bytes | None = None
        self.usable = True  # False once the key cannot be had: every lookup misses, nothing is stored

    # --- the key ------------------------------------------------------------------------------------

    @property
    def key_path(self) -> Path:
        uid = os.getuid() if hasattr(os, "getuid") else 0
        return self.root / f"key-{uid}"

    def key(self) -> bytes | None:
        """This user's key for the folder, created on first use; None (and the cache unused) if it
        cannot be created or is not a private regular file of ours."""
        if self._key is not None or not self.usable:
            return self._key
        try:
            self._key = self._read_key() or self._create_key()
        except OSError as exc:
            self._give_up(f"its key cannot be read or created ({exc.strerror or exc})")
        except ValueError as exc:
            self._give_up(str(exc))
        return self._key

    def _give_up(self, why: str) -> None:
        self.usable = False
        warn_once(f"cache folder {self.root} not used: {why}; running without the cache")

    def _read_key(self) -> bytes | None:
        path = self.key_path
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            return None
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != os.getuid()) \
                    or info.st_mode & 0o077:
                raise ValueError(f"its key file {path} is not a private file of this user")
            key = fh.read(64)
        if len(key) != _MAC_SIZE:
            raise ValueError(f"its key file {path} is damaged (delete it to start the cache afresh)")
        return key

    def _create_key(self) -> bytes:
        self.root.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(_MAC_SIZE)
        tmp = self.key_path.with_name(f".{self.key_path.name}.{secrets.token_hex(8)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(key)
            os.link(tmp, self.key_path)  # fails if another run made one meanwhile: use that one
        except FileExistsError:
            return self._read_key() or key
        finally:
            tmp.unlink(missing_ok=True)
        return key

    # --- entries ------------------------------------------------------------------------------------

    def _mac(self, key: bytes, path: Path, payload: bytes) -> bytes:
        name = path.relative_to(self.root).as_posix().encode("utf-8")
        return hmac.new(key, len(name).to_bytes(4, "little") + name + payload, hashlib.sha256).digest()

    def _payload(self, path: Path) -> bytes | None:
        """The payload of a valid entry; None for no entry, or (warned, deleted) an invalid one."""
        key = self.key()
        if key is None:
            return None
        try:
            # No link followed and no blocking open: a link to /dev/zero or a FIFO put in an entry's
            # place must not hang the run; only a regular file (of finite size) is read.
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(fd, "rb") as fh:
                if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                    raise IsADirectoryError(0, "not a regular file")
                data = fh.read()
        except FileNotFoundError:
            return None
        except OSError as exc:  # a link, a folder, a device in its place, no permission: a miss
            self.discard(path, f"cannot be read ({exc.strerror or exc})")
            return None
        head = len(MAGIC) + _MAC_SIZE
        if data[:len(MAGIC)] == MAGIC and len(data) >= head and hmac.compare_digest(
                data[len(MAGIC):head], self._mac(key, path, data[head:])):
            return data[head:]
        self.discard(path, "fails its integrity check (damaged, or not written by this user's newslens)")
        return None

    def discard(self, path: Path, why: str) -> None:
        warn_once(f"cache entry {path} {why}; recomputing it")
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass

    def read_pickle(self, path: Path) -> Any | None:
        payload = self._payload(path)
        if payload is None:
            return None
        try:
            return pickle.loads(payload)  # noqa: S301 - signed by this user's key: written by us
        except Exception:  # noqa: BLE001 - ours but unloadable (a library changed): a miss
            self.discard(path, "cannot be loaded by this version")
            return None

    def read_json(self, path: Path) -> Any | None:
        payload = self._payload(path)
        if payload is None:
            return None
        try:
            return json.loads(payload.decode("utf-8"))
        except ValueError:
            self.discard(path, "is not valid JSON")
            return None

    def _write(self, path: Path, payload: bytes) -> None:
        key = self.key()
        if key is None:
            return
        try:
            write_atomic(path, lambda p: p.write_bytes(MAGIC + self._mac(key, path, payload) + payload))
        except OSError as exc:  # read-only or full: the run goes on, uncached
            warn_once(f"cache folder {self.root} cannot be written ({exc.strerror or exc}); "
                      "running without storing in the cache")

    def write_pickle(self, path: Path, obj: Any) -> None:
        self._write(path, pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))

    def write_json(self, path: Path, obj: Any) -> None:
        self._write(path, json.dumps(obj, indent=1, sort_keys=True).encode("utf-8"))
