"""Candidate pairs of sentence units: MinHash signatures and locality-sensitive hashing (LSH)."""
from __future__ import annotations

from dataclasses import dataclass

from scipy import sparse
import numpy as np
import pandas as pd

from newslens.analyses.reuse.settings import ReuseSettings, band_shape, detection_probability  # noqa: F401  (also importable from here)
from newslens.analyses.reuse.tokens import Units, _mix64


_SIGNATURE_CHUNK = 1 << 14  # shingles per block of the MinHash computation (block: 8 MB at 128 perms)


def minhash_signatures(matrix: sparse.csr_matrix, hashes: np.ndarray, num_perm: int,
                       seed: int) -> np.ndarray:
    """(num_perm x rows) uint32 MinHash signatures of the rows of a 0/1 matrix whose column c has input
    hash hashes[c]: value k of a row is min over its columns of (a_k * hash + b_k) mod 2**32, a_k odd.
    Computed in blocks of rows (about `_SIGNATURE_CHUNK` shingles each) so memory stays bounded; laid
    out permutation-major because numpy's min-reduction over each row's run of columns is fastest along
    the last axis (3.5x faster than row-major on 2,000 articles)."""
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 2 ** 32, size=num_perm, dtype=np.uint64).astype(np.uint32) | np.uint32(1)
    b = rng.integers(0, 2 ** 32, size=num_perm, dtype=np.uint64).astype(np.uint32)
    n_rows, indptr = matrix.shape[0], matrix.indptr
    signatures = np.empty((num_perm, n_rows), dtype=np.uint32)
    row = 0
    while row < n_rows:
        stop = int(np.searchsorted(indptr, indptr[row] + _SIGNATURE_CHUNK, side="right")) - 1
        stop = min(max(stop, row + 1), n_rows)
        values = hashes[matrix.indices[indptr[row]:indptr[stop]]]
        permuted = a[:, None] * values[None, :]   # uint32 arithmetic wraps: mod 2**32
        permuted += b[:, None]
        signatures[:, row:stop] = np.minimum.reduceat(permuted, indptr[row:stop] - indptr[row], axis=1)
        row = stop
    return signatures


def _band_keys(signatures: np.ndarray, band: int, rows: int) -> np.ndarray:
    """One uint64 per column (set) for its slice of band `band` (a key shared by two sets with different
    slices is a chance collision: the exact Jaccard check removes it)."""
    key = np.full(signatures.shape[1], 0x9E3779B97F4A7C15, dtype=np.uint64)
    for k in range(band * rows, (band + 1) * rows):
        key = _mix64(key ^ signatures[k].astype(np.uint64))
    return key


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique by sorting: numpy 2.4's np.unique hashes integers and took 5 s on 3 million pair codes
    that sorting handles in 0.03 s."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


# A bucket larger than this many members + 1 is not paired all with all: each member is paired with the
# next BUCKET_WINDOW members in the order of another band's keys (sorted neighbourhood), so the pairs
# grow with the members, not with their square. Sets similar enough to matter agree on many bands and
# sit close in that order; a near-duplicate family stays connected through its neighbours.
BUCKET_WINDOW = 32


def _bucket_pairs(signatures: np.ndarray, bands: int, rows: int,
                  window: int = BUCKET_WINDOW) -> np.ndarray:
    """(k, 2) int64 pairs x < y of sets (signature columns) that share a bucket in some band, each once.
    Band by band: sort the band's keys, and pair every member of a run of equal keys with the later ones
    (at most `window` of them, in the order of the next band's keys: see BUCKET_WINDOW)."""
    n = signatures.shape[1]
    found = []
    first_keys = next_keys = _band_keys(signatures, 0, rows) if bands else None
    for band in range(bands):
        keys = next_keys
        # the next band's keys order the members of one bucket (they are needed for that band anyway)
        next_keys = _band_keys(signatures, band + 1, rows) if band + 1 < bands else first_keys
        order = np.argsort(keys)
        keys = keys[order]
        equal = keys[1:] == keys[:-1]
        if not equal.any():
            continue
        in_bucket = np.r_[equal, False] | np.r_[False, equal]  # shares its key with a neighbour
        members = order[in_bucket]
        keys = keys[in_bucket]
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        size = np.diff(np.r_[starts, len(keys)])
        big = size > window + 1
        if big.any():
            # only the members of big buckets are put in the order of the next band's keys, ties by
            # set number (the order within smaller buckets does not matter: all their pairs are made).
            # Sorting every set by two keys took 8.7 of 9.7 s on 40,000 articles.
            bucket = np.repeat(np.arange(len(starts)), size)
            at = np.flatnonzero(np.repeat(big, size))
            inside = members[at]
            members[at] = inside[np.lexsort((inside, next_keys[inside], bucket[at]))]
        # every member is paired with each later member of its bucket, up to `window` of them
        later = np.minimum(np.repeat(starts + size, size) - np.arange(len(keys)) - 1, window)
        left = np.repeat(np.arange(len(keys)), later)
        right = left + 1 + (np.arange(later.sum()) - np.repeat(np.cumsum(later) - later, later))
        x, y = members[left], members[right]
        found.append(np.minimum(x, y) * n + np.maximum(x, y))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    codes = _sorted_unique(np.concatenate(found))
    return np.stack([codes // n, codes % n], axis=1)


def _jaccard_rows(matrix: sparse.csr_matrix, pairs: np.ndarray, block: int = 1 << 16) -> np.ndarray:
    """Exact Jaccard similarity of the shingle sets of row pairs (pairs in blocks: bounded memory)."""
    sizes = np.diff(matrix.indptr)
    out = np.empty(len(pairs))
    for first in range(0, len(pairs), block):
        x, y = pairs[first:first + block, 0], pairs[first:first + block, 1]
        inter = np.asarray(matrix[x].multiply(matrix[y]).sum(axis=1)).ravel()
        out[first:first + block] = inter / (sizes[x] + sizes[y] - inter)
    return out


@dataclass
class _Matches:
    """Sentence matches at the level of distinct shingle sets."""
    set_of: np.ndarray       # unit -> its distinct set
    first: np.ndarray        # set -> its first unit
    set_pairs: np.ndarray    # (k, 2) distinct sets x < y with exact Jaccard >= min_jaccard (LSH found)


def _distinct_sets(matrix: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """(set_of, first): units with the same shingle set share one set number; `first` is each set's
    first unit. Sets are grouped by a hash of their ids and confirmed equal id by id (a unit whose set
    differs from its group's first gets a set of its own: grouping never merges different sets)."""
    n = matrix.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    sizes = np.diff(matrix.indptr)
    mixed = _mix64(matrix.indices.astype(np.uint64) + np.uint64(1))
    row_hash = np.add.reduceat(mixed, matrix.indptr[:-1]) if len(mixed) else np.zeros(n, np.uint64)
    row_hash = np.where(sizes > 0, row_hash, 0) ^ _mix64(sizes.astype(np.uint64))
    codes = pd.factorize(row_hash)[0]
    first = np.full(codes.max() + 1, n, dtype=np.int64)
    np.minimum.at(first, codes, np.arange(n))
    rep = first[codes]
    same = sizes == sizes[rep]
    check = np.flatnonzero(same & (rep != np.arange(n)))
    if len(check):
        length = sizes[check]
        offset = np.arange(length.sum()) - np.repeat(np.cumsum(length) - length, length)
        mine = np.repeat(matrix.indptr[check], length) + offset
        theirs = np.repeat(matrix.indptr[rep[check]], length) + offset
        differs = np.zeros(len(check), dtype=bool)
        np.logical_or.at(differs, np.repeat(np.arange(len(check)), length),
                         matrix.indices[mine] != matrix.indices[theirs])
        same[check[differs]] = False
    codes = codes.astype(np.int64)
    lonely = np.flatnonzero(~same)
    codes[lonely] = codes.max() + 1 + np.arange(len(lonely))
    codes = pd.factorize(codes)[0].astype(np.int64)   # numbered in unit order
    first = np.full(codes.max() + 1, n, dtype=np.int64)
    np.minimum.at(first, codes, np.arange(n))
    return codes, first


def _match_sets(units: Units, settings: ReuseSettings) -> _Matches:
    """LSH over the distinct shingle sets, then the exact Jaccard check of each bucket pair once."""
    bands, rows = band_shape(settings.min_jaccard, settings.num_perm, settings.target_recall)
    set_of, first = _distinct_sets(units.matrix)
    if len(first) < 2:
        return _Matches(set_of, first, np.zeros((0, 2), dtype=np.int64))
    matrix = units.matrix[first]
    signatures = minhash_signatures(matrix, units.hashes, settings.num_perm, settings.seed)
    pairs = _bucket_pairs(signatures, bands, rows)
    del signatures
    # a pair of sets that each occur in one and the same article only can never link two articles
    doc_codes = pd.factorize(units.doc_ids)[0]
    low = np.full(len(first), np.iinfo(np.int64).max)
    high = np.full(len(first), -1)
    np.minimum.at(low, set_of, doc_codes)
    np.maximum.at(high, set_of, doc_codes)
    single = np.where(low == high, low, -1)
    x, y = pairs[:, 0], pairs[:, 1]
    # |X & Y| <= min size and |X | Y| >= max size, so J <= min/max (float division is monotone): a
    # pair whose sizes differ too much cannot reach min_jaccard and is not checked
    sizes = np.diff(matrix.indptr)
    bound = np.minimum(sizes[x], sizes[y]) / np.maximum(sizes[x], sizes[y])
    pairs = pairs[((single[x] < 0) | (single[x] != single[y])) & (bound >= settings.min_jaccard)]
    pairs = pairs[_jaccard_rows(matrix, pairs) >= settings.min_jaccard]
    return _Matches(set_of, first, pairs)


def _link_edges(units: Units, matches: _Matches) -> np.ndarray:
    """(k, 2) unit pairs of different articles whose connected components carry the same articles as
    those of ALL matching unit pairs (every pair of units of different articles whose sets are equal or
    matched), with one edge per unit or matched set pair instead of one per unit pair:
    - each unit is linked to its set's first unit when their articles differ (units of a set that has
      two or more articles are then all connected, as all their pairs would connect them);
    - a matched set pair is linked through units of different articles, if it has any."""
    doc_codes = pd.factorize(units.doc_ids)[0]
    set_of, first = matches.set_of, matches.first
    units_ix = np.arange(len(set_of))
    rep = first[set_of]
    inner = units_ix[doc_codes != doc_codes[rep]]
    within = np.stack([rep[inner], inner], axis=1)
    # second[s]: the first unit of set s from another article than its first unit's (-1: none)
    second = np.full(len(first), len(set_of), dtype=np.int64)
    np.minimum.at(second, set_of[inner], inner)
    second[second == len(set_of)] = -1
    x, y = matches.set_pairs[:, 0], matches.set_pairs[:, 1]
    fx, fy, sx, sy = first[x], first[y], second[x], second[y]
    differ = doc_codes[fx] != doc_codes[fy]
    left = np.where(differ, fx, np.where(sx >= 0, sx, fx))
    right = np.where(differ, fy, np.where(sx >= 0, fy, sy))
    keep = differ | (sx >= 0) | (sy >= 0)
    across = np.stack([left[keep], right[keep]], axis=1)
    return np.concatenate([within, across]).astype(np.int64)


def lsh_candidates(units: Units, settings: ReuseSettings) -> set[tuple[int, int]]:
    """Unit index pairs (i < j, different articles) whose exact Jaccard >= min_jaccard, among the
    pairs whose shingle sets share an LSH bucket (equal sets always do). Every unit pair is listed, so
    the answer is quadratic in the copies of one sentence: for tests and recall checks; `find_reuse`
    works on the distinct sets instead."""
    settings = settings.validate()
    matches = _match_sets(units, settings)
    members = pd.Series(np.arange(len(matches.set_of))).groupby(matches.set_of).agg(list)
    docs = units.doc_ids
    found = set()

    def add(us, vs):
        for i in us:
            for j in vs:
                if i != j and docs[i] != docs[j]:
                    found.add((min(i, j), max(i, j)))

    for us in members:
        if len(us) > 1:
            add(us, us)
    for x, y in matches.set_pairs.tolist():
        add(members[x], members[y])
    return found


def brute_force_candidates(units: Units, settings: ReuseSettings) -> set[tuple[int, int]]:
    """Every unit pair of different articles with exact Jaccard >= min_jaccard, from the full product of
    the shingle matrix with itself. Quadratic: for testing and for measuring the recall of
    `lsh_candidates` on small corpora."""
    m = units.matrix
    inter = sparse.triu(m @ m.T, k=1).tocoo()
    sizes = units.sizes
    similarity = inter.data / (sizes[inter.row] + sizes[inter.col] - inter.data)
    docs = units.doc_ids
    return {(i, j) for i, j, s in zip(inter.row.tolist(), inter.col.tolist(), similarity)
            if s >= settings.min_jaccard and docs[i] != docs[j]}


def candidate_doc_pairs(units: Units, unit_pairs) -> set[tuple[str, str]]:
    """Article pairs (sorted doc_ids) behind a set of unit pairs."""
    return {tuple(sorted((units.doc_ids[i], units.doc_ids[j]))) for i, j in unit_pairs}
