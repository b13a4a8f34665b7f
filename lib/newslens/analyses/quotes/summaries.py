"""Summaries of the voices table (words per speaker group per outlet) and its check against a
hand-labelled gold file."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from newslens.core.errors import ParameterError
from newslens.core.paths import resolve


def voice_shares(quotes: pd.DataFrame, documents: pd.DataFrame, direct_only: bool = False) -> pd.DataFrame:
    """Per outlet and speaker group: statements, speakers, words given, and the share of the outlet's
    attributed words (all attributed words, or only direct quotations with `direct_only`)."""
    q = quotes.merge(documents[["doc_id", "outlet"]], on="doc_id")
    if direct_only:
        q = q[q["direct"]]
    if q.empty:
        return pd.DataFrame(columns=["outlet", "speaker_group", "statements", "speakers", "words",
                                     "quoted_words", "top_speakers", "share_of_words"])
    g = q.groupby(["outlet", "speaker_group"]).agg(
        statements=("quote", "size"), speakers=("speaker", "nunique"),
        words=("n_words", "sum"), quoted_words=("quoted_words", "sum")).reset_index()
    top = (q.groupby(["outlet", "speaker_group", "speaker"])["n_words"].sum().reset_index()
           .sort_values("n_words", ascending=False)
           .groupby(["outlet", "speaker_group"])["speaker"].agg(lambda s: ", ".join(list(s)[:3])))
    g["top_speakers"] = [top.get((o, grp), "") for o, grp in zip(g["outlet"], g["speaker_group"])]
    g["share_of_words"] = g["words"] / g.groupby("outlet")["words"].transform("sum")
    return g.sort_values(["outlet", "share_of_words"], ascending=[True, False]).reset_index(drop=True)


def speakers_by_outlet(quotes: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Each speaker per outlet: group, statements, words, and one example statement."""
    q = quotes.merge(documents[["doc_id", "outlet"]], on="doc_id")
    if q.empty:
        return pd.DataFrame(columns=["outlet", "speaker", "speaker_group", "statements", "words", "example"])
    return (q.groupby(["outlet", "speaker", "speaker_group"])
            .agg(statements=("quote", "size"), words=("n_words", "sum"), example=("quote", "first"))
            .reset_index().sort_values(["outlet", "words"], ascending=[True, False]).reset_index(drop=True))


# --- validation against a hand-labelled set ------------------------------------------------------------

def read_quotes_gold(path: str | Path) -> pd.DataFrame:
    """A gold file: doc_id, fragment, speaker, speaker_group ('|' = alternatives), direct. `#` = comment."""
    p = resolve(path)
    if not p.exists():
        raise ParameterError(f"gold file {p} does not exist")
    gold = pd.read_csv(p, comment="#", dtype=str, keep_default_na=False)
    missing = [c for c in ("doc_id", "fragment", "speaker", "speaker_group", "direct") if c not in gold.columns]
    if missing:
        raise ParameterError(f"gold file {p}: missing column(s) {', '.join(missing)}")
    gold["direct"] = gold["direct"].str.lower().isin(["true", "1", "yes"])
    return gold


def compare_with_gold(quotes: pd.DataFrame, sentences: pd.DataFrame, gold: pd.DataFrame
                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Gold rows with what was found for their sentence, and the rows found where the gold has none.

    First table: doc_id, fragment, gold_speaker, gold_group, found_speaker, found_group, found, speaker_ok,
    group_ok, direct_ok (gold sentences no longer in the corpus are left out). Second: extra quote rows.
    """
    found = quotes.drop_duplicates(["doc_id", "sent_id"]).set_index(["doc_id", "sent_id"])
    rows, gold_keys = [], set()
    for g in gold.itertuples(index=False):
        hit = sentences[(sentences.doc_id == g.doc_id) & sentences.text.str.contains(g.fragment, regex=False)]
        if len(hit) != 1:
            continue
        key = (g.doc_id, int(hit.iloc[0].sent_id))
        gold_keys.add(key)
        row = found.loc[key] if key in found.index else None
        speakers, groups = g.speaker.split("|"), g.speaker_group.split("|")
        rows.append({
            "doc_id": g.doc_id, "fragment": g.fragment, "gold_speaker": g.speaker, "gold_group": g.speaker_group,
            "found_speaker": row["speaker"] if row is not None else "",
            "found_group": row["speaker_group"] if row is not None else "",
            "found": row is not None,
            "speaker_ok": row is not None and row["speaker"] in speakers,
            "group_ok": row is not None and row["speaker_group"] in groups,
            "direct_ok": row is not None and bool(row["direct"]) == bool(g.direct),
        })
    keys = list(zip(quotes["doc_id"], quotes["sent_id"].astype(int)))
    extra = quotes[[k not in gold_keys for k in keys]]
    return pd.DataFrame(rows), extra.reset_index(drop=True)


def gold_scores(comparison: pd.DataFrame, extra: pd.DataFrame) -> dict[str, float]:
    """Recall of statements, precision of rows, and speaker / group / direct accuracy on statements found."""
    n_gold = len(comparison)
    n_found = int(comparison["found"].sum())
    return {
        "gold_statements": n_gold,
        "found": n_found,
        "extra_rows": len(extra),
        "recall": n_found / n_gold if n_gold else float("nan"),
        "precision": n_found / (n_found + len(extra)) if n_found + len(extra) else float("nan"),
        "speaker_accuracy": comparison.loc[comparison.found, "speaker_ok"].mean() if n_found else float("nan"),
        "group_accuracy": comparison.loc[comparison.found, "group_ok"].mean() if n_found else float("nan"),
        "direct_accuracy": comparison.loc[comparison.found, "direct_ok"].mean() if n_found else float("nan"),
    }




# --- the speakers' roles in an arms transfer -------------------------------------------------------------

_OWN_GROUPS = {"media": "media", "expert": "expert", "international": "international"}


def transfer_role(speaker_group: str, speaker_country: str, uniformed: bool, suppliers: set[str]) -> str:
    """A speaker's role in a transfer story, in the devset's vocabulary: government (civilian officials
    and bodies of a supplying state), military (its uniformed officers), official-foreign (officials of
    any other state), media, expert, international, other.

    `suppliers`: the supplying states (parties of data/arms_parties.csv, e.g. the events table's
    suppliers). An official whose state the text does not name (group "government") is read as the
    supplier's, the side most quoted in transfer reporting.
    """
    if speaker_group in _OWN_GROUPS:
        return _OWN_GROUPS[speaker_group]
    country = speaker_country or ("United States" if speaker_group == "us_government" else "")
    if country:
        if country in suppliers:
            return "military" if uniformed else "government"
        return "official-foreign"
    if speaker_group in ("foreign_government", "iraqi_government"):
        return "official-foreign"
    if speaker_group == "government":
        return "military" if uniformed else "government"
    return "other"


def transfer_roles(quotes: pd.DataFrame, suppliers: set[str]) -> pd.Series:
    """`transfer_role` of every row of a quotes table."""
    return pd.Series([transfer_role(g, c, bool(u), suppliers) for g, c, u in
                      zip(quotes["speaker_group"], quotes["speaker_country"].fillna(""), quotes["uniformed"])],
                     index=quotes.index, dtype=object)


MIN_SUPPLIER_SHARE = 0.25  # of the main supplier's rows: a state named as supplier less often is noise


def supplying_states(events: pd.DataFrame) -> set[str]:
    """The supplying states of a story, from its events table: states named as supplier more often than
    as recipient, in at least a quarter as many rows as the main supplier (a misread row or two naming
    the recipient or the adversary as supplier does not make it one)."""
    supplied, received = {}, {}
    for column, counts in (("supplier", supplied), ("recipient", received)):
        for cell in events.get(column, pd.Series(dtype=object)).dropna():
            for state in str(cell).split(","):
                if state.strip():
                    counts[state.strip()] = counts.get(state.strip(), 0) + 1
    if not supplied:
        return set()
    top = max(supplied.values())
    return {s for s, n in supplied.items() if n > received.get(s, 0) and n >= MIN_SUPPLIER_SHARE * top}
