"""Uncertainty for small samples: percentile bootstrap intervals and permutation tests.

    bootstrap_mean(values, n_boot=2000, seed=0)                 # resample sentences (units = values)
    bootstrap_cluster_mean(values, clusters, n_boot, seed)      # resample articles, keep their sentences
    permutation_test(a, b, n_perm=10000, seed=0)                # difference of means, exact when small

Everything is seeded (same seed, same interval) and vectorised with numpy. A share (e.g. of negative
sentences) is the mean of a 0/1 indicator, so the same functions serve means and shares.

Which unit is resampled matters: sentences of one article are not independent draws, so a sentence-level
interval is narrower than the evidence warrants when an outlet has few articles. The article-level
(cluster) bootstrap resamples whole articles and needs at least two of them; with one article it returns
no interval (NaN) rather than a misleading point.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from newslens.core.errors import ParameterError

# Bootstrap draws are made in batches so that a batch holds at most this many indices (memory bound).
_BATCH_CELLS = 4_000_000
# Resampled values are summed in blocks of about this many (fits in a core's cache).
_GATHER_CELLS = 1 << 15
# Relative tolerance for "as extreme as observed" in permutation tests (floating-point ties).
_TIE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Interval:
    """A point estimate with its percentile bootstrap interval."""

    estimate: float
    low: float
    high: float
    level: float
    n: int  # number of resampled units (sentences or articles)
    n_boot: int
    resampled: str  # "sentence" | "article" | ... : which unit was drawn with replacement

    def as_dict(self, prefix: str = "") -> dict:
        return {f"{prefix}{k}": v for k, v in asdict(self).items()}


def _check(n_boot: int, level: float) -> None:
    if not isinstance(n_boot, (int, np.integer)) or n_boot < 1:
        raise ParameterError(f"n_boot must be a positive whole number, got {n_boot!r}")
    if not 0 < level < 1:
        raise ParameterError(f"confidence level must be between 0 and 1, got {level!r}")


def _percentiles(draws: np.ndarray, level: float) -> tuple[float, float]:
    alpha = 1.0 - level
    low, high = np.quantile(draws, [alpha / 2, 1 - alpha / 2])
    return float(low), float(high)


def _resampled_means(sums: np.ndarray, counts: np.ndarray | None, n_boot: int, seed: int) -> np.ndarray:
    """Means of `n_boot` resamples of n units for G groups that share the draws: (G, n_boot).

    `sums` is G × n (each group's n unit sums); a resample draws n unit indices with replacement and
    takes (sum of the drawn sums) / (sum of the drawn counts). `counts` is None (every unit counts 1:
    divide by n), one row shared by the groups (n,), or one row per group (G × n).

    The draws depend only on seed, n and n_boot (a fresh generator per call, batches of the same
    shape), so every group gets exactly the draws a call for it alone would give: this is the one loop
    behind every bootstrap here. Memory stays bounded by _BATCH_CELLS. The drawn values are gathered
    with np.take, which lays each resample out as one contiguous row, so numpy sums every resample in
    the same order whatever the other groups are: a group's means are, bit for bit, those of a call
    for it alone (a fancy-indexed groups × draws × n block is laid out with the groups innermost and
    summed in another order, off by ~1e-16 and depending on which groups share a block).
    """
    rng = np.random.default_rng(seed)
    n_groups, n = sums.shape
    batch = max(1, _BATCH_CELLS // n)
    out = np.empty((n_groups, n_boot))
    for first in range(0, n_boot, batch):
        size = min(batch, n_boot - first)
        # int32 indices: the same values as the default int64 (numpy draws both with the same buffered
        # 32-bit Lemire method whenever the range fits in 32 bits), several times faster.
        idx = rng.integers(0, n, size=(size, n), dtype=np.int32).astype(np.intp)  # take's index type, once
        shared = n if counts is None else counts[idx].sum(axis=1) if counts.ndim == 1 else None
        # Gather in blocks of about _GATHER_CELLS values (cache-sized temporaries: several times faster
        # than one large gather); every resample is one row either way, so the sums are the same.
        span = max(1, min(size, _GATHER_CELLS // n))  # draws per block
        rows = max(1, _GATHER_CELLS // (span * n))  # groups per block
        for d in range(0, size, span):
            part = idx[d:d + span]
            cols = slice(first + d, first + d + len(part))
            for g in range(0, n_groups, rows):
                if shared is None:
                    denominator = np.take(counts[g:g + rows], part, axis=1).sum(axis=2)
                else:
                    denominator = shared if counts is None else shared[d:d + span]
                out[g:g + rows, cols] = np.take(sums[g:g + rows], part, axis=1).sum(axis=2) / denominator
    return out


def _interval_columns(draws: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval of each row of a G × n_boot draw matrix."""
    alpha = 1.0 - level
    low, high = np.quantile(draws, [alpha / 2, 1 - alpha / 2], axis=1)
    return low, high


def bootstrap_mean_columns(
    matrix, n_boot: int = 2000, seed: int = 0, level: float = 0.95, clusters=None,
    resampled: str | None = None,
) -> list[Interval]:
    """`bootstrap_mean` (or `bootstrap_cluster_mean` when `clusters` is given) of each column of a
    units × measures matrix, from one set of draws: the same intervals as separate calls, faster."""
    _check(n_boot, level)
    x = np.asarray(matrix, dtype=float)
    if x.ndim != 2:
        raise ParameterError("bootstrap_mean_columns needs a 2-D matrix (units × measures)")
    keep = ~np.isnan(x).any(axis=1)
    x = x[keep]
    m = x.shape[1]
    unit = resampled or ("article" if clusters is not None else "sentence")
    if len(x) == 0:
        return [Interval(math.nan, math.nan, math.nan, level, 0, n_boot, unit) for _ in range(m)]
    estimates = x.mean(axis=0)
    if clusters is None:
        sums, counts, n_units = x, None, len(x)
    else:
        keys = np.asarray(clusters)[keep]
        _, codes = np.unique(keys, return_inverse=True)
        n_units = int(codes.max()) + 1
        sums = np.stack([np.bincount(codes, weights=x[:, j], minlength=n_units) for j in range(m)], axis=1)
        counts = np.bincount(codes, minlength=n_units).astype(float)
        if n_units < 2:
            return [Interval(float(e), math.nan, math.nan, level, n_units, n_boot, unit) for e in estimates]
    lows, highs = _interval_columns(_resampled_means(np.ascontiguousarray(sums.T), counts, n_boot, seed), level)
    return [Interval(float(e), float(lo), float(hi), level, n_units, n_boot, unit)
            for e, lo, hi in zip(estimates, lows, highs)]


def _blocks_by_size(x: np.ndarray, codes: np.ndarray, n_groups: int):
    """(sizes, [(n, members, block)]): the values of the groups of each size n as a groups × n block,
    each row in original order (its mean is then exactly the mean of the group's values)."""
    order = np.argsort(codes, kind="stable")
    sizes = np.bincount(codes, minlength=n_groups)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    sorted_x = x[order]
    blocks = []
    for n in np.unique(sizes):
        if n == 0:
            continue
        members = np.flatnonzero(sizes == n)
        blocks.append((n, members, sorted_x[starts[members][:, None] + np.arange(n)]))
    return sizes, blocks


def bootstrap_means_by_group(
    values, groups, n_boot: int = 2000, seed: int = 0, level: float = 0.95, estimate_only=None,
) -> pd.DataFrame:
    """`bootstrap_mean` of the values of each group (e.g. each article's sentences), vectorised.

    Groups of equal size share one set of draws, which is exactly what separate `bootstrap_mean`
    calls with the same seed would draw, so every row equals `bootstrap_mean(group values, ...)`.
    Groups listed in `estimate_only` get their mean and a NaN interval (no draws: a caller that
    resamples them otherwise). Returns group, estimate, low, high, n (in order of first appearance).
    """
    _check(n_boot, level)
    x = np.asarray(values, dtype=float)
    keys = np.asarray(groups)
    if len(x) != len(keys):
        raise ParameterError(f"values ({len(x)}) and groups ({len(keys)}) differ in length")
    keep = ~np.isnan(x)
    x, keys = x[keep], keys[keep]
    codes, uniques = pd.factorize(keys, sort=False)
    wanted = np.ones(len(uniques), dtype=bool)
    if estimate_only is not None:
        wanted = ~pd.Index(uniques).isin(list(estimate_only))
    est = np.full(len(uniques), math.nan)
    low = np.full(len(uniques), math.nan)
    high = np.full(len(uniques), math.nan)
    sizes, blocks = _blocks_by_size(x, codes, len(uniques))
    for n, members, block in blocks:
        est[members] = block.mean(axis=1)
        drawn = wanted[members]
        if n == 1:
            # Every resample of one value is that value (x / 1), and so is every percentile.
            low[members[drawn]] = high[members[drawn]] = block[drawn, 0]
        elif drawn.any():
            low[members[drawn]], high[members[drawn]] = _interval_columns(
                _resampled_means(block[drawn], None, n_boot, seed), level)
    return pd.DataFrame({"group": uniques, "estimate": est, "low": low, "high": high, "n": sizes})


def bootstrap_cluster_means_by_group(
    values, clusters, groups, n_boot: int = 2000, seed: int = 0, level: float = 0.95,
) -> pd.DataFrame:
    """`bootstrap_cluster_mean` of the values of each group (e.g. the sentences mentioning one actor
    in one outlet, resampled by article), vectorised: groups with the same number of clusters share
    one set of draws, exactly what separate calls with the same seed draw, so every row equals
    `bootstrap_cluster_mean(group values, group clusters, ...)`. Returns group, estimate, low, high,
    n (clusters), in order of first appearance.
    """
    _check(n_boot, level)
    x = np.asarray(values, dtype=float)
    cluster_keys = np.asarray(clusters)
    keys = np.asarray(groups)
    if not len(x) == len(cluster_keys) == len(keys):
        raise ParameterError(f"values ({len(x)}), clusters ({len(cluster_keys)}) and groups ({len(keys)}) differ in length")
    keep = ~np.isnan(x)
    x, cluster_keys, keys = x[keep], cluster_keys[keep], keys[keep]
    group_codes, uniques = pd.factorize(keys, sort=False)
    # Clusters in sorted order, as np.unique orders them inside each group.
    _, cluster_codes = np.unique(cluster_keys, return_inverse=True)
    n_clusters_all = int(cluster_codes.max()) + 1 if len(x) else 0
    pair_codes, pairs = pd.factorize(group_codes.astype(np.int64) * n_clusters_all + cluster_codes, sort=True)
    # Sums and counts per (group, cluster), accumulated in row order as a per-group bincount does.
    pair_sums = np.bincount(pair_codes, weights=x, minlength=len(pairs))
    pair_counts = np.bincount(pair_codes, minlength=len(pairs)).astype(float)
    pair_group = np.asarray(pairs) // max(n_clusters_all, 1)  # pairs are sorted by group, then cluster
    n_per_group = np.bincount(pair_group, minlength=len(uniques))
    first_pair = np.concatenate([[0], np.cumsum(n_per_group)[:-1]])
    est = np.full(len(uniques), math.nan)
    for _, members, block in _blocks_by_size(x, group_codes, len(uniques))[1]:
        est[members] = block.mean(axis=1)
    low = np.full(len(uniques), math.nan)
    high = np.full(len(uniques), math.nan)
    for n in np.unique(n_per_group):
        if n < 2:
            continue  # one cluster: no interval
        members = np.flatnonzero(n_per_group == n)
        cells = first_pair[members][:, None] + np.arange(n)
        low[members], high[members] = _interval_columns(
            _resampled_means(pair_sums[cells], pair_counts[cells], n_boot, seed), level)
    return pd.DataFrame({"group": uniques, "estimate": est, "low": low, "high": high, "n": n_per_group})


def bootstrap_mean(
    values, n_boot: int = 2000, seed: int = 0, level: float = 0.95, resampled: str = "sentence"
) -> Interval:
    """Mean of `values` with a percentile bootstrap interval, resampling the values themselves."""
    _check(n_boot, level)
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if len(x) == 0:
        return Interval(math.nan, math.nan, math.nan, level, 0, n_boot, resampled)
    estimate = float(x.mean())
    draws = _resampled_means(x[None, :], None, n_boot, seed)[0]
    low, high = _percentiles(draws, level)
    return Interval(estimate, low, high, level, len(x), n_boot, resampled)


def bootstrap_cluster_mean(
    values, clusters, n_boot: int = 2000, seed: int = 0, level: float = 0.95,
    resampled: str = "article",
) -> Interval:
    """Mean of all `values` with an interval from resampling whole clusters (e.g. articles).

    The estimate is the plain mean over all values (so it equals `bootstrap_mean`'s); each bootstrap
    draw picks clusters with replacement and takes the mean of all values in the drawn clusters. With
    fewer than two clusters there is no between-cluster variation to resample: the interval is NaN.
    """
    _check(n_boot, level)
    x = np.asarray(values, dtype=float)
    keys = np.asarray(clusters)
    if len(x) != len(keys):
        raise ParameterError(f"values ({len(x)}) and clusters ({len(keys)}) differ in length")
    keep = ~np.isnan(x)
    x, keys = x[keep], keys[keep]
    if len(x) == 0:
        return Interval(math.nan, math.nan, math.nan, level, 0, n_boot, resampled)
    _, codes = np.unique(keys, return_inverse=True)
    sums = np.bincount(codes, weights=x)
    counts = np.bincount(codes).astype(float)
    estimate = float(x.mean())
    if len(sums) < 2:
        return Interval(estimate, math.nan, math.nan, level, len(sums), n_boot, resampled)
    draws = _resampled_means(sums[None, :], counts, n_boot, seed)[0]
    low, high = _percentiles(draws, level)
    return Interval(estimate, low, high, level, len(sums), n_boot, resampled)


@dataclass(frozen=True)
class PermutationResult:
    """Difference of means (a − b) and how often a random relabelling is at least as extreme."""

    observed: float
    p_value: float
    method: str  # "exact" (every arrangement enumerated) or "monte carlo"
    n_arrangements: int  # number of distinct ways to split the units into groups of these sizes
    n_used: int  # arrangements evaluated (all of them when exact)
    min_p: float  # the smallest p-value this design can produce at all
    n_a: int
    n_b: int
    alternative: str

    def as_dict(self) -> dict:
        return asdict(self)


def _extreme(diffs: np.ndarray, observed: float, alternative: str) -> np.ndarray:
    tol = _TIE_TOLERANCE * max(1.0, abs(observed))
    if alternative == "two-sided":
        return np.abs(diffs) >= abs(observed) - tol
    if alternative == "greater":
        return diffs >= observed - tol
    return diffs <= observed + tol


def _smallest_p(diffs: np.ndarray, alternative: str) -> float:
    """Share of arrangements at least as extreme as the most extreme one."""
    if alternative == "two-sided":
        most = np.abs(diffs).max()
        return float(np.mean(np.abs(diffs) >= most - _TIE_TOLERANCE * max(1.0, most)))
    if alternative == "greater":
        most = diffs.max()
        return float(np.mean(diffs >= most - _TIE_TOLERANCE * max(1.0, abs(most))))
    most = diffs.min()
    return float(np.mean(diffs <= most + _TIE_TOLERANCE * max(1.0, abs(most))))


def permutation_test(
    a, b, n_perm: int = 10_000, seed: int = 0, max_exact: int = 200_000,
    alternative: str = "two-sided",
) -> PermutationResult:
    """Permutation test for mean(a) − mean(b).

    When the number of distinct splits C(n_a + n_b, n_a) is at most `max_exact`, every split is
    enumerated and p = (splits at least as extreme as observed) / (all splits), the observed split
    included. Otherwise `n_perm` random splits are drawn and p = (extreme + 1) / (n_perm + 1), which
    never reaches 0. `min_p` is the smallest p-value the design can give: with 2 articles against 1 it
    is 1/3 or more, so no such comparison can be "significant" however large the gap.
    """
    if alternative not in ("two-sided", "greater", "less"):
        raise ParameterError(f"alternative must be two-sided, greater or less, got {alternative!r}")
    x_a = np.asarray(a, dtype=float)
    x_b = np.asarray(b, dtype=float)
    x_a, x_b = x_a[~np.isnan(x_a)], x_b[~np.isnan(x_b)]
    n_a, n_b = len(x_a), len(x_b)
    if n_a == 0 or n_b == 0:
        return PermutationResult(math.nan, math.nan, "none", 0, 0, math.nan, n_a, n_b, alternative)
    pooled = np.concatenate([x_a, x_b])
    n = n_a + n_b
    total = pooled.sum()
    observed = float(x_a.mean() - x_b.mean())
    n_arrangements = math.comb(n, n_a)

    def diffs_for(sum_a: np.ndarray) -> np.ndarray:
        return sum_a / n_a - (total - sum_a) / n_b

    if n_arrangements <= max_exact:
        idx = np.fromiter(
            (i for combo in combinations(range(n), n_a) for i in combo),
            dtype=np.int64, count=n_arrangements * n_a,
        ).reshape(n_arrangements, n_a)
        diffs = diffs_for(pooled[idx].sum(axis=1))
        p = float(np.mean(_extreme(diffs, observed, alternative)))
        return PermutationResult(
            observed, p, "exact", n_arrangements, n_arrangements, _smallest_p(diffs, alternative),
            n_a, n_b, alternative,
        )

    if not isinstance(n_perm, (int, np.integer)) or n_perm < 1:
        raise ParameterError(f"n_perm must be a positive whole number, got {n_perm!r}")
    rng = np.random.default_rng(seed)
    # A random split: draw the members of group a without replacement (or of group b when it is
    # smaller, then a's sum is the rest), one arrangement per draw.
    k = min(n_a, n_b)
    subset_sums = np.fromiter(
        (pooled[rng.choice(n, k, replace=False)].sum() for _ in range(n_perm)), dtype=float, count=n_perm)
    sums_a = subset_sums if k == n_a else total - subset_sums
    extreme = int(_extreme(diffs_for(sums_a), observed, alternative).sum())
    p = (extreme + 1) / (n_perm + 1)
    return PermutationResult(
        observed, p, "monte carlo", n_arrangements, n_perm, 1 / (n_perm + 1), n_a, n_b, alternative
    )
