"""Events against the hand-built seed gold (tests/gold/events.csv format): found, correct, problems."""
from __future__ import annotations

import pandas as pd

GOLD_CHECKED = ["quantity", "quantity_low", "quantity_high", "value_usd", "status", "supplier", "recipient",
                "date_start", "date_end", "granularity"]


def _same(want, got) -> bool:
    if pd.isna(want) or want == "":
        return pd.isna(got) or got == ""
    if pd.isna(got) or got == "":
        return False
    return want == got


def evaluate_events(events: pd.DataFrame, gold: pd.DataFrame) -> dict:
    """Events against a hand-built gold set (columns doc_id, fragment, weapon, quantity and the fields in
    GOLD_CHECKED; see tests/gold/events.csv). A gold row is *found* when exactly one event of its
    document, sentence fragment, weapon (and count, when given) exists, and *correct* when every checked
    field agrees. Returns found, correct, gold and extracted counts, precision and recall (of correct
    events), the list of `problems` and the `spurious` events no gold row claims."""
    problems, claimed, correct = [], set(), 0
    for g in gold.itertuples():
        rows = events[(events.doc_id == g.doc_id) & events.text.str.contains(g.fragment, regex=False)
                      & (events.weapon == g.weapon)]
        if pd.notna(g.quantity):
            rows = rows[rows.quantity == g.quantity]
        if len(rows) != 1:
            problems.append(f"{g.doc_id} / {g.fragment!r} / {g.weapon}: {len(rows)} matching events")
            continue
        claimed.add(rows.index[0])
        row = rows.iloc[0]
        wrong = []
        for col in GOLD_CHECKED:
            want = getattr(g, col)
            if col.startswith("date_") and pd.notna(want) and want != "":
                want = pd.Timestamp(want)
            if not _same(want, row[col]):
                wrong.append(f"{col} is {row[col]!r}, gold {want!r}")
        if wrong:
            problems.append(f"{g.doc_id} / {g.fragment!r} / {g.weapon}: " + "; ".join(wrong))
        else:
            correct += 1
    spurious = events.loc[[i for i in events.index if i not in claimed]]
    n_gold, n_events = len(gold), len(events)
    return {
        "gold": n_gold, "extracted": n_events, "found": len(claimed), "correct": correct,
        "precision": correct / n_events if n_events else 1.0,
        "recall": correct / n_gold if n_gold else 1.0,
        "problems": problems, "spurious": spurious,
    }


def read_gold(path) -> pd.DataFrame:
    """A gold events file (tests/gold/events.csv format)."""
    return pd.read_csv(path, dtype={"supplier": str, "recipient": str, "fragment": str, "weapon": str})
