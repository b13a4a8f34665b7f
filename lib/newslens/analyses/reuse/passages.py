"""Shared passages over the whole corpus, the pair and share tables, recall, and stage `reuse`."""
from __future__ import annotations

from typing import Mapping

from scipy import sparse
from scipy.sparse.csgraph import connected_components
import numpy as np
import pandas as pd

from newslens.analyses.reuse.align import _align
from newslens.analyses.reuse.lsh import (
    _link_edges, _match_sets, _sorted_unique, brute_force_candidates, candidate_doc_pairs, lsh_candidates,
)
from newslens.analyses.reuse.settings import PAIR_COLUMNS, REUSE_COLUMNS, ReuseSettings, SHARE_COLUMNS
# Declared in the light settings module; importable from here as before.
from newslens.analyses.reuse.settings import STAGE, recall_note, settings_from_params  # noqa: F401
from newslens.analyses.reuse.tokens import (
    Tokens, Units, _ngrams, _sentence_tokens, _units_from_ranges, sentence_units, tokenize,
)


def _published_order(documents: pd.DataFrame) -> dict[str, tuple]:
    docs = documents["doc_id"].tolist()
    return {d: (str(p), d) for d, p in zip(docs, documents["published"].tolist())}


def star_doc_pairs(units: Units, unit_pairs, order: dict[str, tuple]) -> set[tuple[str, str]]:
    """Article pairs (sorted doc_ids) linking each article of a cluster of matching sentences to the
    cluster's earliest article by `order` (star, not clique: see the module docstring). Clusters are the
    connected components of the unit pairs (a set of (i, j) or a (k, 2) array)."""
    edges = np.array(sorted(unit_pairs) if isinstance(unit_pairs, set) else unit_pairs,
                     dtype=np.int64).reshape(-1, 2)
    if not len(edges):
        return set()
    n = len(units.doc_ids)
    graph = sparse.coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
    component = connected_components(graph, directed=False)[1]
    involved = _sorted_unique(edges.ravel())
    ranked = sorted(set(units.doc_ids[involved].tolist()), key=order.__getitem__)
    rank_of = {doc: r for r, doc in enumerate(ranked)}
    clusters = pd.DataFrame({"cluster": component[involved],
                             "rank": [rank_of[d] for d in units.doc_ids[involved].tolist()]})
    clusters = clusters.drop_duplicates()
    hub = clusters.groupby("cluster")["rank"].transform("min")
    spokes = clusters[clusters["rank"] != hub]
    return {tuple(sorted((ranked[h], ranked[r])))
            for h, r in zip(hub[spokes.index].tolist(), spokes["rank"].tolist())}


def _find_reuse(corpus, settings: ReuseSettings) -> tuple[pd.DataFrame, Tokens, dict[str, int]]:
    """find_reuse, also returning the bodies' tokens (and each body's text number) for the shares."""
    tokens, lo, hi, body_index = _sentence_tokens(corpus.sentences, corpus.bodies)
    grams, gram_hash = _ngrams(tokens, settings.shingle)
    units = _units_from_ranges(corpus.sentences["doc_id"].to_numpy(dtype=object), lo, hi, grams,
                               gram_hash, settings)
    del gram_hash, lo, hi
    order = _published_order(corpus.documents)
    doc_pairs = star_doc_pairs(units, _link_edges(units, _match_sets(units, settings)), order)
    del units
    rows = []
    for pair in sorted(doc_pairs):
        first, second = sorted(pair, key=order.__getitem__)
        rows.extend(_align(tokens, grams, body_index[first], body_index[second], first,
                           corpus.bodies[first], second, corpus.bodies[second], settings))
    reuse = pd.DataFrame(rows, columns=REUSE_COLUMNS)
    for col in ("start_a", "end_a", "start_b", "end_b", "n_words"):
        reuse[col] = reuse[col].astype(int)
    reuse = reuse.sort_values(["doc_a", "doc_b", "start_a"], ignore_index=True)
    return reuse, tokens, body_index


def find_reuse(corpus, settings: ReuseSettings | None = None) -> pd.DataFrame:
    """Every shared passage between two articles of the corpus (see the module docstring)."""
    return _find_reuse(corpus, (settings or ReuseSettings()).validate())[0]


def _word_starts(reuse: pd.DataFrame, bodies: Mapping[str, str]) -> dict[str, np.ndarray]:
    """Start offsets of the words of every article in `reuse` (tokenised here, only those)."""
    docs = sorted(set(reuse["doc_a"]) | set(reuse["doc_b"]))
    tokens = tokenize([bodies[d] for d in docs])
    return {d: tokens.starts[tokens.span(k)] for k, d in enumerate(docs)}


def _covered_words(reuse: pd.DataFrame, starts: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """One row per passage and side: doc, partner, and the doc's word indices [first, last) inside it
    (the words whose start lies in the passage span, so a substituted word inside counts)."""
    sides = [pd.DataFrame({"doc": reuse[f"doc_{s}"].to_numpy(dtype=object),
                           "partner": reuse[f"doc_{o}"].to_numpy(dtype=object),
                           "start": reuse[f"start_{s}"].to_numpy(dtype=np.int64),
                           "end": reuse[f"end_{s}"].to_numpy(dtype=np.int64)})
             for s, o in (("a", "b"), ("b", "a"))]
    covered = pd.concat(sides, ignore_index=True)
    docs = pd.unique(covered["doc"])
    # all the docs' word starts laid end to end, each doc's above the previous doc's last offset, so
    # that one searchsorted finds every passage's words
    arrays = [starts[d] for d in docs]
    counts = np.array([len(x) for x in arrays], dtype=np.int64)
    span = np.array([int(x[-1]) + 1 if len(x) else 0 for x in arrays], dtype=np.int64)
    span = np.maximum(span, covered.groupby("doc", sort=False)["end"].max().reindex(docs).to_numpy() + 1)
    base = np.concatenate([[0], np.cumsum(span)[:-1]])
    word_base = np.concatenate([[0], np.cumsum(counts)[:-1]])
    laid = np.concatenate([x + b for x, b in zip(arrays, base)]) if arrays else np.zeros(0, np.int64)
    k = pd.Index(docs).get_indexer(covered["doc"])
    covered["first"] = np.searchsorted(laid, base[k] + covered["start"].to_numpy()) - word_base[k]
    covered["last"] = np.searchsorted(laid, base[k] + covered["end"].to_numpy()) - word_base[k]
    return covered


def _union_sizes(group: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Per group number (0..), the number of integers in the union of its intervals [first, last)."""
    if not len(group):
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((first, group))
    group, first, last = group[order], first[order], last[order]
    # the furthest end of the earlier intervals of the same group (groups kept apart by an offset)
    lift = group.astype(np.int64) * (int(last.max(initial=0)) + 1)
    reach = np.maximum.accumulate(last + lift) - lift
    before = np.empty_like(reach)
    before[1:] = reach[:-1]
    new_group = np.r_[True, group[1:] != group[:-1]]
    before[new_group] = first[new_group]
    fresh = np.clip(last - np.maximum(first, before), 0, None)
    return np.bincount(group, weights=fresh, minlength=int(group.max(initial=-1)) + 1).astype(np.int64)


def reuse_pairs(reuse: pd.DataFrame, documents: pd.DataFrame, bodies: dict[str, str],
                word_starts: Mapping[str, np.ndarray] | None = None) -> pd.DataFrame:
    """Per article pair: passages, identical words, and the share of each article's words that lies
    inside a passage shared with the other (passage spans, so a substituted word inside counts).
    `word_starts` (doc -> word start offsets) saves tokenising the bodies again."""
    covered = _covered_words(reuse, word_starts if word_starts is not None else _word_starts(reuse, bodies))
    grouped = covered.groupby(["doc", "partner"], sort=False)
    sizes = _union_sizes(grouped.ngroup().to_numpy(), covered["first"].to_numpy(), covered["last"].to_numpy())
    words = dict(zip(grouped.size().index, sizes.tolist()))   # (doc, partner) -> words covered
    meta = documents.set_index("doc_id")
    outlet, published = meta["outlet"].to_dict(), meta["published"].to_dict()
    n_words = meta["n_words"].to_dict()
    totals = reuse.groupby(["doc_a", "doc_b"], sort=False)["n_words"].agg(["size", "sum"])
    rows = []
    for (doc_a, doc_b), passages, shared in zip(totals.index, totals["size"].tolist(), totals["sum"].tolist()):
        rows.append({
            "doc_a": doc_a, "doc_b": doc_b,
            "outlet_a": outlet[doc_a], "outlet_b": outlet[doc_b],
            "published_a": published[doc_a], "published_b": published[doc_b],
            "passages": passages, "n_words": int(shared),
            "share_a": words[(doc_a, doc_b)] / max(int(n_words[doc_a]), 1),
            "share_b": words[(doc_b, doc_a)] / max(int(n_words[doc_b]), 1),
        })
    out = pd.DataFrame(rows, columns=PAIR_COLUMNS)
    return out.sort_values(["n_words", "doc_a", "doc_b"], ascending=[False, True, True], ignore_index=True)


def reuse_share(reuse: pd.DataFrame, documents: pd.DataFrame, bodies: dict[str, str],
                word_starts: Mapping[str, np.ndarray] | None = None) -> pd.DataFrame:
    """Per article: how many of its words lie in a passage shared with any other article, and with how
    many other articles it shares passages. Every article is listed, sharing or not."""
    covered = _covered_words(reuse, word_starts if word_starts is not None else _word_starts(reuse, bodies))
    codes, docs = pd.factorize(covered["doc"])
    union = dict(zip(docs.tolist(), _union_sizes(codes, covered["first"].to_numpy(),
                                                  covered["last"].to_numpy()).tolist()))
    partners = covered.groupby("doc")["partner"].nunique().to_dict()
    out = documents[["doc_id", "outlet", "published", "n_words"]].copy()
    out["n_words"] = out["n_words"].astype(int)
    out["shared_words"] = [union.get(d, 0) for d in out["doc_id"]]
    out["share"] = out["shared_words"] / out["n_words"].clip(lower=1)
    out["partners"] = [partners.get(d, 0) for d in out["doc_id"]]
    return out[SHARE_COLUMNS].sort_values(["share", "doc_id"], ascending=[False, True], ignore_index=True)


def measured_recall(corpus, settings: ReuseSettings | None = None,
                    max_units: int = 3000) -> dict[str, float] | None:
    """On a corpus small enough for the quadratic check (at most `max_units` sentences), compare the
    LSH candidates with brute force: {"sentences", "exact_pairs", "lsh_pairs", "recall",
    "exact_doc_pairs", "lsh_doc_pairs"}. None when the corpus is too large to check."""
    settings = (settings or ReuseSettings()).validate()
    units = sentence_units(corpus.sentences, settings, corpus.bodies)
    if len(units.doc_ids) > max_units:
        return None
    exact = brute_force_candidates(units, settings)
    found = lsh_candidates(units, settings)
    return {
        "sentences": len(units.doc_ids), "exact_pairs": len(exact), "lsh_pairs": len(found & exact),
        "recall": len(found & exact) / len(exact) if exact else 1.0,
        "exact_doc_pairs": len(candidate_doc_pairs(units, exact)),
        "lsh_doc_pairs": len(candidate_doc_pairs(units, found & exact)),
    }


def stage(corpus, tables: dict, settings: ReuseSettings) -> dict[str, pd.DataFrame]:
    """Pipeline stage `reuse`: tables reuse (passages), reuse_pairs and reuse_share."""
    reuse, tokens, body_index = _find_reuse(corpus, settings)
    # the word starts of the bodies tokenised for the alignment (views into one array, no copy)
    starts = {doc: tokens.starts[tokens.span(k)] for doc, k in body_index.items()}
    return {
        "reuse": reuse,
        "reuse_pairs": reuse_pairs(reuse, corpus.documents, corpus.bodies, word_starts=starts),
        "reuse_share": reuse_share(reuse, corpus.documents, corpus.bodies, word_starts=starts),
    }
