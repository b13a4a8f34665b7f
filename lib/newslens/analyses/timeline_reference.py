"""The timeline against a reference list of transfers (SIPRI trade-register style): which registered
deals the press reported, with which counts and dates (newslens.analyses.timeline re-exports these)."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from newslens.core.values import is_missing as _na

from newslens.core.errors import ParameterError
from newslens.textkit.weapons import compatible_category, find_weapons, load_weapons

REFERENCE_COLUMNS = ["supplier", "recipient", "designation", "number_ordered", "order_year",
                     "delivery_years", "number_delivered"]




def load_reference(path: str | Path) -> pd.DataFrame:
    """A reference list of transfers (SIPRI trade-register-like columns); ParameterError names the problem."""
    p = Path(path)
    if not p.exists():
        raise ParameterError(f"reference file not found: {p}")
    try:
        ref = pd.read_csv(p, dtype=str, keep_default_na=False, comment="#")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ParameterError(f"reference file {p} cannot be read as CSV: {exc}") from None
    ref.columns = [c.strip().lower().replace(" ", "_").replace(".", "") for c in ref.columns]
    missing = [c for c in REFERENCE_COLUMNS if c not in ref.columns]
    if missing:
        raise ParameterError(f"reference file {p} lacks column(s) {', '.join(missing)}; "
                             f"expected {', '.join(REFERENCE_COLUMNS)}")
    for col in ("number_ordered", "number_delivered", "order_year"):
        values = pd.to_numeric(ref[col].str.replace(r"[()\s]", "", regex=True).replace("", None), errors="coerce")
        bad = ref[col][values.isna() & (ref[col].str.strip() != "")]
        if len(bad):
            raise ParameterError(f"reference file {p}, line {int(bad.index[0]) + 2}: "
                                 f"{col} '{bad.iloc[0]}' is not a number")
        ref[col] = values
    return ref


def _delivery_years(text: str) -> set[int]:
    years = set()
    for a, b in re.findall(r"(\d{4})(?:\s*[-–]\s*(\d{4}))?", str(text)):
        years.update(range(int(a), int(b or a) + 1))
    return years


def compare_reference(timeline: pd.DataFrame, reference: pd.DataFrame,
                      gazetteer: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each reference transfer next to what the press reported: delivered, ordered/approved counts, the
    reports' dates and outlets. `designation` is matched to the weapon gazetteer (aliases)."""
    gaz = load_weapons() if gazetteer is None else gazetteer
    rows = []
    for ref in reference.itertuples(index=False):
        found = find_weapons(str(ref.designation), gaz)
        weapon = found[0].weapon if found else str(ref.designation)
        category = found[0].category if found else ""
        parties_fit = (timeline.supplier.fillna("").isin([ref.supplier, ""])
                       & timeline.recipient.fillna("").isin([ref.recipient, ""]))
        # Press reports that name only a kind of weapon ("attack helicopters from Russia") count when
        # the supplier is named and the kind covers the reference's weapon.
        kind_fits = pd.Series([bool(category) and c != "arms" and compatible_category(c, category)
                               for c in timeline.weapon_category], index=timeline.index, dtype=bool)
        generic_fit = timeline.weapon.str.endswith("(unspecified)") & (timeline.supplier == ref.supplier) & kind_fits
        mine = timeline[((timeline.weapon == weapon) & parties_fit) | generic_fit]
        years = _delivery_years(ref.delivery_years)
        delivered = mine[mine.status == "delivered"]
        in_years = delivered[delivered.date_end.dt.year.isin(years)] if years else delivered
        ordered = mine[mine.status.isin(["ordered", "approved"])]
        rows.append({
            "designation": ref.designation, "weapon": weapon, "supplier": ref.supplier,
            "recipient": ref.recipient, "reference_ordered": ref.number_ordered,
            "reference_order_year": ref.order_year, "reference_delivery_years": ref.delivery_years,
            "reference_delivered": ref.number_delivered,
            "press_entries": len(mine),
            "press_delivered_entries": len(in_years),
            "press_delivered_max_count": in_years.quantity.max() if len(in_years) else None,
            "press_delivered": "; ".join(
                f"{q:,.0f} ({d})" if not _na(q) else f"count not given ({d})"
                for q, d in zip(in_years.quantity, in_years.date_label)),
            "press_weapons": "; ".join(dict.fromkeys(mine.weapon)),
            "press_ordered_or_approved": "; ".join(
                f"{q:,.0f} {s} ({d})" if not _na(q) else f"{s} ({d})"
                for q, s, d in zip(ordered.quantity, ordered.status, ordered.date_label)),
            "press_outlets": "; ".join(dict.fromkeys(o for os_ in mine.outlets for o in os_.split("; "))),
        })
    return pd.DataFrame(rows)
