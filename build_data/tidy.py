"""Extracted CPES rows in, tidy experience_results out: stable ids, 0-100 scale, intervals, status."""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import stats
from .errors import (CohortPartsExceedWhole, DuplicateRow, GeographyOutsideValidYears, PercentScaleAmbiguous, SourceUnreadable,
                     UnknownCohortLabel, UnknownGeography, UnmappedQuestionCode, ValueOutOfRange)
from .readers.cells import match_labels
from .readers.tables import SOURCE_ROW, our_headings

RESULT_KEY = ["release_id", "geography_code", "cohort_id", "question_id"]
EXPERIENCE_COLUMNS = ["release_id", "survey_year", "geography_code", "cohort_id", "question_id", "measure",
                      "n_respondents", "value", "ci_lower", "ci_upper", "ci_method", "status", "is_illustrative"]


VALUE_SOURCES = {"percent_positive": ("score", "percent"), "mean_0_10": ("score", "mean")}


def heading_of(release, column: str, row=None) -> str:
    """Our column name in, 'Publisher heading (our name)' out, so a message names what a person sees."""
    theirs = our_headings(release.layout)
    if column == "value" and row is not None and row.get("measure") in VALUE_SOURCES:
        column = next((c for c in VALUE_SOURCES[row["measure"]] if c in theirs), column)
    return f"{theirs[column]} ({column})" if column in theirs and theirs[column] != column else column


def where(rows: pd.DataFrame, release, column: str) -> dict:
    """Offending rows in, the error's file/sheet/row/column of the first one out."""
    first = rows.iloc[0]
    paths = {f.relative: f.path for f in release.files}
    return dict(file=paths.get(first["_source_file"], first["_source_file"]),
                sheet=release.layout.sheet, row=int(first[SOURCE_ROW]),
                column=heading_of(release, column, first))


def map_questions(extracted: pd.DataFrame, release, config) -> pd.Series:
    """Extracted rows in, stable question ids out (via crosswalk.csv); unmapped codes are an error."""
    mapped = {row.publisher_code: row.question_id for row in config.registry.crosswalk if row.release_id == release.id}
    ids = extracted["publisher_code"].map(mapped)
    if ids.isna().any():
        codes = sorted(set(extracted.loc[ids.isna(), "publisher_code"]))
        raise UnmappedQuestionCode(f"Release {release.id} uses {codes}, which have no crosswalk row.",
                                   **where(extracted[ids.isna()], release, "publisher_code"),
                                   fix=f"Add rows for {release.id} to build_data/metadata/crosswalk.csv "
                                       f"(python -m build_data suggest-crosswalk {release.id} proposes them).")
    return ids


def map_cohorts(extracted: pd.DataFrame, release, config) -> pd.Series:
    """Extracted rows in, cohort ids out (via publisher_labels in cohorts.yml); unknown labels are an error."""
    labels = {label: cid for cid, c in config.registry.cohorts.items() for label in c.publisher_labels}
    ids = match_labels(extracted["cohort_label"], labels)
    if ids.isna().any():
        bad = extracted[ids.isna()]
        raise UnknownCohortLabel(f"{bad.iloc[0]['cohort_label']!r} is not a known group.",
                                 **where(bad, release, "cohort_label"),
                                 fix="Add the label to publisher_labels in build_data/metadata/cohorts.yml.")
    return ids


def check_levels(extracted: pd.DataFrame, release) -> pd.Series:
    """Extracted rows in, each row's geography_type (from the layout's levels) out."""
    level_type = extracted["level"].map(release.layout.levels)
    if level_type.isna().any():
        bad = extracted[level_type.isna()]
        raise SourceUnreadable(f"Level {bad.iloc[0]['level']!r} is not in the layout's levels.",
                               **where(bad, release, "level"), fix="Add the level to the layout in layouts.yml.")
    return level_type


def check_valid_years(extracted: pd.DataFrame, info: pd.DataFrame, release, year_column: str) -> None:
    """Every code is used only in years between its valid_from and valid_to in geographies.csv."""
    year = extracted[year_column].astype(int).to_numpy()
    valid_to = info["valid_to"].fillna(9999).astype(int).to_numpy()
    ok = (info["valid_from"].astype(int).to_numpy() <= year) & (year <= valid_to)
    if not ok.all():
        bad, first = extracted[~ok], info[~ok].iloc[0]
        raise GeographyOutsideValidYears(
            f"Code {bad.iloc[0]['geography_code']!r} is used for {bad.iloc[0][year_column]}, but geographies.csv "
            f"says it is valid from {first['valid_from']} to {'now' if pd.isna(first['valid_to']) else first['valid_to']}.",
            **where(bad, release, "geography_code"),
            fix="If the organisation merged or changed code, check the publisher's file; if the dates are wrong, "
                "correct valid_from/valid_to in build_data/metadata/geographies.csv.")


def check_geographies(extracted: pd.DataFrame, release, config, year_column: str) -> None:
    """Every code is in geographies.csv, valid that year, and of the type the row's level says."""
    geo = config.registry.geography_table().set_index("geography_code")
    level_type = check_levels(extracted, release)
    known = extracted["geography_code"].isin(geo.index)
    if not known.all():
        bad = extracted[~known]
        raise UnknownGeography(f"Code {bad.iloc[0]['geography_code']!r} is not in geographies.csv.",
                               **where(bad, release, "geography_code"),
                               fix="Add the code to build_data/metadata/geographies.csv.")
    info = geo.loc[extracted["geography_code"]]
    check_valid_years(extracted, info, release, year_column)
    same_type = info["geography_type"].to_numpy() == level_type.to_numpy()
    if not same_type.all():
        bad = extracted[~same_type]
        raise UnknownGeography(f"Code {bad.iloc[0]['geography_code']!r} is a {info[~same_type].iloc[0]['geography_type']} "
                               f"in geographies.csv, but the row's level is {bad.iloc[0]['level']!r}.",
                               **where(bad, release, "level"),
                               fix="Check the row, or geography_type in build_data/metadata/geographies.csv.")


def to_percent_scale(values: pd.Series, rows: pd.DataFrame, release) -> pd.Series:
    """Values on 0-1 or 0-100 in, 0-100 out. Publishers give proportions in some files, percentages in others.

    'auto' goes by the median, not the maximum, so one stray 1.5 in a file of proportions is
    caught as 150% by the range check instead of turning every other value into a tiny percentage.
    """
    scale = release.layout.percent_scale
    present = values.dropna()
    if scale == "auto":
        if present.empty:
            scale = "percent"
        elif set(present.unique()) <= {0.0, 1.0}:
            raise PercentScaleAmbiguous("Every value is 0 or 1.", **where(rows, release, "value"),
                                        fix="Set percent_scale to proportion or percent in layouts.yml.")
        else:
            scale = "proportion" if present.median() <= 1 else "percent"
    return values * 100 if scale == "proportion" else values


def pick_values(extracted: pd.DataFrame, measure: pd.Series, release) -> pd.Series:
    """Extracted rows and each row's measure in, the published value (percent 0-100 or mean) out."""
    if "score" in extracted:
        values = extracted["score"].copy()
    else:
        values = extracted["percent"].where(measure == "percent_positive", extracted["mean"])
    is_pct = measure == "percent_positive"
    values[is_pct] = to_percent_scale(values[is_pct], extracted[is_pct], release)
    return values.round(1)


def check_ranges(frame: pd.DataFrame, release) -> None:
    """Tidy rows in, nothing out: values within 0-100 (or 0-10 for means), counts not negative, no duplicates."""
    top = np.where(frame["measure"] == "percent_positive", 100, 10)
    bad = (frame["value"] < 0) | (frame["value"] > top) | (frame["n_respondents"] < 0)
    if bad.fillna(False).any():
        rows = frame[bad.fillna(False)]
        first = rows.iloc[0]
        col, limits = ("n_respondents", "0 or more") if first["n_respondents"] < 0 else \
            ("value", "0 to 100" if first["measure"] == "percent_positive" else "0 to 10")
        raise ValueOutOfRange(f"{col} is {first[col]} for {first['question_id']} ({first['publisher_code']}, "
                              f"{first['geography_code']}); it must be {limits}.", **where(rows, release, col),
                              fix="Check the publisher's file; a known publisher error is corrected in "
                                  "build_data/metadata/corrections.yml.")
    dupes = frame.duplicated(RESULT_KEY, keep=False)
    if dupes.any():
        rows = frame[dupes]
        same = rows[(rows[RESULT_KEY] == rows.iloc[0][RESULT_KEY]).all(axis=1)]
        raise DuplicateRow(f"{list(rows.iloc[0][RESULT_KEY])} appears {len(same)} times, in rows "
                           f"{', '.join(str(r) for r in same[SOURCE_ROW].head(5))}.",
                           **where(rows, release, "publisher_code"),
                           fix="Remove the duplicate rows, or check the crosswalk maps two codes to one question.")


def check_parts_within_whole(frame: pd.DataFrame, release, wholes: dict,
                             within: tuple = ("geography_code", "question_id")) -> None:
    """Tidy rows in; CohortPartsExceedWhole if, for a place and question (and answer: within), the respondents
    of the cohorts declared as a whole's parts (cohorts.yml) add up to more than the whole's. Fewer is allowed:
    the difference is people who did not state which part they belong to. wholes: cohort id -> its parts."""
    within = list(within)
    for whole, parts in wholes.items():
        of_whole = frame[frame["cohort_id"] == whole].set_index(within)
        of_parts = frame[frame["cohort_id"].isin(parts)]
        if of_whole.empty or of_parts.empty:
            continue
        total = of_parts.groupby(within)["n_respondents"].sum(min_count=1)
        over = (total - of_whole["n_respondents"].reindex(total.index) > 0).fillna(False)
        if over.any():
            key = over[over].index[0]
            key = key if isinstance(key, tuple) else (key,)
            rows = of_whole.loc[[key]].reset_index()
            counts = frame.set_index(within + ["cohort_id"])["n_respondents"]
            each = ", ".join(f"{p} {counts.get((*key, p), 'none')}" for p in parts)
            raise CohortPartsExceedWhole(
                f"In {release.id} ({release.survey_year}), {', '.join(map(str, key))}: the parts of {whole} ({each}) "
                f"add up to {total[key]} respondents, more than the {rows.iloc[0]['n_respondents']} of {whole} "
                "itself. Parts may add up to less (the rest did not state which part), never to more.",
                **where(rows, release, "n_respondents"),
                fix=f"Check `parts` of {whole} in build_data/metadata/cohorts.yml; if they are right, the publisher's "
                    "file is wrong: confirm with the publisher, then add a correction in corrections.yml.")


def add_status(frame: pd.DataFrame, low_reliability_base: int) -> pd.DataFrame:
    """Tidy rows in, the same rows with status (not_available, low_reliability or ok) out."""
    status = np.where(frame["value"].isna(), "not_available",
                      np.where((frame["n_respondents"] < low_reliability_base).fillna(False), "low_reliability", "ok"))
    return frame.assign(status=status)


def tidy_experience(extracted: pd.DataFrame, release, config) -> pd.DataFrame:
    """One release's extracted CPES rows in, its tidy experience_results rows out."""
    frame = extracted.assign(question_id=map_questions(extracted, release, config),
                             cohort_id=map_cohorts(extracted, release, config))
    check_geographies(frame, release, config, "survey_year")
    frame["measure"] = frame["question_id"].map(lambda q: config.registry.questions[q].measure)
    frame["value"] = pick_values(frame, frame["measure"], release)
    check_ranges(frame, release)
    is_pct = (frame["measure"] == "percent_positive").to_numpy()
    lower, upper = stats.wilson_interval(frame["value"].to_numpy(dtype=float, na_value=np.nan) / 100,
                                        frame["n_respondents"].to_numpy(dtype=float, na_value=np.nan))
    frame["ci_lower"] = pd.array(np.where(is_pct, np.round(lower * 100, 1), np.nan), dtype="Float64")
    frame["ci_upper"] = pd.array(np.where(is_pct, np.round(upper * 100, 1), np.nan), dtype="Float64")
    frame["ci_method"] = np.where(is_pct, "wilson", "none")
    check_parts_within_whole(frame, release, {cid: c.parts for cid, c in config.registry.cohorts.items() if c.parts})
    frame["is_illustrative"] = release.is_illustrative
    frame = add_status(frame, config.registry.site.low_reliability_base)
    return frame[EXPERIENCE_COLUMNS]
