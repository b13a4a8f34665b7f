"""No cache state can make a run fail, change its tables or run code (issue 23, items 2 and 14).

Every entry is signed with a per-folder key of this user's (newslens.core.cachestore): flipped bits, a
truncated entry, a foreign pickle, a metadata file of the wrong shape are each found, reported in one
warning line and recomputed; a cache folder that cannot be written or made leaves the run uncached.
"""
from __future__ import annotations

import errno
import logging
import os
import pickle
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import assert_same_tables

from newslens.core import cachestore
from newslens.core.cachestore import CacheStore
from newslens.core.paths import PROJECT_ROOT
from newslens.pipeline.run import RunLog, analyze

OTHER = PROJECT_ROOT / "tests" / "fixtures" / "other_corpus"


@pytest.fixture(autouse=True)
def fresh_warnings(monkeypatch):
    monkeypatch.setattr(cachestore, "_warned", set())


def corpus_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(OTHER, folder)
    return folder / "corpus.csv"


def entries(cache: Path) -> list[Path]:
    return sorted(cache.rglob("*.entry")) + sorted(cache.rglob("*.meta"))


def cache_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and "cache" in r.getMessage()]


def flip_bits(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for i in (len(data) // 3, len(data) // 2, len(data) - 1):  # three bits in the payload
        data[i] ^= 0x10
    path.write_bytes(bytes(data))


class RunsCode:
    """Unpickling this creates the marker file: the proof that an entry was loaded."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "foreign", "old-format"])
def test_a_damaged_or_foreign_entry_is_recomputed_with_a_warning_and_never_run(tmp_path, caplog, damage):
    manifest, cache = corpus_copy(tmp_path), tmp_path / "cache"
    expected = analyze(manifest, cache=cache, progress=False)
    marker = tmp_path / "ran"
    damaged = entries(cache)
    assert len(damaged) > 10  # load entry + stage tables + stage metadata
    for path in damaged:
        if damage == "flip":
            flip_bits(path)
        elif damage == "truncate":
            path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
        elif damage == "empty":
            path.write_bytes(b"")
        elif damage == "foreign":  # what anyone who can write the folder could put there
            path.write_bytes(pickle.dumps({"documents": RunsCode(str(marker))}))
        else:  # the payload of a valid entry without its signature, as the unsigned cache wrote it
            path.write_bytes(path.read_bytes()[len(cachestore.MAGIC) + 32:])
    caplog.set_level(logging.WARNING, logger="newslens")
    log = RunLog()
    again = analyze(manifest, cache=cache, progress=False, log=log)
    assert not marker.exists(), "a cache entry was unpickled without its signature"
    assert_same_tables(expected, again)
    warned = cache_warnings(caplog)
    assert warned and all("fails its integrity check" in w and "\n" not in w for w in warned)
    assert not any(s.cached for s in log.steps if s.name not in ("write",))
    # Recomputed entries were stored again, signed: a third run reads them all.
    caplog.clear()
    log = RunLog()
    assert_same_tables(expected, analyze(manifest, cache=cache, progress=False, log=log))
    assert not cache_warnings(caplog)
    assert any(s.cached for s in log.steps)


def test_signed_metadata_of_the_wrong_shape_is_a_miss_not_a_crash(tmp_path, caplog):
    manifest, cache = corpus_copy(tmp_path), tmp_path / "cache"
    expected = analyze(manifest, cache=cache, progress=False)
    store = CacheStore(cache)
    shapes = [[1, 2], {"reads": 5}, {"reads": {"sentences": 3}}, {"reads": {}, "fingerprints": [1]}, "text"]
    for i, meta in enumerate(sorted(cache.rglob("*.meta"))):
        store.write_json(meta, shapes[i % len(shapes)])  # valid JSON, validly signed, wrong shape
    for tables in sorted(cache.rglob("stages/*/*/*.entry"))[:3]:
        store.write_pickle(tables, ["not", "a", "mapping"])
    caplog.set_level(logging.WARNING, logger="newslens")
    assert_same_tables(expected, analyze(manifest, cache=cache, progress=False))
    assert any("does not record" in w for w in cache_warnings(caplog))


def test_an_entry_moved_to_another_place_fails_its_check(tmp_path):
    store = CacheStore(tmp_path)
    store.write_pickle(tmp_path / "stages" / "a" / "k1" / "v.entry", {"t": 1})
    (tmp_path / "stages" / "b" / "k2").mkdir(parents=True)
    shutil.copy(tmp_path / "stages" / "a" / "k1" / "v.entry", tmp_path / "stages" / "b" / "k2" / "v.entry")
    assert store.read_pickle(tmp_path / "stages" / "a" / "k1" / "v.entry") == {"t": 1}
    assert store.read_pickle(tmp_path / "stages" / "b" / "k2" / "v.entry") is None
    assert not (tmp_path / "stages" / "b" / "k2" / "v.entry").exists()  # deleted, to be recomputed


def test_the_key_is_private_and_a_key_not_ours_turns_the_cache_off(tmp_path, caplog):
    store = CacheStore(tmp_path)
    store.write_json(tmp_path / "x.meta", {"a": 1})
    mode = stat.S_IMODE(store.key_path.stat().st_mode)
    assert mode == 0o600 and store.key_path.stat().st_size == 32
    os.chmod(store.key_path, 0o644)  # readable by others: whoever reads it can forge entries
    caplog.set_level(logging.WARNING, logger="newslens")
    other = CacheStore(tmp_path)
    assert other.read_json(tmp_path / "x.meta") is None and not other.usable
    assert any("not a private file" in w for w in cache_warnings(caplog))


@pytest.mark.parametrize("error", [errno.EROFS, errno.ENOSPC, errno.EACCES])
def test_a_cache_folder_that_cannot_be_written_leaves_the_run_uncached(tmp_path, caplog, monkeypatch, error):
    manifest, cache = corpus_copy(tmp_path), tmp_path / "cache"
    expected = analyze(manifest, cache=False, progress=False)

    def refuse(path, write):
        raise OSError(error, os.strerror(error), str(path))

    monkeypatch.setattr(cachestore, "write_atomic", refuse)
    caplog.set_level(logging.WARNING, logger="newslens")
    assert_same_tables(expected, analyze(manifest, cache=cache, progress=False))
    warned = cache_warnings(caplog)
    assert len(warned) == 1 and os.strerror(error) in warned[0] and "without storing" in warned[0]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT / "lib")}
    return subprocess.run([sys.executable, "-m", "newslens", *args], capture_output=True, text=True,
                          timeout=300, env=env)


def test_cli_with_damaged_cache_and_unmakeable_cache_folder_exits_0_with_the_same_bytes(tmp_path):
    manifest, cache = corpus_copy(tmp_path), tmp_path / "cache"
    clean = run_cli("analyze", str(manifest), "--out", str(tmp_path / "clean"), "--no-cache")
    assert clean.returncode == 0, clean.stderr
    first = run_cli("analyze", str(manifest), "--out", str(tmp_path / "a"), "--cache-dir", str(cache))
    assert first.returncode == 0, first.stderr
    for path in entries(cache):
        flip_bits(path)
    damaged = run_cli("analyze", str(manifest), "--out", str(tmp_path / "b"), "--cache-dir", str(cache))
    # /proc refuses new folders, even to root: the cache cannot be made at all
    nowhere = run_cli("analyze", str(manifest), "--out", str(tmp_path / "c"), "--cache-dir", "/proc/nl-cache")
    for result in (damaged, nowhere):
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        for name in sorted(p.name for p in (tmp_path / "clean").glob("*.csv")):
            out = Path(result.args[result.args.index("--out") + 1])
            assert (out / name).read_bytes() == (tmp_path / "clean" / name).read_bytes(), name
    assert "fails its integrity check" in damaged.stderr
    assert nowhere.stderr.count("WARNING") == 1 and "/proc/nl-cache not used" in nowhere.stderr


@pytest.mark.parametrize("planted", ["dev-zero-link", "fifo", "folder"])
def test_an_entry_replaced_by_a_device_link_a_fifo_or_a_folder_is_a_miss_not_a_hang(tmp_path, planted):
    """In a process of its own, bounded: reading such an entry used to block or fill memory."""
    manifest, cache = corpus_copy(tmp_path), tmp_path / "cache"
    first = run_cli("analyze", str(manifest), "--out", str(tmp_path / "a"), "--cache-dir", str(cache))
    assert first.returncode == 0, first.stderr
    for path in entries(cache):
        path.unlink()
        if planted == "dev-zero-link":
            path.symlink_to("/dev/zero")
        elif planted == "fifo":
            os.mkfifo(path)
        else:
            path.mkdir()
    again = run_cli("analyze", str(manifest), "--out", str(tmp_path / "b"), "--cache-dir", str(cache))
    assert again.returncode == 0, again.stderr
    assert "cannot be read" in again.stderr and "Traceback" not in again.stderr
    for table in sorted((tmp_path / "a").glob("*.csv")):
        assert (tmp_path / "b" / table.name).read_bytes() == table.read_bytes(), table.name
