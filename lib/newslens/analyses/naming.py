"""Naming: how each outlet labels the same actors, and which evaluative (loaded) words it uses.

    labels = load_labels()                                    # data/actor_labels.csv
    mentions = find_labels(corpus.sentences, labels)          # doc_id, sent_id, actor, label, surface, start, end
    labels_by_outlet(mentions, corpus.sentences, corpus.documents)   # actor, label, outlet, count, example
    loaded = find_labels(corpus.sentences, load_loaded_terms())      # the same, for data/loaded_terms.csv

Both files list cue terms in the syntax of `newslens.textkit.cues`. Within one actor (or one loaded-term
category) overlapping matches count once, the longest first: "al Qaeda-linked militants" is the label
"al-Qaeda-linked" plus the label "militants", not also "al-Qaeda (by name)".

Known limits: a label counts wherever its words occur, also inside other names ("Washington Post" is
counted as "Washington", "F-16 fighters" as "fighters"); a quoted label counts for the outlet that quotes
it (filter with the `quoted` column: True when the label is inside quotation marks).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from newslens.textkit.cues import CueIndex, compile_cues, read_curated_rows, split_terms
from newslens.core.errors import ParameterError
from newslens.core.paths import data_file, resolve
from newslens.textkit.quotations import quote_spans

MENTION_COLUMNS = ["doc_id", "sent_id", "actor", "label", "surface", "start", "end", "quoted"]


@dataclass(frozen=True)
class Label:
    actor: str  # the actor category (for loaded terms: the term's category)
    label: str
    regex: object  # the label's own compiled cues (for checking one text)
    terms: tuple[str, ...] = ()
    pattern: str = ""


def _read_table(path: Path, what: str, key: str, name: str) -> list[Label]:
    """Rows `key, name, cues[, patterns]` of a curated CSV (comments `#`), compiled; errors name file and line."""
    header, rows = read_curated_rows(path, what)
    missing = [c for c in (key, name, "cues") if c not in header]
    if missing:
        raise ParameterError(f"{what} file {path}: missing column(s) {', '.join(missing)}")
    out = []
    for line, row in rows:
        cell = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
        where = f"{what} file {path}, line {line}"
        if not cell[key] or not cell[name]:
            raise ParameterError(f"{where}: '{key}' and '{name}' must not be empty")
        regex = compile_cues(split_terms(cell["cues"]), cell.get("patterns", ""), where=where)
        if regex is None:
            raise ParameterError(f"{where}: '{cell[name]}' has no cues")
        out.append(Label(cell[key], cell[name], regex, tuple(split_terms(cell["cues"])),
                         cell.get("patterns", "")))
    if not out:
        raise ParameterError(f"{what} file {path} has no rows")
    return out


def load_labels(path: str | Path | None = None) -> list[Label]:
    """Actor labels (`data/actor_labels.csv` by default): actor, label, cues, patterns."""
    p = resolve(path) if path else data_file("actor_labels.csv")
    return _read_table(p, "actor labels", "actor", "label")


def load_loaded_terms(path: str | Path | None = None) -> list[Label]:
    """Loaded terms (`data/loaded_terms.csv` by default): term, category, cues."""
    p = resolve(path) if path else data_file("loaded_terms.csv")
    return _read_table(p, "loaded terms", "category", "term")


def find_labels(sentences: pd.DataFrame, labels: list[Label]) -> pd.DataFrame:
    """Every label occurrence in the sentences (columns MENTION_COLUMNS); offsets are into the sentence."""
    index = CueIndex([((l.actor, l.label), list(l.terms), l.pattern, f"{l.actor}/{l.label}") for l in labels])
    rows = []
    for doc_id, sent_id, text in zip(sentences["doc_id"], sentences["sent_id"], sentences["text"].astype(str)):
        hits = index.spans(text)
        if not hits:
            continue
        spans = quote_spans(text) if any(ch in text for ch in "\"“”‘") else []
        taken_until: dict[str, int] = {}
        for (actor, label), start, end, surface in hits:  # sorted by start, longest first
            if start < taken_until.get(actor, -1):
                continue  # inside a longer label of the same actor
            taken_until[actor] = end
            quoted = any(s <= start < e for s, e in spans)
            rows.append((doc_id, sent_id, actor, label, surface, start, end, quoted))
    out = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    return out.astype({"sent_id": "int64", "start": "int64", "end": "int64", "quoted": bool})


def labels_by_outlet(
    mentions: pd.DataFrame, sentences: pd.DataFrame, documents: pd.DataFrame, include_quoted: bool = True,
) -> pd.DataFrame:
    """Per actor, label and outlet: count, per 1,000 words of the outlet, articles, and an example sentence."""
    m = mentions if include_quoted else mentions[~mentions["quoted"].astype(bool)]
    m = m.merge(documents[["doc_id", "outlet"]], on="doc_id").merge(
        sentences[["doc_id", "sent_id", "text"]], on=["doc_id", "sent_id"])
    words = documents.groupby("outlet")["n_words"].sum()
    cols = ["actor", "label", "outlet", "count", "per_1000_words", "articles", "surfaces", "example"]
    if m.empty:
        return pd.DataFrame(columns=cols).astype({"count": "int64", "per_1000_words": "float64",
                                                  "articles": "int64"})
    out = (m.groupby(["actor", "label", "outlet"])
           .agg(count=("surface", "size"), articles=("doc_id", "nunique"),
                surfaces=("surface", lambda s: "; ".join(dict.fromkeys(x.lower() for x in s))),
                example=("text", "first"))
           .reset_index())
    out["per_1000_words"] = 1000 * out["count"] / out["outlet"].map(words)
    return out[cols].sort_values(["actor", "count"], ascending=[True, False]).reset_index(drop=True)


def label_matrix(by_outlet: pd.DataFrame, outlets: list[str] | None = None) -> pd.DataFrame:
    """Actor x label rows, one count column per outlet (0 where an outlet never uses the label)."""
    if by_outlet.empty:
        return pd.DataFrame(columns=["actor", "label", *(outlets or [])])
    wide = by_outlet.pivot_table(index=["actor", "label"], columns="outlet", values="count",
                                 fill_value=0, aggfunc="sum")
    if outlets:
        wide = wide.reindex(columns=outlets, fill_value=0)
    wide.columns.name = None
    return wide.astype(int).reset_index()


def label_shares(by_outlet: pd.DataFrame) -> pd.DataFrame:
    """Within each actor and outlet, the share of each label among all labels for that actor."""
    out = by_outlet[["actor", "label", "outlet", "count"]].copy()
    out["share"] = out["count"] / out.groupby(["actor", "outlet"])["count"].transform("sum")
    return out
