"""Cached analysis: a second `analyze` of an unchanged corpus reads its tables instead of computing them.

Two caches, both under .cache/analyze/ of a checkout (installed: the user's cache folder, see
newslens.core.paths.cache_dir) unless a folder is given (`--cache-dir`, or the
environment's NEWSLENS_CACHE_DIR):

* Load cache: per document, what reading + cleaning + splitting its file gave, keyed by the sha256 of
  the file's bytes, its manifest title (cleaning reads it) and the code version. A corpus with one new
  or edited file re-cleans that file only.
* Stage cache: per stage, its output tables, keyed by
    - the code version: a hash of every source file of the package and every file under data/
      (lexicons, gazetteers, abbreviations), plus the versions of Python and the libraries in
      requirements.txt;
    - the corpus fingerprint: a hash of the loaded corpus's content (documents table with each file's
      sha256 and manifest fields, cleaned bodies, raw texts, sentences, removed lines, manifest path);
    - the parameters the stage declares it reads (`Stage.params`; all parameters when undeclared);
    - the fingerprints of the tables the stage actually read, recorded while it ran (a stage that
      reads `entities` is re-run when the `entities` table changed, one that does not is not).
  A changed parameter therefore re-runs the stages that read it and the stages that read their tables,
  and nothing else. Any doubt means a miss: a key never omits something the output depends on.
  A table that a later stage reads is fingerprinted by its content (`content_fingerprint`): when a
  re-run stage gives the same table again, the stages reading it are not re-run ("early cutoff").
  Other tables are fingerprinted by the key and inputs of the stage that made them (`table_fingerprint`).

Entries are signed (newslens.core.cachestore): a damaged, truncated or foreign entry, or one of the
wrong shape, is reported in one warning line and recomputed, and an entry is unpickled only once its
HMAC shows this user's newslens wrote it. A folder that cannot be used or written (read-only, full)
makes the run go on without the cache, with one warning. No state of the cache can make a run fail or
change its tables. Entries are written atomically (a reader sees a whole entry or none); each stage
keeps its few most recently used entries. Delete the folder to clear the cache.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import os
import platform
import re
import time
from pathlib import Path
from typing import Any

import pandas as pd

from newslens.core.cachestore import CacheStore
from newslens.core.paths import DATA_DIR, PROJECT_ROOT, cache_dir

log = logging.getLogger("newslens")

DEFAULT_CACHE_DIR = cache_dir("analyze")  # .cache/analyze in a checkout, else the user's cache folder
# The environment may move the default cache (a read-only checkout; a test that must start empty):
# NEWSLENS_CACHE_DIR=/some/folder. Read at each use, so kernels started by a render follow it too.
CACHE_DIR_ENV = "NEWSLENS_CACHE_DIR"

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # the newslens package
# Entries kept per stage (different corpora or parameter sets); older ones are deleted.
KEEP_PER_STAGE = 4
# Corpora (manifests) whose per-document load results are kept.
KEEP_LOADS = 16
# Libraries whose version can change a table even when our code did not.
_FALLBACK_LIBRARIES = ("pandas", "numpy", "nltk", "vaderSentiment", "scipy",
                       "dateparser")


def default_cache_dir() -> Path:
    """NEWSLENS_CACHE_DIR when set (relative paths from the project root), else DEFAULT_CACHE_DIR."""
    from newslens.core.paths import resolve

    moved = os.environ.get(CACHE_DIR_ENV, "").strip()
    return resolve(moved) if moved else DEFAULT_CACHE_DIR


def _sha(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _library_versions() -> dict[str, str]:
    names = list(_FALLBACK_LIBRARIES)
    requirements = PROJECT_ROOT / "requirements.txt"
    if requirements.is_file():
        lines = requirements.read_text(encoding="utf-8").splitlines()
    else:  # installed: the requirements the package was built with
        try:
            lines = [r for r in importlib.metadata.requires("newslens") or [] if "extra ==" not in r]
        except importlib.metadata.PackageNotFoundError:
            lines = []
    for line in lines:
        m = re.match(r"\s*([A-Za-z0-9_.\-]+)", line)
        if m and not line.lstrip().startswith("#"):
            names.append(m.group(1))
    versions = {}
    for name in sorted(set(names)):
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


# The layers above the tables: they read tables and never make them (tests/project/test_layers.py
# checks that no layer below imports them), so an edit there, such as a report view, keeps the cache.
ABOVE_THE_TABLES = ("report", "commands")


def code_version(package_dir: Path = PACKAGE_DIR, data_dir: Path = DATA_DIR) -> str:
    """Hash of the source of the layers that make tables (all but ABOVE_THE_TABLES), the curated
    data files and the library versions.

    Computed on every call (a few dozen small files), so an edited lexicon or module is never missed.
    """
    h = hashlib.sha256()
    for label, folder, pattern in (("code", package_dir, "*.py"), ("data", data_dir, "*")):
        for path in sorted(folder.rglob(pattern)):
            inside = path.relative_to(folder).parts
            if label == "code" and inside[0] in ABOVE_THE_TABLES:
                continue
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(_sha(label, path.relative_to(folder).as_posix(), path.read_bytes()).encode())
    h.update(json.dumps(_library_versions(), sort_keys=True).encode())
    h.update(platform.python_version().encode())
    return h.hexdigest()


def frame_fingerprint(df: pd.DataFrame) -> str:
    """Content hash of a DataFrame: column names, dtypes, index and every value."""
    header = json.dumps([[str(c), str(t)] for c, t in df.dtypes.items()])
    try:
        values = pd.util.hash_pandas_object(df, index=True).to_numpy().tobytes()
    except TypeError:  # unhashable cells (lists, dicts): fall back to their text
        values = df.to_csv(index=True).encode("utf-8")
    return _sha(header, values, str(df.index.dtype))


def _mapping_fingerprint(mapping: dict[str, str]) -> str:
    h = hashlib.sha256()
    for key in sorted(mapping):
        h.update(_sha(key, mapping[key]).encode())
    return h.hexdigest()


def corpus_fingerprint(corpus) -> str:
    """Hash of everything a stage can read from a Corpus object."""
    return _sha(
        str(corpus.manifest),
        frame_fingerprint(corpus.documents),
        frame_fingerprint(corpus.sentences),
        frame_fingerprint(corpus.removed),
        _mapping_fingerprint(corpus.bodies),
        _mapping_fingerprint(corpus.raw),
    )


def params_for(declared: tuple[str, ...] | None, params: dict) -> dict:
    """The parameters a stage's key covers: the declared ones (missing ones as None; a name ending in
    "*" covers every parameter it starts), else all.

    A parameter that names a file (a user's codebook, gazetteer, lexicon, reference CSV) is keyed by
    the file's content too, so editing the file in place re-runs the stage.
    """
    if declared is None:
        chosen = dict(params)
    else:
        chosen = {}
        for name in declared:
            if name.endswith("*"):  # a family of parameters: "reuse_*" covers reuse_min_words, ...
                chosen[name] = {k: params[k] for k in sorted(params) if k.startswith(name[:-1])}
            else:
                chosen[name] = params.get(name)
    return {name: _with_file_contents(value) for name, value in chosen.items()}


def _with_file_contents(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_with_file_contents(v) for v in value]
    if isinstance(value, dict):
        return {k: _with_file_contents(v) for k, v in value.items()}
    if isinstance(value, (str, Path)) and 0 < len(str(value)) < 4096:
        from newslens.core.paths import resolve

        try:
            path = resolve(value)
            if path.is_file():  # a regular file (a device or FIFO is not), hashed a block at a time
                h = hashlib.sha256()
                with path.open("rb") as fh:
                    for block in iter(lambda: fh.read(1 << 20), b""):
                        h.update(block)
                return {"value": str(value), "file_sha256": h.hexdigest()}
        except (OSError, ValueError):
            pass
    return value


def _params_text(params: dict) -> str:
    return json.dumps(params, sort_keys=True, default=repr, ensure_ascii=False)


def cache_enabled() -> bool:
    """The default cache is on unless the environment says NEWSLENS_CACHE=0 (or off/false/no)."""
    return os.environ.get("NEWSLENS_CACHE", "1").strip().lower() not in ("0", "off", "false", "no")


def load_cache_for(cache: Any, manifest: Path) -> "LoadCache | None":
    """The LoadCache for `load_corpus(cache=...)`: True (default folder), a folder, a LoadCache, or off."""
    if cache is None or cache is False or (cache is True and not cache_enabled()):
        return None
    if isinstance(cache, LoadCache):
        return cache
    return LoadCache(default_cache_dir() if cache is True else Path(cache), manifest, code_version())


class LoadCache:
    """Per-document results of reading + cleaning + splitting, for one manifest."""

    def __init__(self, root: Path, manifest: Path, code: str, files: CacheStore | None = None):
        self.code = code
        self.files = files or CacheStore(root)
        self.path = Path(root) / "load" / f"{_sha(str(Path(manifest).resolve()))[:24]}.entry"
        self._keys: list[str | None] = []
        self.hits = 0

    def _key(self, row: dict) -> str | None:
        try:
            data = Path(row["file"]).read_bytes()
        except OSError:
            return None  # let the real read raise its clear error
        return _sha(self.code, hashlib.sha256(data).hexdigest(), row.get("title") or "")

    def lookup(self, rows: list[dict]) -> list:
        self._keys = [self._key(row) for row in rows]
        stored = self.files.read_pickle(self.path)
        if stored is not None and not isinstance(stored, dict):
            self.files.discard(self.path, "does not hold per-document results")
            stored = None
        stored = stored or {}
        found = [stored.get(key) if key else None for key in self._keys]
        self.hits = sum(doc is not None for doc in found)
        return found

    def store(self, rows: list[dict], loaded: list) -> None:
        keys = self._keys if len(self._keys) == len(rows) else [self._key(r) for r in rows]
        entries = {key: doc for key, doc in zip(keys, loaded) if key and doc is not None}
        self.files.write_pickle(self.path, entries)
        _keep_newest(self.path.parent, KEEP_LOADS)


def _keep_newest(folder: Path, keep: int) -> None:
    """Delete all but the `keep` most recently written entries of a folder, and entries of the
    earlier unsigned format (races with others are fine; a link is never followed)."""
    def written(p: Path) -> float:
        try:
            return p.lstat().st_mtime
        except OSError:
            return 0.0

    try:
        entries = sorted(folder.glob("*.entry"), key=written, reverse=True)
        old = list(folder.glob("*.pkl"))
    except OSError:
        return
    for path in entries[keep:] + old:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass


_READS_SHAPE = "a mapping of table names to fingerprints"


def _valid_meta(meta: Any) -> bool:
    """Whether a stage entry's metadata has the shape store() writes."""
    if not isinstance(meta, dict) or not isinstance(meta.get("reads"), dict):
        return False
    reads, fps = meta["reads"], meta.get("fingerprints") or {}
    return (all(isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in reads.items())
            and isinstance(fps, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in fps.items()))


class StageCache:
    """Output tables of each stage, keyed as described in the module docstring."""

    def __init__(self, root: Path | str | None = None, code: str | None = None):
        self.root = Path(root) if root else default_cache_dir()
        self.code = code or code_version()
        self.files = CacheStore(self.root)

    def load_cache(self, manifest: Path) -> LoadCache:
        return LoadCache(self.root, manifest, self.code, self.files)

    def stage_key(self, stage, corpus_fp: str, params: dict) -> str:
        return _sha("stage", stage.name, stage.target, self.code, corpus_fp,
                    _params_text(params_for(stage.params, params)))

    def _folder(self, stage_name: str, key: str) -> Path:
        return self.root / "stages" / stage_name / key

    def lookup(self, stage_name: str, key: str, fingerprints: dict[str, str | None]):
        """(tables, reads, table fingerprints) of an entry whose recorded input fingerprints all match
        the current ones; the table fingerprints are those stored with it. None for a miss: no entry,
        or one that fails its checks (then warned about, deleted and recomputed)."""
        folder = self._folder(stage_name, key)
        try:
            metas = sorted(folder.glob("*.meta")) if folder.is_dir() and not folder.is_symlink() else []
        except OSError:
            return None
        for meta_path in metas:
            meta = self.files.read_json(meta_path)
            if meta is None:
                continue
            if not _valid_meta(meta):
                self.files.discard(meta_path, f"does not record {_READS_SHAPE}")
                continue
            reads = meta["reads"]
            if all(fingerprints.get(name) == fp for name, fp in reads.items()):
                tables_path = meta_path.with_suffix(".entry")
                tables = self.files.read_pickle(tables_path)
                if tables is not None and not isinstance(tables, dict):
                    self.files.discard(tables_path, "does not hold a stage's tables")
                    tables = None
                if tables is None:
                    continue
                now = time.time()
                try:
                    os.utime(folder, (now, now))
                except OSError:  # a read-only cache: this entry just ages
                    pass
                return tables, reads, meta.get("fingerprints") or {}
        return None

    def store(self, stage_name: str, key: str, reads: dict[str, str | None], tables: dict,
              fingerprints: dict[str, str] | None = None) -> None:
        """Store a stage's tables, the fingerprints of the tables it read and (optionally) of its own.
        The tables go first: a metadata file never points at tables that are not there."""
        folder = self._folder(stage_name, key)
        variant = _mapping_fingerprint({k: v or "" for k, v in reads.items()})[:24]
        self.files.write_pickle(folder / f"{variant}.entry", tables)
        self.files.write_json(folder / f"{variant}.meta", {
            "stage": stage_name, "reads": reads, "tables": sorted(tables),
            "fingerprints": fingerprints or {}})
        self._prune(stage_name)

    def _prune(self, stage_name: str) -> None:
        """Keep the most recently used entries of a stage (another process may prune at the same time;
        a link is never followed, so nothing outside the cache folder is ever deleted)."""
        def used(p: Path) -> float:
            try:
                return p.lstat().st_mtime
            except OSError:
                return 0.0

        try:
            entries = sorted((self.root / "stages" / stage_name).iterdir(), key=used, reverse=True)
        except OSError:
            return
        for old in entries[KEEP_PER_STAGE:]:
            try:
                if old.is_symlink() or not old.is_dir():
                    old.unlink(missing_ok=True)
                    continue
                for f in old.iterdir():
                    f.unlink(missing_ok=True)
                old.rmdir()
            except OSError:
                pass


def table_fingerprint(stage_key: str, reads: dict[str, str | None], name: str) -> str:
    """Fingerprint of a table a stage produced: determined by the stage's key and its inputs."""
    return _sha("table", stage_key, _mapping_fingerprint({k: v or "" for k, v in reads.items()}), name)


def content_fingerprint(df: pd.DataFrame) -> str:
    """Fingerprint of a table a stage produced, from what it holds (every value, dtypes, attrs) rather
    than from how it was made. A stage re-run for a change that leaves this table as it was (the entity
    stages for a gazetteer whose new actor the corpus never names) gives the same fingerprint, so the
    stages reading the table still hit the cache ("early cutoff")."""
    return _sha("content", frame_fingerprint(df), json.dumps(df.attrs, sort_keys=True, default=str))
