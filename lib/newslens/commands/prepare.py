"""`python -m newslens prepare`: build, once per installation, what every render would otherwise build.

- The Vega bundle (Vega, Vega-Lite, Vega-Embed as one script, about 0.9 MB) that each report inlines so
  its charts draw offline. vl-convert builds it in 1.5-2.3 CPU-s; it depends only on the installed
  vl-convert and on the Vega-Lite version the installed Altair writes, so it is built here and kept
  under .cache/render (see newslens.report.htmlexport.vega_bundle). A render that finds none builds it itself.
- The package's bytecode: a checkout's modules are otherwise compiled by the first render, in each of
  its kernels at once.
- The report pages' Jinja templates, compiled (about 0.05 CPU-s of a render's first export otherwise),
  kept signed beside the bundle (see newslens.report.templatecache).
- The stack's import cost (pandas, altair, matplotlib.pyplot, nltk), timed in MEASURE_RUNS fresh kernels
  of the kernel a render uses: the figure each render's summary sets its cost against, which the render
  would otherwise time in one of its own kernels (see newslens.commands.render_stack).

`make` runs this right after installing, so the first `make reports` pays for neither.
"""
from __future__ import annotations

import argparse
import compileall
import time
from pathlib import Path


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--quiet", action="store_true", help="print nothing when all goes well")


def run(args: argparse.Namespace) -> int:
    from newslens.report.htmlexport import altair_bundle_version, bundle_file, compile_templates, vega_bundle

    started = time.perf_counter()
    package = Path(__file__).resolve().parents[1]  # the newslens package
    if not compileall.compile_dir(str(package), quiet=1):
        raise RuntimeError(f"a module under {package} does not compile")
    version = altair_bundle_version()
    path = bundle_file(version)
    existed = path.is_file()
    size = len(vega_bundle(version).encode("utf-8"))
    compile_templates()
    if not path.is_file():
        print(f"newslens: warning: could not keep the Vega bundle in {path.parent} (read-only?); "
              "each render will build it again")
    if not args.quiet:
        how = "already built" if existed else "built"
        print(f"prepared: package bytecode; report templates; Vega bundle for Vega-Lite {version or 'latest'} "
              f"{how} ({size / 2**20:.1f} MB, {path})", flush=True)
    stack = _measure_stack()
    if not args.quiet:
        print(f"prepared: {stack}; all in {time.perf_counter() - started:.1f} s")
    return 0


def _measure_stack() -> str:
    """Time importing the stack in fresh kernels and keep the figure for the renders; what was done."""
    from newslens.commands import render_stack
    from newslens.commands.render_kernel import choose_kernel
    from newslens.report.notebook import STACK

    kernel = choose_kernel(None)
    kept = render_stack.measure_and_keep(kernel)
    if not kept:
        print(f"newslens: warning: no kernel '{kernel}' reported its stack import cost; each render will "
              "time it in one of its own kernels")
        return "stack import not timed"
    if not kept["kept"]:
        print(f"newslens: warning: could not keep the stack's import cost in {render_stack.STACK_COST_FILE} "
              "(read-only?); each render will time it in one of its own kernels")
    runs = ", ".join(f"{r:.2f}" for r in kept["runs"])
    where = f", kept in {render_stack.STACK_COST_FILE}" if kept["kept"] else ""
    return (f"importing the stack ({', '.join(STACK)}) {kept['stack_cpu']:.2f} CPU-s, the median of "
            f"{len(kept['runs'])} fresh '{kernel}' kernel(s) ({runs}){where}")
