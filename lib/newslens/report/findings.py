"""The "Key findings" box each report opens with: a few sentences computed from the tables, each linking
to the section that shows the evidence.

Every function takes tables (as `analyze` writes them) and returns a `Finding` or None when the tables
hold nothing to say (an empty corpus, one outlet, no event). Text is HTML, untrusted values escaped.

    box_html([corpus_finding(docs), tone_gap(tone_outlet), ...])
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from newslens.report.display import h
from newslens.report.fmt import fmt_date, fmt_money, fmt_number

MIN_ARTICLES = 3  # an outlet needs this many articles to enter the tone-gap finding
QUOTE_CHARS = 140  # characters of a passage quoted in a finding


@dataclass
class Finding:
    html: str      # one sentence, escaped HTML
    section: str   # the heading (text) of the section with the evidence


def anchor(heading: str) -> str:
    """The id nbconvert gives a Markdown heading (spaces become hyphens)."""
    return heading.strip().replace(" ", "-")


def _quote(text: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + " …"
    return f"“{h(text)}”"


def corpus_finding(documents: pd.DataFrame, section: str) -> Finding | None:
    """How many articles from how many outlets, over which dates."""
    if documents.empty:
        return None
    dates = pd.to_datetime(documents["published"], errors="coerce").dropna()
    span = (f", published {fmt_date(dates.min())} to {fmt_date(dates.max())}" if len(dates) else "")
    lead = documents["outlet"].value_counts()
    return Finding(
        f"<b>{fmt_number(len(documents))}</b> articles from <b>{fmt_number(len(lead))}</b> outlet(s){span}; "
        f"<b>{h(lead.index[0])}</b> published most ({fmt_number(int(lead.iloc[0]))}).", section)


def tone_gap(tone_outlet: pd.DataFrame, section: str, voice: str = "all",
             min_articles: int = MIN_ARTICLES) -> Finding | None:
    """The largest gap in mean sentence tone between two outlets (each with its 95% interval, the
    article-resampled one), among outlets with at least `min_articles` articles."""
    if tone_outlet.empty:
        return None
    sub = tone_outlet[(tone_outlet["voice"] == voice) & (tone_outlet["measure"] == "mean_compound")
                      & (tone_outlet["resampled"] == "article") & (tone_outlet["n_articles"] >= min_articles)]
    sub = sub.dropna(subset=["value"]).sort_values("value", kind="stable")
    if len(sub) < 2:
        return None
    low, high = sub.iloc[0], sub.iloc[-1]

    def one(r) -> str:
        ci = (f" [{r.ci_low:+.2f}, {r.ci_high:+.2f}]" if pd.notna(r.ci_low) and pd.notna(r.ci_high) else "")
        return f"<b>{h(r.outlet)}</b> {r.value:+.2f}{ci}"

    apart = pd.notna(low.ci_high) and pd.notna(high.ci_low) and low.ci_high < high.ci_low
    return Finding(
        f"Largest tone gap: {one(low)} against {one(high)} (mean VADER compound per sentence, 95% intervals; "
        f"{'the intervals do not overlap' if apart else 'the intervals overlap'}).", section)


def most_reused(reuse: pd.DataFrame, documents: pd.DataFrame, section: str) -> Finding | None:
    """The passage shared by the most article pairs (ties: the longest)."""
    if reuse.empty:
        return None
    key = reuse["text_a"].astype(str).str.split().str[:12].str.join(" ").str.lower()
    counts = reuse.assign(key=key).groupby("key").agg(pairs=("doc_a", "size"), n_words=("n_words", "max"),
                                                       text=("text_a", "first"))
    top = counts.sort_values(["pairs", "n_words"], ascending=False, kind="stable").iloc[0]
    docs = pd.concat([reuse.loc[key == top.name, "doc_a"], reuse.loc[key == top.name, "doc_b"]]).unique()
    outlets = documents.loc[documents["doc_id"].isin(docs), "outlet"].nunique()
    return Finding(
        f"Most reused passage ({fmt_number(int(top.n_words))} words, in {fmt_number(len(docs))} articles "
        f"from {fmt_number(outlets)} outlet(s)): {_quote(top.text)}", section)


def _value_text(value: float, unit: str) -> str:
    money = "dollar" in unit.lower() or unit.lower() in ("usd", "$")
    return fmt_money(value) if money else fmt_number(value)


def numeric_disagreement(side: pd.DataFrame, section: str) -> Finding | None:
    """The claim group where outlets' figures disagree most (largest ratio of highest to lowest value),
    from `claims.claims_side_by_side`."""
    if side.empty or "disagree" not in side:
        return None
    d = side[side["disagree"] & (side["min_value"] > 0)]
    if d.empty:
        return None
    ratio = d["max_value"] / d["min_value"]
    top = d.loc[ratio.idxmax()]
    unit = str(top.get("unit", "") or "")
    return Finding(
        f"Biggest numeric disagreement: <b>{h(top.claim_group)}</b>, from {_value_text(top.min_value, unit)} "
        f"to {_value_text(top.max_value, unit)} across {fmt_number(int(top.outlets))} outlets "
        f"({fmt_number(int(d.shape[0]))} group(s) disagree in all).", section)


def most_reported_event(timeline: pd.DataFrame, section: str) -> Finding | None:
    """The transfer event reported by the most outlets (then reports)."""
    if timeline.empty:
        return None
    top = timeline.sort_values(["n_outlets", "n_reports"], ascending=False, kind="stable").iloc[0]
    count = str(top.get("quantities_reported") or "").strip()
    count = "" if count.lower() == "nan" else count
    value = f", {fmt_money(top.value_usd)}" if pd.notna(top.get("value_usd")) else ""
    return Finding(
        f"Most reported event: <b>{h(top.weapon)}</b> {h(top.status)}"
        f"{' (' + h(count) + ')' if count else ''}{value}, {h(top.date_label)}: "
        f"{fmt_number(int(top.n_reports))} report(s) from {fmt_number(int(top.n_outlets))} outlet(s).", section)


def box_html(findings: list, toc: list[str] | None = None, preview: str = "") -> str:
    """The box: one list item per finding (None skipped) with a link to its section; then the contents.
    `preview` (newslens.report.preview) rides along hidden, for the index page."""
    items = [f for f in findings if f is not None]
    lis = "".join(f'<li>{f.html} <a href="#{h(anchor(f.section))}">{h(f.section)} →</a></li>' for f in items)
    if not lis:
        lis = "<li>Nothing to report: the tables of this corpus are empty.</li>"
    parts = [f'<div class="newslens-findings"><p class="newslens-findings-title"><b>Key findings</b></p>'
             f"<ul>{lis}</ul>{preview}</div>"]
    if toc:
        links = "".join(f'<li><a href="#{h(anchor(t))}">{h(t)}</a></li>' for t in toc)
        parts.append(f'<div class="newslens-toc"><b>Contents</b><ol>{links}</ol></div>')
    return "".join(parts)
