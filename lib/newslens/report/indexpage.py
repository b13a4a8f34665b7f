"""DIR/index.html of a render: every report with its key findings and a small preview of its main
figure (both read from the rendered report page), what it answers, its parameters, the corpus it was made
from and where it all came from (provenance; the per-file hashes are in provenance.json). Every value is
escaped: titles, outlets and parameters can come from a user's corpus; no absolute local path is shown.
The page runs no script at all (its Content-Security-Policy says so).
"""
from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path

from newslens.report.provenance import publishable

MAX_OUTLETS = 15  # outlets listed on the index (all are in provenance.json)
_FINDINGS = re.compile(r'<div class="newslens-findings">(.*?)</ul>', re.S)
_PREVIEW = re.compile(r'<img[^>]*class="newslens-preview"[^>]*>', re.S)

CSP = ("default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src data:; "
       "base-uri 'none'; form-action 'none'")

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 60em; margin: 2em auto;
       padding: 0 1em; color: #222; line-height: 1.45; }
h1 { margin-bottom: .2em; } .sub { color: #555; margin-top: 0; }
.report { border: 1px solid #ddd; border-radius: 6px; padding: .8em 1em; margin: 1em 0; }
.report h2 { margin: 0 0 .3em; font-size: 1.2em; } .set { color: #666; font-weight: normal; }
.question p, .question li { margin: .2em 0; }
.findings { display: flex; gap: 1em; align-items: flex-start; background: #f3f8fc; border-radius: 4px;
       padding: .3em .8em; margin: .5em 0; } .findings ul { margin: .3em 0; padding-left: 1.2em; flex: 1; }
.findings img { flex: none; max-width: 340px; }
.failed { border-color: #c33; background: #fff6f6; } .err { color: #a00; font-family: monospace; }
table { border-collapse: collapse; font-size: 90%; } td, th { padding: .2em .6em; border-bottom: 1px solid #eee;
       text-align: left; vertical-align: top; }
code, .hash { font-family: ui-monospace, monospace; font-size: 85%; word-break: break-all; }
details { margin: .6em 0; } summary { cursor: pointer; font-weight: 600; }
"""


def _markdown(text: str) -> str:
    """A notebook's Markdown as HTML, through the same allow-list sanitizer as the reports."""
    from nbconvert.filters import markdown2html

    from newslens.report.htmlexport import clean_html

    return clean_html(markdown2html(text))


def _params(params: dict) -> str:
    if not params:
        return "<i>defaults</i>"
    shown = {k: v for k, v in params.items()}
    return ", ".join(f"<code>{escape(k)}</code> = <code>{escape(json.dumps(v, ensure_ascii=False, default=str))}</code>"
                     for k, v in shown.items())


def report_summary(page: Path) -> str:
    """The key findings and the preview picture of a rendered report page, as sanitized HTML ("" when
    the page has none). Links point into that page."""
    try:
        text = page.read_text(encoding="utf-8")
    except OSError:
        return ""
    found = _FINDINGS.search(text)
    if not found:
        return ""
    from newslens.report.htmlexport import clean_html

    items = found.group(1).split("<ul>", 1)[-1]
    items = re.sub(r'href="#', f'href="{escape(page.name)}#', items)
    preview = _PREVIEW.search(text)
    picture = clean_html(preview.group(0)) if preview else ""
    return f'<div class="findings"><ul>{clean_html(items)}</ul>{picture}</div>'


def _report(r: dict, folder: Path | None = None) -> str:
    failed = r["status"] != "ok"
    parts = [f'<div class="report{" failed" if failed else ""}">']
    link = f'<a href="{escape(r["html"])}">{escape(r["title"])}</a>'
    if failed and not r.get("last_good"):
        link = escape(r["title"])
    sets = [s for s in r.get("sets", []) if s]
    label = f' <span class="set">· {escape(", ".join(sets))}</span>' if sets and len(sets) == 1 else ""
    parts.append(f"<h2>{link}{label}</h2>")
    if folder is not None and not failed:
        parts.append(report_summary(folder / r["html"]))
    if r.get("question"):
        parts.append(f'<div class="question">{_markdown(r["question"])}</div>')
    parts.append(f"<p><b>Parameters:</b> {_params(r['parameters'])}")
    sets = [s for s in r.get("sets", []) if s]
    if sets:
        parts.append(f" · <b>sets:</b> {escape(', '.join(sets))}")
    parts.append(f" · <b>notebook:</b> <code>{escape(r['notebook'])}</code>")
    if r.get("code_html"):
        parts.append(f' · <a href="{escape(r["code_html"])}">with code</a>')
    parts.append("</p>")
    if failed:
        parts.append(f'<p class="err">Render failed at {escape(r["failed_at"])}: {escape(r["error"])}</p>')
        parts.append(
            f"<p>Last good report: {escape(r['last_good'])} (linked above)." if r.get("last_good")
            else "<p>No earlier report exists."
        )
        parts.append(f" Executed notebook for debugging: <code>{escape(r['failed_notebook'])}</code></p>")
    else:
        parts.append(f"<p class=\"sub\">Rendered {escape(r['rendered_at'])} · {r.get('charts', 0)} chart(s)</p>")
    parts.append("</div>")
    return "".join(parts)


def index_html(reports: list[dict], corpus: dict, prov: dict, data_dirs: list[str],
               folder: Path | None = None) -> str:
    """The page. `folder`: where the reports were written (their key findings and previews are read
    from there); None leaves them out."""
    reports, prov = publishable(reports), publishable(prov)
    listed = list(corpus["outlets"].items())
    outlets = "".join(f"<tr><td>{escape(o)}</td><td>{n:,}</td></tr>" for o, n in listed[:MAX_OUTLETS])
    if len(listed) > MAX_OUTLETS:
        rest = sum(n for _, n in listed[MAX_OUTLETS:])
        outlets += f"<tr><td><i>and {len(listed) - MAX_OUTLETS:,} more outlets</i></td><td>{rest:,}</td></tr>"
    packages = "".join(f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>"
                       for k, v in {**prov["packages"], **prov["javascript"]}.items())
    failed = sum(r["status"] != "ok" for r in reports)
    data_links = (", ".join(f'<a href="{escape(d)}/">{escape(d)}/</a>' for d in data_dirs)
                  or "<b>not written</b> (the analysis failed: see the render command's output)")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>newslens reports</title><style>{CSS}</style></head>
<body>
<h1>newslens reports</h1>
<p class="sub">{len(reports)} report(s){f", <b>{failed} failed</b>" if failed else ""} · rendered {escape(prov['rendered_at'])}</p>
<p><b>{corpus['documents']:,}</b> documents ({corpus['words']:,} words) from <b>{len(corpus['outlets'])}</b> outlets,
published {escape(corpus['first'])} to {escape(corpus['last'])}. Manifest: <code>{escape(prov['manifest'])}</code>.
The analysis tables (CSV) behind the reports: {data_links}.</p>
<h2>Reports</h2>
{"".join(_report(r, folder) for r in reports)}
<h2>The corpus</h2>
<table><tr><th>outlet</th><th>documents</th></tr>{outlets}</table>
<h2>Provenance</h2>
<p>Rendered {escape(prov['rendered_at'])} from code at commit <code>{escape(prov.get('git_commit') or 'unknown (not a git checkout)')}</code>.
Manifest SHA-256 <span class="hash">{escape(prov['manifest_sha256'])}</span>. Also in <a href="provenance.json">provenance.json</a>.</p>
<p>The SHA-256 of each of the {len(prov.get('documents', [])):,} input files is in <a href="provenance.json">provenance.json</a>.</p>
<details><summary>Package versions</summary><table><tr><th>package</th><th>version</th></tr>{packages}</table></details>
</body></html>
"""
