"""The report's Jinja templates (nbconvert's lab templates and ours), compiled once and kept on disk.

A render process compiles nbconvert's ten templates at its first export: about 0.05 CPU-s, the same
every time. Jinja can keep the compiled code in a bytecode cache; this one keeps it as newslens keeps
every cache entry (newslens.core.cachestore): signed with this user's key for the folder, so that code
written there by anyone else is never loaded. Jinja checks each entry against its template's source
(and its own and Python's version) and compiles again when they differ. `python -m newslens prepare`
fills it; a render that finds nothing fills it itself.
"""
from __future__ import annotations

from pathlib import Path

import jinja2

from newslens.core.cachestore import CacheStore


class SignedBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates under ROOT/templates/, one signed entry per template."""

    def __init__(self, root: Path | str):
        self.store = CacheStore(root)
        self.folder = Path(root) / "templates"

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / f"{bucket.key}.jinja"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.store.read_pickle(self._path(bucket))
        if isinstance(code, bytes):
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store.write_pickle(self._path(bucket), bucket.bytecode_to_string())
