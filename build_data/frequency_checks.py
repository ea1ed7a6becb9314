"""Tidy response frequency rows (still carrying their source rows) and the release's tidy scores in, nothing out
but an error naming the first problem: ranges, duplicates, sums to 100, sums to the respondents, the score.

Rounding: a publisher rounds each option's percentage on its own, so each can be off by up to half a unit
in the last decimal place it prints (0.05 for one decimal place). The percentages of k options can
therefore add up to anything within k x 0.05 of 100 (0.1 for Yes/No, 0.55 for a 0-10 rating) and no
further; each percentage is within 0.05 of its count's share; and the positive options' share is within
half a unit of the score's last place of the score (both come from the same counts).
"""
from __future__ import annotations

import pandas as pd

from .errors import (DuplicateRow, FrequencyCountSumWrong, FrequencyPercentMismatch, FrequencyPercentSumWrong,
                     FrequencyScoreMismatch, FrequencyWithoutScore, ValueOutOfRange)
from .readers.tables import SOURCE_ROW
from .tidy import RESULT_KEY, where

EPSILON = 1e-9      # binary floating point noise in sums of one-decimal figures
FIX = ("Check the publisher's files; a known publisher error is corrected in build_data/metadata/corrections.yml "
       "(file, row, column, was, value, reason).")


def rounding_allowance(layout: dict) -> float:
    """A layout in, the most that rounding can move one of its percentages out (half a unit in the last place)."""
    return 0.5 * 10 ** -int(layout.percent_decimals)


def describe(row) -> str:
    """A frequency row in, its question, place and group as a person finds them in the file out."""
    return f"{row['question_id']} ({row['publisher_code']}), {row['geography_code']}, {row['cohort_label'].strip()}"


def rows_in(rows: pd.DataFrame) -> str:
    numbers = [str(n) for n in rows[SOURCE_ROW].head(12)]
    return "rows " + ", ".join(numbers) + (" ..." if len(rows) > 12 else "")


def key_rows(frame: pd.DataFrame, row) -> pd.DataFrame:
    """Every row of the first offending row's question, place and group."""
    return frame[(frame[RESULT_KEY] == row[RESULT_KEY]).all(axis=1)]


def complete_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of keys whose every option has a count and a percentage (publisher-withheld keys are skipped)."""
    missing = (frame["n_respondents"].isna() | frame["percent"].isna()).groupby(
        [frame[c] for c in RESULT_KEY], sort=False).transform("any")
    return frame[~missing.to_numpy()]


def keyed(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Rows in; the same rows and each one's key (question, place and group) as a group number out: grouping by
    one integer column is much cheaper than by the four text columns, and makes the same groups."""
    return rows, pd.Series(rows.groupby(RESULT_KEY, sort=False).ngroup().to_numpy(), index=rows.index)


def complete_rows(frame: pd.DataFrame, complete) -> tuple[pd.DataFrame, pd.Series]:
    """complete_keys(frame) keyed, unless given (check_frequencies works it out once for every check)."""
    return keyed(complete_keys(frame)) if complete is None else complete


def check_frequency_rows(frame: pd.DataFrame, release) -> None:
    """Counts not negative, percentages 0-100, one row per key and option."""
    bad = ((frame["n_respondents"] < 0) | (frame["percent"] < 0) | (frame["percent"] > 100)).fillna(False)
    if bad.any():
        row = frame[bad].iloc[0]
        column = "n_respondents" if pd.notna(row["n_respondents"]) and row["n_respondents"] < 0 else "percent"
        raise ValueOutOfRange(f"{column} is {row[column]} for {row['option_label']!r}, {describe(row)}; a count "
                              "cannot be negative and a percentage is 0 to 100.", **where(frame[bad], release, column),
                              fix=FIX)
    dupes = frame.duplicated(RESULT_KEY + ["option_id"], keep=False)
    if dupes.any():
        first = frame[dupes].iloc[0]
        same = frame[dupes & (frame[RESULT_KEY + ["option_id"]] == first[RESULT_KEY + ["option_id"]]).all(axis=1)]
        raise DuplicateRow(f"{first['option_label']!r} for {describe(first)} appears {len(same)} times, in "
                           f"{rows_in(same)}.", **where(frame[dupes], release, "option_label"),
                           fix="Remove the duplicate rows, or check the options' publisher_labels in "
                               "build_data/metadata/questions.yml do not map two labels to one option.")


def check_keys(frame: pd.DataFrame, scores: pd.DataFrame, release) -> None:
    """Every question, place and group with frequencies has a row in the release's scores file."""
    known = pd.MultiIndex.from_frame(scores[RESULT_KEY])
    orphan = ~pd.MultiIndex.from_frame(frame[RESULT_KEY]).isin(known)
    if orphan.any():
        row = frame[orphan].iloc[0]
        raise FrequencyWithoutScore(f"{describe(row)} has response frequencies but no row in the scores file.",
                                    **where(frame[orphan], release, "publisher_code"),
                                    fix="Check the frequencies file belongs to this release (files in "
                                        "build_data/metadata/releases.yml) and that the scores file is complete.")


def check_percent_sums(frame: pd.DataFrame, release, complete=None) -> None:
    """The percentages of each question, place and group add up to 100 within rounding."""
    rows, key = complete_rows(frame, complete)
    grouped = rows["percent"].groupby(key, sort=False)
    total, size = grouped.transform("sum"), grouped.transform("size")
    allowance = size * rounding_allowance(release.layout)
    bad = ((total - 100).abs() > allowance + EPSILON).to_numpy()
    if bad.any():
        first, i = rows[bad].iloc[0], int(bad.argmax())
        raise FrequencyPercentSumWrong(
            f"The {size.iloc[i]} percentages for {describe(first)} ({rows_in(key_rows(rows, first))}) add up to "
            f"{total.iloc[i]:.2f}; rounding each one can move the total at most {allowance.iloc[i]:.2f} from 100.",
            **where(rows[bad], release, "percent"), fix=FIX)


def check_count_sums(frame: pd.DataFrame, scores: pd.DataFrame, release, complete=None) -> None:
    """The counts of each question, place and group add up to its respondents in the scores file."""
    rows, key = complete_rows(frame, complete)
    total = rows["n_respondents"].groupby(key, sort=False).transform("sum")
    n = rows[RESULT_KEY].merge(scores[RESULT_KEY + ["n_respondents"]], on=RESULT_KEY, how="left")["n_respondents"]
    bad = (total.to_numpy() != n.to_numpy()) & n.notna().to_numpy()
    if bad.any():
        first, i = rows[bad].iloc[0], int(bad.argmax())
        raise FrequencyCountSumWrong(
            f"The counts for {describe(first)} ({rows_in(key_rows(rows, first))}) add up to {total.iloc[i]}, but "
            f"the scores file gives {n.iloc[i]} respondents.", **where(rows[bad], release, "n_respondents"), fix=FIX)


def check_option_percents(frame: pd.DataFrame, release, complete=None) -> None:
    """Each option's percentage is its count as a share of the question's respondents, within rounding."""
    rows, key = complete_rows(frame, complete)
    n = rows["n_respondents"].groupby(key, sort=False).transform("sum")
    share = 100 * rows["n_respondents"].astype("Float64") / n.astype("Float64").replace(0, pd.NA)
    bad = ((share - rows["percent"]).abs() > rounding_allowance(release.layout) + EPSILON).fillna(False)
    if bad.any():
        first = rows[bad].iloc[0]
        raise FrequencyPercentMismatch(
            f"{first['option_label']!r} for {describe(first)} is {first['n_respondents']} of "
            f"{n[bad].iloc[0]} respondents, {share[bad].iloc[0]:.2f}%, but the file says {first['percent']}%.",
            **where(rows[bad], release, "percent"), fix=FIX)


def check_positive_share(frame: pd.DataFrame, scores: pd.DataFrame, release, score_allowance: float,
                         complete=None) -> None:
    """The positive options' share of respondents is the published score, within the score's rounding."""
    rows, _ = complete_rows(frame, complete)
    rows = rows[rows["is_positive"].astype(bool)]
    positive = rows.groupby(RESULT_KEY, sort=False)["n_respondents"].sum().rename("positive").reset_index()
    scored = scores[(scores["measure"] == "percent_positive") & scores["value"].notna()]
    joined = positive.merge(scored[RESULT_KEY + ["n_respondents", "value"]], on=RESULT_KEY)
    share = 100 * joined["positive"].astype(float) / joined["n_respondents"].astype(float)
    bad = ((share - joined["value"].astype(float)).abs() > score_allowance + EPSILON).to_numpy()
    if bad.any():
        key, i = joined[bad].iloc[0], int(bad.argmax())
        offending = key_rows(rows, key)
        labels = ", ".join(repr(label.strip()) for label in offending["option_label"])
        raise FrequencyScoreMismatch(
            f"The positive answers ({labels}) for {describe(offending.iloc[0])} are {key['positive']} of "
            f"{key['n_respondents']} respondents, {share.iloc[i]:.2f}%, but the scores file gives {key['value']}%.",
            **where(offending, release, "n_respondents"),
            fix=FIX + " If the positive answers are wrong, correct is_positive in build_data/metadata/questions.yml.")


def check_frequencies(frame: pd.DataFrame, scores: pd.DataFrame, release, score_allowance: float) -> None:
    """Every frequency check, cheapest and most specific first, stopping at the first failure."""
    check_frequency_rows(frame, release)
    check_keys(frame, scores, release)
    complete = keyed(complete_keys(frame))   # the rows the sums are checked on, once
    check_percent_sums(frame, release, complete)
    check_count_sums(frame, scores, release, complete)
    check_option_percents(frame, release, complete)
    check_positive_share(frame, scores, release, score_allowance, complete)
