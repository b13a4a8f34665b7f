"""Aligning two articles: runs of identical words chained into passages across small gaps."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from newslens.analyses.reuse.settings import ReuseSettings
from newslens.analyses.reuse.tokens import Tokens, Vocabulary, _ngrams, tokenize


@dataclass(frozen=True)
class Run:
    """A maximal run of identical tokens: a[i:i+length] == b[j:j+length]."""
    i: int
    j: int
    length: int


def _runs(grams_a: np.ndarray, grams_b: np.ndarray, seed: int) -> list[Run]:
    """Maximal runs of identical tokens at least `seed` long, from the seed-gram ids of two texts (only
    the positions where a whole seed-gram starts): every equal pair of seed-grams (i, j) is found by
    sorting b's, and consecutive pairs on one diagonal i - j are one run, `seed - 1` tokens longer than
    its number of seed-grams (the run ends where the next seed-gram differs, so it is maximal)."""
    if not len(grams_a) or not len(grams_b):
        return []
    order_b = np.argsort(grams_b, kind="stable")
    sorted_b = grams_b[order_b]
    low = np.searchsorted(sorted_b, grams_a, side="left")
    # most of a's seed-grams are not in b: find the others' equal range in b only for them
    hit = np.flatnonzero(sorted_b[np.minimum(low, len(sorted_b) - 1)] == grams_a)
    if not len(hit):
        return []
    low = low[hit]
    count = np.searchsorted(sorted_b, grams_a[hit], side="right") - low
    total = int(count.sum())
    i = np.repeat(hit, count)
    j = order_b[np.repeat(low - np.cumsum(count) + count, count) + np.arange(total)]
    diagonal = i - j
    order = np.lexsort((i, diagonal))
    i, j, diagonal = i[order], j[order], diagonal[order]
    new = np.ones(total, dtype=bool)
    new[1:] = (diagonal[1:] != diagonal[:-1]) | (i[1:] != i[:-1] + 1)
    starts = np.flatnonzero(new)
    lengths = np.diff(np.append(starts, total)) + seed - 1
    return [Run(*r) for r in zip(i[starts].tolist(), j[starts].tolist(), lengths.tolist())]


def identical_runs(a: list[str], b: list[str], seed: int) -> list[Run]:
    """All maximal runs of at least `seed` identical tokens between a and b (any order, repeats
    included), ordered by (i, j)."""
    vocab = Vocabulary()
    ids = vocab.ids(list(a) + list(b))
    tokens = Tokens(ids, ids, ids, np.array([0, len(a), len(a) + len(b)]), vocab)
    grams = _ngrams(tokens, seed)[0]
    runs = _runs(grams[:max(len(a) - seed + 1, 0)], grams[len(a):len(a) + max(len(b) - seed + 1, 0)], seed)
    return sorted(runs, key=lambda r: (r.i, r.j))


def chain_runs(runs: list[Run], max_gap: int) -> list[list[Run]]:
    """Group runs into passages: a run joins the passage whose end it follows, in both texts, after at
    most `max_gap` tokens. Runs are taken in text order, so each passage keeps the order of both texts."""
    chains: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: (r.i, r.j)):
        best = None
        for chain in chains:
            last = chain[-1]
            gap_a = run.i - (last.i + last.length)
            gap_b = run.j - (last.j + last.length)
            if 0 <= gap_a <= max_gap and 0 <= gap_b <= max_gap:
                if best is None or gap_a + gap_b < best[0]:
                    best = (gap_a + gap_b, chain)
        if best is None:
            chains.append([run])
        else:
            best[1].append(run)
    return chains


def _align(tokens: Tokens, grams: np.ndarray, k_a: int, k_b: int, doc_a: str, body_a: str,
           doc_b: str, body_b: str, settings: ReuseSettings) -> list[dict]:
    """Shared passages of texts k_a and k_b of `tokens` (with their seed-gram ids `grams`)."""
    span_a, span_b = tokens.span(k_a), tokens.span(k_b)
    n = settings.shingle
    grams_a = grams[span_a.start:max(span_a.stop - n + 1, span_a.start)]
    grams_b = grams[span_b.start:max(span_b.stop - n + 1, span_b.start)]
    rows = []
    for chain in chain_runs(_runs(grams_a, grams_b, n), settings.max_gap):
        n_words = sum(r.length for r in chain)
        if n_words < settings.min_words:
            continue
        first, last = chain[0], chain[-1]
        start_a = int(tokens.starts[span_a.start + first.i])
        end_a = int(tokens.ends[span_a.start + last.i + last.length - 1])
        start_b = int(tokens.starts[span_b.start + first.j])
        end_b = int(tokens.ends[span_b.start + last.j + last.length - 1])
        rows.append({
            "doc_a": doc_a, "doc_b": doc_b,
            "start_a": start_a, "end_a": end_a, "start_b": start_b, "end_b": end_b,
            "text_a": body_a[start_a:end_a], "text_b": body_b[start_b:end_b], "n_words": n_words,
        })
    return rows


def align_pair(doc_a: str, body_a: str, doc_b: str, body_b: str,
               settings: ReuseSettings) -> list[dict]:
    """Shared passages of two bodies as rows of the `reuse` table (offsets into the bodies)."""
    tokens = tokenize([body_a, body_b])
    grams = _ngrams(tokens, settings.shingle)[0]
    return _align(tokens, grams, 0, 1, doc_a, body_a, doc_b, body_b, settings)
