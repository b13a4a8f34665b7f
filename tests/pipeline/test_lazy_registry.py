"""The registry lists the stages without importing their implementations: a report kernel that reads
cached tables (open_report -> run_stages) imports no analysis it does not run. A stage's module is
imported when the stage runs, and its declaration names the function the stage always ran."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from newslens.core.paths import PROJECT_ROOT
from newslens.core.stage import load_target
from newslens.pipeline import registry

# Implementations (and the libraries only they import) that listing the stages must not import.
HEAVY = [
    "newslens.analyses.reuse.passages", "newslens.analyses.reuse.lsh", "scipy.sparse.csgraph",
    "newslens.analyses.terms.tables", "newslens.analyses.entities.tagging", "newslens.analyses.quotes.extract",
    "newslens.analyses.claims.extract", "newslens.analyses.events.extract", "newslens.analyses.sentiment",
    "newslens.analyses.tone", "newslens.analyses.targets", "newslens.analyses.frames", "newslens.analyses.timeline",
]


def imported_after(code: str) -> dict:
    """Run `code` in a fresh interpreter; which of HEAVY it imported, and what it printed last."""
    script = code + f"\nimport json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT / "lib"), "NEWSLENS_CACHE": "0"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    return {"imported": json.loads(lines[-1]), "printed": lines[:-1]}


def test_listing_the_stages_imports_no_implementation():
    found = imported_after("import newslens.pipeline.registry as r\nimport newslens.pipeline.run\n"
                           "import newslens.report.opening\nprint(len(r.STAGES), len(r.parameters()))")
    assert found["imported"] == []
    assert found["printed"] == [f"{len(registry.STAGES)} {len(registry.parameters())}"]


def test_a_stage_imports_its_module_when_it_runs():
    found = imported_after("from newslens.core.paths import DEFAULT_CORPUS\n"
                           "from newslens.corpus.loader import load_corpus\n"
                           "from newslens.pipeline import run_stages\n"
                           "tables = run_stages(load_corpus(DEFAULT_CORPUS, progress=False), ['reuse'], "
                           "engine='serial', cache=False)\n"
                           "print(len(tables['reuse_pairs']) > 0)")
    assert found["printed"] == ["True"]
    assert {"newslens.analyses.reuse.passages", "scipy.sparse.csgraph"} <= set(found["imported"])
    assert "newslens.analyses.quotes.extract" not in found["imported"]


def test_each_declaration_names_the_function_its_module_defines():
    # The target ("module:function", part of the cache key) is the function's own module and name, and
    # the implementation's module still offers the declaration under its old name.
    for stage in registry.STAGES:
        function = load_target(stage.target)
        assert f"{function.__module__}:{function.__qualname__}" == stage.target
        module = sys.modules[function.__module__]
        assert stage in vars(module).values(), f"{function.__module__} no longer offers stage {stage.name}"


def test_a_package_offers_its_modules_names_when_asked():
    found = imported_after("import newslens.analyses.reuse as reuse\nprint(reuse.ReuseSettings().min_words)")
    assert found["printed"] == ["10"] and found["imported"] == []
    from newslens.analyses import reuse
    from newslens.analyses.reuse import find_reuse, passages

    assert reuse.find_reuse is find_reuse is passages.find_reuse and "find_reuse" in dir(reuse)
