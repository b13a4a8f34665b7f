"""Executed notebook -> one self-contained HTML page that opens with no network and runs only its own code.

What the page holds:
- every Altair chart as a `<div>` plus its own small `<script>` calling `vegaEmbed` (interactive: tooltips,
  selections), with the Vega / Vega-Lite / Vega-Embed JavaScript (from vl-convert) inlined ONCE in the head;
- matplotlib figures as the PNG the kernel produced;
- every other HTML / Markdown output sanitized with an allow-list (article text is untrusted: a `<script>` or
  `<img onerror=...>` that slipped past `newslens.report.display.esc` shows as text or is dropped, never runs);
- a Content-Security-Policy that lets only this page's own scripts run (by SHA-256) and fetches nothing;
- code hidden for readers (`with_code=False`), shown for reviewers (`with_code=True`);
- no stray outputs (renderer-registry reprs, `<Figure size ...>`, `[<matplotlib.lines.Line2D ...>]`).

    from newslens.report.htmlexport import export_html
    html, info = export_html(executed_notebook_node, with_code=False, title="Corpus overview")
"""
from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import re
import secrets
import threading
from pathlib import Path

import bleach
import nbformat
from bleach.css_sanitizer import CSSSanitizer
from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor
from traitlets.config import Config

from newslens.core.atomic import write_text_atomic
from newslens.core.paths import cache_dir
from newslens.report.cleanform import already_clean
from newslens.report.nbcopy import VEGALITE_MIMETYPE, light_copy
from newslens.report.pagefinish import finish_page
from newslens.report.templatecache import SignedBytecodeCache

TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATE_NAME = "newslens_html"
# The mimetype the chart preprocessor gives a converted chart; only the template's data_other block shows it.
CHART_MIMETYPE = "application/vnd.newslens.chart+html"
# Cells the render step adds (setup) and that readers never need to see.
SETUP_TAG = "newslens-setup"

# Outputs that are only the repr of a library object returned by the last line of a cell.
STRAY_TEXT = [
    re.compile(r"^(Renderer|DataTransformer|Theme)Registry\.enable\(.*\)$", re.S),
    re.compile(r"^<Figure size [^>]*>$"),
    re.compile(r"^\[?<matplotlib\.[\w.]+ (object )?at 0x[0-9a-f]+>(, <matplotlib\.[\w.]+ (object )?at 0x[0-9a-f]+>)*\]?$", re.S),
    re.compile(r"^<(Axes|AxesSubplot)[^>]*>$"),
    re.compile(r"^Text\(.*\)$", re.S),
    re.compile(r"^<[\w.]+ (object )?at 0x[0-9a-f]+>$"),
]

# --- sanitizing ---------------------------------------------------------------------------------------

ALLOWED_TAGS = [
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "var",
]
# No event handlers, no `id` outside headings (nothing an article can use to clobber the page's own ids).
ALLOWED_ATTRIBUTES = {
    "*": ["class", "title", "lang", "dir"],
    "a": ["href", "title"],
    "img": ["src", "alt", "width", "height"],
    "td": ["colspan", "rowspan", "align", "style"],
    "th": ["colspan", "rowspan", "align", "style"],
    "tr": ["style"],
    "col": ["span"],
    "ol": ["start"],
    **{f"h{i}": ["id"] for i in range(1, 7)},
}
ALLOWED_PROTOCOLS = ["http", "https", "mailto", "data"]
_CSS = CSSSanitizer(allowed_css_properties=["text-align", "vertical-align", "white-space"])


def _allow_img_src(tag: str, name: str, value: str) -> bool:
    if name == "src":
        # Embedded pictures only: a remote image would be a network request and a tracking pixel. An SVG
        # shown as an <img> runs no script and loads nothing (browsers treat it as a static picture).
        return value.startswith(("data:image/png;base64,", "data:image/jpeg;base64,",
                                 "data:image/svg+xml;base64,"))
    return name in ALLOWED_ATTRIBUTES["img"] or name in ALLOWED_ATTRIBUTES["*"]


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "img":
        return _allow_img_src(tag, name, value)
    if tag == "a" and name == "href":
        # Links out are fine; `data:` and `javascript:` URLs in links are not (bleach checks protocols too).
        return not value.strip().lower().startswith("data:")
    return name in ALLOWED_ATTRIBUTES.get(tag, []) or name in ALLOWED_ATTRIBUTES["*"]


_ALLOWED_TAG_SET = frozenset(ALLOWED_TAGS)


def clean_html(fragment) -> str:
    """Sanitize an HTML fragment with an allow-list: disallowed tags become visible text, handlers go.

    A fragment already in the exact form bleach would give back (the reports' own escaped tables and
    Markdown, see newslens.report.cleanform) is returned as it is, without parsing it again."""
    text = fragment.decode() if isinstance(fragment, bytes) else str(fragment)
    if already_clean(text, _ALLOWED_TAG_SET, _allow_attribute):
        return text
    return bleach.clean(
        text, tags=ALLOWED_TAGS, attributes=_allow_attribute, protocols=ALLOWED_PROTOCOLS,
        css_sanitizer=_CSS, strip=False, strip_comments=True,
    )


# --- the Vega bundle --------------------------------------------------------------------------------------

# vl-convert builds its JavaScript bundle in about 2.3 CPU-s, in every process that asks for it: keep it on
# disk, keyed by the vl-convert version (which fixes the bundle's content) and the Vega-Lite version.
BUNDLE_CACHE_DIR = cache_dir("render")


def bundle_file(vl_version: str | None = None) -> Path:
    """Where the bundle for a Vega-Lite version (None: vl-convert's latest) is kept."""
    from importlib.metadata import version

    return BUNDLE_CACHE_DIR / f"vega-bundle-{version('vl-convert-python')}-{vl_version or 'default'}.js"


def altair_bundle_version() -> str | None:
    """The Vega-Lite version of the bundle that the installed Altair's charts are drawn with."""
    import altair as alt

    return bundle_version_for(alt.SCHEMA_URL)


@functools.lru_cache(maxsize=4)
def vega_bundle(vl_version: str | None = None) -> str:
    """Vega + Vega-Lite + Vega-Embed as one classic script defining window.vegaEmbed (from vl-convert).

    Wrapped in a function so the bundle's top-level names do not leak into the page's global scope.
    Read from BUNDLE_CACHE_DIR when an earlier run (or `python -m newslens prepare`, which `make`
    runs after installing) built the same bundle.
    """
    cached = bundle_file(vl_version)
    try:
        return cached.read_text(encoding="utf-8")
    except OSError:
        pass
    import vl_convert as vlc

    source = vlc.javascript_bundle(vl_version=vl_version) if vl_version else vlc.javascript_bundle()
    bundle = "(function(){\n" + _script_safe(source) + "\n})();"
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(cached, bundle)
    except OSError:
        pass  # a read-only checkout still renders; it only builds the bundle again next time
    return bundle


def bundle_version_for(schema_url: str | None) -> str | None:
    """The vl-convert Vega-Lite version (e.g. '6.4') matching a spec's $schema, or None for the latest."""
    import vl_convert as vlc

    match = re.search(r"/v(\d+)\.(\d+)", schema_url or "")
    if not match:
        return None
    wanted = f"{match.group(1)}.{match.group(2)}"
    available = vlc.get_vegalite_versions()
    if wanted in available:
        return wanted
    same_major = [v for v in available if v.split(".")[0] == match.group(1)]
    return same_major[-1] if same_major else None


def _script_safe(js: str) -> str:
    """Make text safe inside <script>...</script>: it cannot close the tag or open an HTML comment."""
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.I).replace("<!--", "<\\!--")


def _json_for_script(value) -> str:
    """JSON that cannot end a <script> element whatever strings (article text in tooltips) it carries."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# The page's helper: draws one chart, marks its div drawn / failed so a reader (and the browser test)
# can see which chart did not draw. Defined once in the head, after the bundle.
EMBED_HELPER = """(function(){
  window.newslensEmbed = function (id, spec) {
    var el = document.getElementById(id);
    if (!el) { return; }
    if (typeof window.vegaEmbed !== "function") {
      el.setAttribute("data-newslens-chart", "failed");
      el.textContent = "This chart could not be drawn: the Vega library did not load.";
      return;
    }
    window.vegaEmbed(el, spec, {mode: "vega-lite", actions: {export: true, source: false, compiled: false, editor: false}})
      .then(function () { el.setAttribute("data-newslens-chart", "drawn"); })
      .catch(function (err) {
        el.setAttribute("data-newslens-chart", "failed");
        var note = document.createElement("p");
        note.className = "newslens-chart-error";
        note.textContent = "This chart could not be drawn: " + (err && err.message ? err.message : err);
        el.appendChild(note);
        if (window.console) { console.error(err); }
      });
  };
})();"""

PAGE_CSS = """
.newslens-chart { min-height: 2em; }
.newslens-chart-error { color: #a00; }
.newslens-footer { margin: 2em 1em 1em; color: #555; font-size: 85%; border-top: 1px solid #ddd; padding-top: .5em; }
.jp-OutputArea-output table.newslens-table td, .jp-OutputArea-output table.newslens-table th { text-align: left; vertical-align: top; }
.newslens-scroll { max-width: 100%; overflow-x: auto; max-height: 36em; overflow-y: auto; border: 1px solid #e3e3e3; }
table.newslens-table { border-collapse: collapse; font-size: 90%; }
table.newslens-table th { position: sticky; top: 0; background: #f6f6f6; }
table.newslens-table td, table.newslens-table th { padding: .25em .6em; border-bottom: 1px solid #eee; max-width: 32em; }
table.newslens-table td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.newslens-table td.text { min-width: 22em; }
table.newslens-table td.date { white-space: nowrap; }
.newslens-cut { cursor: help; border-bottom: 1px dotted #999; }
.newslens-more { color: #555; font-size: 90%; }
.newslens-findings { border: 2px solid #0072B2; background: #f3f8fc; border-radius: 6px; padding: .6em 1.2em; margin: .5em 0 1em; font-size: 105%; }
.newslens-findings-title { font-size: 120%; margin: .2em 0; }
.newslens-findings li { margin: .35em 0; }
.newslens-findings img.newslens-preview { display: none; }
.newslens-toc ol { columns: 2; margin: .3em 0 1em; }
@media print { .vega-embed details { display: none; } }
"""


def _sha256_source(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


@functools.lru_cache(maxsize=4)
def _bundle_sha256(vl_version: str | None) -> str:
    """The CSP hash of a Vega bundle: its 0.9 MB hashed once a process, not once a page."""
    return _sha256_source(vega_bundle(vl_version))


# --- preprocessors -----------------------------------------------------------------------------------------

class StrayOutputPreprocessor(Preprocessor):
    """Drop outputs that are only a library object's repr; for readers also drop stderr (warnings)."""

    drop_stderr = False

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        kept = []
        for out in cell.get("outputs", []):
            if out.output_type == "stream" and out.name == "stderr" and self.drop_stderr:
                continue
            if out.output_type in ("execute_result", "display_data"):
                data = out.get("data", {})
                rich = [k for k in data if k != "text/plain"]
                plain = str(data.get("text/plain", "")).strip()
                if not rich and any(p.match(plain) for p in STRAY_TEXT):
                    continue
            kept.append(out)
        cell.outputs = kept
        return cell, resources


class ChartPreprocessor(Preprocessor):
    """Turn each Vega-Lite output into a div + its own embed script; collect script hashes for the CSP.

    Runs after nothing else has touched outputs; any output already claiming the chart mimetype (which
    only this preprocessor may produce) is removed first, so a notebook cannot smuggle raw HTML past
    the sanitizer under that name.
    """

    def preprocess(self, nb, resources):
        state = resources.setdefault("newslens", {})
        state.setdefault("chart_scripts", [])
        state.setdefault("schemas", [])
        state["token"] = secrets.token_hex(4)  # chart ids nobody can predict from article text
        state["n_charts"] = 0
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        state = resources["newslens"]
        for out in cell.get("outputs", []):
            data = out.get("data")
            if not data:
                continue
            data.pop(CHART_MIMETYPE, None)
            spec_key = next((k for k in data if VEGALITE_MIMETYPE.match(k)), None)
            if spec_key is not None:
                spec = data[spec_key]
                spec = json.loads(spec) if isinstance(spec, str) else spec
            else:
                spec = altair_html_spec(data.get("text/html"))
                if spec is None:
                    continue
            chart_id = f"newslens-chart-{state['token']}-{state['n_charts']}"
            state["n_charts"] += 1
            state["schemas"].append(spec.get("$schema"))
            script = f'newslensEmbed("{chart_id}", {_json_for_script(spec)});'
            state["chart_scripts"].append(script)
            # Only the chart remains: no text/plain "alt.Chart(...)" fallback, no CDN-loading HTML.
            out["data"] = {CHART_MIMETYPE: (
                f'<div class="newslens-chart" id="{chart_id}" data-newslens-chart="pending"></div>\n'
                f"<script>{script}</script>"
            )}
        # An output left with nothing to show (e.g. a forged chart output) goes.
        cell.outputs = [o for o in cell.outputs if "data" not in o or o["data"]]
        return cell, resources


def altair_html_spec(fragment) -> dict | None:
    """The Vega-Lite spec inside the HTML of Altair's default ("html") renderer, or None.

    Lets a notebook that did not switch Altair to the mimetype renderer still get offline charts: that
    HTML loads Vega from a CDN, so it is replaced by our own embed. The spec is the first argument of
    the renderer's `(function(spec, embedOpt){...})({...}, {...})` call.
    """
    if not fragment:
        return None
    text = "".join(fragment) if isinstance(fragment, list) else str(fragment)
    if "altair-viz-" not in text or "vegaEmbed" not in text:
        return None
    start = text.rfind("})(")
    if start < 0:
        return None
    try:
        spec, _ = json.JSONDecoder().raw_decode(text, start + 3)
    except json.JSONDecodeError:
        return None
    return spec if isinstance(spec, dict) and "$schema" in spec else None


# --- the exporter -------------------------------------------------------------------------------------------

class NewslensHTMLExporter(HTMLExporter):
    """nbconvert's JupyterLab HTML, sanitized, offline, with Vega inlined once (see the module doc)."""

    def __init__(self, with_code: bool = False, **kw):
        config = Config()
        config.HTMLExporter.sanitize_html = True
        config.HTMLExporter.exclude_input = not with_code
        config.HTMLExporter.exclude_input_prompt = not with_code
        config.HTMLExporter.exclude_output_prompt = True
        config.TagRemovePreprocessor.remove_cell_tags = {SETUP_TAG}
        config.TagRemovePreprocessor.enabled = True
        config.HTMLExporter.extra_template_basedirs = [str(TEMPLATE_DIR)]
        config.HTMLExporter.template_name = TEMPLATE_NAME
        # Validate the notebook once, after the last preprocessor, not after each of nbconvert's 16
        # (it is valid: papermill wrote it; an invalid one still fails the export).
        config.HTMLExporter.optimistic_validation = True
        super().__init__(config=config, **kw)
        stray = StrayOutputPreprocessor()
        stray.drop_stderr = not with_code
        self.register_preprocessor(TagRemovePreprocessor(config=config), enabled=True)
        self.register_preprocessor(stray, enabled=True)
        self.register_preprocessor(ChartPreprocessor(), enabled=True)
        self.register_preprocessor(FinishPreprocessor(), enabled=True)

    def default_filters(self):
        yield from super().default_filters()
        yield ("clean_html", clean_html)

    def from_notebook_node(self, nb, resources=None, **kw):
        """HTMLExporter.from_notebook_node (nbconvert 7) with its last step, BeautifulSoup over the whole
        page, done by newslens.report.pagefinish: the same page in less than half the CPU."""
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        highlight_code = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
        resources = self._init_resources(resources)
        filter_data_type = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self,
                                                 resources=resources)
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", filter_data_type)
        page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return finish_page(page, self.log), resources

    @property
    def default_config(self):
        c = super().default_config
        c.merge(Config({"NbConvertBase": {"display_data_priority": [
            CHART_MIMETYPE, "application/vnd.jupyter.widget-view+json", "text/html", "text/markdown",
            "image/svg+xml", "text/latex", "image/png", "image/jpeg", "text/plain",
        ]}}))
        return c


class FinishPreprocessor(Preprocessor):
    """Last step before the template: bundle (only when the page has charts), helper, CSS, and the CSP
    that allows exactly those scripts."""

    def preprocess(self, nb, resources):
        state = resources.setdefault("newslens", {})
        scripts = state.get("chart_scripts", [])
        head, head_hashes = [], []
        if scripts:
            schemas = [s for s in state.get("schemas", []) if s]
            version = bundle_version_for(schemas[0] if schemas else None)
            head = [vega_bundle(version), EMBED_HELPER]
            head_hashes = [_bundle_sha256(version), _sha256_source(EMBED_HELPER)]
            # The template gets a placeholder for the 0.9 MB bundle, which export_html puts in its place
            # afterwards: nbconvert parses the whole page once more (BeautifulSoup, for alt texts and
            # tab stops), and has no reason to read through Vega. The token makes the placeholder
            # impossible to guess from article text (which is escaped anyway).
            state["bundle"] = head[0]
            state["bundle_placeholder"] = f"/*newslens-vega-bundle-{state.get('token', '')}*/"
        state["head_scripts"] = [state["bundle_placeholder"], *head[1:]] if head else []
        state["css"] = PAGE_CSS
        state["footer"] = html.escape(state.get("footer_text", ""))
        state["chart_mimetype"] = CHART_MIMETYPE
        hashes = " ".join(head_hashes + [_sha256_source(s) for s in scripts])
        # Vega compiles its expressions with Function(): 'unsafe-eval' is needed for charts, and only then.
        script_src = f"{hashes} 'unsafe-eval'" if scripts else "'none'"
        state["csp"] = (
            "default-src 'none'; "
            f"script-src {script_src}; "
            "style-src 'unsafe-inline'; img-src data: blob:; font-src data:; "
            "connect-src 'none'; form-action 'none'; base-uri 'none'; frame-src 'none'; object-src 'none'"
        )
        return nb, resources


def export_html(nb, with_code: bool = False, title: str | None = None, footer: str = "") -> tuple[str, dict]:
    """Render an executed notebook (NotebookNode or path) to one HTML page; returns (html, info).

    info: {"charts": number of charts embedded, "bundles": 1 if the Vega bundle was inlined else 0}.
    """
    if not isinstance(nb, nbformat.NotebookNode):
        nb = nbformat.read(str(nb), as_version=4)
    nb = light_copy(nb)
    if title:
        nb.metadata["title"] = title
    resources = {"metadata": {"name": title or "report"}, "newslens": {"footer_text": footer}}
    with _EXPORTER_LOCK:
        body, resources = _exporter(with_code).from_notebook_node(nb, resources=resources)
    state = resources["newslens"]
    if state.get("bundle"):
        placeholder = f"<script>{state['bundle_placeholder']}</script>"
        if body.count(placeholder) != 1:
            raise RuntimeError(f"the report template holds the Vega bundle's placeholder {body.count(placeholder)} "
                               "times, not once")
        before, _, after = body.partition(placeholder)
        body = f"{before}<script>{state['bundle']}</script>{after}"
    return body, {"charts": state.get("n_charts", 0), "bundles": 1 if state.get("head_scripts") else 0}


# One exporter per page kind, kept: a new one compiles nbconvert's ~10 Jinja templates again (about
# 0.1 CPU-s a page). Its preprocessors keep their state in `resources`, so pages do not share any; the
# lock keeps two threads from using one exporter at once.
_EXPORTER_LOCK = threading.Lock()


@functools.lru_cache(maxsize=2)
def _exporter(with_code: bool) -> NewslensHTMLExporter:
    exporter = NewslensHTMLExporter(with_code=with_code)
    exporter.environment.bytecode_cache = SignedBytecodeCache(BUNDLE_CACHE_DIR)
    return exporter


def compile_templates() -> None:
    """Compile both page kinds' templates into the bytecode cache (for `python -m newslens prepare`)."""
    for with_code in (False, True):
        export_html(nbformat.v4.new_notebook(), with_code=with_code)
