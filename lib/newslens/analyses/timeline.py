"""The arms-transfer timeline: reports of the same event merged into one entry, every source kept,
disagreements flagged; exported as a table and as TimelineJS3 JSON; optionally set against a
reference list of transfers (SIPRI trade-register style). Pipeline stage `timeline`.

    from newslens.analyses.timeline import merge_events, timelinejs
    timeline = merge_events(events)          # one row per event, with its reports
    tljs = timelinejs(timeline)              # dict for TimelineJS3 (write as timeline.json)

Merging. Two reports are the same event when they name the same weapon (or a generic one compatible
with it: "10 reconnaissance drones" and "10 ScanEagle drones"), the same status, compatible parties, and
 - their counts agree (equal, or one inside the other's range: 75 within "dozens"; or one gives none),
   and their dates overlap (an undated report of a delivery covers everything before its publication); or
 - they agree on one and nearly on the other: the same count with dates less than `DATE_SLACK_DAYS`
   apart, or overlapping dates with counts within `QUANTITY_SLACK` of each other. Such a merge is kept
   and the disagreement flagged in `conflicts`.
Reports are taken most precise first (a count and a narrow date), so vague reports join the entry they
fit best. The entry's date is the intersection of its reports' intervals (the narrowest claim all
reports allow); when they do not intersect it is their union, flagged as a date conflict.
Descriptions of one weapon that contradict each other across any reports ("surface-to-air" vs
"air-to-surface") are flagged on every entry whose reports carry one of them.
"""
from __future__ import annotations

import bisect
import heapq
import html
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from newslens.core.values import is_missing as _na
from newslens.core.values import float_mode as _float_mode
from newslens.core.values import row_tuples as _row_tuples

from newslens.analyses.deals import assign_deals, deal_table
from newslens.core.errors import ParameterError
# Declared in the light settings module; importable from here as before.
from newslens.analyses.timeline_settings import STAGE, TimelineSettings  # noqa: F401
from newslens.textkit.weapons import compatible_category, find_weapons, load_weapons

DATE_SLACK_DAYS = 31
QUANTITY_SLACK = 0.2
TIMELINE_COLUMNS = [
    "entry_id", "weapon", "weapon_category", "status", "quantity", "quantity_low", "quantity_high",
    "quantities_reported", "value_usd", "supplier", "recipient", "date_start", "date_end", "granularity",
    "approximate", "date_label", "n_reports", "n_outlets", "outlets", "doc_ids", "first_reported",
    "descriptions", "conflicts", "sources", "deal_id",
]
# Descriptors that say what a weapon does; two different ones for one weapon contradict each other.
ROLE_DESCRIPTORS = re.compile(
    r"surface-to-air|air-to-surface|air-to-ground|air-to-air|surface-to-surface|ground-to-air|anti-tank|"
    r"anti-armou?r|anti-ship|anti-aircraft|anti-missile|cruise|ballistic|unarmed|armed")
GRANULARITY_ORDER = ["day", "week", "part_of_month", "month", "span", "vague", "part_of_year", "year",
                     "since", "before publication", "after publication", ""]


@dataclass
class _Entry:
    rows: list = field(default_factory=list)
    weapon: str = ""
    category: str = ""
    generic: bool = True
    status: str = ""
    supplier: str = ""
    recipient: str = ""
    low: float | None = None
    high: float | None = None
    exact: list = field(default_factory=list)
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    conflicts: list = field(default_factory=list)
    # start and end as integers (see _Facts), kept in step with them by _add
    start_ns: int = -(2 ** 62)
    end_ns: int = 2 ** 62




def _bounds(row) -> tuple[float | None, float | None]:
    low = None if _na(row.quantity_low) else float(row.quantity_low)
    high = None if _na(row.quantity_high) else float(row.quantity_high)
    if low is None and high is None and not _na(row.quantity):
        low = high = float(row.quantity)
    return low, high


def _ranges_overlap(a_lo, a_hi, b_lo, b_hi) -> bool:
    lo = max(x for x in (a_lo, b_lo, float("-inf")) if x is not None)
    hi = min(x for x in (a_hi, b_hi, float("inf")) if x is not None)
    return lo <= hi


def _dates_gap(a_start, a_end, b_start, b_end) -> float:
    """Days between two intervals (0 when they overlap); open ends reach forever."""
    a_start = pd.Timestamp.min if _na(a_start) else a_start
    b_start = pd.Timestamp.min if _na(b_start) else b_start
    a_end = pd.Timestamp.max if _na(a_end) else a_end
    b_end = pd.Timestamp.max if _na(b_end) else b_end
    if a_end < b_start:
        return (b_start - a_end).days
    if b_end < a_start:
        return (a_start - b_end).days
    return 0


def _weapon_fits(entry: _Entry, row) -> bool:
    if entry.weapon == row.weapon:
        return True
    row_generic = row.weapon.endswith("(unspecified)")
    if entry.generic and compatible_category(entry.category, row.weapon_category) and entry.category != "arms":
        return True
    return row_generic and compatible_category(row.weapon_category, entry.category) and row.weapon_category != "arms"


def _party_fits(a: str, b: str) -> bool:
    return not a or not b or a == b


@dataclass(frozen=True)
class _Facts:
    """What matching needs of a report, computed once per report (not once per entry it is tried on)."""
    low: float | None
    high: float | None
    start: int  # date_start in ns since the epoch, or _OPEN_START when not given
    end: int  # date_end likewise, or _OPEN_END
    quantity: float | None
    generic: bool


# Open ends of a date interval, as integers: earlier / later than any real date.
_OPEN_START, _OPEN_END = -(2 ** 62), 2 ** 62
_NS_PER_DAY = 86_400_000_000_000


def _facts(row) -> _Facts:
    low, high = _bounds(row)
    return _Facts(low, high, _ns(row.date_start, _OPEN_START), _ns(row.date_end, _OPEN_END),
                  None if _na(row.quantity) else float(row.quantity), row.weapon.endswith("(unspecified)"))


def _ns(ts, open_end: int) -> int:
    return open_end if _na(ts) else pd.Timestamp(ts).value


def _gap_ns(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """_dates_gap on integer dates: whole days between two intervals, 0 when they overlap."""
    if a_end < b_start:
        return (b_start - a_end) // _NS_PER_DAY
    if b_end < a_start:
        return (a_start - b_end) // _NS_PER_DAY
    return 0


def _score(entry: _Entry, row, facts: _Facts) -> tuple[int, float] | None:
    """How well a report fits an entry: None when it does not; else (flags, -closeness)."""
    if entry.status != row.status or not _weapon_fits(entry, row):
        return None
    if not (_party_fits(entry.supplier, row.supplier) and _party_fits(entry.recipient, row.recipient)):
        return None
    low, high = facts.low, facts.high
    gap = _gap_ns(entry.start_ns, entry.end_ns, facts.start, facts.end)
    has_q = low is not None or high is not None
    entry_q = entry.low is not None or entry.high is not None
    q_ok = not has_q or not entry_q or _ranges_overlap(entry.low, entry.high, low, high)
    quantity = facts.quantity
    q_near = q_ok or (has_q and entry.exact and quantity is not None
                      and all(abs(quantity - q) <= QUANTITY_SLACK * max(q, quantity) for q in entry.exact))
    q_same = has_q and entry.exact and quantity is not None and all(q == quantity for q in entry.exact)
    if q_ok and gap == 0:
        return (0 if has_q and entry_q else 1, gap)
    if q_same and gap <= DATE_SLACK_DAYS:
        return (2, gap)
    if q_near and gap == 0:
        return (2, gap)
    return None


def _best_entry(entries: list[_Entry], candidates, row, facts: _Facts) -> int | None:
    """The entry a report joins: the best score, then the earliest entry (as a scan of all entries would
    choose). `candidates` yields entry numbers in increasing order, so the scan stops at the first entry
    with the best possible score."""
    best = None
    for i in candidates:
        score = _score(entries[i], row, facts)
        if score is None:
            continue
        if score == (0, 0):
            return i
        if best is None or score < best[0]:
            best = (score, i)
            # Without a count, a report cannot score (0, 0); (1, 0) is then the best it can do.
            if score == (1, 0) and facts.low is None and facts.high is None:
                return i
    return None if best is None else best[1]


def _kind_fits(kind: tuple[str, str], row, facts: _Facts) -> bool:
    """Whether entries of this (status, weapon category) could take the report (see _weapon_fits): the
    same status, and the same category, a generic category that covers the report's, or (for a generic
    report) a category the report covers."""
    status, category = kind
    return status == row.status and (
        category == row.weapon_category or compatible_category(category, row.weapon_category)
        or (facts.generic and compatible_category(row.weapon_category, category)))


# Width of the date bins of _EntryIndex: a report can only join an entry whose dates are less than
# DATE_SLACK_DAYS + 1 days from its own (see _score), so bins this wide find every such entry.
_BIN_NS = (DATE_SLACK_DAYS + 1) * _NS_PER_DAY
# An entry (or report) spanning more bins than this is "wide": kept in (or scanning) a list of its own.
_MAX_BINS = 48


class _EntryIndex:
    """The entries a report could join, found without trying every entry so far.

    Entries are filed by (status, weapon category) and, within it, under every date bin their interval
    covers; an entry with an open or very long interval is filed as wide. A report is tried on the wide
    entries of the kinds it fits and on those in the bins its interval (widened by the date slack)
    covers: _score is None for every other entry, so the choice is the one a scan of all entries makes.
    A report with an open or very long interval is tried on every entry of the kinds it fits."""

    def __init__(self) -> None:
        self.by_kind: dict[tuple[str, str], list[int]] = {}  # ascending entry numbers
        self._fitting: dict[tuple[str, str, bool], list[tuple[str, str]]] = {}  # report sort -> kinds
        self.wide: dict[tuple[str, str], set[int]] = {}
        self.bins: dict[tuple[str, str], dict[int, set[int]]] = {}
        self.filed: dict[int, tuple[tuple[str, str], int, int]] = {}  # entry -> (kind, first, last bin)

    @staticmethod
    def _span(start: int, end: int) -> tuple[int, int] | None:
        if start == _OPEN_START or end == _OPEN_END:
            return None
        first, last = start // _BIN_NS, end // _BIN_NS
        return (first, last) if last - first <= _MAX_BINS else None

    def file(self, i: int, entry: _Entry) -> None:
        """File entry `i` under its current kind and dates (moving it if they changed)."""
        kind = (entry.status, entry.category)
        span = self._span(entry.start_ns, entry.end_ns)
        first, last = span if span else (1, 0)
        where = (kind, first, last)
        before = self.filed.get(i)
        if before == where:
            return
        if before is not None:
            self._unfile(i, *before, moved=before[0] != kind)
        self.filed[i] = where
        if before is None or before[0] != kind:
            if kind not in self.by_kind:
                self._fitting.clear()  # a new kind: which kinds fit a report is worked out again
            bisect.insort(self.by_kind.setdefault(kind, []), i)
        if span is None:
            self.wide.setdefault(kind, set()).add(i)
        else:
            bins = self.bins.setdefault(kind, {})
            for b in range(first, last + 1):
                bins.setdefault(b, set()).add(i)

    def _unfile(self, i: int, kind: tuple[str, str], first: int, last: int, moved: bool) -> None:
        if moved:
            self.by_kind[kind].remove(i)
        if first > last:
            self.wide[kind].discard(i)
        for b in range(first, last + 1):
            self.bins[kind][b].discard(i)

    def candidates(self, row, facts: _Facts):
        """Entry numbers the report could join, in increasing order."""
        sort = (row.status, row.weapon_category, facts.generic)
        kinds = self._fitting.get(sort)
        if kinds is None:
            kinds = self._fitting[sort] = [kind for kind in self.by_kind if _kind_fits(kind, row, facts)]
        span = None
        if facts.start != _OPEN_START and facts.end != _OPEN_END:
            span = self._span(facts.start - _BIN_NS, facts.end + _BIN_NS)
        if span is None:
            # Lazily merged: the scan usually stops long before the end of the lists.
            lists = [ids for ids in (self.by_kind[kind] for kind in kinds) if ids]
            return lists[0] if len(lists) == 1 else heapq.merge(*lists)
        found: set[int] = set()
        for kind in kinds:
            found |= self.wide.get(kind, set())
            bins = self.bins.get(kind, {})
            for b in range(span[0], span[1] + 1):
                found |= bins.get(b, set())
        return sorted(found)


def _specificity(row) -> tuple:
    low, high = _bounds(row)
    exact = not _na(row.quantity)
    start = row.date_start if not _na(row.date_start) else pd.Timestamp.min
    end = row.date_end if not _na(row.date_end) else pd.Timestamp.max
    width = (end - start).days if start != pd.Timestamp.min and end != pd.Timestamp.max else 10 ** 6
    return (0 if exact else (1 if low is not None or high is not None else 2), width, row.published)


def _add(entry: _Entry, row) -> None:
    low, high = _bounds(row)
    if entry.rows:
        if (low is not None or high is not None) and (entry.low is not None or entry.high is not None) \
                and not _ranges_overlap(entry.low, entry.high, low, high):
            entry.conflicts.append("quantity")
        gap = _dates_gap(entry.start, entry.end, row.date_start, row.date_end)
        if gap > 0:
            entry.conflicts.append("date")
            entry.start = min(x for x in (entry.start, row.date_start) if not _na(x)) \
                if not (_na(entry.start) or _na(row.date_start)) else pd.NaT
            entry.end = max(x for x in (entry.end, row.date_end) if not _na(x)) \
                if not (_na(entry.end) or _na(row.date_end)) else pd.NaT
        else:
            starts = [x for x in (entry.start, row.date_start) if not _na(x)]
            ends = [x for x in (entry.end, row.date_end) if not _na(x)]
            entry.start = max(starts) if starts else pd.NaT
            entry.end = min(ends) if ends else pd.NaT
    else:
        entry.start, entry.end = row.date_start, row.date_end
    if low is not None or high is not None:
        entry.low = low if entry.low is None else (max(entry.low, low) if low is not None else entry.low)
        entry.high = high if entry.high is None else (min(entry.high, high) if high is not None else entry.high)
        if entry.low is not None and entry.high is not None and entry.low > entry.high:
            entry.low, entry.high = min(entry.low, entry.high), max(entry.low, entry.high)
    if not _na(row.quantity):
        entry.exact.append(float(row.quantity))
    if entry.generic and not row.weapon.endswith("(unspecified)"):
        entry.weapon, entry.category, entry.generic = row.weapon, row.weapon_category, False
    elif not entry.rows:
        entry.weapon, entry.category = row.weapon, row.weapon_category
        entry.generic = row.weapon.endswith("(unspecified)")
    entry.status = row.status
    entry.supplier = entry.supplier or row.supplier
    entry.recipient = entry.recipient or row.recipient
    entry.rows.append(row)
    entry.start_ns, entry.end_ns = _ns(entry.start, _OPEN_START), _ns(entry.end, _OPEN_END)


def _date_label(start, end, granularity: str) -> str:
    if _na(start) and _na(end):
        return "date not known"
    if _na(start):
        return f"by {end.date()} (date not given)"
    if _na(end):
        return f"after {start.date()} (date not given)"
    if start == end:
        return str(start.date())
    return f"{start.date()} – {end.date()}"


def _role_conflicts(events: pd.DataFrame) -> dict[str, dict[str, list[str]]]:
    """weapon -> {role descriptor -> ["outlet (published)", ...]} for weapons described in two ways."""
    out: dict[str, dict[str, list[str]]] = {}
    if events.empty:
        return out
    by_weapon: dict[str, dict[str, list[str]]] = {}
    for weapon, description, outlet, published in zip(
            events["weapon"], events["description"], events["outlet"], events["published"]):
        if _na(description) or not description:
            continue
        for role in ROLE_DESCRIPTORS.findall(str(description)):
            by_weapon.setdefault(weapon, {}).setdefault(role, []).append(
                f"{outlet} ({pd.Timestamp(published).date()})")
    for weapon in sorted(by_weapon):
        roles = by_weapon[weapon]
        if len(roles) > 1:
            out[weapon] = {k: sorted(set(v)) for k, v in roles.items()}
    return out


def _record(entry: _Entry, roles: dict) -> dict:
    """One timeline row of a merged entry: its counts, dates, outlets, conflicts and every source sentence."""
    rows = sorted(entry.rows, key=lambda r: (r.published, r.doc_id, r.sent_id))
    grans = [r.granularity for r in rows]
    granularity = min(grans, key=lambda g: GRANULARITY_ORDER.index(g) if g in GRANULARITY_ORDER else 99)
    # Most reported first; ties in order of first report (as Series.value_counts orders them).
    quantities = dict(Counter(r.quantity_text for r in rows if r.quantity_text).most_common())
    exact = sorted(set(entry.exact))
    quantity = exact[0] if len(exact) == 1 else (None if not exact else _float_mode(entry.exact))
    values = [r.value_usd for r in rows if not _na(r.value_usd)]
    descriptions = sorted({d for r in rows for d in str(r.description or "").split() if d})
    conflicts = list(dict.fromkeys(entry.conflicts))
    if len(exact) > 1 and "quantity" not in conflicts:
        conflicts.append("quantity")
    if entry.weapon in roles:
        mine = {role for r in rows for role in ROLE_DESCRIPTORS.findall(str(r.description or ""))}
        if mine:
            detail = "; ".join(f"{role}: {', '.join(who)}" for role, who in roles[entry.weapon].items())
            conflicts.append(f"description ({detail})")
    conflict_text = "; ".join(
        c if c.startswith("description") else
        (f"quantity ({', '.join(f'{k} ×{v}' for k, v in quantities.items())})" if c == "quantity"
         else f"date ({', '.join(sorted({r.date_text or r.granularity for r in rows}))})")
        for c in conflicts)
    approximate = (granularity != "day" or _na(entry.start) or _na(entry.end)
                   or any(r.granularity != "day" for r in rows))
    sources = [{
        "event_id": r.event_id, "doc_id": r.doc_id, "outlet": r.outlet, "published": str(pd.Timestamp(r.published).date()),
        "sent_id": int(r.sent_id), "quantity": r.quantity_text, "value": r.value_text,
        "date_text": r.date_text,
        "granularity": r.granularity, "text": r.text,
    } for r in rows]
    return {
        "weapon": entry.weapon, "weapon_category": entry.category, "status": entry.status,
        "quantity": quantity, "quantity_low": entry.low, "quantity_high": entry.high,
        "quantities_reported": "; ".join(f"{k} ×{v}" for k, v in quantities.items()),
        "value_usd": max(values) if values else None,
        "supplier": entry.supplier, "recipient": entry.recipient,
        "date_start": entry.start, "date_end": entry.end, "granularity": granularity,
        "approximate": approximate, "date_label": _date_label(entry.start, entry.end, granularity),
        "n_reports": len(rows), "n_outlets": len({r.outlet for r in rows}),
        "outlets": "; ".join(dict.fromkeys(r.outlet for r in rows)),
        "doc_ids": "; ".join(dict.fromkeys(r.doc_id for r in rows)),
        "first_reported": min(pd.Timestamp(r.published) for r in rows),
        "descriptions": " ".join(descriptions), "conflicts": conflict_text,
        "sources": json.dumps(sources, ensure_ascii=False),
    }


def merge_events(events: pd.DataFrame) -> pd.DataFrame:
    """The timeline table: one row per event, merged over its reports (see the module docstring)."""
    if events.empty:
        empty = pd.DataFrame(columns=TIMELINE_COLUMNS)
        for col in ("date_start", "date_end", "first_reported"):
            empty[col] = pd.to_datetime(empty[col])
        for col in ("quantity", "quantity_low", "quantity_high", "value_usd", "n_reports", "n_outlets"):
            empty[col] = pd.to_numeric(empty[col])
        return empty
    ordered = sorted(_row_tuples(events), key=_specificity)
    entries: list[_Entry] = []
    # A report is scored only against the entries it could join (same status, a category its weapon
    # fits, dates within the slack), not against every entry so far, so merging stays near linear in
    # the number of reports (see _EntryIndex).
    index = _EntryIndex()
    for row in ordered:
        facts = _facts(row)
        best = _best_entry(entries, index.candidates(row, facts), row, facts)
        if best is None:
            entries.append(_Entry())
            best = len(entries) - 1
        _add(entries[best], row)
        index.file(best, entries[best])
    roles = _role_conflicts(events)
    records = [_record(entry, roles) for entry in entries]
    timeline = pd.DataFrame(records)
    sort_start = timeline["date_start"].fillna(timeline["date_end"])
    timeline = timeline.assign(_s=sort_start).sort_values(["_s", "weapon", "status"], na_position="last")
    timeline = timeline.drop(columns="_s").reset_index(drop=True)
    timeline.insert(0, "entry_id", [f"E{i + 1:03d}" for i in range(len(timeline))])
    for col in ("date_start", "date_end", "first_reported"):
        timeline[col] = pd.to_datetime(timeline[col])
    timeline["deal_id"] = assign_deals(timeline)  # one deal, many statuses (newslens.analyses.deals)
    return timeline[TIMELINE_COLUMNS]


def stage(corpus, tables: dict, settings: TimelineSettings) -> dict:
    """Pipeline stage `timeline`: tables `timeline` (CSV, with each entry's `deal_id`), `deals` (one row
    per deal with its dated path of statuses), `timeline.json` (TimelineJS3) and, with setting `reference`
    (a CSV path), `timeline_reference`."""
    timeline = merge_events(tables["events"])
    out = {"timeline": timeline, "deals": deal_table(timeline), "timeline.json": timelinejs(timeline)}
    if settings.reference:
        out["timeline_reference"] = compare_reference(timeline, load_reference(settings.reference),
                                                      load_weapons(settings.weapons))
    return out


# Kept importable from here (they were defined in this module before it was split).
from newslens.analyses.timeline_reference import REFERENCE_COLUMNS, compare_reference, load_reference  # noqa: E402
from newslens.analyses.timeline_views import (  # noqa: E402
    CUMULATIVE_COLUMNS, cumulative_deliveries, timelinejs, who_reported,
)
