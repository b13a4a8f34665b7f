"""Views of the timeline: the TimelineJS3 export, deliveries reported so far, and who reported what
(newslens.analyses.timeline re-exports these)."""
from __future__ import annotations

import html
import json
import re

import pandas as pd

from newslens.core.values import is_missing as _na
from newslens.core.values import row_tuples as _row_tuples




def _tljs_date(ts: pd.Timestamp, granularity: str) -> dict:
    d = {"year": int(ts.year)}
    if granularity in ("year", "since", "part_of_year"):
        return d
    d["month"] = int(ts.month)
    if granularity in ("month", "span", "vague"):
        return d
    d["day"] = int(ts.day)
    return d


def timelinejs(timeline: pd.DataFrame, title: str = "Arms transfers as reported") -> dict:
    """TimelineJS3 JSON: one slide per entry, grouped by weapon; approximate dates say so in the
    displayed date; article sentences are HTML-escaped."""
    events = []
    for r in _row_tuples(timeline):
        start = r.date_start if not _na(r.date_start) else r.date_end
        end = r.date_end if not _na(r.date_start) and not _na(r.date_end) else None
        if _na(start):
            continue  # nothing to place on a date axis
        count = "" if _na(r.quantity) else f"{r.quantity:,.0f} "
        if not count and r.quantities_reported:
            count = r.quantities_reported.split(" ×")[0] + " "
        headline = f"{count}{r.weapon} {r.status}"
        display = r.date_label + (" (approximate)" if r.approximate else "")
        sources = json.loads(r.sources)
        body = "".join(
            f"<p><b>{html.escape(s['outlet'])}</b> ({html.escape(s['published'])}): "
            f"“{html.escape(s['text'])}”</p>" for s in sources)
        if r.conflicts:
            body = f"<p><i>Reports disagree: {html.escape(r.conflicts)}</i></p>" + body
        slide = {
            "unique_id": r.entry_id,
            "start_date": _tljs_date(start, r.granularity),
            "text": {"headline": html.escape(headline), "text": body},
            "group": r.weapon,
            "display_date": display,
        }
        if end is not None and end != start:
            slide["end_date"] = _tljs_date(end, r.granularity)
        events.append(slide)
    return {"title": {"text": {"headline": html.escape(title),
                               "text": "<p>Each slide is one transfer event, merged over the articles that "
                                       "report it; every source sentence is quoted.</p>"}},
            "events": events}


_RUNNING_TOTAL = re.compile(r"\b(?:all(?: of the)? \d[\d,]*|all \w+ of the|in total|a total of|in all|so far|"
                            r"to date|altogether|the full)\b", re.IGNORECASE)
CUMULATIVE_COLUMNS = ["weapon", "date", "entry_id", "reported", "added", "cumulative", "note"]


def cumulative_deliveries(timeline: pd.DataFrame) -> pd.DataFrame:
    """Deliveries reported so far, per weapon: one row per delivered entry with a count, at the end of
    its interval (the date by which the press says they had arrived).

    Reports overlap: "780 delivered this year" (January-August 2014) contains "450 delivered in July".
    A count whose interval contains earlier counted entries of the same weapon, and is at least their
    sum, is read as their total: it adds only the difference (780 - 450 = 330), and `note` says so.
    A report that says its count is a running total ("all 14 tanks", "a total of", "so far", "to date")
    adds only what exceeds the deliveries counted before it. Otherwise counts add up. Undated deliveries
    are placed at the publication date that bounds them.
    """
    delivered = timeline[(timeline.status == "delivered") & timeline.quantity.notna()]
    rows = []
    for weapon, group in delivered.groupby("weapon", sort=True):
        counted: list[tuple] = []  # (start, end, quantity)
        total = 0.0
        group = group.assign(plot_end=group.date_end.fillna(group.date_start)).sort_values(["plot_end", "quantity"])
        for r in group.itertuples(index=False):
            start = r.date_start if not _na(r.date_start) else pd.Timestamp.min
            end = r.plot_end
            inside = [c for c in counted if c[0] >= start and c[1] <= end]
            inside_sum = sum(c[2] for c in inside)
            note = ""
            added = float(r.quantity)
            texts = " ".join(src["text"] for src in json.loads(r.sources))
            if total and _RUNNING_TOTAL.search(texts) and r.quantity >= total:
                added = r.quantity - total
                note = f"a running total ({r.quantity:,.0f} in all); adds {added:,.0f}"
            elif inside and r.quantity >= inside_sum:
                added = r.quantity - inside_sum
                note = (f"covers {len(inside)} earlier report(s) of {inside_sum:,.0f}; "
                        f"adds {added:,.0f}")
            counted.append((start, end, added))
            total += added
            rows.append({"weapon": weapon, "date": end, "entry_id": r.entry_id, "reported": r.quantity,
                         "added": added, "cumulative": total, "note": note})
    return pd.DataFrame(rows, columns=CUMULATIVE_COLUMNS)


def who_reported(timeline: pd.DataFrame, outlets: list[str] | None = None) -> pd.DataFrame:
    """Entries by outlets: for each timeline entry, what each outlet said about it (the count and date
    words it used, "reported" when it gave neither), empty when it did not report the event."""
    records = []
    for r in _row_tuples(timeline):
        row = {"entry_id": r.entry_id, "event": f"{r.weapon} {r.status}", "when": r.date_label}
        for s in json.loads(r.sources):
            said = ", ".join(x for x in (s["quantity"], s.get("value", ""), s["date_text"]) if x) or "reported"
            row[s["outlet"]] = "; ".join(x for x in (row.get(s["outlet"]), said) if x)
        records.append(row)
    table = pd.DataFrame(records, columns=["entry_id", "event", "when"]) if not records else pd.DataFrame(records)
    names = outlets or sorted({o for r in timeline.outlets for o in str(r).split("; ") if o})
    for name in names:
        if name not in table.columns:
            table[name] = ""
    return table[["entry_id", "event", "when", *names]].fillna("")
