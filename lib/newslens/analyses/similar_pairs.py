"""Vocabulary similarity at any corpus size: outlet by outlet, and the most similar article pairs.

A document-by-document matrix grows with the square of the corpus (10,000 articles: 10^8 cells). Here:
- `outlet_similarity`: the cosine of the outlets' mean TF-IDF vectors (outlets x outlets, small);
- `top_pairs`: the most similar article pairs from a sparse search. Each article keeps its `keep_terms`
  heaviest TF-IDF terms; two articles are candidates when they share one, counting only terms held by at
  most `max_posting` articles (a term every article holds says nothing about a pair). Candidates are
  scored with the full vectors. Exact for pairs that share a kept term; a pair alike only in many light
  terms can be missed (the method card says so).

    sims = outlet_similarity(vectors, outlets)       # vectors = similarity.tfidf_rows(texts)
    pairs = top_pairs(vectors, doc_ids, k=20)
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

KEEP_TERMS = 10
MAX_POSTING = 50


def outlet_similarity(vectors: sparse.csr_matrix, outlets: list[str]) -> pd.DataFrame:
    """Long table outlet_a, outlet_b, cosine, articles_a, articles_b: the cosine of the outlets' centroid
    TF-IDF vectors (every ordered pair, the diagonal 1)."""
    names = list(dict.fromkeys(outlets))
    code = {o: i for i, o in enumerate(names)}
    rows = np.array([code[o] for o in outlets])
    member = sparse.csr_matrix((np.ones(len(rows)), (rows, np.arange(len(rows)))), shape=(len(names), len(rows)))
    centroids = member @ vectors
    norms = np.sqrt(np.asarray(centroids.multiply(centroids).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    centroids = sparse.diags(1 / norms) @ centroids
    sims = (centroids @ centroids.T).toarray()
    np.fill_diagonal(sims, 1.0)
    counts = np.bincount(rows, minlength=len(names))
    a, b = np.meshgrid(np.arange(len(names)), np.arange(len(names)), indexing="ij")
    return pd.DataFrame({"outlet_a": np.array(names, dtype=object)[a.ravel()],
                         "outlet_b": np.array(names, dtype=object)[b.ravel()],
                         "cosine": sims.ravel(), "articles_a": counts[a.ravel()], "articles_b": counts[b.ravel()]})


def _sparsified(vectors: sparse.csr_matrix, keep_terms: int, max_posting: int) -> sparse.csr_matrix:
    """Each row's `keep_terms` heaviest entries, only in columns held by 2..max_posting rows, as 1.0."""
    v = sparse.csr_matrix(vectors)
    doc_freq = np.bincount(v.indices, minlength=v.shape[1])
    usable = (doc_freq >= 2) & (doc_freq <= max_posting)
    rows, cols = [], []
    for i in range(v.shape[0]):
        lo, hi = v.indptr[i], v.indptr[i + 1]
        idx, val = v.indices[lo:hi], v.data[lo:hi]
        ok = usable[idx]
        idx, val = idx[ok], val[ok]
        if len(idx) > keep_terms:
            top = np.argpartition(-val, keep_terms - 1)[:keep_terms]
            idx = idx[top]
        rows.append(np.full(len(idx), i))
        cols.append(idx)
    r = np.concatenate(rows) if rows else np.array([], dtype=int)
    c = np.concatenate(cols) if cols else np.array([], dtype=int)
    return sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=v.shape)


def top_pairs(vectors: sparse.csr_matrix, doc_ids: list[str], k: int = 20, keep_terms: int = KEEP_TERMS,
              max_posting: int = MAX_POSTING) -> pd.DataFrame:
    """The `k` most similar distinct article pairs (doc_a < doc_b by position), cosine on full vectors.
    Work grows with the candidate pairs (at most n * keep_terms * max_posting), not with n^2."""
    if len(doc_ids) < 2:
        return pd.DataFrame(columns=["doc_a", "doc_b", "cosine"])
    marks = _sparsified(vectors, keep_terms, max_posting)
    shared = sparse.triu(marks @ marks.T, k=1).tocoo()
    a, b = shared.row, shared.col
    if len(a) == 0:
        return pd.DataFrame(columns=["doc_a", "doc_b", "cosine"])
    v = sparse.csr_matrix(vectors)
    block = 200_000  # candidate pairs scored at once (bounded memory)
    cos = np.concatenate([np.asarray(v[a[i:i + block]].multiply(v[b[i:i + block]]).sum(axis=1)).ravel()
                          for i in range(0, len(a), block)])
    order = np.lexsort((b, a, -cos))[:k]
    ids = np.asarray(doc_ids, dtype=object)
    return pd.DataFrame({"doc_a": ids[a[order]], "doc_b": ids[b[order]], "cosine": cos[order]})
