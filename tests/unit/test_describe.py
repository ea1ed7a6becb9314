"""describe: intervals at a precision that keeps the value inside them, key findings in the
question's own terms, and rating comparisons only when they were tested."""
from __future__ import annotations

import re

import pytest

from build_data import describe, stats


def row(value, lower, upper, measure="percent_positive", n=500):
    return {"value": value, "ci_lower": lower, "ci_upper": upper, "measure": measure, "n": n}


def numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"\d+(?:\.\d+)?", text.replace("95% confidence", ""))]


def test_interval_that_whole_numbers_would_collapse_gets_one_decimal():
    assert describe.fmt_stat(row(91.7, 91.6, 92.2)) == "91.7% (95% confidence interval 91.6% to 92.2%)"


def test_wide_interval_stays_in_whole_numbers():
    assert describe.fmt_stat(row(54.4, 50.1, 58.6)) == "54% (95% confidence interval 50% to 59%)"


@pytest.mark.parametrize("value, lower, upper", [
    (91.7, 91.6, 92.2), (92.4, 92.45, 92.9), (50.0, 49.6, 50.4), (0.4, 0.1, 0.9), (99.9, 99.6, 100.0),
    (73.5, 72.5, 74.5), (12.0, 11.51, 12.49), (88.8, 88.75, 88.85)])
def test_shown_value_is_never_outside_its_shown_interval_nor_the_interval_collapsed(value, lower, upper):
    value_shown, low_shown, high_shown = numbers(describe.fmt_stat(row(value, lower, upper)))
    assert low_shown <= value_shown <= high_shown
    assert low_shown < high_shown


def test_rating_interval_uses_two_decimals_only_when_one_collapses():
    assert describe.fmt_stat(row(8.7, 8.5, 8.9, "mean_0_10")) == "8.7 out of 10 (95% confidence interval 8.5 to 8.9)"
    assert describe.fmt_stat(row(8.7, 8.66, 8.74, "mean_0_10")).startswith("8.70 out of 10 (95% confidence interval 8.66 to 8.74")


def test_interval_without_a_value_still_never_collapses():
    assert describe.fmt_interval(91.6, 92.2, "percent_positive") == "95% confidence interval 91.6% to 92.2%"
    assert describe.fmt_interval(91.66, 91.74, "percent_positive") == "95% confidence interval 91.66% to 91.74%"


@pytest.mark.parametrize("value, lower, upper", [(91.7, 91.6, 92.6), (89.2, 87.5, 90.9), (50.04, 50.0, 50.09)])
def test_chart_labels_keep_the_one_decimal_value_inside_the_interval(value, lower, upper):
    shown = float(describe.fmt_value(value, "percent_positive", precise=True).rstrip("%"))
    low, high = numbers(describe.fmt_interval(lower, upper, "percent_positive"))
    assert low <= shown <= high and low < high


def test_suppressed_value_is_shorthand():
    assert describe.fmt_stat(row(None, None, None)) == "[c]"


def test_key_finding_names_what_was_counted_and_when():
    a, b = row(54.0, 50.0, 58.0, n=600), row(63.0, 62.6, 63.4, n=50000)
    text = describe.key_finding("Definitely given enough information about signs of cancer coming back or spreading",
                                "Yes, definitely", a, b, "Secondary breast cancer", "All cancers", 2024)
    assert "said \u201cYes, definitely\u201d in 2024" in text
    assert "lower than the result for all cancers (63%)" in text and "statistically significant" in text


def test_rating_without_intervals_is_not_worded_as_lower():
    a, b = row(8.7, None, None, "mean_0_10"), row(8.9, None, None, "mean_0_10")
    text = describe.key_finding("Overall rating of care", "", a, b, "Secondary breast cancer", "All cancers", 2024)
    assert "8.7 out of 10 on average" in text
    assert "8.9" not in text and "lower" not in text and "higher" not in text


def test_rating_with_intervals_says_whether_the_difference_is_significant():
    a, b = row(8.2, 8.1, 8.3, "mean_0_10"), row(8.9, 8.88, 8.92, "mean_0_10")
    text = describe.key_finding("Overall rating of care", "", a, b, "Secondary breast cancer", "All cancers", 2024)
    assert "lower than the result for all cancers (8.9 out of 10), and the difference is statistically significant" in text
    close = describe.key_finding("Overall rating of care", "", row(8.85, 8.7, 9.0, "mean_0_10"),
                                 row(8.9, 8.88, 8.92, "mean_0_10"), "Secondary", "All cancers", 2024)
    assert "similar to" in close and "down to chance" in close


def test_cohorts_description_says_untestable_ratings_cannot_be_compared():
    import pandas as pd
    rows = pd.DataFrame([{**row(8.7, None, None, "mean_0_10"), "label": "Secondary"},
                         {**row(8.9, None, None, "mean_0_10"), "label": "All cancers"}])
    text = describe.cohorts_description(rows, {}, 2024)
    assert "cannot say whether the groups differ" in text


def test_mean_difference_reads_standard_errors_back_from_intervals():
    a = {"value": 8.0, "ci_lower": 8.0 - stats.Z95 * 0.1, "ci_upper": 8.0 + stats.Z95 * 0.1}
    b = {"value": 7.5, "ci_lower": 7.5 - stats.Z95 * 0.1, "ci_upper": 7.5 + stats.Z95 * 0.1}
    lower, upper = stats.mean_difference(a, b)
    half = stats.Z95 * (0.02 ** 0.5)
    assert lower == pytest.approx(0.5 - half) and upper == pytest.approx(0.5 + half)


def test_overlapping_rating_intervals_can_still_differ_significantly():
    # The intervals touch at 7.9 (an overlap test would say "similar"); the test of the difference decides.
    a = {"value": 8.1, "ci_lower": 7.9, "ci_upper": 8.3, "measure": "mean_0_10", "n_respondents": 1}
    b = {"value": 7.75, "ci_lower": 7.6, "ci_upper": 7.9, "measure": "mean_0_10", "n_respondents": 1}
    assert stats.compare_groups(a, b) == "higher than"


def test_answers_named_lists_every_positive_answer():
    assert describe.answers_named("Very easy; Quite easy") == "\u201cVery easy\u201d or \u201cQuite easy\u201d"
