"""A package namespace whose names are imported from its modules on first use (PEP 562).

An analysis package re-exports the names of its modules (`from newslens.analyses.reuse import find_reuse`),
but importing the package should not import them all: the pipeline's registry imports only the light
module that declares each stage (`newslens.analyses.reuse.settings`), and a report kernel that reads
cached tables never needs the implementation. So a package's `__init__` names where each name lives:

    __getattr__, __dir__ = lazy_names(__name__, globals(), {
        "settings": ("ReuseSettings", "STAGE"),
        "passages": ("find_reuse", "reuse_pairs"),
    })

and `package.find_reuse` (or `from package import find_reuse`) imports `package.passages` then. A module
of the package (`package.passages`) is reachable as an attribute the same way.
"""
from __future__ import annotations

import importlib
from typing import Any, Callable


def lazy_names(package: str, namespace: dict[str, Any],
               names: dict[str, tuple[str, ...]]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module-level `__getattr__` and `__dir__` of `package`: each name of `names[module]` read
    from `package.module` when first asked for (then kept in `namespace`, the package's globals)."""
    home = {name: module for module, exported in names.items() for name in exported}

    def __getattr__(name: str) -> Any:
        if name in names:
            return importlib.import_module(f"{package}.{name}")
        if name not in home:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{home[name]}"), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(home))

    return __getattr__, __dir__
