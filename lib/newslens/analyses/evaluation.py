"""Scoring the `events` and `quotes` tables against a story's gold file (the devset's `gold.json` format).

    gold = read_gold(folder)                       # {"story", "articles": [{"id", "events", "quotes", ...}]}
    raw = score_story(events, quotes, gold)        # counts: {"events": {...}, "voices": {...}}
    fig = figures(raw)                             # the ratios method cards show (FIG, see below)

The matching is the reference scorer's (`../shared/devset/score.py`), so every figure means the same:
- a gold transfer is *found* when one events row of its article names the weapon (the gold name, or its
  head noun, in the row's weapon, weapon_category, weapon_text or description), has the same count when
  the gold gives one, and a compatible status (`STATUS_COMPATIBLE`);
- *precision* is, of the rows that carry a count, the share whose weapon and count match a gold transfer
  of their article (any status);
- a gold speaker is *found* when a quotes row of the article names them (surname, or the last word of a
  body's name, in speaker or speaker_text; a name longer than six letters also by its first six).

Figures defined here (the reference scorer has none for them):
- parties_right: of the found transfers, the share for which a matching row has the gold supplier and
  recipient (several states compared as sets; a gold party left null accepts any);
- value_right: of the found transfers with a gold value, the share with a matching row of that value
  (within 1%, for rounded reports: "$2.4 billion");
- dates_right: of the found transfers whose gold `when` holds a date (YYYY-MM-DD, YYYY-MM or YYYY, the
  first one written), the share with a matching row whose interval [date_start, date_end] overlaps that
  day, month or year (a missing end is open);
- voices precision: of the quote rows with a speaker, the share naming a gold speaker of their article;
- group_right: of the found speakers, the share with a naming row whose group, mapped to the gold's
  vocabulary by `gold_group`, is the gold group.
"""
from __future__ import annotations

import json
import math
import re
from datetime import date
from pathlib import Path

import pandas as pd

from newslens.core.errors import ParameterError

STATUS_COMPATIBLE = {
    "accelerated": {"accelerated", "scheduled"}, "scheduled": {"scheduled", "accelerated"},
    "proposed": {"proposed", "requested", "approved"}, "ordered": {"ordered", "approved", "requested"},
    "expended": {"expended", "other"}, "requested": {"requested", "proposed"},
}
_STOP = {"the", "of", "and", "for", "unspecified", "system", "systems", "weapon", "weapons"}
_WEAPON_FIELDS = ("weapon", "weapon_category", "weapon_text", "description")

# Our speaker groups in the gold's vocabulary (government, military, official-foreign, media, expert,
# international, other), all mapped here (gold_group). An official's state is the quotes table's
# speaker_country, else the state of the group (us_government: United States).
GROUP_STATES = {"us_government": "United States", "iraqi_government": "Iraq"}
GROUP_MAP = {"foreign_government": "official-foreign", "government": "government", "media": "media",
             "expert": "expert", "international": "international", "militants": "other", "other": "other",
             "unknown": "other"}


_OFFICIAL_GROUPS = {"us_government", "iraqi_government", "foreign_government", "government"}


def gold_group(group: str, suppliers: set[str], country: str = "", uniformed: bool = False) -> str:
    """One of our speaker groups in the gold's vocabulary, given the states supplying arms in the story
    and, when the quotes table gives them, the speaker's country and whether they wear a uniform: an
    official of a supplying state is "government" ("military" in uniform), of any other state
    "official-foreign"; with no state known, foreign_government is "official-foreign" and the others
    "government"."""
    if group in _OFFICIAL_GROUPS:
        state = country or GROUP_STATES.get(group, "")
        if not state:
            return "official-foreign" if group == "foreign_government" else "government"
        if state in suppliers:
            return "military" if uniformed else "government"
        return "official-foreign"
    return GROUP_MAP.get(group, "other")


def read_gold(folder: str | Path) -> dict:
    """A story's gold (`FOLDER/gold.json`) with `corpus`, the manifest it scores: FOLDER/corpus.csv, else the
    path the gold file's own "corpus" key gives (relative to FOLDER), and `set`, the name of the set the
    story belongs to: the gold's "set" key, else the name of FOLDER's parent folder. The story's name is
    FOLDER's name (gold.json's "story", a description, is kept as `title`)."""
    folder = Path(folder)
    path = folder / "gold.json"
    if not path.is_file():
        raise ParameterError(f"gold folder {folder}: no gold.json")
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ParameterError(f"gold file {path} cannot be read as JSON: {exc}") from None
    if not isinstance(gold, dict) or not isinstance(gold.get("articles"), list):
        raise ParameterError(f"gold file {path}: expected an object with a list 'articles'")
    for i, art in enumerate(gold["articles"]):
        if not isinstance(art, dict) or "id" not in art:
            raise ParameterError(f"gold file {path}: article {i} has no 'id'")
    corpus = folder / "corpus.csv"
    if not corpus.is_file() and gold.get("corpus"):
        corpus = (folder / gold["corpus"]).resolve()
    if not corpus.is_file():
        raise ParameterError(f"gold folder {folder}: no corpus.csv and no 'corpus' path in gold.json")
    return {**gold, "corpus": str(corpus), "set": gold.get("set") or folder.resolve().parent.name,
            "title": gold.get("story", ""), "story": folder.resolve().name}


def _num(x) -> float | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    try:
        return float(str(x).replace(",", ""))
    except ValueError:
        return None


def _singular(w: str) -> str:
    return w if w.endswith("ss") else re.sub(r"(?<=[a-z]{3})(es|s)$", "", w)


def _words(s: str) -> set[str]:
    return {_singular(w) for w in re.findall(r"[a-z0-9][a-z0-9-]*", (s or "").lower())} - _STOP


def weapon_match(gold_weapon: str, row: dict) -> bool:
    """Does an events row name the gold weapon (the reference scorer's rule)?"""
    have = " ".join(str(row.get(k) or "") for k in _WEAPON_FIELDS).lower()
    g = gold_weapon.lower()
    if g in have:
        return True
    gw, hw = _words(g), _words(have)
    return bool(gw) and (_singular(g.split()[-1]) in hw or len(gw & hw) >= max(1, len(gw) - 1))


def _records(table: pd.DataFrame | None) -> list[dict]:
    """Rows as dicts with missing values as None (as the reference scorer reads the CSV)."""
    if table is None or not len(table):
        return []
    return table.astype(object).where(table.notna(), None).to_dict("records")


def _states(value) -> set[str]:
    return {s.strip() for s in str(value or "").split(",") if s.strip()}


def _parties_right(ev: dict, row: dict) -> bool:
    return all(not _states(ev.get(k)) or _states(ev.get(k)) == _states(row.get(k)) for k in ("supplier", "recipient"))


def _value_right(ev: dict, row: dict) -> bool:
    got = _num(row.get("value_usd"))
    return got is not None and abs(got - float(ev["value_usd"])) <= 0.01 * float(ev["value_usd"])


_WHEN = re.compile(r"\b(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?\b")


def gold_interval(when: str | None) -> tuple[date, date] | None:
    """The day, month or year of a gold `when` ("2022-06-01 (package announced)", "by 2028"), or None."""
    m = _WHEN.search(str(when or ""))
    if not m:
        return None
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    if d:
        day = date(y, int(mo), int(d))
        return day, day
    if mo:
        start = date(y, int(mo), 1)
        end = (pd.Timestamp(start) + pd.offsets.MonthEnd(0)).date()
        return start, end
    return date(y, 1, 1), date(y, 12, 31)


def _dates_right(interval: tuple[date, date], row: dict) -> bool:
    start = pd.Timestamp(row["date_start"]).date() if row.get("date_start") is not None else None
    end = pd.Timestamp(row["date_end"]).date() if row.get("date_end") is not None else None
    if start is None and end is None:
        return False
    return (start is None or start <= interval[1]) and (end is None or end >= interval[0])


def _event_counts(events: list[dict], gold: dict) -> dict:
    c = dict.fromkeys(("gold", "found", "counted_rows", "right_rows", "parties_right", "value_gold",
                       "value_right", "dates_gold", "dates_right"), 0)
    for art in gold["articles"]:
        mine = [r for r in events if r["doc_id"] == art["id"]]
        for ev in art.get("events", []):
            c["gold"] += 1
            q = ev.get("quantity")
            ok = [r for r in mine if weapon_match(ev["weapon"], r)
                  and (q is None or _num(r.get("quantity")) == float(q))
                  and (r.get("status") or "").lower() in STATUS_COMPATIBLE.get(ev["status"], {ev["status"]})]
            if not ok:
                continue
            c["found"] += 1
            c["parties_right"] += any(_parties_right(ev, r) for r in ok)
            if ev.get("value_usd") is not None:
                c["value_gold"] += 1
                c["value_right"] += any(_value_right(ev, r) for r in ok)
            interval = gold_interval(ev.get("when"))
            if interval is not None:
                c["dates_gold"] += 1
                c["dates_right"] += any(_dates_right(interval, r) for r in ok)
        for r in mine:
            if _num(r.get("quantity")) is not None:
                c["counted_rows"] += 1
                c["right_rows"] += any(weapon_match(ev["weapon"], r) and ev.get("quantity") is not None
                                       and _num(r.get("quantity")) == float(ev["quantity"])
                                       for ev in art.get("events", []))
    return c


def speaker_key(speaker: str) -> str:
    """What a quote row must contain to name a gold speaker: the surname or a body's last word."""
    name = re.sub(r"\(.*?\)", "", speaker).strip().lower()
    return re.sub(r"'s$", "", name.split()[-1]) if name else ""


def _names(key: str, said: str) -> bool:
    return bool(key) and (key in said or (len(key) > 6 and key[:6] in said))


def _row_group(row: dict, suppliers: set[str]) -> str:
    return gold_group(row.get("speaker_group") or "", suppliers, row.get("speaker_country") or "",
                      str(row.get("uniformed")).lower() == "true")


def _voice_counts(quotes: list[dict], gold: dict) -> dict:
    c = dict.fromkeys(("gold", "found", "rows", "right_rows", "group_right"), 0)
    suppliers = {s for art in gold["articles"] for ev in art.get("events", []) for s in _states(ev.get("supplier"))}
    for art in gold["articles"]:
        mine = [r for r in quotes if r["doc_id"] == art["id"]]
        texts = [((r.get("speaker") or "") + " " + (r.get("speaker_text") or "")).lower() for r in mine]
        keys = [speaker_key(sp["speaker"]) for sp in art.get("quotes", [])]
        for sp, key in zip(art.get("quotes", []), keys):
            c["gold"] += 1
            naming = [r for r, t in zip(mine, texts) if _names(key, t)]
            if naming or _names(key, " | ".join(texts)):
                c["found"] += 1
                c["group_right"] += any(_row_group(r, suppliers) == sp.get("group") for r in naming)
        for r, t in zip(mine, texts):
            if (r.get("speaker") or "").strip():
                c["rows"] += 1
                c["right_rows"] += any(_names(k, t) for k in keys)
    return c


def score_story(events: pd.DataFrame | None, quotes: pd.DataFrame | None, gold: dict) -> dict:
    """Raw counts of one story (summable across stories with `add_counts`; ratios with `figures`)."""
    return {"events": _event_counts(_records(events), gold), "voices": _voice_counts(_records(quotes), gold)}


def add_counts(counts: list[dict]) -> dict:
    """The sum of several stories' raw counts."""
    total = {"events": {}, "voices": {}}
    for c in counts:
        for part in total:
            for k, v in c[part].items():
                total[part][k] = total[part].get(k, 0) + v
    return total


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def figures(c: dict) -> dict:
    """The figures of raw counts, in the results file's schema (FIG)."""
    e, v = c["events"], c["voices"]
    return {
        "events": {"gold": e["gold"], "found": e["found"], "recall": _ratio(e["found"], e["gold"]),
                   "counted_rows": e["counted_rows"], "precision": _ratio(e["right_rows"], e["counted_rows"]),
                   "parties_right": _ratio(e["parties_right"], e["found"]),
                   "value_right": _ratio(e["value_right"], e["value_gold"]),
                   "dates_right": _ratio(e["dates_right"], e["dates_gold"])},
        "voices": {"gold": v["gold"], "found": v["found"], "recall": _ratio(v["found"], v["gold"]),
                   "rows": v["rows"], "precision": _ratio(v["right_rows"], v["rows"]),
                   "group_right": _ratio(v["group_right"], v["found"])},
    }


def missed_events(events: pd.DataFrame, gold: dict) -> list[str]:
    """One line per gold transfer not found ("doc: quantity weapon status"), for finding what to fix."""
    rows = _records(events)
    out = []
    for art in gold["articles"]:
        mine = [r for r in rows if r["doc_id"] == art["id"]]
        for ev in art.get("events", []):
            q = ev.get("quantity")
            if not any(weapon_match(ev["weapon"], r) and (q is None or _num(r.get("quantity")) == float(q))
                       and (r.get("status") or "").lower() in STATUS_COMPATIBLE.get(ev["status"], {ev["status"]})
                       for r in mine):
                out.append(f"{art['id']}: {q} {ev['weapon']} {ev['status']}")
    return out
