"""Frames per sentence from a cue codebook, frame shares per article and outlet, and evidence sentences.

    codebook = load_codebook("data/frames_codebook.csv")      # or a user's own file
    frames = tag_frames(corpus.sentences, codebook)            # doc_id, sent_id, frame, cues, n_cues
    shares = frame_shares(frames, corpus.sentences, corpus.documents, by="outlet")
    evidence_sentences(frames, corpus.sentences, corpus.documents, "critique_us_power", outlet="...")

The codebook (`data/frames_codebook.csv`) holds one row per frame: `frame` (an id), `name`, `family`,
`definition`, `cues` (`;`-separated cue terms, syntax in `newslens.textkit.cues`) and `patterns` (an optional Python
regex). A sentence carries a frame when at least one of its cues occurs in it; a sentence may carry several
frames. A frame with neither cues nor patterns is the residual frame ("other"): it is given to sentences
no other frame matched. Lines starting with `#` are comments.

Speed: all frames' cues are compiled once into one `newslens.textkit.cues.CueIndex`: one scan finds each
sentence's candidate cue words, which are dictionary lookups (one regex per frame scanned over the text
was measured at about 145 s for 10,000 articles; the lookup is a few seconds). A sentence text that recurs
(wire copies) is matched once, and the table is gathered from per-text rows with numpy.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from newslens.textkit.cues import CueIndex, read_curated_rows, split_terms
from newslens.core.errors import ParameterError
from newslens.core.gcpause import paused_gc
from newslens.core.paths import resolve
# The codebook setting and the stage are declared in the light settings module; importable from here as before.
from newslens.analyses.frames_settings import DEFAULT_CODEBOOK, STAGE, FramesSettings, codebook_path  # noqa: F401

FRAME_COLUMNS = ["doc_id", "sent_id", "frame", "cues", "n_cues"]
CODEBOOK_REQUIRED = ("frame", "cues")
CODEBOOK_OPTIONAL = ("name", "family", "definition", "patterns")


@dataclass(frozen=True)
class Frame:
    frame: str
    name: str
    family: str
    definition: str
    cues: tuple[str, ...]
    pattern: str

    @property
    def residual(self) -> bool:
        return not self.cues and not self.pattern.strip()


@dataclass(frozen=True)
class Codebook:
    path: str
    frames: tuple[Frame, ...]
    index: CueIndex  # every frame's cues, matched by word lookup

    @property
    def ids(self) -> list[str]:
        return [f.frame for f in self.frames]

    @property
    def residual(self) -> str | None:
        return next((f.frame for f in self.frames if f.residual), None)

    def table(self) -> pd.DataFrame:
        """The codebook as a table: frame, name, family, definition, number of cues, cues."""
        return pd.DataFrame([
            {"frame": f.frame, "name": f.name, "family": f.family, "definition": f.definition,
             "n_cues": len(f.cues) + (1 if f.pattern else 0),
             "cues": "; ".join(f.cues) + (f"; /{f.pattern}/" if f.pattern else "")}
            for f in self.frames
        ])

    def names(self) -> dict[str, str]:
        return {f.frame: f.name for f in self.frames}


def load_codebook(path: str | Path = DEFAULT_CODEBOOK) -> Codebook:
    """Read and compile a frame codebook; any problem is a ParameterError naming the file and line."""
    p = codebook_path(path)
    header, rows = read_curated_rows(p, "codebook")
    missing = [c for c in CODEBOOK_REQUIRED if c not in header]
    if missing:
        raise ParameterError(
            f"codebook {p}: missing column(s) {', '.join(missing)}; a codebook needs columns "
            f"{', '.join(CODEBOOK_REQUIRED)} (optional: {', '.join(CODEBOOK_OPTIONAL)})"
        )
    col = {name: header.index(name) for name in header}
    frames: list[Frame] = []
    entries: list[tuple] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        if len(row) > len(header):
            raise ParameterError(
                f"codebook {p}, line {line}: {len(row)} fields but the header has {len(header)} "
                "(quote a cell that contains a comma)"
            )
        cell = {name: (row[i].strip() if i < len(row) else "") for name, i in col.items()}
        fid = cell["frame"]
        where = f"codebook {p}, line {line} (frame '{fid}')"
        if not fid:
            raise ParameterError(f"codebook {p}, line {line}: the frame id is empty")
        if fid in seen:
            raise ParameterError(f"{where}: frame id repeated (first on line {seen[fid]})")
        seen[fid] = line
        terms = split_terms(cell["cues"])
        pattern = cell.get("patterns", "")
        entries.append((fid, terms, pattern, where))
        frames.append(Frame(fid, cell.get("name") or fid, cell.get("family", ""),
                            cell.get("definition", ""), tuple(terms), pattern))
    if not frames:
        raise ParameterError(f"codebook {p} has a header but no frames")
    residual = [f.frame for f in frames if f.residual]
    if len(residual) > 1:
        raise ParameterError(
            f"codebook {p}: frames {', '.join(residual)} have no cues and no patterns; "
            "only one residual frame is allowed"
        )
    return Codebook(str(p), tuple(frames), CueIndex(entries))


def frames_of_texts(texts: list[str], codebook: Codebook) -> list[dict[str, list[str]]]:
    """For each text, {frame: cues found}, in codebook order; the residual frame when nothing matched.

    A text that occurs more than once (wire copies repeat whole sentences) is matched once; its entries
    in the result are the same dict.
    """
    order = {fid: k for k, fid in enumerate(codebook.ids)}
    residual = codebook.residual
    distinct = list(dict.fromkeys(texts))
    per_text = {}
    for text, found in zip(distinct, codebook.index.cues_many(distinct)):
        if not found and residual:
            found = {residual: []}
        elif len(found) > 1:
            found = {key: found[key] for key in sorted(found, key=order.__getitem__)}
        per_text[text] = found
    return [per_text[text] for text in texts]


def tag_frames(sentences: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """One row per (sentence, frame it carries): doc_id, sent_id, frame, cues ('; '-joined), n_cues.

    Built from arrays: each distinct sentence text is matched once and gives its rows once (`per_text`);
    every sentence's rows are then gathered by index with numpy, not as one Python tuple per row.
    """
    codes, uniques = pd.factorize(sentences["text"].astype(str), sort=False)
    with paused_gc():  # a dict and lists per distinct sentence, no reference cycles (see gcpause)
        found = frames_of_texts(list(uniques), codebook)
    n_per_text = np.fromiter((len(per) for per in found), dtype=np.int64, count=len(found))
    if len(codes) == 0 or not n_per_text.any():
        return pd.DataFrame([], columns=FRAME_COLUMNS)
    frame = np.array([f for per in found for f in per], dtype=object)
    cues = np.array(["; ".join(c) for per in found for c in per.values()], dtype=object)
    n_cues = np.array([len(c) for per in found for c in per.values()], dtype=np.int64)
    first_row = np.cumsum(n_per_text) - n_per_text  # where each text's rows start in frame/cues/n_cues
    n_rows = n_per_text[codes]  # rows of each sentence
    sentence = np.repeat(np.arange(len(codes)), n_rows)  # the sentence of every output row
    # the k-th row of a sentence is the k-th row of its text
    k = np.arange(len(sentence)) - np.repeat(np.cumsum(n_rows) - n_rows, n_rows)
    row = first_row[codes][sentence] + k
    sent_ids = sentences["sent_id"].to_numpy()
    if sent_ids.dtype.kind in "iu":
        sent_ids = sent_ids.astype(np.int64)  # as the Python ints of a row-built table would be
    return pd.DataFrame({
        "doc_id": sentences["doc_id"].to_numpy(dtype=object)[sentence],
        "sent_id": sent_ids[sentence],
        "frame": frame[row],
        "cues": cues[row],
        "n_cues": n_cues[row],
    }, columns=FRAME_COLUMNS)


def frame_shares(
    frames: pd.DataFrame, sentences: pd.DataFrame, documents: pd.DataFrame, by: str = "outlet",
    codebook: Codebook | None = None,
) -> pd.DataFrame:
    """Share of sentences carrying each frame, per `by` ("outlet" or "doc_id").

    Columns: by, frame, n_sentences (carrying the frame), n_total (sentences of the group), share.
    Frames a group never uses appear with 0 so that groups compare frame by frame.
    """
    if by not in ("outlet", "doc_id"):
        raise ParameterError(f"frame shares by '{by}': choose 'outlet' or 'doc_id'")
    doc_group = documents.set_index("doc_id")["outlet"] if by == "outlet" else None
    sent = sentences[["doc_id", "sent_id"]].copy()
    sent["group"] = sent["doc_id"].map(doc_group) if doc_group is not None else sent["doc_id"]
    totals = sent.groupby("group").size().rename("n_total")
    tagged = frames.merge(sent, on=["doc_id", "sent_id"], how="inner")
    counts = tagged.groupby(["group", "frame"]).size().rename("n_sentences")
    frame_ids = codebook.ids if codebook is not None else sorted(frames["frame"].unique())
    grid = pd.MultiIndex.from_product([totals.index, frame_ids], names=["group", "frame"])
    out = counts.reindex(grid, fill_value=0).reset_index()
    out = out.merge(totals.reset_index(), on="group")
    out["share"] = out["n_sentences"] / out["n_total"].where(out["n_total"] > 0)
    return out.rename(columns={"group": by})[[by, "frame", "n_sentences", "n_total", "share"]]


def compare_frames(shares: pd.DataFrame, source_a: str, source_b: str, codebook: Codebook | None = None
                   ) -> pd.DataFrame:
    """Frame by frame: share_a, share_b, difference (a − b) and counts, largest differences first."""
    wide = shares[shares["outlet"].isin([source_a, source_b])].pivot_table(
        index="frame", columns="outlet", values=["share", "n_sentences"], fill_value=0)
    out = pd.DataFrame({
        "frame": wide.index,
        "share_a": wide[("share", source_a)].to_numpy() if ("share", source_a) in wide else 0.0,
        "share_b": wide[("share", source_b)].to_numpy() if ("share", source_b) in wide else 0.0,
        "n_a": wide[("n_sentences", source_a)].to_numpy().astype(int) if ("n_sentences", source_a) in wide else 0,
        "n_b": wide[("n_sentences", source_b)].to_numpy().astype(int) if ("n_sentences", source_b) in wide else 0,
    })
    out["difference"] = out["share_a"] - out["share_b"]
    if codebook is not None:
        out.insert(1, "name", out["frame"].map(codebook.names()))
    return out.sort_values("difference", key=abs, ascending=False, kind="stable").reset_index(drop=True)


def evidence_sentences(
    frames: pd.DataFrame, sentences: pd.DataFrame, documents: pd.DataFrame, frame: str,
    outlet: str | None = None, n: int | None = 5,
) -> pd.DataFrame:
    """The sentences behind a frame share: outlet, published, doc_id, sent_id, cues, text (most cues first)."""
    rows = frames[frames["frame"] == frame].merge(sentences[["doc_id", "sent_id", "text"]],
                                                  on=["doc_id", "sent_id"])
    rows = rows.merge(documents[["doc_id", "outlet", "published"]], on="doc_id")
    if outlet is not None:
        rows = rows[rows["outlet"] == outlet]
    rows = rows.sort_values(["n_cues", "doc_id", "sent_id"], ascending=[False, True, True])
    rows = rows[["outlet", "published", "doc_id", "sent_id", "frame", "cues", "text"]]
    return (rows.head(n) if n else rows).reset_index(drop=True)


def top_evidence(
    frames: pd.DataFrame, sentences: pd.DataFrame, documents: pd.DataFrame, n: int = 1,
    outlets: list[str] | None = None,
) -> pd.DataFrame:
    """The `n` sentences with most cues for every (outlet, frame): the evidence next to each share."""
    rows = frames.merge(sentences[["doc_id", "sent_id", "text"]], on=["doc_id", "sent_id"])
    rows = rows.merge(documents[["doc_id", "outlet", "published"]], on="doc_id")
    if outlets is not None:
        rows = rows[rows["outlet"].isin(outlets)]
    rows = rows.sort_values(["outlet", "frame", "n_cues", "doc_id", "sent_id"],
                            ascending=[True, True, False, True, True])
    out = rows.groupby(["outlet", "frame"], sort=False).head(n)
    return out[["outlet", "frame", "published", "doc_id", "sent_id", "cues", "text"]].reset_index(drop=True)


# --- validation against a hand-labelled set ------------------------------------------------------------

def read_frames_gold(path: str | Path) -> pd.DataFrame:
    """A gold file: doc_id, fragment, frames (';'-separated ids), text. `#` lines are comments."""
    p = resolve(path)
    if not p.exists():
        raise ParameterError(f"gold file {p} does not exist")
    gold = pd.read_csv(p, comment="#", dtype=str, keep_default_na=False)
    missing = [c for c in ("frames", "text") if c not in gold.columns]
    if missing:
        raise ParameterError(f"gold file {p}: missing column(s) {', '.join(missing)}")
    return gold


def evaluate_codebook(codebook: Codebook, gold: pd.DataFrame) -> pd.DataFrame:
    """Precision, recall and F1 per frame of the codebook on hand-labelled sentences, plus a micro average.

    Scored on the gold texts themselves, so the result does not depend on which corpus is loaded.
    Frames that the gold set never uses and the codebook never predicts get no row (nothing to score);
    gold labels the codebook does not know count as misses of that label.
    """
    predicted = [set(f) for f in frames_of_texts(gold["text"].tolist(), codebook)]
    truth = [set(split_terms(cell)) for cell in gold["frames"]]
    labels = list(codebook.ids) + sorted({l for t in truth for l in t} - set(codebook.ids))
    rows = []
    for label in labels:
        tp = sum(1 for p, t in zip(predicted, truth) if label in p and label in t)
        fp = sum(1 for p, t in zip(predicted, truth) if label in p and label not in t)
        fn = sum(1 for p, t in zip(predicted, truth) if label not in p and label in t)
        if tp + fp + fn == 0:
            continue
        rows.append({"frame": label, "in_codebook": label in codebook.ids, "gold": tp + fn,
                     "predicted": tp + fp, "tp": tp, "fp": fp, "fn": fn})
    out = pd.DataFrame(rows, columns=["frame", "in_codebook", "gold", "predicted", "tp", "fp", "fn"])
    total = out[["gold", "predicted", "tp", "fp", "fn"]].sum()
    micro = {"frame": "(all frames, micro)", "in_codebook": True, **total.to_dict()}
    out = pd.concat([out, pd.DataFrame([micro])], ignore_index=True)
    out["precision"] = out["tp"] / out["predicted"].where(out["predicted"] > 0)
    out["recall"] = out["tp"] / out["gold"].where(out["gold"] > 0)
    out["f1"] = 2 * out["precision"] * out["recall"] / (out["precision"] + out["recall"])
    return out


def gold_errors(codebook: Codebook, gold: pd.DataFrame, frame: str) -> pd.DataFrame:
    """Gold sentences where the codebook and the hand label disagree on `frame`: kind (missed/false), cues, text."""
    predicted = frames_of_texts(gold["text"].tolist(), codebook)
    rows = []
    for p, cell, text in zip(predicted, gold["frames"], gold["text"]):
        truth = set(split_terms(cell))
        if frame in p and frame not in truth:
            rows.append({"kind": "false alarm", "cues": "; ".join(p[frame]), "text": text})
        elif frame not in p and frame in truth:
            rows.append({"kind": "missed", "cues": "", "text": text})
    return pd.DataFrame(rows, columns=["kind", "cues", "text"])


# --- pipeline stage ---------------------------------------------------------------------------------

def stage(corpus, tables: dict, settings: FramesSettings) -> dict:
    """Pipeline stage "frames": table `frames` (setting `codebook`: path of a codebook CSV)."""
    codebook = load_codebook(settings.codebook)
    return {"frames": tag_frames(tables["sentences"], codebook)}
