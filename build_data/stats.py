"""Proportions and sample sizes in, 95% intervals and worded comparisons out."""
from __future__ import annotations

import math

import numpy as np


class ComparisonUntestable(ValueError):
    """Two results cannot be tested against each other."""

Z95 = 1.959963984540054


def wilson_interval(p, n, z: float = Z95):
    """Wilson score interval for a proportion p (0-1) from n people; arrays welcome. NaN where n is 0 or missing."""
    p = np.asarray(p, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
        lower, upper = centre - half, centre + half
    bad = ~(n > 0)
    lower = np.where(bad, np.nan, np.clip(lower, 0, 1))
    upper = np.where(bad, np.nan, np.clip(upper, 0, 1))
    return lower, upper


def newcombe_difference(p1: float, n1: float, p2: float, n2: float, z: float = Z95) -> tuple[float, float]:
    """Newcombe's hybrid score interval for p1 - p2 (method 10), built from the two Wilson intervals."""
    l1, u1 = (float(x) for x in wilson_interval(p1, n1, z))
    l2, u2 = (float(x) for x in wilson_interval(p2, n2, z))
    d = p1 - p2
    lower = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    upper = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return lower, upper


def mean_difference(a: dict, b: dict, z: float = Z95) -> tuple[float, float]:
    """95% interval for mean a - mean b, each standard error read back from its published 95% interval."""
    se_a = (a["ci_upper"] - a["ci_lower"]) / (2 * Z95)
    se_b = (b["ci_upper"] - b["ci_lower"]) / (2 * Z95)
    d = a["value"] - b["value"]
    half = z * math.sqrt(se_a ** 2 + se_b ** 2)
    return d - half, d + half


def compare_groups(a: dict, b: dict) -> str:
    """Word group a against group b: 'lower than', 'similar to' or 'higher than'.

    Each group is a dict with value (percent 0-100 or a mean) and n_respondents, and, for means,
    ci_lower/ci_upper where known. The only function prose and headlines use to compare groups.
    """
    if a.get("measure", "percent_positive") == "percent_positive":
        lower, upper = newcombe_difference(a["value"] / 100, a["n_respondents"],
                                           b["value"] / 100, b["n_respondents"])
    else:
        if any(a.get(k) is None or b.get(k) is None for k in ("ci_lower", "ci_upper")):
            # No published spread: refuse rather than print a comparison nobody tested.
            raise ComparisonUntestable("These results have no confidence interval, so they cannot be compared.")
        lower, upper = mean_difference(a, b)
    if lower > 0:
        return "higher than"
    if upper < 0:
        return "lower than"
    return "similar to"
