"""`python -m newslens COMMAND ...`: the command line.

Each command lives in its own module exposing `add_arguments(parser)` and `run(args) -> int`;
they are imported only when chosen, so `--help` stays fast. User errors (NewslensError) print one line
naming the culprit and exit with status 2; anything else is a bug and keeps its traceback.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import sys

from newslens.core.errors import NewslensError

# command name -> (module inside newslens, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "analyze": ("commands.analyze", "clean and split a corpus, run every analysis, write the tables (CSV, Parquet)"),
    "render": ("commands.render", "run every notebook and export self-contained HTML reports"),
    "init-manifest": ("commands.init_manifest", "draft a corpus.csv for a folder of .txt articles"),
    "import": ("commands.import_cmd", "make a corpus folder from saved web pages, scraper JSON, archive CSV"),
    "bench": ("commands.bench", "time the whole analyze pipeline on a synthetic corpus of N articles"),
    "evaluate": ("commands.evaluate", "score events and voices against gold stories (gold.json folders)"),
    "prepare": ("commands.prepare",
                "build once what every render reuses (Vega bundle, bytecode, the stack's import time)"),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; with `command`, only that command's module is imported to declare its options (the
    others are listed by name and help), so a command does not wait for every other command's imports
    (init-manifest's pull in pandas: 0.4 s before render could start its first kernel)."""
    from newslens.core.version import VERSION

    parser = argparse.ArgumentParser(
        prog="newslens",
        description="newslens: compare how news outlets cover one story.",
    )
    parser.add_argument("--version", action="version", version=f"newslens {VERSION}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (module, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(_module=module)
        if command is None or command == name:
            importlib.import_module(f"newslens.{module}").add_arguments(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="newslens: %(levelname)s: %(message)s",
                        stream=sys.stderr)
    argv = sys.argv[1:] if argv is None else argv
    chosen = argv[0] if argv and argv[0] in COMMANDS else None
    args = build_parser(chosen).parse_args(argv)
    module = importlib.import_module(f"newslens.{args._module}")
    try:
        return int(module.run(args) or 0)
    except NewslensError as exc:
        print(f"newslens: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        # A path the user gave (or its folder) that cannot be read or written: --out, --cache-dir,
        # --keep on a read-only or missing mount, a full disk. Any other OSError is a bug: re-raised.
        if not exc.filename:
            raise
        print(f"newslens: error: {exc.filename}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("newslens: interrupted", file=sys.stderr)
        return 130
