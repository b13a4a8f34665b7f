"""Tone per sentence and whose voice it is: the work of stage "sentiment" (see newslens.analyses.sentiment).

    sentences   + compound, pos, neu, neg   VADER (vaderSentiment 3.3.2, the authors' code), equal to
                                            polarity_scores; one analyzer, repeated texts scored once
                + tone                      negative / neutral / positive (compound <= -0.05 / between / >= 0.05)
                + quoted_share, voice       share of the sentence inside quotation marks; quoted / own / mixed
    voice_parts   a mixed sentence split into its own and quoted words, each scored

VADER is applied to single sentences only. A whole article's compound saturates near ±1 on news-length
text (the normalisation x / sqrt(x² + 15) runs to its bound once a few dozen valence words add up), so
article and outlet figures are means and shares of sentence scores (newslens.analyses.tone).

Voice: `newslens.textkit.quotations.quote_spans` on the cleaned body gives the quoted character spans; a sentence
with no quoted character is "own" (the outlet's voice), one entirely quoted is "quoted", anything else
is "mixed" ("…," he said). `quoted_share` is the share of non-space characters inside quotes.
"""
from __future__ import annotations

import re
from bisect import bisect_left

import numpy as np
import pandas as pd

from newslens.core.errors import ParameterError
from newslens.core.gcpause import paused_gc
from newslens.textkit import vader as _vader
from newslens.textkit.quotations import quote_spans

VADER_COLUMNS = ["compound", "pos", "neu", "neg"]
# The VADER authors' thresholds for calling a compound score positive or negative.
POSITIVE_FROM = 0.05
NEGATIVE_TO = -0.05
TONES = ("negative", "neutral", "positive")
VOICES = ("own", "quoted", "mixed")
QUOTE_MARKS = "\"“”‘’„«»'"
_DANGLING = " \t\n,;:—–-"
# Every code point Python's str.isspace() accepts (used to count non-space characters fast).
_SPACE_CODES = np.array([c for c in range(0x3100) if chr(c).isspace()], dtype=np.uint32)
# The same as a lookup table: _IS_SPACE[min(code, 0x3100)] (the last entry, for every higher code, False).
_IS_SPACE = np.zeros(0x3101, dtype=bool)
_IS_SPACE[_SPACE_CODES] = True
# A character str.isalnum() accepts: re's \w is isalnum() or "_".
_ALNUM = re.compile(r"[^\W_]")


def vader():
    """The one SentimentIntensityAnalyzer of the process (loading its lexicon takes ~50 ms)."""
    return _vader.analyzer()


def vader_scores(texts, scorer: _vader.Scorer | None = None) -> np.ndarray:
    """An (n, 4) array of compound, pos, neu, neg: `polarity_scores` of each text, unchanged.

    Computed by `newslens.textkit.vader.Scorer` (VADER's rules, less repeated work; equal numbers); a repeated
    text (boilerplate, agency copy printed twice) is scored once. Pass one `scorer` to several calls
    (one batch of documents) to share that memory between them.
    """
    scores = (scorer or _vader.Scorer()).scores
    out = np.empty((len(texts), 4))
    with paused_gc():  # dicts, tuples and lists per text, no reference cycles (see gcpause)
        for i, text in enumerate(texts):
            out[i] = scores(text)
    return out


def tone_of(compound) -> np.ndarray:
    """negative / neutral / positive for each compound score (VADER's ±0.05 thresholds)."""
    c = np.asarray(compound, dtype=float)
    return np.where(c >= POSITIVE_FROM, "positive", np.where(c <= NEGATIVE_TO, "negative", "neutral"))


# --- voice ------------------------------------------------------------------------------------------

def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _char_counts(body: str, spans) -> tuple[np.ndarray, np.ndarray]:
    """Cumulative counts (length len(body)+1) of non-space characters, and of those inside quotes."""
    codes = np.frombuffer(body.encode("utf-32-le"), dtype=np.uint32)
    nonspace = ~_IS_SPACE[np.minimum(codes, 0x3100)]
    inside = np.zeros(len(body), dtype=bool)
    for s, e in spans:
        inside[s:e] = True
    zero = np.zeros(1, dtype=np.int64)
    return (np.concatenate([zero, np.cumsum(nonspace)]),
            np.concatenate([zero, np.cumsum(nonspace & inside)]))


def non_space_counts(texts: pd.Series) -> np.ndarray:
    r"""Non-space characters of each text: `str.count(r"\S")` without a regex match per character
    (re's \s is exactly str.isspace, the separator str.split uses)."""
    return np.fromiter((sum(map(len, t.split())) for t in texts.tolist()), dtype=np.int64, count=len(texts))


def voice_of(share) -> np.ndarray:
    s = np.asarray(share, dtype=float)
    return np.where(s >= 1.0, "quoted", np.where(s <= 0.0, "own", "mixed"))


def _spans_of(doc_id: str, bodies: dict[str, str], cache: dict | None) -> list[tuple[int, int]]:
    """quote_spans of a document's body, computed once when a cache dict is shared between callers."""
    if cache is None:
        return quote_spans(bodies[doc_id])
    if doc_id not in cache:
        cache[doc_id] = quote_spans(bodies[doc_id])
    return cache[doc_id]


def _rows_by_document(doc_ids: np.ndarray):
    """(doc_id, row positions) for each document, in order of first appearance, in one pass."""
    codes, uniques = pd.factorize(doc_ids, sort=False)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
    for g, doc_id in enumerate(uniques):
        yield doc_id, order[bounds[g]:bounds[g + 1]]


def sentence_voice(sentences: pd.DataFrame, bodies: dict[str, str], spans: dict | None = None) -> pd.DataFrame:
    """quoted_share and voice for each sentence (same row order), from the quote spans of its body.

    quoted_share equals `quotations.quoted_share(start, end, quote_spans(body), body)`, computed with
    cumulative counts instead of a character loop.
    """
    share = np.zeros(len(sentences))
    starts = sentences["start"].to_numpy(dtype=np.int64)
    ends = sentences["end"].to_numpy(dtype=np.int64)
    for doc_id, rows in _rows_by_document(sentences["doc_id"].to_numpy()):
        if doc_id not in bodies:
            raise ParameterError(f"no cleaned body for document {doc_id!r}")
        cum_all, cum_in = _char_counts(bodies[doc_id], _spans_of(doc_id, bodies, spans))
        total = cum_all[ends[rows]] - cum_all[starts[rows]]
        inside = cum_in[ends[rows]] - cum_in[starts[rows]]
        share[rows] = np.divide(inside, total, out=np.zeros(len(rows)), where=total > 0)
    return pd.DataFrame({"quoted_share": share, "voice": voice_of(share)}, index=sentences.index)


def _segments(start: int, end: int, spans: list[tuple[int, int]], span_starts: list[int]):
    """(voice, a, b) pieces covering [start, end): quoted where a merged quote span covers it."""
    pieces = []
    pos = start
    i = max(0, bisect_left(span_starts, start) - 1)
    while i < len(spans) and spans[i][0] < end:
        s, e = spans[i]
        i += 1
        if e <= pos:
            continue
        if s > pos:
            pieces.append(("own", pos, s))
        pieces.append(("quoted", max(s, pos), min(e, end)))
        pos = min(e, end)
    if pos < end:
        pieces.append(("own", pos, end))
    return pieces


def _part_text(body: str, pieces, voice: str) -> str:
    texts = []
    for v, a, b in pieces:
        if v != voice:
            continue
        # Drop the quotation marks and the punctuation left dangling at the cut ("…," he said).
        t = body[a:b].strip(QUOTE_MARKS + _DANGLING)
        if _ALNUM.search(t):
            texts.append(t)
    return " … ".join(texts)


def voice_parts(
    scored: pd.DataFrame, bodies: dict[str, str], spans: dict | None = None, scorer: _vader.Scorer | None = None,
) -> pd.DataFrame:
    """Each sentence as its own-voice and quoted parts, scored separately with VADER.

    An "own" or "quoted" sentence is one part, the whole sentence, with the sentence's scores. A "mixed"
    sentence gives up to two parts: the own words ("…," he said) and the quoted words, each the pieces of
    that voice joined by " … " (quotation marks dropped), each scored on its own. Columns: doc_id,
    sent_id, part (own / quoted), sentence_voice, text, n_chars (non-space), compound, pos, neu, neg.
    """
    if "voice" not in scored or "compound" not in scored:
        raise ParameterError("voice_parts needs a scored sentences table (run score_sentences first)")
    is_mixed = scored["voice"].to_numpy() == "mixed"
    # Only the columns read below are taken by the row masks (not the whole scored table).
    pure = scored.loc[~is_mixed, ["doc_id", "sent_id", "voice", "text", *VADER_COLUMNS]]
    whole = pd.DataFrame({
        "doc_id": pure["doc_id"], "sent_id": pure["sent_id"], "part": pure["voice"],
        "sentence_voice": pure["voice"], "text": pure["text"],
        "n_chars": non_space_counts(pure["text"]),
        **{c: pure[c] for c in VADER_COLUMNS},
    })
    rows = []
    mixed = scored.loc[is_mixed, ["doc_id", "sent_id", "start", "end"]]
    sent_ids = mixed["sent_id"].to_numpy()
    starts = mixed["start"].to_numpy(dtype=np.int64)
    ends = mixed["end"].to_numpy(dtype=np.int64)
    for doc_id, group in _rows_by_document(mixed["doc_id"].to_numpy()):
        body = bodies[doc_id]
        merged = _merged(_spans_of(doc_id, bodies, spans))
        span_starts = [s for s, _ in merged]
        for sent_id, start, end in zip(sent_ids[group].tolist(), starts[group].tolist(), ends[group].tolist()):
            pieces = _segments(start, end, merged, span_starts)
            for part in ("own", "quoted"):
                text = _part_text(body, pieces, part)
                if text:
                    rows.append((doc_id, sent_id, part, "mixed", text, len("".join(text.split()))))
    split = pd.DataFrame(rows, columns=["doc_id", "sent_id", "part", "sentence_voice", "text", "n_chars"])
    if len(split):
        split[VADER_COLUMNS] = vader_scores(split["text"].tolist(), scorer)
    else:
        split = split.reindex(columns=list(split.columns) + VADER_COLUMNS)
    parts = pd.concat([whole, split], ignore_index=True) if len(split) else whole.reset_index(drop=True)
    # Corpus order (documents as in `scored`), then sentence, own before quoted: one stable sort on
    # integer keys (np.lexsort, the last key first), the rows taken once.
    doc_rank = {d: i for i, d in enumerate(pd.unique(scored["doc_id"]))}
    doc = np.fromiter(map(doc_rank.__getitem__, parts["doc_id"].tolist()), dtype=np.int64, count=len(parts))
    quoted = parts["part"].to_numpy() == "quoted"
    order = np.lexsort((quoted, parts["sent_id"].to_numpy(), doc))
    return parts.take(order).reset_index(drop=True)


# --- sentences --------------------------------------------------------------------------------------

def score_sentences(
    sentences: pd.DataFrame, bodies: dict[str, str], spans: dict | None = None, scorer: _vader.Scorer | None = None,
) -> pd.DataFrame:
    """The sentences table with compound, pos, neu, neg, tone, quoted_share and voice added."""
    out = sentences.copy()
    scores = vader_scores(out["text"].tolist(), scorer)
    for j, col in enumerate(VADER_COLUMNS):
        out[col] = scores[:, j]
    out["tone"] = tone_of(out["compound"])
    voice = sentence_voice(out, bodies, spans)
    out["quoted_share"] = voice["quoted_share"]
    out["voice"] = voice["voice"]
    return out
