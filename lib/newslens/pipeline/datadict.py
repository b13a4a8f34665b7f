"""The data dictionary: every table and column with its type and meaning, from the declarations made
where each table is produced (newslens.core.schema).

`analyze` writes it beside the tables (README.md); the project keeps the full one in
docs/data-dictionary.md, regenerated with

    python -m newslens.pipeline.datadict docs/data-dictionary.md

(tests/project/test_package.py fails when the committed file is out of date).
"""
from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import sys
from pathlib import Path

from newslens.core import schema

TYPE_NOTES = {
    "text": "text",
    "int": "integer",
    "float": "number",
    "bool": "True/False",
    "date": "date (YYYY-MM-DD)",
}


def load_declarations() -> None:
    """Import every module that declares tables: the `*_columns` modules beside the corpus loader and
    the analyses (at any depth, so an analysis split into a package keeps its declarations beside it)."""
    import newslens.analyses
    import newslens.corpus

    for package in (newslens.corpus, newslens.analyses):
        for info in pkgutil.iter_modules(package.__path__):
            _import_columns(f"{package.__name__}.{info.name}", info.ispkg)


def _import_columns(name: str, is_package: bool) -> None:
    last = name.rsplit(".", 1)[-1]
    if last.endswith("_columns") or last == "columns":
        importlib.import_module(name)
    elif is_package:  # look inside for its columns module (importing that imports the package too)
        spec = importlib.util.find_spec(name)
        for info in pkgutil.iter_modules(spec.submodule_search_locations or []):
            _import_columns(f"{name}.{info.name}", info.ispkg)


def dictionary_markdown(tables: list[str] | None = None, heading_level: int = 1) -> str:
    """Markdown for `tables` (None: every declared table), in the order given."""
    load_declarations()
    names = schema.declared_tables() if tables is None else list(tables)
    h = "#" * heading_level
    lines = [
        f"{h} newslens data dictionary",
        "",
        "Every table `newslens analyze` writes: one file per table, `NAME.csv` (UTF-8; a text cell that a "
        "spreadsheet would run as a formula starts with `'`) and/or `NAME.parquet` (typed columns). "
        "`newslens.read_tables(folder)` reads either back with these types (a missing text is an empty "
        "string, a missing number NaN, a missing date NaT). Rows are keyed by `doc_id` "
        "and `sent_id` where they describe articles and sentences; `start`/`end` are character offsets "
        "into the article's cleaned text.",
        "",
    ]
    for name in names:
        columns = schema.columns(name)
        lines += [f"{h}# {name}", ""]
        if schema.about(name):
            lines += [schema.about(name), ""]
        if not columns:
            lines += ["(columns not declared)", ""]
            continue
        lines += ["| column | type | meaning |", "|---|---|---|"]
        for col in columns.values():
            meaning = col.meaning.replace("|", "\\|")
            lines.append(f"| `{col.name}` | {TYPE_NOTES[col.type]} | {meaning} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m newslens.pipeline.datadict OUTPUT.md", file=sys.stderr)
        return 2
    Path(argv[0]).write_text(dictionary_markdown(heading_level=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
