"""Bootstrap intervals and permutation tests against cases worked out by hand."""
from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pytest

from newslens.core.errors import ParameterError
from newslens.textkit.stats import bootstrap_cluster_mean, bootstrap_mean, permutation_test


# --- permutation test -------------------------------------------------------------------------------
# a = [1, 3], b = [2, 4, 6]: 10 ways to pick 2 of 5 values as "a". With s the sum of the picked pair,
# mean(a) - mean(b) = s/2 - (16 - s)/3 = (5s - 32)/6. Pair sums: 3, 4, 5, 5, 6, 7, 7, 8, 9, 10,
# so the differences are -17/6, -2, -7/6, -7/6, -1/3, 1/2, 1/2, 4/3, 13/6, 3. Observed (s = 4): -2.
# |d| >= 2 for s = 3, 4, 9, 10: p = 4/10. One-sided (less): s = 3, 4: p = 2/10. Largest |d| = 3: min p 1/10.

def test_exact_permutation_p_value_computed_by_hand():
    result = permutation_test([1, 3], [2, 4, 6])
    assert result.method == "exact"
    assert result.n_arrangements == 10
    assert result.observed == pytest.approx(-2.0)
    assert result.p_value == pytest.approx(0.4)
    assert result.min_p == pytest.approx(0.1)


def test_exact_one_sided_p_values_by_hand():
    assert permutation_test([1, 3], [2, 4, 6], alternative="less").p_value == pytest.approx(0.2)
    # d >= -2 for every split except s = 3: 9 of 10.
    assert permutation_test([1, 3], [2, 4, 6], alternative="greater").p_value == pytest.approx(0.9)


def test_two_articles_against_one_can_never_be_significant():
    # Three article means, 2 v 1: only 3 splits; the most extreme split is one of them.
    result = permutation_test([-0.30, -0.25], [0.10])
    assert result.n_arrangements == 3
    assert result.min_p == pytest.approx(1 / 3)
    assert result.p_value == pytest.approx(1 / 3)


def test_identical_groups_give_p_one():
    result = permutation_test([0.5, 0.5, 0.5], [0.5, 0.5])
    assert result.observed == 0
    assert result.p_value == 1.0


def test_monte_carlo_agrees_with_exact_enumeration():
    rng = np.random.default_rng(3)
    a, b = rng.normal(0.3, 1, 9), rng.normal(0, 1, 9)  # C(18, 9) = 48,620 splits
    exact = permutation_test(a, b)
    sampled = permutation_test(a, b, n_perm=20_000, seed=1, max_exact=1000)
    assert exact.method == "exact" and sampled.method == "monte carlo"
    assert sampled.n_arrangements == math.comb(18, 9)
    assert sampled.p_value == pytest.approx(exact.p_value, abs=0.015)
    assert sampled.min_p == pytest.approx(1 / 20_001)


def test_monte_carlo_is_seeded():
    a, b = list(range(12)), [x + 2.5 for x in range(12)]
    first = permutation_test(a, b, n_perm=2000, seed=7, max_exact=10)
    again = permutation_test(a, b, n_perm=2000, seed=7, max_exact=10)
    assert first.p_value == again.p_value


def test_exact_enumeration_matches_brute_force_on_random_data():
    rng = np.random.default_rng(11)
    a, b = rng.normal(size=4), rng.normal(size=5)
    pooled = np.concatenate([a, b])
    obs = a.mean() - b.mean()
    count = 0
    for combo in combinations(range(9), 4):
        rest = [i for i in range(9) if i not in combo]
        count += abs(pooled[list(combo)].mean() - pooled[rest].mean()) >= abs(obs) - 1e-12
    assert permutation_test(a, b).p_value == pytest.approx(count / math.comb(9, 4))


def test_empty_group_gives_nan_not_an_error():
    result = permutation_test([], [1.0, 2.0])
    assert math.isnan(result.p_value)


def test_bad_alternative_is_a_parameter_error():
    with pytest.raises(ParameterError, match="alternative"):
        permutation_test([1], [2], alternative="sideways")


# --- bootstrap --------------------------------------------------------------------------------------

def test_bootstrap_of_a_constant_is_a_point():
    ci = bootstrap_mean([0.25] * 30, n_boot=500, seed=0)
    assert (ci.estimate, ci.low, ci.high) == (0.25, 0.25, 0.25)


def test_bootstrap_is_seeded_and_brackets_the_mean():
    x = np.random.default_rng(5).normal(size=40)
    one = bootstrap_mean(x, n_boot=1000, seed=42)
    two = bootstrap_mean(x, n_boot=1000, seed=42)
    assert one == two
    assert one.low < one.estimate < one.high
    assert one.estimate == pytest.approx(x.mean())


def test_bootstrap_interval_width_matches_normal_theory():
    # For n = 400 standard normal draws the 95% interval of the mean is about 2 * 1.96 / 20 = 0.196 wide.
    x = np.random.default_rng(0).normal(size=400)
    ci = bootstrap_mean(x, n_boot=4000, seed=1)
    assert ci.high - ci.low == pytest.approx(2 * 1.96 * x.std(ddof=1) / 20, rel=0.1)


def test_bootstrap_coverage_is_roughly_nominal():
    # 200 seeded normal samples of 30: the 90% interval should contain the true mean about 90% of the time
    # (percentile intervals under-cover slightly at small n; a binomial 200 x 0.9 has sd ~ 4.2).
    rng = np.random.default_rng(2024)
    hits = 0
    for i in range(200):
        sample = rng.normal(1.0, 2.0, size=30)
        ci = bootstrap_mean(sample, n_boot=800, seed=i, level=0.90)
        hits += ci.low <= 1.0 <= ci.high
    assert 160 <= hits <= 195


def test_share_is_the_mean_of_an_indicator():
    flags = [1] * 3 + [0] * 7
    ci = bootstrap_mean(flags, n_boot=500, seed=0)
    assert ci.estimate == pytest.approx(0.3)
    assert 0.0 <= ci.low <= 0.3 <= ci.high <= 1.0


def test_nan_values_are_dropped_and_empty_gives_nan():
    assert bootstrap_mean([1.0, math.nan, 3.0], n_boot=50).estimate == 2.0
    assert math.isnan(bootstrap_mean([], n_boot=50).estimate)


def test_cluster_bootstrap_needs_two_clusters():
    ci = bootstrap_cluster_mean([0.1, 0.2, 0.3], ["a", "a", "a"], n_boot=100)
    assert ci.estimate == pytest.approx(0.2)
    assert math.isnan(ci.low) and math.isnan(ci.high)
    assert ci.n == 1 and ci.resampled == "article"


def test_cluster_bootstrap_draws_whole_articles():
    # Two articles, each internally constant: every draw is article A twice (mean 0), B twice (mean 1)
    # or one of each (mean weighted by sentence counts: 3 x 0 + 1 x 1 over 4 = 0.25).
    values = [0, 0, 0, 1]
    clusters = ["A", "A", "A", "B"]
    ci = bootstrap_cluster_mean(values, clusters, n_boot=2000, seed=0)
    assert ci.estimate == pytest.approx(0.25)
    assert ci.low == 0.0 and ci.high == 1.0
    sentence_level = bootstrap_mean(values, n_boot=2000, seed=0)
    assert sentence_level.high < 1.0  # resampling sentences hides the between-article spread


def test_cluster_bootstrap_with_singleton_clusters_equals_plain_bootstrap():
    x = np.random.default_rng(9).normal(size=25)
    plain = bootstrap_mean(x, n_boot=300, seed=4)
    clustered = bootstrap_cluster_mean(x, np.arange(25), n_boot=300, seed=4)
    assert (clustered.low, clustered.high) == pytest.approx((plain.low, plain.high))


def test_bad_n_boot_is_a_parameter_error():
    with pytest.raises(ParameterError, match="n_boot"):
        bootstrap_mean([1, 2, 3], n_boot=0)


def test_columns_share_draws_and_equal_separate_calls():
    from newslens.textkit.stats import bootstrap_mean_columns

    rng = np.random.default_rng(8)
    compound = rng.uniform(-1, 1, 60)
    matrix = np.column_stack([compound, compound < -0.05, compound > 0.05])
    clusters = np.repeat(np.arange(6), 10)
    for j, ci in enumerate(bootstrap_mean_columns(matrix, n_boot=700, seed=3)):
        assert ci == bootstrap_mean(matrix[:, j], n_boot=700, seed=3)
    for j, ci in enumerate(bootstrap_mean_columns(matrix, n_boot=700, seed=3, clusters=clusters)):
        alone = bootstrap_cluster_mean(matrix[:, j], clusters, n_boot=700, seed=3)
        assert (ci.estimate, ci.low, ci.high, ci.n) == pytest.approx((alone.estimate, alone.low, alone.high, alone.n))


def test_grouped_bootstrap_equals_one_call_per_group():
    from newslens.textkit.stats import bootstrap_means_by_group

    rng = np.random.default_rng(12)
    sizes = [5, 12, 5, 1, 30, 12]
    groups = np.repeat([f"doc{i}" for i in range(len(sizes))], sizes)
    values = rng.normal(size=len(groups))
    table = bootstrap_means_by_group(values, groups, n_boot=900, seed=2).set_index("group")
    for g in table.index:
        alone = bootstrap_mean(values[groups == g], n_boot=900, seed=2)
        row = table.loc[g]
        # Bit for bit, whatever other groups share the draws (so per-document batches agree exactly).
        assert (row.estimate, row.low, row.high) == (alone.estimate, alone.low, alone.high)
        assert row.n == alone.n
    assert list(table.index) == [f"doc{i}" for i in range(len(sizes))]
    # Groups asked for their estimate only get no interval and change nothing for the others.
    some = bootstrap_means_by_group(values, groups, n_boot=900, seed=2, estimate_only=["doc1", "doc4"]).set_index("group")
    assert some.loc[["doc1", "doc4"], ["low", "high"]].isna().all().all()
    assert some["estimate"].equals(table["estimate"])
    assert some.drop(index=["doc1", "doc4"]).equals(table.drop(index=["doc1", "doc4"]))


def test_grouped_cluster_bootstrap_equals_one_call_per_group():
    from newslens.textkit.stats import bootstrap_cluster_means_by_group

    rng = np.random.default_rng(5)
    groups = np.array(["Iraq\x1fAP", "Iran\x1fAP", "Iraq\x1fDW", "Iran\x1fAP", "Iraq\x1fAP"] * 24)
    articles = rng.choice([f"dw-{i}" for i in range(9)], size=len(groups))
    values = rng.uniform(-1, 1, len(groups))
    values[7] = np.nan
    table = bootstrap_cluster_means_by_group(values, articles, groups, n_boot=800, seed=4).set_index("group")
    assert list(table.index) == ["Iraq\x1fAP", "Iran\x1fAP", "Iraq\x1fDW"]
    for g in table.index:
        alone = bootstrap_cluster_mean(values[groups == g], articles[groups == g], n_boot=800, seed=4)
        row = table.loc[g]
        assert (row.estimate, row.low, row.high, row.n) == (alone.estimate, alone.low, alone.high, alone.n)
    one = bootstrap_cluster_means_by_group([0.2, 0.4], ["a1", "a1"], ["x", "x"], n_boot=50)
    assert one.loc[0, "estimate"] == pytest.approx(0.3) and math.isnan(one.loc[0, "low"]) and one.loc[0, "n"] == 1
