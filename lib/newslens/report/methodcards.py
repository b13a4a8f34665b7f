"""Method cards: the text beside each method (lib/newslens/analyses/cards/NAME.md, with {placeholders}
filled from the corpus) and the measured accuracy from the committed results file data/evaluation.json
(written by `python -m newslens evaluate`), never from tests/ at render time.

evaluation.json: {"command", "date", "sets": {SET: {"stories": {STORY: FIG}, "all": FIG}}}, with
FIG = {"events": {...}, "voices": {...}, optionally "frames", "entities"}; sets "devset" and "seeds".
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from newslens.core.paths import DATA_DIR
from newslens.report.display import md, table
from newslens.report.fmt import fmt_number

CARDS_DIR = Path(__file__).resolve().parents[1] / "analyses" / "cards"
EVALUATION = DATA_DIR / "evaluation.json"
SET_NAMES = {"devset": "the development set (real articles, hand-labelled)",
             "seeds": "the seed articles (the rules were written with them in view: optimistic)"}
# The figures shown per method, in order: (key in FIG, label).
FIELDS = {
    "events": [("gold", "events in gold"), ("found", "found"), ("recall", "recall"), ("precision", "precision"),
               ("parties_right", "parties right"), ("value_right", "value right"), ("dates_right", "dates right")],
    "voices": [("gold", "statements in gold"), ("found", "found"), ("recall", "recall"),
               ("precision", "precision"), ("group_right", "speaker group right")],
    "frames": [("gold", "frame labels in gold"), ("precision", "precision"), ("recall", "recall"), ("f1", "F1")],
    "entities": [("gold", "mentions in gold"), ("precision", "precision"), ("recall", "recall")],
}


def card_text(name: str, **values) -> str:
    """The Markdown of method card `name`, its {placeholders} filled from `values`."""
    text = (CARDS_DIR / f"{name}.md").read_text(encoding="utf-8")
    return text.format(**values) if values else text


def read_evaluation(path: Path | str | None = None) -> dict | None:
    """The results file as a dict, or None when it does not exist yet (or is not the expected shape)."""
    p = Path(path) if path else EVALUATION
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("sets"), dict) else None


def _fmt(key: str, value) -> str:
    if value is None:
        return ""
    if key in ("recall", "precision", "f1") or key.endswith("_right"):
        return f"{100 * float(value):.0f}%" if float(value) <= 1 else fmt_number(value)
    return fmt_number(value)


def accuracy_table(evaluation: dict | None, method: str) -> pd.DataFrame:
    """One row per evaluation set (and story) with the method's figures; empty when not measured."""
    rows = []
    for set_name, content in (evaluation or {}).get("sets", {}).items():
        parts = [("all stories", content.get("all"))] + list((content.get("stories") or {}).items())
        for story, fig in parts:
            figures = (fig or {}).get(method)
            if not figures:
                continue
            rows.append({"set": set_name, "story": story,
                         **{label: _fmt(key, figures.get(key)) for key, label in FIELDS.get(method, [])}})
    return pd.DataFrame(rows)


def accuracy_sentence(evaluation: dict | None, method: str) -> str:
    """One sentence of measured accuracy for `method`, or "not measured yet"."""
    lines = []
    for set_name, content in (evaluation or {}).get("sets", {}).items():
        figures = (content.get("all") or {}).get(method)
        if not figures:
            continue
        shown = ", ".join(f"{label} {_fmt(key, figures[key])}" for key, label in FIELDS.get(method, [])
                          if figures.get(key) is not None)
        lines.append(f"on {SET_NAMES.get(set_name, set_name)}: {shown}")
    if not lines:
        return ("**Known accuracy: not measured yet** (run `python -m newslens evaluate` to write "
                "`data/evaluation.json`).")
    when = (evaluation or {}).get("date", "")
    return f"**Known accuracy** (measured {when} by `python -m newslens evaluate`) " + "; ".join(lines) + "."


def show_card(name: str, method: str | None = None, evaluation: dict | None = None, **values) -> None:
    """Display method card `name` and, for `method`, its measured accuracy (sentence and table)."""
    md(card_text(name, **values))
    if method:
        ev = evaluation if evaluation is not None else read_evaluation()
        md(accuracy_sentence(ev, method))
        figures = accuracy_table(ev, method)
        if len(figures):
            table(figures, max_rows=None)
