"""The package's shape: each layer imports only its own layer and those below it, no two modules import
each other in a circle, and modules and functions stay small enough to read.

Layers, lowest first: core < textkit < corpus < analyses < pipeline < report < commands. The top-level
newslens/__init__.py and __main__.py may import anything. Imports are read from the source (ast), at
module level and inside functions alike: an import deferred into a function is still a dependency.
"""
from __future__ import annotations

import ast
from pathlib import Path


PACKAGE = Path(__file__).resolve().parents[2] / "lib" / "newslens"
LAYERS = ("core", "textkit", "corpus", "analyses", "pipeline", "report", "commands")
EXEMPT = {"newslens", "newslens.__main__"}

MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
# A function may be longer when a comment in it (or just above it) says why, with this phrase.
LONG_FUNCTION_MARK = "longer than 60 lines because"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in p.parts}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The package modules a module imports (`from newslens.x import y` counts newslens.x.y when y is a
    module, else newslens.x)."""
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("newslens"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            if not base.startswith("newslens"):
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in known else base)
    return {m for m in found if m != name}


def layer_of(name: str) -> int | None:
    parts = name.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports_of(name, path, set(found)) for name, path in found.items()}


def test_every_module_sits_in_a_layer():
    assert [name for name in modules() if name not in EXEMPT and layer_of(name) is None] == []


def test_no_import_goes_up_a_layer():
    upward = []
    for name, imported in graph().items():
        if name in EXEMPT:
            continue
        for other in sorted(imported):
            if other in EXEMPT or other == "newslens":
                upward.append(f"{name} imports the top-level package ({other})")
            elif layer_of(other) > layer_of(name):
                upward.append(f"{name} ({LAYERS[layer_of(name)]}) imports {other} ({LAYERS[layer_of(other)]})")
    assert upward == []


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One circle of imports between modules (a package imports its own submodules: not counted)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt.startswith(node + "."):
                continue  # a package re-exporting its submodules
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_no_modules_import_each_other_in_a_circle():
    edges = {name: {m for m in imported if not name.startswith(m + ".")}  # a submodule may use its package
             for name, imported in graph().items()}
    cycle = find_cycle(edges)
    assert cycle is None, " -> ".join(cycle)


def test_the_layer_checks_catch_an_upward_import_and_a_circle():
    assert layer_of("newslens.corpus.loader") < layer_of("newslens.pipeline.run")
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


# --- size ------------------------------------------------------------------------------------------

def long_functions(path: Path, name: str | None = None) -> list[str]:
    """Functions over MAX_FUNCTION_LINES lines without a comment saying why, as "module:function (n)"."""
    name = name or module_name(path)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    out = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            start = min([node.lineno] + [d.lineno for d in node.decorator_list])
            n = node.end_lineno - start + 1
            around = "\n".join(lines[max(0, start - 4): node.end_lineno])
            if n > MAX_FUNCTION_LINES and LONG_FUNCTION_MARK not in around:
                out.append(f"{name}:{node.name} ({n} lines)")
    return out


def size_offenders() -> tuple[list[str], list[str]]:
    big = [f"{name} ({n} lines)" for name, path in modules().items()
           if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES]
    long = [f for path in modules().values() for f in long_functions(path)]
    return big, long


def test_modules_and_functions_are_small():
    """No module over 500 lines and no function over 60 (unless a comment says why it must be longer):
    every module of the package, with no exemption list."""
    big, long = size_offenders()
    assert big + long == [], "\n".join(big + long)


def test_the_size_check_finds_a_long_function(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    long = tmp_path / "long.py"
    long.write_text(f"def f():\n{body}\n", encoding="utf-8")
    explained = tmp_path / "explained.py"
    explained.write_text(f"def f():\n    # {LONG_FUNCTION_MARK} it is one table\n{body}\n", encoding="utf-8")
    assert long_functions(long, "long") == [f"long:f ({MAX_FUNCTION_LINES + 1} lines)"]
    assert long_functions(explained, "explained") == []
