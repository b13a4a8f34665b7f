"""Compiled report templates kept on disk (newslens.report.templatecache): reused, and never loaded
unless this user's newslens wrote them."""
from __future__ import annotations

import jinja2

from newslens.report.templatecache import SignedBytecodeCache


def _render(root) -> str:
    env = jinja2.Environment(loader=jinja2.DictLoader({"page": "x{{ 1 + 1 }}"}),
                             bytecode_cache=SignedBytecodeCache(root))
    return env.get_template("page").render()


def test_compiled_templates_are_kept_and_reused(tmp_path, monkeypatch):
    assert _render(tmp_path) == "x2"
    [entry] = (tmp_path / "templates").iterdir()
    stamp = entry.stat().st_mtime_ns
    compiled = []
    original = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda self, *a, **k: compiled.append(a) or original(self, *a, **k))
    assert _render(tmp_path) == "x2"
    assert not compiled and entry.stat().st_mtime_ns == stamp  # loaded, not compiled nor written again


def test_an_entry_not_signed_by_us_is_never_loaded(tmp_path):
    assert _render(tmp_path) == "x2"
    [entry] = (tmp_path / "templates").iterdir()
    # Someone else's compiled code in its place (Jinja's own unsigned format): recompiled, not run.
    evil = jinja2.Environment(loader=jinja2.DictLoader({"page": "pwned"}))
    bucket = jinja2.bccache.Bucket(evil, "k", "c")
    bucket.code = evil.compile(evil.loader.get_source(evil, "page")[0], "page", "page")
    entry.write_bytes(bucket.bytecode_to_string())
    assert _render(tmp_path) == "x2"
    data = bytearray(entry.read_bytes())  # signed again by us; now damage one byte of the code
    data[-5] ^= 1
    entry.write_bytes(bytes(data))
    assert _render(tmp_path) == "x2"
