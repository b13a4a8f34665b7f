"""One call that prepares a notebook kernel for newslens charts: `newslens.report.notebook.setup()`.

- Altair charts are displayed with a bundle holding both the Vega-Lite spec
  (`application/vnd.vegalite.v6+json`) and Altair's usual HTML. The render step turns the spec into an
  offline, interactive chart in the HTML report (Vega inlined once per page); JupyterLab shows whichever
  it can draw. Altair 6.3's own "mimetype" renderer is not used: it emits the key
  `application/vnd.vegalite.v6.json` (".json", not "+json"), which nbformat rejects when papermill saves
  the notebook, so every notebook with a chart would fail.
- No 5000-row limit: chart functions keep their data small (aggregate first), and a user's larger corpus
  must not make a chart fail.

The render step runs this in a hidden cell before each notebook, so a notebook works even if it does not
call it; calling it at the top of a notebook makes an interactive session behave the same way. Returns
nothing (no stray registry repr as the cell's output).
"""
from __future__ import annotations

RENDERER = "newslens"


def chart_bundle(spec: dict, **metadata):
    """Altair renderer: the Vega-Lite spec under a valid mimetype, plus Altair's HTML for live sessions."""
    import altair as alt
    from altair.vegalite.v6.display import html_renderer

    bundle = html_renderer(spec, **metadata)
    extra = {}
    if isinstance(bundle, tuple):
        bundle, extra = bundle
    major = alt.SCHEMA_VERSION.lstrip("v").split(".")[0]
    return {**bundle, f"application/vnd.vegalite.v{major}+json": spec}, extra


def setup() -> None:
    import altair as alt

    if RENDERER not in alt.renderers.names():
        alt.renderers.register(RENDERER, chart_bundle)
    alt.renderers.enable(RENDERER)
    alt.data_transformers.disable_max_rows()
    from newslens.report import theme

    theme.register()  # one look across reports


# The stack every report's kernel pays for before any analysis: render's summary sets the whole render's
# cost against "kernel start + importing these" per notebook (issue 8).
STACK = ("pandas", "altair", "matplotlib.pyplot", "nltk")
STARTUP_MARK = "newslens-startup-cost "


def startup_cost(measure_stack: bool = False) -> str:
    """One line for the render step (it asks each kernel for it as soon as the kernel is up): this
    kernel's CPU seconds so far, i.e. its start-up (interpreter, ipykernel, IPython), and with
    `measure_stack` the CPU seconds of importing STACK. CPU seconds, not wall: several kernels start at
    once, and CPU time does not grow with the contention. Call it before anything imports the stack."""
    import importlib
    import json

    try:
        import resource
    except ImportError:  # not on Unix: nothing to measure
        return STARTUP_MARK + "{}"

    def cpu() -> float:
        r = resource.getrusage(resource.RUSAGE_SELF)
        return r.ru_utime + r.ru_stime

    start = cpu()
    info = {"kernel_cpu": round(start, 3)}
    if measure_stack:
        for name in STACK:  # imported into sys.modules only: no names land in the notebook's namespace
            importlib.import_module(name)
        info["stack_cpu"] = round(cpu() - start, 3)
    return STARTUP_MARK + json.dumps(info)
