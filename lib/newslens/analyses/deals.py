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

from newslens.core.values import float_mode
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


def _date(start, end) -> pd.Timestamp | None:
    d = start if not pd.isna(start) else end
    return None if pd.isna(d) else pd.Timestamp(d)


def _row_groups(keys: list) -> dict:
    """Row positions per key, keys in order of first appearance (a groupby without pandas per group:
    selecting each group's rows from the frame cost more than the rules on a long corpus)."""
    groups: dict = {}
    for i, key in enumerate(keys):
        groups.setdefault(key, []).append(i)
    return groups


def _mode(values: list[float]):
    """pandas' mode of the counts (the smallest of the most frequent), as pd.Series.mode gives it."""
    return float_mode(values)


def deal_steps(timeline: pd.DataFrame) -> pd.DataFrame:
    """One row per (deal, status): the deal's path, dated by the earliest entry of that status."""
    order = {s: i for i, s in enumerate(status_names())}
    ids = timeline["deal_id"] if "deal_id" in timeline else pd.Series(assign_deals(timeline), index=timeline.index)
    col = {c: list(timeline[c]) for c in ("weapon", "supplier", "recipient", "status", "date_start", "date_end",
                                          "date_label", "quantity", "n_reports", "entry_id")}
    keys = [(d, s) if not (pd.isna(d) or pd.isna(s)) else None for d, s in zip(list(ids), col["status"])]
    rows = []
    for key, members in _row_groups(keys).items():
        if key is None:
            continue  # groupby leaves out rows without a deal or status
        deal, status = key
        dates = [d for d in (_date(col["date_start"][i], col["date_end"][i]) for i in members) if d is not None]
        first = members[0]
        counts = [col["quantity"][i] for i in members if not pd.isna(col["quantity"][i])]
        rows.append({"deal_id": deal, "weapon": col["weapon"][first], "supplier": col["supplier"][first] or "",
                     "recipient": col["recipient"][first] or "", "status": status,
                     "order": order.get(status, len(order)), "date": min(dates) if dates else pd.NaT,
                     "date_label": "; ".join(dict.fromkeys(str(col["date_label"][i]) for i in members
                                                           if str(col["date_label"][i]))),
                     "quantity": _mode(counts) if counts else None,
                     "n_reports": int(sum(col["n_reports"][i] for i in members)),
                     "entry_id": "; ".join(col["entry_id"][i] for i in members)})
    steps = pd.DataFrame(rows, columns=STEP_COLUMNS)
    steps["date"] = pd.to_datetime(steps["date"])
    return steps.sort_values(["deal_id", "order"], kind="stable").reset_index(drop=True)


def _conflicts(statuses: list[str], dates: list, counts: list[float]) -> str:
    """Counts that differ within a deal; a path (statuses in order, with their dates) whose dates run backwards."""
    out = []
    if len(set(counts)) > 1:
        out.append("quantity (" + ", ".join(f"{q:,.0f}" for q in sorted(set(counts))) + ")")
    dated = [(s, d) for s, d in zip(statuses, dates) if not pd.isna(d)]
    later = [d for _, d in dated]
    if any(b < a for a, b in zip(later, later[1:])):
        out.append("date order (" + " → ".join(f"{s} {d.date()}" for s, d in dated) + ")")
    return "; ".join(out)


def _blank(value) -> str:
    return "" if pd.isna(value) else value


def deal_table(timeline: pd.DataFrame) -> pd.DataFrame:
    """One row per deal (DEAL_COLUMNS): its path of statuses with dates, counts, reports, sources, conflicts."""
    if timeline.empty:
        return pd.DataFrame(columns=DEAL_COLUMNS)
    if "deal_id" not in timeline:
        timeline = timeline.assign(deal_id=assign_deals(timeline))
    steps = deal_steps(timeline)
    # Plain lists, grouped once: per-deal frame selections cost more than the table on a long corpus.
    step = {c: list(steps[c]) for c in ("status", "order", "date", "quantity", "n_reports")}
    path_of = _row_groups(list(steps["deal_id"]))
    col = {c: list(timeline[c]) for c in ("weapon", "weapon_category", "supplier", "recipient", "quantity",
                                          "quantities_reported", "n_reports", "outlets", "entry_id")}
    sources_of = list(timeline["sources"]) if "sources" in timeline else None
    groups = _row_groups(list(timeline["deal_id"]))
    records = []
    for deal in sorted(d for d in groups if not pd.isna(d)):  # groupby("deal_id", sort=True)
        g = groups[deal]
        path = path_of.get(deal, [])
        statuses, dates = [step["status"][i] for i in path], [step["date"][i] for i in path]
        counts = [float(col["quantity"][i]) for i in g if not pd.isna(col["quantity"][i])]
        dated = [d for d in dates if not pd.isna(d)]
        sources = [s for i in g for s in json.loads(sources_of[i])] if sources_of is not None else []
        records.append({
            "deal_id": deal, "weapon": col["weapon"][g[0]], "weapon_category": col["weapon_category"][g[0]],
            "supplier": next((col["supplier"][i] for i in g if _blank(col["supplier"][i]) != ""), ""),
            "recipient": next((r for r in (_blank(col["recipient"][i]) for i in g) if r), ""),
            "quantity": float_mode(counts) if counts else None,
            "quantities_reported": "; ".join(x for x in (_blank(col["quantities_reported"][i]) for i in g) if x),
            "path": " → ".join(f"{s} {d.date() if not pd.isna(d) else 'undated'}" for s, d in zip(statuses, dates)),
            "statuses": "; ".join(statuses), "n_statuses": len(path),
            "first_date": min(dated) if dated else pd.NaT, "last_date": max(dated) if dated else pd.NaT,
            "n_entries": len(g), "n_reports": int(sum(col["n_reports"][i] for i in g)),
            "outlets": "; ".join(dict.fromkeys(o for i in g for o in str(col["outlets"][i]).split("; ") if o)),
            "entry_ids": "; ".join(col["entry_id"][i] for i in g),
            "conflicts": _conflicts(statuses, dates, counts),
            "steps": json.dumps([{"status": st, "order": int(o), "date": None if pd.isna(d) else str(d.date()),
                                  "quantity": None if q is None or pd.isna(q) else float(q), "n_reports": int(n)}
                                 for st, o, d, q, n in zip(statuses, [step["order"][i] for i in path], dates,
                                                           [step["quantity"][i] for i in path],
                                                           [step["n_reports"][i] for i in path])]),
            "sources": json.dumps(sources, ensure_ascii=False),
        })
    return pd.DataFrame(records, columns=DEAL_COLUMNS)


def deal_summary(deals: pd.DataFrame) -> dict:
    """How many deals, and how many carry more than one status (for a report's one line of prose)."""
    return {"deals": int(len(deals)), "multi_status": int((deals["n_statuses"] > 1).sum()) if len(deals) else 0}
