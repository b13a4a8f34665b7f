"""The render step without a browser: the HTML export (offline charts, sanitizing, stray outputs, CSP),
planning (parameters, config sets), one-line failure messages, the index, and the corpus overview tables.

Browser checks are in test_browser.py; notebooks running end to end in test_notebooks.py.
"""
from __future__ import annotations

import base64
import copy
import hashlib
import re
import types
from html.parser import HTMLParser
from pathlib import Path

import altair as alt
import nbformat
import pandas as pd
import pytest

from newslens.report import htmlexport
from newslens.commands import render
from newslens.report.charts import corpus as corpus_charts
from newslens.core.errors import ParameterError
from newslens.analyses.overview import corpus_facts, outlet_table, removed_lines, removed_summary
from newslens.core.paths import PROJECT_ROOT

FIXTURE_NOTEBOOKS = PROJECT_ROOT / "tests" / "fixtures" / "render_notebooks"
HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
# What a bundle's last statement sets, once per bundle.
BUNDLE_MARK = "window.vegaEmbed="


class Elements(HTMLParser):
    """Every element with its attributes, and the text of every <script>, as a browser would parse it."""

    def __init__(self, text: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def _chart(title: str, tooltip_text: str) -> alt.Chart:
    df = pd.DataFrame({"x": [1, 2, 3], "y": [3, 1, 2], "text": [tooltip_text, "b", "c"]})
    return alt.Chart(df).mark_point().encode(x="x:Q", y="y:Q", tooltip=["text:N"]).properties(title=title)


def _executed_notebook() -> nbformat.NotebookNode:
    """A notebook as a kernel would leave it: two charts (one as the spec mimetype, one as Altair's
    default CDN-loading HTML), a PNG, stray reprs, escaped and unescaped hostile text, stderr noise."""
    from newslens.report.notebook import chart_bundle

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "newslens", "display_name": "Python 3 (newslens)", "language": "python"}
    spec_bundle, _ = chart_bundle(_chart("first", "</script><script>window.__pwned=3</script>").to_dict())
    html_bundle = _chart("second", "plain")._repr_mimebundle_()
    html_bundle = html_bundle[0] if isinstance(html_bundle, tuple) else html_bundle
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"0" * 20).decode()
    cells = [
        nbformat.v4.new_markdown_cell("# Fixture report\n\nWhat it answers."),
        nbformat.v4.new_code_cell("import secret_setup_code", metadata={"tags": [htmlexport.SETUP_TAG]}),
        nbformat.v4.new_code_cell("chart_one", outputs=[nbformat.v4.new_output(
            "execute_result", data=spec_bundle, execution_count=1)]),
        nbformat.v4.new_code_cell("chart_two", outputs=[nbformat.v4.new_output(
            "execute_result", data=html_bundle, execution_count=2)]),
        nbformat.v4.new_code_cell("figure", outputs=[
            nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "<Figure size 400x250 with 1 Axes>"}),
            nbformat.v4.new_output("execute_result", data={"text/plain": "Text(0.5, 1.0, 'sentence length')"}, execution_count=3),
        ]),
        nbformat.v4.new_code_cell("alt.renderers.enable('mimetype')", outputs=[nbformat.v4.new_output(
            "execute_result", data={"text/plain": "RendererRegistry.enable('mimetype')"}, execution_count=4)]),
        nbformat.v4.new_code_cell("display(HTML(title))", outputs=[
            nbformat.v4.new_output("display_data", data={"text/html": f"<p>{HOSTILE}</p><table><tr><td>ok</td></tr></table>"}),
            nbformat.v4.new_output("display_data", data={"text/markdown": f"**bold** {HOSTILE} [x](javascript:alert(1))"}),
            nbformat.v4.new_output("display_data", data={htmlexport.CHART_MIMETYPE: "<script>window.__pwned=4</script>"}),
            nbformat.v4.new_output("stream", name="stderr", text="FutureWarning: something\n"),
        ]),
    ]
    nb.cells = cells
    return nb


@pytest.fixture(scope="module")
def exported():
    nb = _executed_notebook()
    before = copy.deepcopy(nb)
    reader, info = htmlexport.export_html(nb, with_code=False, title="Fixture report", footer="footer <b>x</b>")
    reviewer, _ = htmlexport.export_html(nb, with_code=True, title="Fixture report")
    assert nb == before  # exporting leaves the caller's notebook as it was (no title, specs still dicts)
    again, _ = htmlexport.export_html(nb, with_code=True, title="Fixture report")
    assert re.sub(r"newslens-chart-[0-9a-f]+-|sha256-[^']+|bundle-[0-9a-f]+", "", again) == \
        re.sub(r"newslens-chart-[0-9a-f]+-|sha256-[^']+|bundle-[0-9a-f]+", "", reviewer)
    return reader, reviewer, info


def test_vega_bundle_is_inlined_once_and_each_chart_has_its_own_embed(exported):
    reader, _, info = exported
    assert info == {"charts": 2, "bundles": 1}
    assert reader.count(BUNDLE_MARK) == 1
    assert "newslens-vega-bundle-" not in reader  # the placeholder export_html puts the bundle in place of
    parsed = Elements(reader)
    chart_divs = [a for t, a in parsed.elements if t == "div" and a.get("class") == "newslens-chart"]
    embeds = [s for s in parsed.scripts if s.startswith("newslensEmbed(")]
    assert len(chart_divs) == 2 and len(embeds) == 2
    # Each embed call names its own div.
    assert sorted(re.match(r'newslensEmbed\("([^"]+)"', s).group(1) for s in embeds) == \
        sorted(a["id"] for a in chart_divs)
    # Altair's default HTML output (which loads Vega from a CDN) became one of our embeds.
    assert "cdn.jsdelivr" not in reader and "requirejs" not in reader.lower().replace("require.js", "")
    assert not re.search(r"<script[^>]+src=", reader)


def test_csp_allows_exactly_the_pages_own_scripts(exported):
    reader, _, _ = exported
    parsed = Elements(reader)
    csp = next(a["content"] for t, a in parsed.elements
               if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    allowed = set(re.findall(r"'sha256-([^']+)'", csp))
    hashes = {base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in parsed.scripts}
    assert hashes == allowed
    assert "connect-src 'none'" in csp and "default-src 'none'" in csp


def test_untrusted_markup_shows_as_text_and_runs_nothing(exported):
    reader, _, _ = exported
    parsed = Elements(reader)
    for tag, attrs in parsed.elements:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert not (tag == "img" and attrs.get("src") == "x")
        assert not any(str(v).strip().lower().startswith("javascript:") for v in attrs.values())
    assert not [s for s in parsed.scripts if "__pwned" in s and not s.startswith("newslensEmbed(")]
    # The tooltip text that tried to close the script is data inside the JSON, not markup.
    first = next(s for s in parsed.scripts if s.startswith("newslensEmbed("))
    assert "</script" not in first and "\\u003c/script\\u003e" in first
    # The escaped markup is visible as text; the forged chart output was dropped entirely.
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in reader
    assert "window.__pwned=4" not in reader
    # Harmless structure survives the sanitizer.
    assert "<table>" in reader and "<strong>bold</strong>" in reader
    assert "footer &lt;b&gt;x&lt;/b&gt;" in reader


def test_stray_outputs_and_code_hidden_for_readers(exported):
    reader, reviewer, _ = exported
    for stray in ("RendererRegistry.enable", "Text(0.5, 1.0", "&lt;Figure size"):
        assert stray not in reader and stray not in reviewer
    assert "data:image/png;base64," in reader
    assert "FutureWarning" not in reader and "FutureWarning" in reviewer
    assert "chart_one" not in reader and "chart_one" in reviewer
    # The render step's hidden setup cell is in neither.
    assert "secret_setup_code" not in reader and "secret_setup_code" not in reviewer


def test_altair_html_spec_reads_the_default_renderer_output():
    html = _chart("t", "x")._repr_mimebundle_()
    html = (html[0] if isinstance(html, tuple) else html)["text/html"]
    spec = htmlexport.altair_html_spec(html)
    assert spec["title"] == "t" and spec["mark"]["type"] == "point"
    assert htmlexport.altair_html_spec("<p>not a chart</p>") is None


def test_clean_html_keeps_tables_drops_handlers():
    cleaned = htmlexport.clean_html('<table><tr><th>a</th></tr></table><b onmouseover="x()">b</b>'
                                    '<img src="http://tracker/p.png"><iframe src="javascript:x"></iframe>')
    assert "<th>a</th>" in cleaned and "<b>b</b>" in cleaned
    assert "onmouseover" not in cleaned and "http://tracker" not in cleaned
    assert "<iframe" not in cleaned and "&lt;iframe" in cleaned


# --- planning -------------------------------------------------------------------------------------------

def _args(tmp_path, **kw):
    return types.SimpleNamespace(out=str(tmp_path), with_code=False, kernel="newslens", timeout=60, **kw)


def _notebook_with(tmp_path: Path, name: str, params_source: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "newslens", "display_name": "Python 3 (newslens)", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {name} title\n\nWhat {name} answers."),
                nbformat.v4.new_code_cell(params_source, metadata={"tags": ["parameters"]})]
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, str(path))
    return path


def test_plan_injects_only_declared_parameters_and_runs_shared_reports_once(tmp_path):
    overview = _notebook_with(tmp_path, "01_overview", 'corpus: str = "data/corpus.csv"  # manifest')
    pair = _notebook_with(tmp_path, "02_pair",
                          'corpus: str = "data/corpus.csv"  # manifest\n'
                          'source_a: str = ""  # outlet A, empty = default\nsource_b: str = ""  # outlet B')
    config = {"sets": [{"name": "wsws-vs-dw", "parameters": {"source_a": "WSWS", "source_b": "DW"}},
                       {"name": "f24-vs-usn", "parameters": {"source_a": "France 24", "source_b": "USN"}}]}
    sets = render.parameter_sets(config, {})
    jobs = render.plan_jobs([overview, pair], sets, Path("/c/corpus.csv"), _args(tmp_path), "f")
    names = {j.name: j for j in jobs}
    assert set(names) == {"01_overview", "02_pair--wsws-vs-dw", "02_pair--f24-vs-usn"}
    assert names["01_overview"].parameters == {"corpus": "/c/corpus.csv"}
    assert names["01_overview"].sets == ["wsws-vs-dw", "f24-vs-usn"]
    assert names["02_pair--f24-vs-usn"].parameters == {
        "corpus": "/c/corpus.csv", "source_a": "France 24", "source_b": "USN"}
    assert names["02_pair--wsws-vs-dw"].title == "02_pair title"
    assert names["02_pair--wsws-vs-dw"].question == "What 02_pair answers."


def test_plan_rejects_a_parameter_no_notebook_declares(tmp_path):
    overview = _notebook_with(tmp_path, "01_overview", 'corpus: str = "data/corpus.csv"  # manifest')
    with pytest.raises(ParameterError, match=r"sourse_a .*declared by no notebook.*corpus"):
        render.plan_jobs([overview], render.parameter_sets({}, {"sourse_a": "x"}), Path("/c.csv"),
                         _args(tmp_path), "f")


def test_config_errors_name_the_culprit(tmp_path):
    bad = tmp_path / "sets.yaml"
    bad.write_text("sets:\n  - name: a b\n    parameters: {}\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="set name 'a b'"):
        render.parameter_sets(render.load_config(str(bad)), {})
    bad.write_text("sets: [\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="not valid YAML"):
        render.load_config(str(bad))
    bad.write_text("set:\n  - name: a\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="unknown key.*set"):
        render.load_config(str(bad))


def test_failing_cell_is_one_line_naming_the_cell():
    from papermill.exceptions import PapermillExecutionError

    nb = nbformat.read(str(FIXTURE_NOTEBOOKS / "chart_demo.ipynb"), as_version=4)
    code = nb.cells[5].source
    exc = PapermillExecutionError(7, 3, code, "KeyError", "'outlet'\nmore lines", ["tb"])
    line = render.failing_cell(nb, None, exc)
    assert "\n" not in line
    assert line.startswith("cell 6 (`per_outlet = ")
    assert line.endswith("KeyError: 'outlet'")


def test_atomic_write_leaves_no_partial_file(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("old good report", encoding="utf-8")

    with pytest.raises(TypeError):
        render.atomic_write_text(target, None)  # fails while writing
    assert target.read_text(encoding="utf-8") == "old good report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_index_escapes_titles_and_lists_provenance():
    from newslens.report.indexpage import index_html

    reports = [{"name": "a", "notebook": "a.ipynb", "title": "<script>x</script>", "question": "q <b>",
                "parameters": {"source_a": "<i>o</i>"}, "sets": [], "html": "a.html", "code_html": None,
                "status": "failed", "error": "cell 3: KeyError: 'x'", "failed_at": "t",
                "last_good": "2026-01-01", "failed_notebook": "failed/a.ipynb"}]
    prov = {"rendered_at": "t", "git_commit": "abc", "manifest": "m.csv", "manifest_sha256": "f" * 64,
            "documents": [{"doc_id": "d1", "path": "a.txt", "sha256": "e" * 64}],
            "packages": {"pandas": "3"}, "javascript": {"vega": "6"}}
    corpus = {"documents": 1, "words": 10, "outlets": {"<b>O</b>": 1}, "first": "2020", "last": "2021"}
    page = index_html(reports, corpus, prov, ["data"])
    assert "<script" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert "&lt;b&gt;O&lt;/b&gt;" in page and "KeyError" in page
    assert "Last good report: 2026-01-01" in page
    # the per-file hashes live in provenance.json, not on the page
    assert "e" * 64 not in page and 'href="provenance.json"' in page


def test_index_shows_each_reports_key_findings_and_preview_and_no_local_paths(tmp_path):
    from newslens.report.findings import Finding, box_html
    from newslens.report.indexpage import index_html
    from newslens.report.preview import mini_bars

    box = box_html([Finding("<b>5</b> articles from Reader&#x27;s Digest", "Coverage")], ["Coverage"],
                   mini_bars(["A", "B"], [3, 1], "articles per outlet"))
    (tmp_path / "r.html").write_text(f"<html><body>{box}<h2 id='Coverage'>Coverage</h2></body></html>",
                                     encoding="utf-8")
    reports = [{"name": "r", "notebook": "r.ipynb", "title": "R", "question": "", "status": "ok",
                "parameters": {"corpus": "/home/someone/news/corpus.csv"}, "sets": [], "html": "r.html",
                "code_html": None, "rendered_at": "t", "charts": 1}]
    prov = {"rendered_at": "t", "git_commit": "abc", "manifest": "/home/someone/news/corpus.csv",
            "manifest_sha256": "f" * 64, "documents": [], "packages": {}, "javascript": {}}
    corpus = {"documents": 5, "words": 10, "outlets": {f"O{i}": 1 for i in range(25)}, "first": "", "last": ""}
    page = index_html(reports, corpus, prov, ["data"], folder=tmp_path)
    assert "articles from Reader&#x27;s Digest" in page and 'href="r.html#Coverage"' in page
    assert 'class="newslens-preview"' in page and "data:image/svg+xml;base64," in page
    assert "/home/someone" not in page and "news/corpus.csv" in page
    assert "and 10 more outlets" in page


# --- corpus overview ------------------------------------------------------------------------------------

def test_corpus_facts_on_the_seeds(seed_corpus):
    facts = corpus_facts(seed_corpus.documents)
    assert (facts["documents"], facts["outlets"]) == (5, 4)
    assert (facts["first"], facts["last"]) == ("2013-12-26", "2014-08-01")
    assert facts["words"] == seed_corpus.documents.n_words.sum()
    assert facts["longest"]["outlet"] == "World Socialist Web Site"  # the long analysis piece
    table = outlet_table(seed_corpus.documents)
    assert table.iloc[0]["outlet"] == "Deutsche Welle" and table.iloc[0]["documents"] == 2


def test_removed_summary_accounts_for_every_removed_line(seed_corpus):
    summary = removed_summary(seed_corpus.removed, seed_corpus.documents)
    assert summary["lines"].sum() == len(seed_corpus.removed)
    assert summary["lines"].is_monotonic_decreasing
    assert summary["meaning"].str.len().gt(0).all()
    lines = removed_lines(seed_corpus.removed, seed_corpus.documents)
    # The France 24 sign-off is removed from the France 24 article (found by text, not position).
    row = lines[lines.text.str.contains("FRANCE 24 with AFP", regex=False)]
    assert not row.empty and (row.outlet == "France 24").all()


def test_corpus_charts_count_every_article_and_line(seed_corpus):
    lengths = corpus_charts.document_lengths(seed_corpus.documents).to_dict()
    bins = next(iter(lengths["datasets"].values()))
    assert sum(r["articles"] for r in bins) == len(seed_corpus.documents)
    assert {t["field"] for t in lengths["encoding"]["tooltip"]} >= {"outlet", "articles"}
    removed = corpus_charts.removed_by_reason(seed_corpus.removed, seed_corpus.documents).to_dict()
    data = next(iter(removed["datasets"].values()))
    assert sum(r["lines"] for r in data) == len(seed_corpus.removed)
    assert {"reason", "example"} <= set(data[0])


def test_corpus_charts_stay_bounded_on_many_outlets(seed_corpus):
    """20 outlets of 50 articles: the largest 12 are drawn, the rest folded into one row; the data holds
    bins and outlets, not articles."""
    import pandas as pd

    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(1000)],
                         "outlet": [f"Outlet {i % 20:02d}" for i in range(1000)],
                         "n_words": [100 + (i * 37) % 900 for i in range(1000)]})
    chart = corpus_charts.document_lengths(docs).to_dict()
    data = next(iter(chart["datasets"].values()))
    outlets = {r["outlet"] for r in data}
    assert len(outlets) == 13 and "other outlets (8)" in outlets
    assert len(data) <= 13 * corpus_charts.LENGTH_BINS
    assert sum(r["articles"] for r in data) == 1000
    assert "8 more" in chart["title"]["subtitle"]


def test_startup_cost_line_reaches_the_summary():
    """Each kernel reports its start-up (and one its stack import) CPU seconds as a user expression of
    its warm-up request; render reads them from the reply and sets the render against them."""
    from newslens.report import notebook

    line = notebook.startup_cost(measure_stack=True)
    assert line.startswith(notebook.STARTUP_MARK)
    reply = {"content": {"status": "ok", "user_expressions": {
        "cost": {"status": "ok", "data": {"text/plain": repr(line)}, "metadata": {}}}}}
    cost = render.parse_startup_cost(reply)
    assert set(cost) == {"kernel_cpu", "stack_cpu"} and cost["kernel_cpu"] > 0 and cost["stack_cpu"] >= 0
    assert render.parse_startup_cost({"content": {"status": "error", "user_expressions": {}}}) == {}

    results = [render.Result("a", True, kernel_cpu=0.5, stack_cpu=4.0), render.Result("b", True, kernel_cpu=0.5)]
    lines = render.fixed_cost_summary(6.75, 13.5, results, cores=2)
    # fixed cost = 2 kernels x (0.5 + 4.0) = 9.0 CPU-s, over 2 cores = 4.5 s; 6.75 s is 1.5 times that.
    assert "render 6.8 s = 1.50 x the fixed cost (bound 1.5x)" in lines[0] and "= 9.0 CPU-s over 2 core(s)" in lines[0]
    assert "13.5 s in this process and its kernels = 1.50 x" in lines[1]
    assert render.fixed_cost_summary(1.0, 1.0, [render.Result("a", True)], cores=2) == []


def test_vega_bundle_is_kept_on_disk(tmp_path, monkeypatch):
    monkeypatch.setattr(htmlexport, "BUNDLE_CACHE_DIR", tmp_path)
    htmlexport.vega_bundle.cache_clear()
    first = htmlexport.vega_bundle()
    kept = list(tmp_path.glob("vega-bundle-*.js"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == first
    assert first.startswith("(function(){") and "vegaEmbed" in first
    htmlexport.vega_bundle.cache_clear()
    assert htmlexport.vega_bundle() == first  # read back from the file
    htmlexport.vega_bundle.cache_clear()


def test_prepare_builds_the_bundle_a_render_then_reads(tmp_path, monkeypatch, capsys):
    from newslens.commands import render_stack
    from newslens.commands.cli import main

    monkeypatch.setattr(htmlexport, "BUNDLE_CACHE_DIR", tmp_path)
    monkeypatch.setattr(render_stack, "STACK_COST_FILE", tmp_path / "stack-cost.json")  # not the checkout's
    monkeypatch.setattr(render_stack, "MEASURE_RUNS", 1)
    htmlexport.vega_bundle.cache_clear()
    assert main(["prepare"]) == 0
    version = htmlexport.altair_bundle_version()
    assert version and version.startswith("6.")  # Altair 6 writes Vega-Lite 6 specs
    kept = tmp_path / htmlexport.bundle_file(version).name
    assert f"Vega bundle for Vega-Lite {version} built" in capsys.readouterr().out
    htmlexport.vega_bundle.cache_clear()
    assert htmlexport.vega_bundle(version) == kept.read_text(encoding="utf-8")
    assert main(["prepare"]) == 0
    assert "already built" in capsys.readouterr().out
    htmlexport.vega_bundle.cache_clear()


def test_seconds_since_start_is_within_the_wall_time_seen_from_outside():
    # The render's summary sets the whole command (from the interpreter's start) against its fixed
    # cost; psutil's create_time put the start up to a second early (the boot time in whole seconds).
    import subprocess
    import sys
    import time

    code = ("import time; time.sleep(1.0); from newslens.commands.render import seconds_since_start; "
            "print(seconds_since_start())")
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    outside = time.perf_counter() - started
    inside = float(result.stdout.strip())
    assert 1.0 <= inside <= outside + 0.02  # a clock tick of slack
