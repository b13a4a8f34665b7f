"""Report 05 (arms transfers): the cells' displays, for a `Report` opened with events and timeline.
Accuracy comes from data/evaluation.json (newslens.report.methodcards), never from tests/."""
from __future__ import annotations

from newslens.analyses.deals import deal_summary
from newslens.analyses.timeline_views import cumulative_deliveries, who_reported
from newslens.report import findings as kf
from newslens.report.charts import timeline as charts
from newslens.report.display import esc, md, show_html, table
from newslens.report.fmt import fmt_number
from newslens.report.methodcards import show_card
from newslens.report.preview import mini_bars

NEEDS = ["events", "timeline"]  # the timeline stage also makes the deals table
SECTIONS = ["Reports", "Events", "Timeline", "Deals", "Deliveries", "Reference", "Exports", "Method card"]
TIMELINE_EVENTS = 150  # events drawn in the interactive timeline (most reported first)
DEALS_DRAWN = 40  # deals drawn as status paths (most statuses, then most reports, first)


# The order the tables and charts show: the most widely reported events, the deals seen at most stages.
EVENTS_FIRST = ["n_outlets", "n_reports"]
DEALS_FIRST = ["n_statuses", "n_reports"]


def _first(df, by: list[str]):
    return df.sort_values(by, ascending=False, kind="stable")


def _drawn(df, by: list[str], n: int, what: str, unit: str, file: str):
    """The first `n` rows in the order `by`, with one line saying so when the chart leaves some out."""
    shown = _first(df, by).head(n)
    if len(shown) < len(df):
        md(f"The chart draws the {fmt_number(len(shown))} {what} of {fmt_number(len(df))} {unit} "
           f"(all in `data/{file}`).")
    return shown


def key_findings(r) -> None:
    ev, tl = r.table("events"), r.table("timeline")
    multi = int((tl.n_outlets > 1).sum()) if len(tl) else 0
    first = kf.Finding(f"<b>{fmt_number(len(ev))}</b> reports of arms transfers merged into "
                       f"<b>{fmt_number(len(tl))}</b> events, {fmt_number(multi)} reported by more than one outlet.",
                       SECTIONS[1])
    flagged = int((tl.conflicts.fillna("") != "").sum()) if len(tl) else 0
    conflict = kf.Finding(f"<b>{fmt_number(flagged)}</b> event(s) carry a disagreement between reports.",
                          SECTIONS[1]) if len(tl) else None
    show_html(kf.box_html([first, kf.most_reported_event(tl, SECTIONS[1]), conflict], SECTIONS, preview_of(r)))


def preview_of(r) -> str:
    tl = r.table("timeline")
    if tl.empty:
        return ""
    counts = tl["weapon"].value_counts()
    return mini_bars(counts.index.tolist(), counts.tolist(), "transfer events per weapon")


def reports(r, max_rows: int = 40) -> None:
    ev = r.table("events")
    if ev.empty:
        md("**No arms transfer was found.** Either the articles report none, or their weapons are not in the "
           "gazetteer: add rows to a copy of `data/weapons.csv` and pass it as `weapons`.")
        return
    table(ev[["outlet", "published", "weapon", "quantity_text", "value_usd", "status", "supplier", "recipient",
              "date_text", "date_start", "date_end", "text"]], max_rows=max_rows,
          caption="Arms-transfer reports", full="events")


def events(r, max_rows: int = 40) -> None:
    tl = r.table("timeline")
    if tl.empty:
        return
    shown = _first(tl, EVENTS_FIRST)
    table(shown[["entry_id", "weapon", "status", "quantities_reported", "value_usd", "supplier", "recipient",
                 "date_label", "n_reports", "outlets", "conflicts"]], max_rows=max_rows,
          caption="Transfer events merged across reports, most reported first", full="timeline")


def who(r, max_rows: int = 30) -> None:
    tl = r.table("timeline")
    if len(tl):
        table(who_reported(tl, r.corpus.outlets), max_rows=max_rows,
              caption="What each outlet said about each event (empty = not reported)")


def timeline_chart(r, n: int = TIMELINE_EVENTS):
    shown = _drawn(r.table("timeline"), EVENTS_FIRST, n, "most reported", "events", "timeline.csv")
    return charts.transfer_timeline(shown)


def deals_note(r) -> None:
    """One line: how many deals, how many went through more than one status in the reports."""
    deals = r.table("deals")
    s = deal_summary(deals)
    md(f"The **{fmt_number(len(r.table('timeline')))}** events belong to **{fmt_number(s['deals'])}** deal(s); "
       f"**{fmt_number(s['multi_status'])}** of them are reported at more than one stage (request, approval, "
       "order, delivery ...).")


def deals_chart(r, n: int = DEALS_DRAWN):
    """The status paths of the deals reported at most stages (bounded: `n` deals, the rest in the table)."""
    shown = _drawn(r.table("deals"), DEALS_FIRST, n, "deals reported at most stages", "deals", "deals.csv")
    return charts.deal_paths(shown)


def deals(r, max_rows: int = 40) -> None:
    deals = r.table("deals")
    if len(deals):
        shown = _first(deals, DEALS_FIRST)
        table(shown[["deal_id", "weapon", "supplier", "recipient", "quantities_reported", "path", "n_reports",
                     "outlets", "conflicts"]], max_rows=max_rows,
              caption="Deals: each transfer's path through its statuses, most stages first", full="deals")


def deliveries(r):
    tl = r.table("timeline")
    cum = cumulative_deliveries(tl)
    if len(cum):
        last = cum.groupby("weapon").tail(1).sort_values("cumulative", ascending=False).head(8)
        md("Reported deliveries add up to " + "; ".join(
            f"**{fmt_number(r_.cumulative)}** {esc(r_.weapon)} by {r_.date.date()}" for r_ in last.itertuples()) + ".")
    else:
        md("No delivered event with a count: nothing to add up.")
    # one publication tick per day (its first article's title): bounded by days, not articles
    return charts.cumulative_deliveries_chart(tl, r.documents.drop_duplicates("published"))


def reference(r, path: str, max_rows: int = 40) -> None:
    ref = r.tables.get("timeline_reference")
    if ref is None:
        md("No reference file given (parameter `reference` is empty).")
        return
    md(f"**{fmt_number(int((ref.press_entries > 0).sum()))}** of **{fmt_number(len(ref))}** reference transfers "
       f"appear in the press reports; reference file: `{esc(path)}`.")
    table(ref, max_rows=max_rows, caption="Reference transfers and what the press reported")


def exports(r, export_dir: str) -> None:
    """TimelineJS3 JSON, tables and the print figure to `export_dir` (nothing when empty)."""
    tljs = r.tables.get("timeline.json") or {"events": []}
    if not export_dir:
        md(f"TimelineJS3 export ready: **{fmt_number(len(tljs['events']))}** slides; set `export_dir` to write "
           f"timeline.json and a figure for print (also in the data folder: `data/timeline.json`).")
        return
    from newslens.core.paths import resolve
    from newslens.pipeline.run import write_tables

    out = resolve(export_dir)
    tl = r.table("timeline")
    written = write_tables({"events": r.table("events"), "timeline": tl, "timeline.json": tljs}, out)
    fig = charts.transfer_timeline_print(tl)
    fig.savefig(out / "timeline_print.png", dpi=200, bbox_inches="tight")
    md(f"Wrote {', '.join(esc(p.name) for p in written)} and timeline_print.png to `{esc(out)}`.")


def method_card(r) -> None:
    show_card("events", "events")
