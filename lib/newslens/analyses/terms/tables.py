"""The terms tables: A against B, each outlet against the rest, and their summaries."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from newslens.analyses.terms.counting import TermCounts, outlet_counts
from newslens.analyses.terms.scoring import DEFAULT_PRIOR, REST, SIGNIFICANT_Z, TERM_COLUMNS, _log_odds
from newslens.core.errors import ParameterError
from newslens.corpus.loader import choose_sources, ranked_outlets


@dataclass
class _Rows:
    """One comparison's candidate rows for n-grams of one n, before scoring: term ids, counts of
    both groups, and the two groups' token totals."""
    label_a: str
    label_b: str
    n: int
    ids: np.ndarray
    y_a: np.ndarray
    y_b: np.ndarray
    n_a: np.ndarray
    n_b: np.ndarray


def _table(counts: TermCounts, blocks: list[_Rows], prior_strength: float) -> pd.DataFrame:
    """Score every row of every block at once; each comparison's rows sorted by z (descending), then
    term, the comparisons in the order of `blocks`."""
    if prior_strength <= 0:
        raise ParameterError(f"prior_strength must be positive, got {prior_strength}")
    labels_a, labels_b = [], []
    comparison, columns = [], {k: [] for k in ("y_a", "y_b", "n_a", "n_b", "y_bg", "n_bg", "key", "term")}
    totals = {n: counts.total(n) for n in (1, 2)}
    for block in blocks:
        if (block.label_a, block.label_b) not in zip(labels_a, labels_b):
            labels_a.append(block.label_a)
            labels_b.append(block.label_b)
        position = list(zip(labels_a, labels_b)).index((block.label_a, block.label_b))
        m = len(block.ids)
        total = totals[block.n]
        comparison.append(np.full(m, position))
        columns["y_a"].append(block.y_a)
        columns["y_b"].append(block.y_b)
        columns["n_a"].append(np.broadcast_to(block.n_a, m))
        columns["n_b"].append(np.broadcast_to(block.n_b, m))
        columns["y_bg"].append(total[block.ids])
        columns["n_bg"].append(np.full(m, total.sum()))
        columns["key"].append(counts.sort_key(block.n, block.ids))
        columns["term"].append(counts.terms(block.n, block.ids))
    comparison = np.concatenate(comparison) if comparison else np.zeros(0, dtype=np.int64)
    c = {k: np.concatenate(v) if v else np.zeros(0) for k, v in columns.items()}
    y_a, y_b = c["y_a"].astype(float), c["y_b"].astype(float)
    delta, z = _log_odds(y_a, y_b, c["y_bg"].astype(float), c["n_a"].astype(float),
                         c["n_b"].astype(float), c["n_bg"].astype(float), float(prior_strength))
    order = np.lexsort((c["key"], -z, comparison))
    comparison = comparison[order]
    return pd.DataFrame({
        "group_a": pd.array(np.array(labels_a, dtype=object)[comparison], dtype="str"),
        "group_b": pd.array(np.array(labels_b, dtype=object)[comparison], dtype="str"),
        "term": pd.array(c["term"][order].astype(object), dtype="str"),
        "count_a": y_a[order].astype(np.int64), "count_b": y_b[order].astype(np.int64),
        "log_odds": delta[order], "z": z[order],
    }, columns=TERM_COLUMNS)


def _pair_rows(counts: TermCounts, outlets_a, outlets_b, label_a: str, label_b: str,
               content_only: bool, min_count: int) -> list[_Rows]:
    """Rows of group a against group b: every term the two use at least `min_count` times together."""
    blocks = []
    for n in (1, 2):
        y_a, y_b = counts.group(n, outlets_a), counts.group(n, outlets_b)
        keep = (y_a + y_b) >= max(min_count, 1)
        if content_only:
            keep &= counts.listed[n]
        ids = np.flatnonzero(keep)
        blocks.append(_Rows(label_a, label_b, n, ids, y_a[ids], y_b[ids], y_a.sum(), y_b.sum()))
    return blocks


def _rest_rows(counts: TermCounts, outlets: list[str], min_count: int, prior_strength: float,
               min_own_count: int = 1) -> list[_Rows]:
    """Rows of each outlet against all the others, over the listed terms the corpus uses at least
    `min_count` times: every term the outlet uses at least `min_own_count` times, and the terms it
    uses less (or never) where that under-use is significant (z < -SIGNIFICANT_Z). Read straight
    off the sparse counts."""
    blocks = []
    a0 = float(prior_strength)
    for n in (1, 2):
        total = counts.total(n)
        n_bg = total.sum()
        matrix = counts.matrix[n]
        own_tokens = np.asarray(matrix.sum(axis=1)).ravel()
        candidate = counts.listed[n] & (total >= max(min_count, 1))
        # For a term the outlet never uses, z depends on the term only through its corpus count y
        # (y_a = 0, y_b = y_bg = y): score each distinct count once per outlet, not each term.
        values, value_of = np.unique(total, return_inverse=True)
        for o in outlets:
            if o not in counts.outlets:
                continue  # an outlet without sentences: no term used, no absence significant (z = 0)
            r = counts.outlets.index(o)
            n_a, n_b = own_tokens[r], n_bg - own_tokens[r]
            used = matrix.indices[matrix.indptr[r]:matrix.indptr[r + 1]]
            y_used = matrix.data[matrix.indptr[r]:matrix.indptr[r + 1]]
            keep = candidate[used] & (y_used > 0)
            rare = keep & (y_used < min_own_count)
            if rare.any():  # used, but too rarely to be listed unless significantly under-used
                y = y_used[rare].astype(float)
                _, z_rare = _log_odds(y, total[used[rare]] - y, total[used[rare]].astype(float),
                                      float(n_a), float(n_b), float(n_bg), a0)
                keep[np.flatnonzero(rare)[z_rare >= -SIGNIFICANT_Z]] = False
            # Every distinct corpus count is scored as if the outlet never used the term; a count larger
            # than the other outlets' tokens belongs to a term this outlet uses (set aside below) and has
            # no such score (log of a negative number: NaN, never "significant").
            with np.errstate(invalid="ignore"):
                _, z_absent = _log_odds(np.zeros(len(values)), values.astype(float), values.astype(float),
                                        float(n_a), float(n_b), float(n_bg), a0)
            absent = candidate & (z_absent < -SIGNIFICANT_Z)[value_of]
            absent[used[y_used > 0]] = False
            absent = np.flatnonzero(absent)
            ids = np.concatenate([used[keep], absent])
            y_a = np.concatenate([y_used[keep], np.zeros(len(absent), dtype=y_used.dtype)])
            blocks.append(_Rows(o, REST, n, ids, y_a, total[ids] - y_a, n_a, n_b))
    # comparisons in the order of `outlets`, unigrams before bigrams inside each (the order of
    # rows within a comparison is set by z and term in `_table`)
    rank = {o: i for i, o in enumerate(outlets)}
    return sorted(blocks, key=lambda b: rank[b.label_a])


def compare_groups(sentences: pd.DataFrame, documents: pd.DataFrame, outlets_a: list[str],
                   outlets_b: list[str], label_a: str, label_b: str,
                   prior_strength: float = DEFAULT_PRIOR, content_only: bool = True,
                   min_count: int = 1) -> pd.DataFrame:
    """The `terms` rows for group a (articles of outlets_a) against group b, unigrams and bigrams,
    with the prior taken from the whole corpus (every sentence of `sentences`)."""
    counts = outlet_counts(sentences, documents)
    return _table(counts, _pair_rows(counts, outlets_a, outlets_b, label_a, label_b, content_only,
                                     min_count), prior_strength)


def fightin_words(sentences: pd.DataFrame, documents: pd.DataFrame, source_a: str | None = None,
                  source_b: str | None = None, prior_strength: float = DEFAULT_PRIOR,
                  min_count: int = 1, counts: TermCounts | None = None) -> pd.DataFrame:
    """Outlet a against outlet b (validated, defaults as `choose_sources`); every listed term either
    uses. `counts` (from `outlet_counts` of the same sentences) saves counting again."""
    source_a, source_b = choose_sources(documents, source_a or None, source_b or None)
    if prior_strength <= 0:
        raise ParameterError(f"prior_strength must be positive, got {prior_strength}")
    counts = outlet_counts(sentences, documents) if counts is None else counts
    return _table(counts, _pair_rows(counts, [source_a], [source_b], source_a, source_b, True, min_count),
                  prior_strength)


def outlet_vs_rest(sentences: pd.DataFrame, documents: pd.DataFrame,
                   prior_strength: float = DEFAULT_PRIOR, min_count: int = 1,
                   counts: TermCounts | None = None, min_own_count: int = 1) -> pd.DataFrame:
    """Each outlet (group_a) against all the other outlets together (group_b = REST), over the terms
    the outlet uses at least `min_own_count` times and those it uses less (or never) where that
    under-use is significant (see the module docstring). `counts` as in `fightin_words`."""
    outlets = ranked_outlets(documents)
    if len(outlets) < 2:
        raise ParameterError("comparing an outlet with the rest needs two outlets or more")
    if prior_strength <= 0:
        raise ParameterError(f"prior_strength must be positive, got {prior_strength}")
    counts = outlet_counts(sentences, documents) if counts is None else counts
    return _table(counts, _rest_rows(counts, outlets, min_count, prior_strength, min_own_count),
                  prior_strength)


def drop_subsumed(rows: pd.DataFrame) -> pd.DataFrame:
    """Drop a single word that occurs only inside a listed phrase of the same comparison: "qaeda" with
    the same counts as "al qaeda" in both groups says nothing the phrase does not."""
    if rows.empty:
        return rows
    phrases = rows[rows["term"].str.contains(" ", regex=False)]
    inside = {(g_a, g_b, word, c_a, c_b)
              for g_a, g_b, term, c_a, c_b in phrases[["group_a", "group_b", "term", "count_a", "count_b"]]
              .itertuples(index=False, name=None) for word in term.split(" ")}
    keys = zip(rows["group_a"], rows["group_b"], rows["term"], rows["count_a"], rows["count_b"])
    return rows[[key not in inside for key in keys]]


def top_terms(terms: pd.DataFrame, group_a: str, group_b: str, n: int = 15,
              collapse: bool = True) -> pd.DataFrame:
    """The n terms most typical of group_a (highest z) and the n most typical of group_b (lowest z),
    with a `side` column naming the group each leans to. With `collapse`, words that occur only inside
    a listed phrase are left out (see `drop_subsumed`)."""
    rows = terms[(terms["group_a"] == group_a) & (terms["group_b"] == group_b)]
    if rows.empty:
        raise ParameterError(f"no terms scored for {group_a} against {group_b}")
    if collapse:
        rows = drop_subsumed(rows)
    a = rows[rows["z"] > 0].nlargest(n, "z").assign(side=group_a)
    b = rows[rows["z"] < 0].nsmallest(n, "z").assign(side=group_b)
    return pd.concat([a, b], ignore_index=True)


def top_terms_each(terms: pd.DataFrame, n: int = 5, collapse: bool = True) -> pd.DataFrame:
    """For a table of several comparisons (e.g. `outlet_vs_rest`), the n terms most typical of each
    group_a (highest positive z), ranked within the group; `collapse` as in `top_terms`."""
    positive = drop_subsumed(terms) if collapse else terms
    positive = positive[positive["z"] > 0].sort_values(["group_a", "z", "term"], ascending=[True, False, True])
    top = positive.groupby(["group_a", "group_b"], sort=False).head(n).copy()
    top.insert(2, "rank", top.groupby(["group_a", "group_b"]).cumcount() + 1)
    return top.reset_index(drop=True)


def prior_sensitivity(sentences: pd.DataFrame, documents: pd.DataFrame, source_a: str, source_b: str,
                      priors=(50.0, 500.0, 5000.0), n: int = 5) -> pd.DataFrame:
    """How the prior strength changes the verdict, for a method card: per prior a0, the share of the
    two outlets' tokens it amounts to, the largest |z|, how many terms pass |z| > 1.96, and the top
    terms of each side."""
    rows = []
    counts = outlet_counts(sentences, documents)  # once for every prior
    tokens = int(counts.group(1, [source_a, source_b]).sum())
    for a0 in priors:
        terms = fightin_words(sentences, documents, source_a, source_b, a0, counts=counts)
        top = top_terms(terms, source_a, source_b, n)
        rows.append({
            "prior_strength": a0, "prior_vs_tokens": a0 / max(tokens, 1),
            "max_abs_z": float(terms["z"].abs().max()) if len(terms) else 0.0,
            "terms_abs_z_over_1.96": int((terms["z"].abs() > 1.96).sum()),
            "top_a": ", ".join(top.loc[top["side"] == source_a, "term"]),
            "top_b": ", ".join(top.loc[top["side"] == source_b, "term"]),
        })
    return pd.DataFrame(rows)
