"""Charts of the arms-transfer timeline: what was delivered, sold or promised, when, according to whom.

    from newslens.report.charts.timeline import transfer_timeline, cumulative_deliveries_chart, transfer_timeline_print
    transfer_timeline(timeline)                           # interactive Altair
    cumulative_deliveries_chart(timeline, documents)      # deliveries so far, with publication dates
    fig = transfer_timeline_print(timeline)               # matplotlib, for print
    deal_paths(deal_table(timeline))                      # each deal's dated path of statuses

Each takes the `timeline` table (`newslens.analyses.timeline.merge_events`): one mark per merged entry, so the
chart stays small whatever the number of reports; tooltips carry the sentence, outlets and dates.
"""
from __future__ import annotations

import json

import altair as alt
import pandas as pd

from newslens.analyses.timeline_views import cumulative_deliveries
from newslens.textkit.event_statuses import status_colours, status_names

# Statuses, their order and colours from data/event_statuses.csv (newslens.textkit.event_statuses).
STATUS_ORDER = status_names()
STATUS_COLOURS = [status_colours()[s] for s in STATUS_ORDER]
UNKNOWN_COLOUR = "#999999"  # a status not in the table (a user's own events table) is drawn grey, last


def _status_scale(statuses) -> tuple[list[str], list[str]]:
    """The table's statuses followed by any others the data holds, with their colours."""
    extra = sorted({str(s) for s in statuses} - set(STATUS_ORDER))
    return STATUS_ORDER + extra, STATUS_COLOURS + [UNKNOWN_COLOUR] * len(extra)
# How far an interval known at one end only reaches on the chart (drawn faint, marked "date not given").
OPEN_END_DAYS = 30
# Intervals longer than this ("since 2005") do not stretch the date axis; they are drawn clipped.
FOCUS_MAX_SPAN_DAYS = 400


CONFLICT_CHARS = 300  # of an event's disagreements shown on hover


def _short(text, n: int = 220) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def timeline_marks(timeline: pd.DataFrame) -> pd.DataFrame:
    """One row per entry with what the charts draw: start/end on the axis (an open end reaches
    `OPEN_END_DAYS` past the known one), a midpoint, the count to size by and tooltip text."""
    rows = []
    for r in timeline.itertuples(index=False):
        start, end = r.date_start, r.date_end
        if pd.isna(start) and pd.isna(end):
            continue
        open_end = pd.isna(start) or pd.isna(end)
        if pd.isna(start):
            start = end - pd.Timedelta(days=OPEN_END_DAYS)
        if pd.isna(end):
            end = start + pd.Timedelta(days=OPEN_END_DAYS)
        sources = json.loads(r.sources)
        lead = sources[0] if sources else {}
        count = r.quantity if not pd.isna(r.quantity) else (r.quantity_high if not pd.isna(r.quantity_high)
                                                              else None)
        rows.append({
            "entry_id": r.entry_id, "weapon": r.weapon, "status": r.status,
            "start": start, "end": end, "mid": start + (end - start) / 2, "open_end": open_end,
            "count": count, "size_count": count if count is not None else 1,
            "counts_reported": r.quantities_reported or "not given",
            "value": "" if pd.isna(r.value_usd) else f"${r.value_usd:,.0f}",
            "when": r.date_label + (" (approximate)" if r.approximate else ""),
            "reports": f"{r.n_reports} report(s), {r.n_outlets} outlet(s): {r.outlets}",
            "sentence": _short(lead.get("text", "")),
            "source": f"{lead.get('outlet', '')}, {lead.get('published', '')}",
            # a disagreement lists every value and report: thousands of characters for an event that
            # hundreds of articles report (25,500 at 100,000 articles); the full text is in timeline.csv
            "conflicts": _short(r.conflicts, CONFLICT_CHARS) if r.conflicts else "none",
        })
    return pd.DataFrame(rows)


def focus_domain(data: pd.DataFrame, margin_days: int = 20) -> list[str] | None:
    """The date range the charts show: every event shorter than FOCUS_MAX_SPAN_DAYS, with a margin,
    so that one long aggregate ("$14 billion since 2005") does not squeeze the rest into a corner."""
    if data.empty:
        return None
    short = data[(data["end"] - data["start"]).dt.days <= FOCUS_MAX_SPAN_DAYS]
    short = short if len(short) else data
    lo = short["start"].min() - pd.Timedelta(days=margin_days)
    hi = short["end"].max() + pd.Timedelta(days=margin_days)
    return [lo.strftime("%Y-%m-%d"), hi.strftime("%Y-%m-%d")]


def _tooltip():
    return [alt.Tooltip("weapon:N"), alt.Tooltip("status:N"), alt.Tooltip("counts_reported:N", title="count"),
            alt.Tooltip("value:N", title="value"), alt.Tooltip("when:N", title="when"),
            alt.Tooltip("reports:N"), alt.Tooltip("sentence:N"), alt.Tooltip("source:N", title="sentence from"),
            alt.Tooltip("conflicts:N", title="reports disagree on")]


def transfer_timeline(timeline: pd.DataFrame) -> alt.LayerChart:
    """Transfers on a date axis, one lane per weapon system: a bar spans each event's date interval
    (faint when the date is known at one end only), a dot sized by the count reported, colour by status.
    Hover for the sentence, its outlet and date, every outlet reporting it and any disagreement."""
    data = timeline_marks(timeline)
    lanes = sorted(data["weapon"].unique().tolist()) if len(data) else []
    order, colours = _status_scale(data["status"] if len(data) else [])
    colour = alt.Color("status:N", scale=alt.Scale(domain=order, range=colours), title="status")
    domain = focus_domain(data)
    x_scale = alt.Scale(domain=domain) if domain else alt.Undefined
    base = alt.Chart(data).encode(y=alt.Y("weapon:N", sort=lanes, title=None),
                                  yOffset=alt.YOffset("status:N", sort=order))
    bars = base.mark_bar(height=8, cornerRadius=3, clip=True).encode(
        x=alt.X("start:T", title="date of the event (as reported; long spans clipped)", scale=x_scale),
        x2="end:T", color=colour,
        opacity=alt.condition("datum.open_end", alt.value(0.25), alt.value(0.7)),
        tooltip=_tooltip(),
    )
    dots = base.mark_circle(stroke="black", strokeWidth=0.5, clip=True).encode(
        x=alt.X("mid:T", scale=x_scale), color=colour,
        size=alt.Size("size_count:Q", title="count", scale=alt.Scale(type="sqrt", range=[30, 900])),
        tooltip=_tooltip(),
    )
    return (bars + dots).properties(
        title="Arms transfers as reported: one row per weapon system",
        width=620, height=alt.Step(11),
    )


def cumulative_deliveries_chart(timeline: pd.DataFrame, documents: pd.DataFrame) -> alt.LayerChart:
    """Deliveries reported so far per weapon system (a step line at the date by which each count had
    arrived; totals that cover earlier reports add only the difference), with the articles' publication
    dates as ticks on the same axis: when the press reported, set against when deliveries happened."""
    cum = cumulative_deliveries(timeline)
    cum = cum.assign(note=cum["note"].replace("", "adds to the total"))
    pubs = documents[["outlet", "title", "published"]].copy()
    pubs["published"] = pd.to_datetime(pubs["published"])
    pubs["title"] = pubs["title"].map(lambda t: _short(t, 120))
    pubs["date"] = pubs["published"].dt.strftime("%Y-%m-%d")
    line = alt.Chart(cum).mark_line(interpolate="step-after", point=True).encode(
        x=alt.X("date:T", title="date"),
        y=alt.Y("cumulative:Q", title="delivered so far (as reported)"),
        color=alt.Color("weapon:N", title="weapon system"),
        tooltip=[alt.Tooltip("weapon:N"), alt.Tooltip("date:T", title="by"),
                 alt.Tooltip("reported:Q", title="count in the report", format=","),
                 alt.Tooltip("added:Q", format=","), alt.Tooltip("cumulative:Q", format=","),
                 alt.Tooltip("note:N"), alt.Tooltip("entry_id:N", title="timeline entry")],
    )
    ticks = alt.Chart(pubs).mark_rule(color="#888", strokeDash=[3, 3]).encode(
        x="published:T",
        tooltip=[alt.Tooltip("outlet:N"), alt.Tooltip("date:N", title="published"), alt.Tooltip("title:N")],
    )
    return (ticks + line).properties(
        title="Deliveries reported so far, and when the articles appeared (dashed)", width=620, height=260)


def transfer_timeline_print(timeline: pd.DataFrame, width: float = 10.0):
    """The transfer timeline as a static matplotlib figure for print: one lane per weapon, a bar per
    event interval (hatched when known at one end only), the count written next to it, colour by status."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    data = timeline_marks(timeline)
    lanes = sorted(data["weapon"].unique().tolist()) if len(data) else []
    order, palette = _status_scale(data["status"] if len(data) else [])
    colours = dict(zip(order, palette))
    fig, ax = plt.subplots(figsize=(width, 1.2 + 0.55 * max(1, len(lanes))))
    domain = focus_domain(data)
    ax_end = mdates.datestr2num(domain[1]) if domain else None
    # Within a weapon's lane, one sub-row per status (as yOffset does in the Altair chart).
    statuses = {w: [s for s in order if s in set(g["status"])] for w, g in data.groupby("weapon")} \
        if len(data) else {}
    for r in data.itertuples(index=False):
        present = statuses[r.weapon]
        step = 0.8 / len(present)
        y = lanes.index(r.weapon) + (present.index(r.status) - (len(present) - 1) / 2) * step
        start, end = mdates.date2num(r.start), mdates.date2num(r.end)
        ax.barh(y, max(end - start, 1.5), left=start, height=step * 0.85, color=colours.get(r.status, "#999"),
                alpha=0.35 if r.open_end else 0.85, hatch="//" if r.open_end else None, edgecolor="black",
                linewidth=0.4)
        label = f"{r.count:,.0f}" if pd.notna(r.count) else ""
        if label:
            ax.text(min(end, ax_end) + 2 if ax_end else end + 2, y, label, va="center", fontsize=8)
    ax.set_yticks(range(len(lanes)), lanes)
    ax.xaxis_date()
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    domain = focus_domain(data)
    if domain:
        ax.set_xlim(mdates.datestr2num(domain[0]), mdates.datestr2num(domain[1]))
    ax.set_xlabel("date of the event (as reported); hatched = date known at one end only; long spans clipped")
    ax.set_title("Arms transfers as reported")
    present = [s for s in STATUS_ORDER if s in set(data.get("status", []))]
    ax.legend(handles=[Patch(color=colours[s], label=s) for s in present], loc="upper left",
              bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    plt.close(fig)  # shown once, where the caller displays it, not again by the notebook's inline backend
    return fig


def deal_paths(deals: pd.DataFrame) -> alt.LayerChart:
    """Each deal's status history as a dated path: one lane per deal (weapon, supplier -> recipient), a dot
    per status at the date of its first report, joined by a line from request to delivery; colour by
    status. Input: the deal table (`newslens.analyses.deals.deal_table`, column `steps`). Hover for the
    count, the reports and any disagreement."""
    rows = []
    for d in deals.itertuples(index=False):
        lane = f"{d.weapon} ({d.supplier or '?'} → {d.recipient or '?'})"
        for step in json.loads(d.steps):
            if step["date"]:
                rows.append({"deal": lane, "deal_id": d.deal_id, "status": step["status"], "order": step["order"],
                             "date": step["date"], "count": "not given" if step["quantity"] is None
                             else f"{step['quantity']:,.0f}", "reports": step["n_reports"],
                             "conflicts": d.conflicts or "none"})
    data = pd.DataFrame(rows, columns=["deal", "deal_id", "status", "order", "date", "count", "reports", "conflicts"])
    order, colours = _status_scale(data["status"])
    lanes = list(dict.fromkeys(data.sort_values(["date", "deal"])["deal"])) if len(data) else []
    base = alt.Chart(data).encode(x=alt.X("date:T", title="date of each status (first report)"),
                                  y=alt.Y("deal:N", sort=lanes, title=None))
    line = base.mark_line(color="#bbbbbb").encode(detail="deal_id:N", order="order:Q")
    dots = base.mark_circle(size=90, opacity=0.9, stroke="black", strokeWidth=0.5).encode(
        color=alt.Color("status:N", scale=alt.Scale(domain=order, range=colours), title="status"),
        tooltip=[alt.Tooltip("deal:N"), alt.Tooltip("status:N"), alt.Tooltip("date:T"), alt.Tooltip("count:N"),
                 alt.Tooltip("reports:Q"), alt.Tooltip("conflicts:N", title="reports disagree on")])
    return (line + dots).properties(title="One deal, many reports: each deal's path from request to delivery",
                                    width=620, height=alt.Step(16))
