"""Published rows in, plain-English numbers, headlines and descriptions out.

Every comparison in prose or a headline goes through stats.compare_groups, so a sentence cannot
contradict the data after a new release.
"""
from __future__ import annotations

import pandas as pd

from .stats import compare_groups

SHORTHAND = ("[c] suppressed to protect confidentiality (too few people answered); "
             "[x] not available; [u] low reliability (fewer than {base} people answered); "
             "[r] revised since the previous version of the data.")


def is_missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def fmt_value(value, measure: str, precise: bool = False, decimals: int | None = None) -> str:
    if is_missing(value):
        return "[c]"
    if decimals is None:
        decimals = 1 if precise or measure == "mean_0_10" else 0
    return f"{value:.{decimals}f} out of 10" if measure == "mean_0_10" else f"{value:.{decimals}f}%"


def interval_decimals(lower, upper, measure: str, value=None) -> int:
    """The fewest decimals at which the rounded interval neither collapses to one number nor leaves
    the rounded value outside it: from whole numbers for percentages and one decimal for ratings;
    without a value (chart labels, whose values fmt_value(precise=True) shows to one decimal) from
    one decimal, so the labelled value always sits inside its labelled interval."""
    start = 1 if measure == "mean_0_10" or value is None else 0
    for decimals in range(start, start + 3):
        lo, hi = round(float(lower), decimals), round(float(upper), decimals)
        inside = value is None or is_missing(value) or lo <= round(float(value), decimals) <= hi
        if (lo < hi or float(lower) == float(upper)) and inside:
            return decimals
    return start + 2


def fmt_interval(lower, upper, measure: str, value=None) -> str:
    """'95% confidence interval 58% to 66%' beside `value`; one decimal (or two) where whole numbers
    would collapse the interval or put the value outside it. Without a value: one decimal or more."""
    if is_missing(lower) or is_missing(upper):
        return ""
    d = interval_decimals(lower, upper, measure, value)
    if measure == "mean_0_10":
        return f"95% confidence interval {lower:.{d}f} to {upper:.{d}f}"
    return f"95% confidence interval {lower:.{d}f}% to {upper:.{d}f}%"


def fmt_stat(row) -> str:
    """'62% (95% confidence interval 58% to 66%)', '91.7% (95% confidence interval 91.6% to 92.2%)',
    the rating, or '[c]' when suppressed. Value and interval share one precision."""
    value, measure = row["value"], row["measure"]
    if is_missing(value) or is_missing(row["ci_lower"]) or is_missing(row["ci_upper"]):
        return fmt_value(value, measure)
    d = interval_decimals(row["ci_lower"], row["ci_upper"], measure, value)
    return f"{fmt_value(value, measure, decimals=d)} ({fmt_interval(row['ci_lower'], row['ci_upper'], measure, value)})"


def fmt_count(n) -> str:
    return "[c]" if is_missing(n) else f"{int(n):,}"


def as_group(row) -> dict:
    return {"value": float(row["value"]), "n_respondents": float(row["n"]),
            "measure": row["measure"],
            "ci_lower": None if is_missing(row["ci_lower"]) else float(row["ci_lower"]),
            "ci_upper": None if is_missing(row["ci_upper"]) else float(row["ci_upper"])}


def compare_rows(a, b) -> str | None:
    """'lower than' / 'similar to' / 'higher than', or None when either is suppressed or untestable."""
    if is_missing(a["value"]) or is_missing(b["value"]) or is_missing(a["n"]) or is_missing(b["n"]):
        return None
    try:
        return compare_groups(as_group(a), as_group(b))
    except ValueError:
        return None


def cohorts_headline(label: str, a_row, b_row, a_label: str, b_label: str, year: int) -> str:
    word = compare_rows(a_row, b_row)
    if word is None:
        return f"{label}: results by group, England, {year}"
    return f"{label}: {a_label.lower()} {word} {b_label.lower()}, {year}"


def answers_named(positive_answers: str) -> str:
    """'Yes, definitely' -> '"Yes, definitely"'; 'Very easy; Quite easy' -> '"Very easy" or "Quite easy"'."""
    answers = [a.strip() for a in str(positive_answers or "").split(";") if a.strip()]
    return " or ".join(f"\u201c{a}\u201d" for a in answers)


def compared_clause(a, b, b_label: str) -> str:
    """', similar to the result for all cancers (52%): ...', or '' when the difference was not tested."""
    word = compare_rows(a, b)
    if word is None:
        return ""
    other = f"the result for {b_label.lower()} ({fmt_value(b['value'], b['measure'])})"
    if word == "similar to":
        return f", similar to {other}: the difference could be down to chance"
    return f", {word} {other}, and the difference is statistically significant"


def key_finding(label: str, positive_answers: str, a, b, a_label: str, b_label: str, year) -> str:
    """One key finding in the question's own terms: what was counted, for whom, when, and only a
    tested comparison ('8.7 vs 8.9' is never printed as lower when nobody could test it)."""
    if a["measure"] == "mean_0_10":
        said = f"{fmt_stat(a)} on average for people with {a_label.lower()} in {year}"
    else:
        said = f"{fmt_stat(a)} of people with {a_label.lower()} said {answers_named(positive_answers)} in {year}"
    return f"**{label}:** {said}{compared_clause(a, b, b_label)}."


def cohorts_description(rows: pd.DataFrame, question: dict, year: int, a=None, b=None) -> str:
    parts = [f"In {year}, in England: " + "; ".join(
        f"{r['label'].lower()}, {fmt_stat(r)}" + ("" if is_missing(r["n"]) else f", {fmt_count(r['n'])} people answered")
        for _, r in rows.iterrows()) + "."]
    if a is not None and b is not None:
        word = compare_rows(a, b)
        if word == "similar to":
            parts.append(f"The result for {a['label'].lower()} was similar to {b['label'].lower()}: "
                         "the difference could be down to chance.")
        elif word:
            parts.append(f"The result for {a['label'].lower()} was {word} {b['label'].lower()}, "
                         "and the difference is statistically significant.")
    if rows["measure"].eq("mean_0_10").any() and (rows["ci_lower"].isna() | rows["ci_upper"].isna()).any():
        parts.append("No confidence interval was published for these ratings, so we cannot say whether "
                     "the groups differ by more than chance.")
    return " ".join(parts)


def trend_description(rows: pd.DataFrame, label: str) -> str:
    sentences = []
    for cohort_label, group in rows.groupby("label", sort=False):
        group = group.sort_values("survey_year")
        shown = group[group["value"].notna()]
        if shown.empty:
            continue
        first, last = shown.iloc[0], shown.iloc[-1]
        sentences.append(f"For {cohort_label.lower()}, {fmt_value(first['value'], first['measure'])} in "
                         f"{first['survey_year']} and {fmt_value(last['value'], last['measure'])} in {last['survey_year']}.")
    return f"{label}, England, by survey year. " + " ".join(sentences)


def ranked_description(rows: pd.DataFrame, what: str, england=None) -> str:
    shown = rows[rows["value"].notna()].sort_values("value")
    hidden = int(rows["value"].isna().sum())
    if shown.empty:
        return f"{what}: every result is suppressed."
    low, high = shown.iloc[0], shown.iloc[-1]
    text = (f"{what}. Results ranged from {fmt_value(low['value'], low['measure'])} ({low['label']}) "
            f"to {fmt_value(high['value'], high['measure'])} ({high['label']}).")
    if england is not None and not is_missing(england["value"]):
        overlapping = int(((shown["ci_lower"] <= england["value"]) & (shown["ci_upper"] >= england["value"])).sum())
        text += (f" England as a whole: {fmt_value(england['value'], england['measure'])}. "
                 f"The confidence intervals of {overlapping} of {len(shown)} areas include the England figure.")
    if hidden:
        text += f" {hidden} results are suppressed ([c]) because too few people answered."
    return text
