"""Tidy response frequency rows (still carrying their source rows) and the release's tidy scores in, nothing out
but an error naming the first problem: ranges, duplicates, sums to 100, sums to the respondents, the score.

Rounding: a publisher rounds each option's percentage on its own, so each can be off by up to half a unit
in the last decimal place it prints (0.05 for one decimal place). The percentages of k options can
therefore add up to anything within k x 0.05 of 100 (0.1 for Yes/No, 0.55 for a 0-10 rating) and no
further; each percentage is within 0.05 of its count's share; and the positive options' share is within
half a unit of the score's last place of the score (both come from the same counts).
"""
from __future__ import annotations

import dataclasses

import numpy as np
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


@dataclasses.dataclass(frozen=True)
class Keys:
    """Each frequency row's question, place and group as a number (rows of one key share it; numbered in order of
    first appearance), and the position of the scores row of that key (-1: none; the first, were there two).
    Worked out once from the four text columns, for every check; the keys are never missing (mapped and checked
    before)."""
    group: np.ndarray
    score: np.ndarray


def keys_of(frame: pd.DataFrame, scores: pd.DataFrame) -> Keys:
    """Frequency rows and the release's scores in, each row's Keys out: each key column factorized once over both
    tables (as object arrays, cheaper than the str dtype's own), the codes combined into one integer."""
    combined, span = np.zeros(len(frame) + len(scores), dtype=np.int64), 1
    for column in RESULT_KEY:
        codes, uniques = pd.factorize(np.concatenate([frame[column].to_numpy(dtype=object),
                                                      scores[column].to_numpy(dtype=object)]))
        size = len(uniques) + 1     # a missing value (-1) its own code
        if span > np.iinfo(np.int64).max // size:     # renumber the keys so far densely first
            combined, uniques_so_far = pd.factorize(combined)
            span = len(uniques_so_far)
        combined, span = combined * size + np.where(codes < 0, len(uniques), codes), span * size
    group = pd.factorize(combined[:len(frame)])[0]
    return Keys(group=group, score=first_positions(combined[len(frame):], combined[:len(frame)]))


def first_positions(among: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """For each value wanted, the position of its first occurrence among (-1 if none)."""
    index = pd.Index(among)
    if index.is_unique:
        return index.get_indexer(wanted)
    first = ~index.duplicated(keep="first")
    found = pd.Index(among[first]).get_indexer(wanted)
    return np.where(found < 0, -1, np.flatnonzero(first)[found])


@dataclasses.dataclass(frozen=True)
class Complete:
    """The rows of keys whose every option has a count and a percentage (publisher-withheld keys are skipped), each
    one's key as a group number, and the position of its key's scores row."""
    rows: pd.DataFrame
    key: pd.Series
    score: np.ndarray


def complete_keys(frame: pd.DataFrame, keys: Keys) -> Complete:
    missing = (frame["n_respondents"].isna() | frame["percent"].isna()).to_numpy(dtype=bool)
    complete = ~(np.bincount(keys.group, weights=missing, minlength=1) > 0)[keys.group]
    rows = frame[complete]
    return Complete(rows, pd.Series(keys.group[complete], index=rows.index), keys.score[complete])


def check_frequency_rows(frame: pd.DataFrame, release, keys: Keys) -> None:
    """Counts not negative, percentages 0-100, one row per key and option."""
    bad = ((frame["n_respondents"] < 0) | (frame["percent"] < 0) | (frame["percent"] > 100)).fillna(False)
    if bad.any():
        row = frame[bad].iloc[0]
        column = "n_respondents" if pd.notna(row["n_respondents"]) and row["n_respondents"] < 0 else "percent"
        raise ValueOutOfRange(f"{column} is {row[column]} for {row['option_label']!r}, {describe(row)}; a count "
                              "cannot be negative and a percentage is 0 to 100.", **where(frame[bad], release, column),
                              fix=FIX)
    options, distinct = pd.factorize(frame["option_id"].to_numpy(dtype=object))
    option = np.where(options < 0, len(distinct), options)       # a missing option is one value, as duplicated has it
    dupes = pd.Index(keys.group.astype(np.int64) * (len(distinct) + 1) + option).duplicated(keep=False)
    if dupes.any():
        first = frame[dupes].iloc[0]
        same = frame[dupes & (frame[RESULT_KEY + ["option_id"]] == first[RESULT_KEY + ["option_id"]]).all(axis=1)]
        raise DuplicateRow(f"{first['option_label']!r} for {describe(first)} appears {len(same)} times, in "
                           f"{rows_in(same)}.", **where(frame[dupes], release, "option_label"),
                           fix="Remove the duplicate rows, or check the options' publisher_labels in "
                               "build_data/metadata/questions.yml do not map two labels to one option.")


def check_keys(frame: pd.DataFrame, release, keys: Keys) -> None:
    """Every question, place and group with frequencies has a row in the release's scores file."""
    orphan = keys.score < 0
    if orphan.any():
        row = frame[orphan].iloc[0]
        raise FrequencyWithoutScore(f"{describe(row)} has response frequencies but no row in the scores file.",
                                    **where(frame[orphan], release, "publisher_code"),
                                    fix="Check the frequencies file belongs to this release (files in "
                                        "build_data/metadata/releases.yml) and that the scores file is complete.")


def check_percent_sums(complete: Complete, release) -> None:
    """The percentages of each question, place and group add up to 100 within rounding."""
    rows, key = complete.rows, complete.key
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


def check_count_sums(complete: Complete, scores: pd.DataFrame, release) -> None:
    """The counts of each question, place and group add up to its respondents in the scores file."""
    rows, key = complete.rows, complete.key
    total = rows["n_respondents"].groupby(key, sort=False).transform("sum")
    n = scores["n_respondents"].take(complete.score).reset_index(drop=True)   # check_keys found every key's row
    bad = (total.to_numpy() != n.to_numpy()) & n.notna().to_numpy()
    if bad.any():
        first, i = rows[bad].iloc[0], int(bad.argmax())
        raise FrequencyCountSumWrong(
            f"The counts for {describe(first)} ({rows_in(key_rows(rows, first))}) add up to {total.iloc[i]}, but "
            f"the scores file gives {n.iloc[i]} respondents.", **where(rows[bad], release, "n_respondents"), fix=FIX)


def check_option_percents(complete: Complete, release) -> None:
    """Each option's percentage is its count as a share of the question's respondents, within rounding."""
    rows, key = complete.rows, complete.key
    n = rows["n_respondents"].groupby(key, sort=False).transform("sum")
    share = 100 * rows["n_respondents"].astype("Float64") / n.astype("Float64").replace(0, pd.NA)
    bad = ((share - rows["percent"]).abs() > rounding_allowance(release.layout) + EPSILON).fillna(False)
    if bad.any():
        first = rows[bad].iloc[0]
        raise FrequencyPercentMismatch(
            f"{first['option_label']!r} for {describe(first)} is {first['n_respondents']} of "
            f"{n[bad].iloc[0]} respondents, {share[bad].iloc[0]:.2f}%, but the file says {first['percent']}%.",
            **where(rows[bad], release, "percent"), fix=FIX)


def check_positive_share(complete: Complete, scores: pd.DataFrame, release, score_allowance: float) -> None:
    """The positive options' share of respondents is the published score, within the score's rounding."""
    positive = complete.rows["is_positive"].astype(bool).to_numpy()
    rows, key = complete.rows[positive], complete.key.to_numpy()[positive]
    per_key = pd.DataFrame({"key": key, "score": complete.score[positive],
                            "positive": rows["n_respondents"].to_numpy()}).groupby("key", sort=False)
    joined = per_key.agg(positive=("positive", "sum"), score=("score", "first"))   # keys in order of appearance
    scored = ((scores["measure"] == "percent_positive") & scores["value"].notna()).to_numpy()
    joined = joined[scored[joined["score"].to_numpy()]]
    n, value = (scores[c].take(joined["score"].to_numpy()).reset_index(drop=True) for c in ("n_respondents", "value"))
    share = 100 * joined["positive"].reset_index(drop=True).astype(float) / n.astype(float)
    bad = ((share - value.astype(float)).abs() > score_allowance + EPSILON).to_numpy()
    if bad.any():
        i = int(bad.argmax())
        offending = rows[key == joined.index[i]]
        labels = ", ".join(repr(label.strip()) for label in offending["option_label"])
        raise FrequencyScoreMismatch(
            f"The positive answers ({labels}) for {describe(offending.iloc[0])} are {joined['positive'].iloc[i]} of "
            f"{n.iloc[i]} respondents, {share.iloc[i]:.2f}%, but the scores file gives {value.iloc[i]}%.",
            **where(offending, release, "n_respondents"),
            fix=FIX + " If the positive answers are wrong, correct is_positive in build_data/metadata/questions.yml.")


def check_frequencies(frame: pd.DataFrame, scores: pd.DataFrame, release, score_allowance: float,
                      keys: Keys | None = None) -> None:
    """Every frequency check, cheapest and most specific first, stopping at the first failure. keys: keys_of(frame,
    scores), if already worked out."""
    keys = keys_of(frame, scores) if keys is None else keys
    check_frequency_rows(frame, release, keys)
    check_keys(frame, release, keys)
    complete = complete_keys(frame, keys)   # the rows the sums are checked on, once
    check_percent_sums(complete, release)
    check_count_sums(complete, scores, release)
    check_option_percents(complete, release)
    check_positive_share(complete, scores, release, score_allowance)
