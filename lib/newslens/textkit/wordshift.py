"""Word-shift: which words make text A sound more negative (or positive) than text B.

The tone compared here is the mean lexicon score per word,

    T(X) = Σ_w weight(w) · n_X(w) / N_X

with n_X(w) the count of word w in X and N_X the number of words in X (all words, or only the words
the lexicon scores when per="scored"). The gap T(A) − T(B) then splits exactly into one term per word,

    contribution(w) = weight(w) · (n_A(w)/N_A − n_B(w)/N_B),     Σ_w contribution(w) = T(A) − T(B),

so a ranked list of contributions is a complete account of the gap, not an illustration. A negative
word used more in A (or a positive word used more in B) pulls the gap down.

This explains the lexicon measure, not VADER's compound: VADER adds negation, intensifiers, "but" and
a non-linear normalisation on top of the same word weights, so the two can disagree in detail.
"""
from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from newslens.core.errors import ParameterError
from newslens.textkit.lexicon import Lexicon, tokens

WORDSHIFT_COLUMNS = [
    "word", "weight", "count_a", "count_b", "freq_a", "freq_b", "contribution", "share_of_gap",
    "direction", "example_a", "example_b", "label_a", "label_b",
]


def _count(texts, lexicon: Lexicon):
    """Counts of scored words, the denominator counts, and the first sentence each word appears in."""
    counts: Counter[str] = Counter()
    examples: dict[str, str] = {}
    n_words = n_scored = 0
    weight_of = lexicon.weight
    # No token spans whitespace: a text's tokens are those of its whitespace chunks in turn, so each
    # distinct chunk is tokenised and looked up once: chunk -> (number of tokens, its scored tokens).
    chunks: dict[str, tuple[int, tuple[str, ...]]] = {}
    for text in texts:
        n_text = 0
        for chunk in text.split():
            found = chunks.get(chunk)
            if found is None:
                toks = tokens(chunk)
                found = chunks[chunk] = (len(toks), tuple(t for t in toks if weight_of(t)))
            n_text += found[0]
            for tok in found[1]:
                n_scored += 1
                counts[tok] += 1
                examples.setdefault(tok, text)
        n_words += n_text
    return counts, examples, n_words, n_scored


def _texts(x) -> list[str]:
    if isinstance(x, pd.DataFrame):
        return x["text"].astype(str).tolist()
    if isinstance(x, str):
        return [x]
    return [str(t) for t in x]


def word_shift(
    a, b, lexicon: Lexicon, per: str = "word", label_a: str = "A", label_b: str = "B"
) -> pd.DataFrame:
    """Per-word contributions to the tone gap T(A) − T(B), largest magnitude first.

    `a` and `b` are sentence tables (a `text` column) or lists of texts. Every scored word present in
    either side gets a row (so the contributions sum to the gap); `example_a` / `example_b` are the first
    sentence of each side using the word. The totals are in `df.attrs`: mean_a, mean_b, gap, n_a, n_b.
    """
    if per not in ("word", "scored"):
        raise ParameterError(f"per must be 'word' or 'scored', got {per!r}")
    counts_a, ex_a, words_a, scored_a = _count(_texts(a), lexicon)
    counts_b, ex_b, words_b, scored_b = _count(_texts(b), lexicon)
    n_a = words_a if per == "word" else scored_a
    n_b = words_b if per == "word" else scored_b
    vocab = sorted(set(counts_a) | set(counts_b))
    weight = np.array([lexicon.weight(w) for w in vocab], dtype=float)
    count_a = np.array([counts_a.get(w, 0) for w in vocab], dtype=float)
    count_b = np.array([counts_b.get(w, 0) for w in vocab], dtype=float)
    freq_a = count_a / n_a if n_a else np.zeros(len(vocab))
    freq_b = count_b / n_b if n_b else np.zeros(len(vocab))
    contribution = weight * (freq_a - freq_b)
    mean_a = float((weight * freq_a).sum())
    mean_b = float((weight * freq_b).sum())
    gap = mean_a - mean_b
    table = pd.DataFrame({
        "word": vocab, "weight": weight, "count_a": count_a.astype(int), "count_b": count_b.astype(int),
        "freq_a": freq_a, "freq_b": freq_b, "contribution": contribution,
        "share_of_gap": contribution / gap if gap else np.nan,
        "direction": np.where(contribution < 0, "lowers A − B", "raises A − B"),
        "example_a": [ex_a.get(w, "") for w in vocab], "example_b": [ex_b.get(w, "") for w in vocab],
        "label_a": label_a, "label_b": label_b,
    }, columns=WORDSHIFT_COLUMNS)
    order = np.lexsort((table["word"].to_numpy(), -np.abs(contribution)))
    table = table.iloc[order].reset_index(drop=True)
    table.attrs.update({"mean_a": mean_a, "mean_b": mean_b, "gap": gap, "n_a": n_a, "n_b": n_b,
                        "per": per, "label_a": label_a, "label_b": label_b})
    return table


def lexicon_words(texts, lexicon: Lexicon) -> pd.DataFrame:
    """The scored words of a text collection: count, weight, weight × count, and a sentence using it.

    Ranked by |weight × count|: the words that carry the lexicon's verdict on this corpus (in hard news
    often "killed", "violence", "fight", "help", "support" rather than any judgement by the writer).
    """
    counts, examples, n_words, _ = _count(_texts(texts), lexicon)
    rows = [(w, lexicon.weight(w), c, lexicon.weight(w) * c, examples[w]) for w, c in counts.items()]
    table = pd.DataFrame(rows, columns=["word", "weight", "count", "total", "example"])
    table["per_1000_words"] = 1000 * table["count"] / n_words if n_words else 0.0
    table = table.assign(_abs=table["total"].abs()).sort_values(["_abs", "word"], ascending=[False, True])
    return table.drop(columns="_abs").reset_index(drop=True)


def top_reasons(table: pd.DataFrame, k: int = 4, sign: int = 1) -> list[str]:
    """Plain-language reasons for the k largest contributions of one sign (+1: pushing A above B,
    -1: pulling A below B), e.g. "killed (−3.5; 0 in A, 4 in B)"."""
    side = table[table["contribution"] * sign > 0].head(k)
    return [f"{r.word} ({r.weight:+g}; {r.count_a}× in A, {r.count_b}× in B)" for r in side.itertuples()]


def lexicon_words_in_names(entities: pd.DataFrame, lexicon: Lexicon) -> pd.DataFrame:
    """Scored words that occur inside actor names ("united" in "United States", "security" in
    "Security Council"): lexicon sentiment that says nothing about tone. One row per word: weight,
    count inside names, total (weight × count), and the names it came from (most frequent first).
    `entities` is the shared entities table (its `surface` column is the name as written).
    """
    counts: Counter[str] = Counter()
    names: dict[str, Counter[str]] = {}
    for surface in entities["surface"].astype(str):
        for tok in tokens(surface):
            if lexicon.weight(tok):
                counts[tok] += 1
                names.setdefault(tok, Counter())[surface] += 1
    rows = [(w, lexicon.weight(w), c, lexicon.weight(w) * c,
             ", ".join(n for n, _ in names[w].most_common(3))) for w, c in counts.items()]
    table = pd.DataFrame(rows, columns=["word", "weight", "count", "total", "names"])
    table = table.assign(_abs=table["total"].abs()).sort_values(["_abs", "word"], ascending=[False, True])
    return table.drop(columns="_abs").reset_index(drop=True)
