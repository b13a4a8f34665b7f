"""The reports as a reader gets them: opened from file:// in headless Chromium with the network blocked.

- every report of the seed corpus opens offline with every chart drawn and no script error;
- a hostile corpus (tests/fixtures/hostile_corpus: markup in outlet, title, author and text) renders
  with the markup shown as text and none of it in the DOM as elements or handlers, nothing run;
- a notebook broken on purpose leaves the earlier good report untouched, keeps the failed executed
  notebook, prints one clear error line, renders the other notebook and exits non-zero.

Skipped, with a message, where Chromium is absent (`apt-get install -y chromium`; .ci/run installs it).
"""
from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from newslens.core.paths import NOTEBOOKS_DIR, PROJECT_ROOT

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)),
                None)
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install -y chromium); "
                                                "the browser tests are skipped"),
]
FIXTURES = PROJECT_ROOT / "tests" / "fixtures"
CHART_DEMO = FIXTURES / "render_notebooks" / "chart_demo.ipynb"
HOSTILE = FIXTURES / "hostile_corpus"
# Flags: headless, no network of any kind (dead proxy, no DNS), a fresh profile, console to stderr.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=30000"]


def render(*args: str, cwd: Path = PROJECT_ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newslens", "render", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=1800,
                          env=None if env is None else {**os.environ, **env})


def open_page(path: Path) -> tuple[str, list[str]]:
    """(the DOM after the page's scripts ran, the page's console messages)."""
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", path.as_uri()],
                              capture_output=True, text=True, timeout=180)
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    assert proc.stdout.strip(), f"Chromium produced no DOM for {path.name}: {proc.stderr[-500:]}"
    return proc.stdout, console


class Dom(HTMLParser):
    """Elements (tag, attrs, text inside) and scripts of a dumped DOM."""

    def __init__(self, text: str):
        super().__init__()
        self.elements: list[list] = []
        self.scripts: list[str] = []
        self._open: list[list] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        el = [tag, dict(attrs), ""]
        self.elements.append(el)
        if tag not in ("br", "img", "meta", "link", "hr", "input", "col", "path", "rect", "line"):
            self._open.append(el)

    def handle_endtag(self, tag):
        while self._open:
            el = self._open.pop()
            if el[0] == "script":
                self.scripts.append(el[2])
            if el[0] == tag:
                break

    def handle_data(self, data):
        for el in self._open:
            el[2] += data


def script_errors(console: list[str]) -> list[str]:
    return [line for line in console if re.search(r"Uncaught|Refused to|Error|error", line)
            and "WARN" not in line]


def check_charts(path: Path) -> tuple[int, Dom]:
    """Open a report: every chart div drawn (svg/canvas inside), no script error. Returns (charts, DOM)."""
    source = path.read_text(encoding="utf-8")
    expected = source.count('class="newslens-chart"')
    dom_text, console = open_page(path)
    dom = Dom(dom_text)
    charts = [e for e in dom.elements
              if e[0] == "div" and "newslens-chart" in (e[1].get("class") or "").split()]
    assert len(charts) == expected
    states = [c[1].get("data-newslens-chart") for c in charts]
    assert states == ["drawn"] * expected, f"{path.name}: chart states {states}"
    marks = len(re.findall(r'<(svg|canvas)[^>]*class="marks"', dom_text))
    assert marks >= expected, f"{path.name}: {marks} drawn views for {expected} charts"
    assert not script_errors(console), f"{path.name}: {script_errors(console)}"
    return expected, dom


# --- the seed corpus ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    # An empty analysis cache of its own (the kernels inherit it): the first render of a fresh clone.
    cache = tmp_path_factory.mktemp("cache")
    proc = render("--out", str(out), "--jobs", "2", "--with-code", env={"NEWSLENS_CACHE_DIR": str(cache)})
    return out, proc, cache


def test_render_of_the_seeds_succeeds(seed_reports):
    out, proc, _ = seed_reports
    assert proc.returncode == 0, proc.stderr[-2000:]
    for nb in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        assert (out / f"{nb.stem}.html").is_file() and (out / f"{nb.stem}.code.html").is_file()
    assert (out / "data" / "sentences.csv").is_file() and (out / "provenance.json").is_file()
    assert f"rendered {len(list(NOTEBOOKS_DIR.glob('*.ipynb')))} of" in proc.stdout
    assert re.search(r"render [0-9.]+ s = [0-9.]+ x the fixed cost \(bound 1.5x\)", proc.stdout), proc.stdout


def test_the_notebooks_read_the_tables_the_render_analyzed(seed_reports):
    # The render analyzes first; each notebook's run_stages call must then find every stage's tables
    # in the cache, not compute them a second time under another spelling of the same parameters.
    _, proc, cache = seed_reports
    assert proc.returncode == 0, proc.stderr[-2000:]
    entries = {folder.name: len(list(folder.glob("*/*.entry"))) for folder in (cache / "stages").iterdir()}
    assert {"sentiment", "tone", "frames", "events", "timeline", "entities"} <= set(entries)
    assert {name: n for name, n in entries.items() if n != 1} == {}


def test_every_seed_report_opens_offline_with_every_chart_drawn(seed_reports):
    out, _, _ = seed_reports
    pages = sorted(p for p in out.glob("*.html") if p.name != "index.html")
    assert pages
    total = 0
    for page in pages:
        charts, _ = check_charts(page)
        total += charts
        # The Vega JavaScript is carried once per page that has charts.
        assert page.read_text(encoding="utf-8").count("window.vegaEmbed=") == (1 if charts else 0)
    assert total > 0


def test_the_index_lists_every_report_with_provenance(seed_reports):
    out, _, _ = seed_reports
    index = (out / "index.html").read_text(encoding="utf-8")
    for nb in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        assert f'href="{nb.stem}.html"' in index
        title = nbformat.read(str(nb), as_version=4).cells[0].source.splitlines()[0].lstrip("# ").strip()
        assert html.escape(title) in index
    assert "World Socialist Web Site" in index and "2013-12-26" in index
    # the per-file hashes are in provenance.json; the index shows each report's key findings instead
    seed_hash = "e034cb45c030c8e6256d1344063052124ff05cc4e3f0ce7330857c4368c97fde"
    assert seed_hash not in index and seed_hash in (out / "provenance.json").read_text(encoding="utf-8")
    assert index.count('<div class="findings">') == len(list(NOTEBOOKS_DIR.glob("*.ipynb")))
    assert index.count('class="newslens-preview"') >= 4
    for published in (index, (out / "provenance.json").read_text(encoding="utf-8")):
        assert str(PROJECT_ROOT) not in published  # no absolute local path (issue 23, item 22)
    dom_text, console = open_page(out / "index.html")
    assert "newslens reports" in dom_text and not script_errors(console)


JUNK = re.compile(r"\b(NaN|NaT|None|nan)\b|\d[eE]\+\d")


def visible_text(dom_text: str) -> str:
    """What a reader sees: the DOM without scripts, styles and tags, entities decoded."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", dom_text, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def check_reading(path: Path) -> None:
    """A report reads well: the key findings come before the first section, each of their links has a
    target, and no NaN, NaT, None or scientific notation shows."""
    dom_text, _ = open_page(path)
    dom = Dom(dom_text)
    seen = visible_text(dom_text)
    junk = sorted({m.group(0) for m in JUNK.finditer(seen)})
    assert not junk, f"{path.name}: {junk} in the visible text"
    box = dom_text.find('class="newslens-findings"')
    first_section = dom_text.find('<h2 id="')
    assert 0 <= box < first_section, f"{path.name}: the key findings do not open the report"
    ids = {e[1].get("id") for e in dom.elements if e[1].get("id")}
    links = {e[1]["href"][1:] for e in dom.elements if e[0] == "a" and e[1].get("href", "").startswith("#")
             and len(e[1]["href"]) > 1}
    assert links and links <= ids, f"{path.name}: links to missing sections {sorted(links - ids)}"


def test_every_seed_report_opens_with_key_findings_and_reads_cleanly(seed_reports):
    out, _, _ = seed_reports
    for page in sorted(p for p in out.glob("*.html") if p.name != "index.html" and ".code." not in p.name):
        check_reading(page)


BENCH = os.environ.get("NEWSLENS_BENCH_CORPUS")  # a kept `bench --keep DIR` corpus: DIR/corpus.csv


@pytest.mark.skipif(not BENCH, reason="set NEWSLENS_BENCH_CORPUS to a kept bench corpus (bench --keep DIR)")
def test_a_large_corpus_renders_every_report_bounded_and_readable(tmp_path):
    out = tmp_path / "reports"
    proc = render(BENCH, "--out", str(out))
    assert proc.returncode == 0, proc.stderr[-2000:]
    pages = sorted(p for p in out.glob("*.html") if p.name != "index.html")
    assert len(pages) == len(list(NOTEBOOKS_DIR.glob("*.ipynb")))
    for page in pages:
        assert page.stat().st_size <= 3e6, f"{page.name}: {page.stat().st_size:,} bytes"
        check_charts(page)
        check_reading(page)
    assert (out / "index.html").stat().st_size < 200_000


# --- the hostile corpus ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_reports(tmp_path_factory):
    notebooks = tmp_path_factory.mktemp("hostile_notebooks")
    for nb in [*NOTEBOOKS_DIR.glob("*.ipynb"), CHART_DEMO]:
        shutil.copy(nb, notebooks / nb.name)
    out = tmp_path_factory.mktemp("hostile_reports")
    proc = render(str(HOSTILE), "--out", str(out), "--notebooks", str(notebooks), "--jobs", "2")
    return out, proc


def test_hostile_corpus_renders(hostile_reports):
    out, proc = hostile_reports
    assert proc.returncode == 0, proc.stderr[-2000:]


def test_hostile_markup_is_text_and_nothing_of_it_runs(hostile_reports):
    out, _ = hostile_reports
    pages = sorted(out.glob("*.html"))
    assert any(p.name.startswith("01_corpus_overview") for p in pages)
    assert any(p.name.startswith("chart_demo") for p in pages)
    for page in pages:
        dom_text, console = open_page(page)
        dom = Dom(dom_text)
        root = next(e for e in dom.elements if e[0] == "html")
        assert "data-pwned" not in root[1], f"{page.name}: article markup ran ({root[1]['data-pwned']})"
        for tag, attrs, _ in dom.elements:
            handlers = [a for a in attrs if a.startswith("on")]
            assert not handlers, f"{page.name}: <{tag}> has {handlers}"
            assert tag not in ("iframe", "object", "embed"), f"{page.name}: <{tag}> from article markup"
            assert not (tag == "img" and attrs.get("src") == "x"), f"{page.name}: <img src=x> from article"
            assert not any(str(v).lower().startswith("javascript:") for v in attrs.values()), (page.name, tag)
        for script in dom.scripts:
            assert script.startswith(("(function(){", "newslensEmbed(")), f"{page.name}: foreign script"
        body_styles = [e for e in dom.elements if e[0] == "style" and "body{display:none}" in e[2]]
        assert not body_styles, f"{page.name}: the article's <style> became a style element"
        assert "PWNED" not in dom_text
        assert not [line for line in console if "Refused to" in line], f"{page.name}: CSP blocked something"


def test_escaped_reports_show_the_markup_as_text(hostile_reports):
    out, _ = hostile_reports
    dom_text, _ = open_page(out / "01_corpus_overview.html")
    dom = Dom(dom_text)
    # The outlet's markup is visible, as text, in the tables...
    assert "&lt;script&gt;document.documentElement.setAttribute('data-pwned','11')&lt;/script&gt;Evil Gazette" \
        in dom_text
    # ...and no element of it exists: not even the harmless-looking <i>Times</i> or <b>Mallory</b>.
    assert not [e for e in dom.elements if e[0] == "i" and e[2] == "Times"]
    assert not [e for e in dom.elements if e[0] == "b" and e[2] == "Mallory"]
    check_charts(out / "01_corpus_overview.html")


# --- a notebook broken on purpose ---------------------------------------------------------------------

def _broken_copy(source: Path, target: Path) -> None:
    nb = nbformat.read(str(source), as_version=4)
    nb.cells.insert(4, nbformat.v4.new_code_cell('raise ValueError("broken on purpose")'))
    nbformat.write(nb, str(target))


def test_a_broken_notebook_keeps_the_last_good_report(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(CHART_DEMO, notebooks / "a_good.ipynb")
    shutil.copy(CHART_DEMO, notebooks / "b_later_broken.ipynb")
    out = tmp_path / "reports"
    first = render("--out", str(out), "--notebooks", str(notebooks), "--jobs", "2")
    assert first.returncode == 0, first.stderr[-2000:]
    good_before = (out / "b_later_broken.html").read_bytes()
    a_before = (out / "a_good.html").read_bytes()

    _broken_copy(CHART_DEMO, notebooks / "b_later_broken.ipynb")
    second = render("--out", str(out), "--notebooks", str(notebooks), "--jobs", "2")
    assert second.returncode == 1
    errors = [line for line in second.stderr.splitlines() if line.startswith("newslens: error:")]
    assert len(errors) == 1, second.stderr[-2000:]
    # One line: the notebook, the cell as JupyterLab numbers it, the error; where the notebook was kept.
    assert "b_later_broken" in errors[0] and "cell 5" in errors[0]
    assert "ValueError: broken on purpose" in errors[0] and "failed/b_later_broken.ipynb" in errors[0]
    # The last good report is untouched; the other notebook was rendered again.
    assert (out / "b_later_broken.html").read_bytes() == good_before
    assert (out / "a_good.html").read_bytes() != a_before
    failed = nbformat.read(str(out / "failed" / "b_later_broken.ipynb"), as_version=4)
    assert any(o.output_type == "error" and o.evalue == "broken on purpose"
               for c in failed.cells if c.cell_type == "code" for o in c.outputs)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Render failed" in index and "broken on purpose" in index and "Last good report" in index
    assert not list(out.glob(".*.tmp")) and not list(out.glob("*.tmp"))
    check_charts(out / "b_later_broken.html")  # the kept report still works
