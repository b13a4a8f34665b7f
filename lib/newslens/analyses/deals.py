"""One deal, many reports: timeline entries of one transfer merged across statuses into a deal with a
status history (the dated path request -> approval -> order -> delivery, like a register's order year and
delivery years).

    from newslens.analyses.deals import assign_deals, deal_table
    timeline["deal_id"] = assign_deals(timeline)      # the timeline stage does this
    deals = deal_table(timeline)                      # one row per deal (input of charts.timeline.deal_paths)

Entries belong to one deal when they name the same weapon (a generic entry joins the deal of the one
specific weapon of its class with the same parties, when there is one), the same supplier and recipient
(an entry that leaves one out joins the deal that names it, when only one does), and compatible counts:
equal, within `COUNT_SLACK` of each other, or not given (an entry without a count joins the deal with
the most reports). Statuses come in the order of `data/event_statuses.csv`. Every report's sentence is
kept (`sources`); disagreements are flagged (`conflicts`): counts that differ inside one deal, and a
path whose dates run backwards (delivered before ordered).
"""
from __future__ import annotations

import json

import pandas as pd

from newslens.textkit.event_statuses import status_names
from newslens.textkit.weapons import compatible_category

COUNT_SLACK = 0.2  # counts within 20% are one deal reported differently ("79" / "nearly 80" kits)
DEAL_COLUMNS = ["deal_id", "weapon", "weapon_category", "supplier", "recipient", "quantity", "quantities_reported",
                "path", "statuses", "n_statuses", "first_date", "last_date", "n_entries", "n_reports",
                "outlets", "entry_ids", "conflicts", "steps", "sources"]
STEP_COLUMNS = ["deal_id", "weapon", "supplier", "recipient", "status", "order", "date", "date_label", "quantity",
                "n_reports", "entry_id"]


def _key_parties(timeline: pd.DataFrame) -> list[tuple[str, str]]:
    """(supplier, recipient) per entry, a missing one taken from the only pair of its weapon naming it."""
    pairs = list(zip(timeline["supplier"].fillna("").astype(str), timeline["recipient"].fillna("").astype(str)))
    weapons = timeline["weapon"].astype(str).tolist()
    full: dict[str, set[tuple[str, str]]] = {}
    for w, (s, r) in zip(weapons, pairs):
        if s and r:
            full.setdefault(w, set()).add((s, r))
    out = []
    for w, (s, r) in zip(weapons, pairs):
        fits = [p for p in full.get(w, ()) if (not s or p[0] == s) and (not r or p[1] == r)]
        out.append(fits[0] if len(fits) == 1 else (s, r))
    return out


def _specific_weapons(timeline: pd.DataFrame, parties: list[tuple[str, str]]) -> list[str]:
    """The weapon of each entry; a generic one ("missile (unspecified)") takes the one specific weapon of
    its class with the same parties, when there is exactly one."""
    generic = [str(w).endswith("(unspecified)") for w in timeline["weapon"]]
    specifics: dict[tuple[str, str], dict[str, str]] = {}
    for w, c, p, g in zip(timeline["weapon"], timeline["weapon_category"], parties, generic):
        if not g:
            specifics.setdefault(p, {})[w] = c
    out = []
    for w, c, p, g in zip(timeline["weapon"], timeline["weapon_category"], parties, generic):
        fits = [s for s, sc in specifics.get(p, {}).items() if compatible_category(c, sc)] if g else []
        out.append(fits[0] if len(fits) == 1 else w)
    return out


def _clusters(quantities: list[float | None], reports: list[int]) -> list[int]:
    """A count cluster per entry: counts within COUNT_SLACK of the cluster's smallest share one; an entry
    without a count joins the cluster with the most reports."""
    counted = sorted((q, i) for i, q in enumerate(quantities) if q is not None)
    label = [-1] * len(quantities)
    cluster, base = -1, None
    for q, i in counted:
        if base is None or q > base * (1 + COUNT_SLACK):
            cluster, base = cluster + 1, q
        label[i] = cluster
    if cluster < 0:
        return [0] * len(quantities)
    weight = [0] * (cluster + 1)
    for i, c in enumerate(label):
        if c >= 0:
            weight[c] += reports[i]
    biggest = max(range(cluster + 1), key=lambda c: (weight[c], -c))
    return [c if c >= 0 else biggest for c in label]


def assign_deals(timeline: pd.DataFrame) -> list[str]:
    """A deal id (D001, ...) per timeline entry, in order of each deal's first entry."""
    if timeline.empty:
        return []
    parties = _key_parties(timeline)
    weapons = _specific_weapons(timeline, parties)
    groups: dict[tuple, list[int]] = {}
    for i, (w, p) in enumerate(zip(weapons, parties)):
        groups.setdefault((w, p), []).append(i)
    quantity = [None if pd.isna(q) else float(q) for q in timeline["quantity"]]
    reports = [int(n) for n in timeline["n_reports"]]
    deal_of = [None] * len(timeline)
    keys: dict[tuple, str] = {}
    for key, members in groups.items():
        labels = _clusters([quantity[i] for i in members], [reports[i] for i in members])
        for i, c in zip(members, labels):
            deal_of[i] = (key, c)
    for i, k in enumerate(deal_of):  # numbered in timeline order
        if k not in keys:
            keys[k] = f"D{len(keys) + 1:03d}"
    return [keys[k] for k in deal_of]


def _date(row) -> pd.Timestamp | None:
    d = row.date_start if not pd.isna(row.date_start) else row.date_end
    return None if pd.isna(d) else pd.Timestamp(d)


def deal_steps(timeline: pd.DataFrame) -> pd.DataFrame:
    """One row per (deal, status): the deal's path, dated by the earliest entry of that status."""
    order = {s: i for i, s in enumerate(status_names())}
    ids = timeline["deal_id"] if "deal_id" in timeline else pd.Series(assign_deals(timeline), index=timeline.index)
    rows = []
    for (deal, status), g in timeline.assign(deal_id=ids).groupby(["deal_id", "status"], sort=False):
        dates = [d for d in (_date(r) for r in g.itertuples()) if d is not None]
        first = g.iloc[0]
        counts = g["quantity"].dropna()
        rows.append({"deal_id": deal, "weapon": first["weapon"], "supplier": first["supplier"] or "",
                     "recipient": first["recipient"] or "", "status": status, "order": order.get(status, len(order)),
                     "date": min(dates) if dates else pd.NaT,
                     "date_label": "; ".join(dict.fromkeys(str(x) for x in g["date_label"] if str(x))),
                     "quantity": counts.mode().iloc[0] if len(counts) else None,
                     "n_reports": int(g["n_reports"].sum()), "entry_id": "; ".join(g["entry_id"])})
    steps = pd.DataFrame(rows, columns=STEP_COLUMNS)
    steps["date"] = pd.to_datetime(steps["date"])
    return steps.sort_values(["deal_id", "order"], kind="stable").reset_index(drop=True)


def _conflicts(steps: pd.DataFrame, counts: list[float]) -> str:
    out = []
    if len(set(counts)) > 1:
        out.append("quantity (" + ", ".join(f"{q:,.0f}" for q in sorted(set(counts))) + ")")
    dated = steps.dropna(subset=["date"])
    later = dated["date"].tolist()
    if any(b < a for a, b in zip(later, later[1:])):
        out.append("date order (" + " → ".join(f"{s} {d.date()}" for s, d in zip(dated["status"], later)) + ")")
    return "; ".join(out)


def deal_table(timeline: pd.DataFrame) -> pd.DataFrame:
    """One row per deal (DEAL_COLUMNS): its path of statuses with dates, counts, reports, sources, conflicts."""
    if timeline.empty:
        return pd.DataFrame(columns=DEAL_COLUMNS)
    if "deal_id" not in timeline:
        timeline = timeline.assign(deal_id=assign_deals(timeline))
    steps = deal_steps(timeline)
    records = []
    for deal, g in timeline.groupby("deal_id", sort=True):
        path = steps[steps.deal_id == deal]
        counts = [float(q) for q in g["quantity"].dropna()]
        dates = path["date"].dropna()
        named = g[g["supplier"].fillna("") != ""]
        sources = [s for text in g["sources"] for s in json.loads(text)] if "sources" in g else []
        records.append({
            "deal_id": deal, "weapon": g["weapon"].iloc[0], "weapon_category": g["weapon_category"].iloc[0],
            "supplier": named["supplier"].iloc[0] if len(named) else "",
            "recipient": next((r for r in g["recipient"].fillna("") if r), ""),
            "quantity": pd.Series(counts).mode().iloc[0] if counts else None,
            "quantities_reported": "; ".join(x for x in g["quantities_reported"].fillna("") if x),
            "path": " → ".join(f"{s} {d.date() if not pd.isna(d) else 'undated'}"
                               for s, d in zip(path["status"], path["date"])),
            "statuses": "; ".join(path["status"]), "n_statuses": len(path),
            "first_date": dates.min() if len(dates) else pd.NaT, "last_date": dates.max() if len(dates) else pd.NaT,
            "n_entries": len(g), "n_reports": int(g["n_reports"].sum()),
            "outlets": "; ".join(dict.fromkeys(o for x in g["outlets"] for o in str(x).split("; ") if o)),
            "entry_ids": "; ".join(g["entry_id"]), "conflicts": _conflicts(path, counts),
            "steps": json.dumps([{"status": st, "order": int(o), "date": None if pd.isna(d) else str(d.date()),
                                  "quantity": None if q is None or pd.isna(q) else float(q), "n_reports": int(n)}
                                 for st, o, d, q, n in zip(path["status"], path["order"], path["date"],
                                                           path["quantity"], path["n_reports"])]),
            "sources": json.dumps(sources, ensure_ascii=False),
        })
    return pd.DataFrame(records, columns=DEAL_COLUMNS)


def deal_summary(deals: pd.DataFrame) -> dict:
    """How many deals, and how many carry more than one status (for a report's one line of prose)."""
    return {"deals": int(len(deals)), "multi_status": int((deals["n_statuses"] > 1).sum()) if len(deals) else 0}
