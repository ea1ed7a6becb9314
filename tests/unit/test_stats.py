"""stats: Wilson intervals, Newcombe differences and the one function that words comparisons."""
from __future__ import annotations

import math

import numpy as np
import pytest

from build_data import stats

# Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I (method 3),
# plus the two values quoted in the brief.
WILSON_KNOWN = [
    (50, 100, 0.4038, 0.5962),
    (45, 50, 0.7864, 0.9565),
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
    (29, 29, 0.8830, 1.0000),
]
# Newcombe (1998), "Interval estimation for the difference between independent proportions",
# Table II, method 10 (the hybrid score interval).
NEWCOMBE_KNOWN = [
    ((56, 70), (48, 80), 0.0524, 0.3339),
    ((9, 10), (3, 10), 0.1705, 0.8090),
    ((6, 7), (2, 7), 0.0582, 0.8062),
    ((5, 56), (0, 29), -0.0381, 0.1926),
    ((0, 10), (0, 20), -0.1611, 0.2775),
    ((10, 10), (0, 20), 0.6791, 1.0000),
]


@pytest.mark.parametrize("x, n, lower, upper", WILSON_KNOWN)
def test_wilson_interval_known_values(x, n, lower, upper):
    got = stats.wilson_interval(x / n, n)
    assert [round(float(v), 4) for v in got] == [lower, upper]


def test_wilson_interval_no_respondents_is_nan():
    lower, upper = stats.wilson_interval(0.5, 0)
    assert math.isnan(lower) and math.isnan(upper)
    lower, upper = stats.wilson_interval([0.5, 0.2], [np.nan, 10])
    assert np.isnan(lower[0]) and np.isnan(upper[0]) and not np.isnan(lower[1])


def test_wilson_interval_arrays_match_scalars():
    p, n = np.array([0.5, 0.9, 0.308]), np.array([100, 50, 263])
    lower, upper = stats.wilson_interval(p, n)
    for i in range(3):
        assert (lower[i], upper[i]) == tuple(float(v) for v in stats.wilson_interval(p[i], n[i]))


def test_wilson_interval_stays_within_0_and_1():
    lower, upper = stats.wilson_interval([0.0, 1.0], [5, 5])
    assert lower[0] == 0 and upper[1] == 1 and upper[0] < 1 and lower[1] > 0


@pytest.mark.parametrize("a, b, lower, upper", NEWCOMBE_KNOWN)
def test_newcombe_difference_known_values(a, b, lower, upper):
    got = stats.newcombe_difference(a[0] / a[1], a[1], b[0] / b[1], b[1])
    assert [round(v, 4) for v in got] == [lower, upper]


def group(x, n):
    return {"value": 100 * x / n, "n_respondents": n}


def test_compare_groups_wording_for_percentages():
    assert stats.compare_groups(group(56, 70), group(48, 80)) == "higher than"
    assert stats.compare_groups(group(48, 80), group(56, 70)) == "lower than"
    # 5/56 against 0/29: the interval for the difference includes 0.
    assert stats.compare_groups(group(5, 56), group(0, 29)) == "similar to"
    assert stats.compare_groups(group(50, 100), group(50, 100)) == "similar to"


def test_compare_groups_needs_significance_not_just_a_gap():
    """A 15-point gap on 20 people each is not a difference; the same gap on 2,000 each is."""
    assert stats.compare_groups(group(14, 20), group(11, 20)) == "similar to"
    assert stats.compare_groups(group(1400, 2000), group(1100, 2000)) == "higher than"


def test_compare_groups_means_use_published_intervals():
    def mean(v, lo, hi):
        return {"measure": "mean_0_10", "value": v, "n_respondents": 100, "ci_lower": lo, "ci_upper": hi}
    assert stats.compare_groups(mean(8.8, 8.6, 9.0), mean(8.0, 7.8, 8.2)) == "higher than"
    assert stats.compare_groups(mean(8.0, 7.8, 8.2), mean(8.8, 8.6, 9.0)) == "lower than"
    assert stats.compare_groups(mean(8.3, 8.1, 8.5), mean(8.2, 8.0, 8.4)) == "similar to"


def test_compare_groups_refuses_means_without_intervals():
    a = {"measure": "mean_0_10", "value": 8.8, "n_respondents": 100, "ci_lower": None, "ci_upper": None}
    with pytest.raises(stats.ComparisonUntestable):
        stats.compare_groups(a, dict(a, value=2.0))
