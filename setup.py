"""Build step: copy the project's curated folders into the package, so a wheel carries them.

`data/` (lexicons, gazetteers, codebooks, the seed manifest), `notebooks/` and `seeds/` stay where users edit them in the checkout; the build copies them into
`newslens/_resources/` of the wheel (never into the source tree), where newslens.core.paths finds them
when the package runs installed. One source of truth: nothing is committed twice.
Everything else about the package is in pyproject.toml.
"""
from __future__ import annotations

import ast
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def _paths_constant(name: str):
    """A constant of lib/newslens/core/paths.py (the list lives beside the code that reads it), read
    without importing the package."""
    tree = ast.parse((ROOT / "lib" / "newslens" / "core" / "paths.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise SystemExit(f"setup.py: {name} not found in lib/newslens/core/paths.py")


RESOURCE_DIRS = _paths_constant("RESOURCE_DIRS")
RESOURCES_NAME = _paths_constant("RESOURCES_NAME")
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", ".*")


class BuildWithResources(build_py):
    """build_py, then the resource folders into build_lib/newslens/_resources/ (not in editable mode:
    an editable install runs from the checkout, whose own folders paths.py finds)."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "newslens" / RESOURCES_NAME
        if target.exists():
            shutil.rmtree(target)
        for name in RESOURCE_DIRS:
            source = ROOT / name
            if not source.is_dir():
                raise SystemExit(f"setup.py: {source} is missing; build from a complete checkout or sdist")
            shutil.copytree(source, target / name, ignore=SKIP)


setup(cmdclass={"build_py": BuildWithResources})
