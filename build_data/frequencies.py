"""Extracted CPES response frequency rows and the release's tidy scores in, tidy response_frequencies out:
stable question, group and option ids, checked against each other and against the scores, with a status."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import UnknownResponseOption
from .frequency_checks import check_frequencies
from .readers.cells import match_labels
from .tidy import (RESULT_KEY, check_geographies, check_parts_within_whole, map_cohorts, map_questions,
                   to_percent_scale, where)

FREQUENCY_KEY = RESULT_KEY + ["option_id"]
FREQUENCY_COLUMNS = ["release_id", "survey_year", "geography_code", "cohort_id", "question_id", "option_id",
                     "n_respondents", "percent", "status", "is_illustrative"]
QUESTIONS_FILE = "build_data/metadata/questions.yml"


def map_options(frame: pd.DataFrame, release, config) -> pd.Series:
    """Rows with a question_id in, option ids out (label or publisher_labels, ignoring case and spaces)."""
    ids = pd.Series(np.nan, index=frame.index, dtype=object)
    for question_id, rows in frame.groupby("question_id", sort=False):
        options = config.registry.questions[question_id].response_options or ()
        labels = {label: o.id for o in options for label in (o.label, *o.publisher_labels)}
        ids.loc[rows.index] = match_labels(rows["option_label"], labels)
        if ids.loc[rows.index].isna().any():
            bad = rows[ids.loc[rows.index].isna()]
            known = [o.label for o in options]
            raise UnknownResponseOption(
                f"{bad.iloc[0]['option_label']!r} is not an answer to {question_id} ({bad.iloc[0]['publisher_code']}); "
                f"questions.yml lists {known or 'no response_options'} for it.", **where(bad, release, "option_label"),
                fix=f"If it is a new answer, add it under response_options of {question_id} in {QUESTIONS_FILE}; if "
                    "it is another spelling of a listed answer, add it to that option's publisher_labels.")
    return ids


def is_positive(frame: pd.DataFrame, config) -> pd.Series:
    flags = {(q, o.id): o.is_positive
             for q, spec in config.registry.questions.items() for o in spec.response_options or ()}
    return pd.Series([flags[k] for k in zip(frame["question_id"], frame["option_id"])], index=frame.index, dtype=bool)


def add_status(frame: pd.DataFrame, scores: pd.DataFrame, low_reliability_base: int) -> pd.DataFrame:
    """Rows in, with status: not_available where the publisher gave no figure, low_reliability where the
    question's respondents (the scores file's n) are fewer than the base, else ok. Disclosure control
    later sets suppressed."""
    n = frame[RESULT_KEY].merge(scores[RESULT_KEY + ["n_respondents"]], on=RESULT_KEY, how="left")["n_respondents"]
    missing = (frame["n_respondents"].isna() | frame["percent"].isna()).to_numpy()
    low = (n < low_reliability_base).fillna(False).to_numpy()
    return frame.assign(status=np.where(missing, "not_available", np.where(low, "low_reliability", "ok")))


def tidy_frequencies(extracted: pd.DataFrame, release, scores: pd.DataFrame, config,
                     score_allowance: float) -> pd.DataFrame:
    """One release's extracted frequency rows and its tidy scores in, its tidy response_frequencies out."""
    frame = extracted.assign(question_id=map_questions(extracted, release, config),
                             cohort_id=map_cohorts(extracted, release, config))
    check_geographies(frame, release, config, "survey_year")
    frame["option_id"] = map_options(frame, release, config)
    frame["is_positive"] = is_positive(frame, config)
    frame["percent"] = to_percent_scale(frame["percent"], frame, release)
    check_frequencies(frame, scores, release, score_allowance)
    check_parts_within_whole(frame, release, {cid: c.parts for cid, c in config.registry.cohorts.items() if c.parts},
                             within=("geography_code", "question_id", "option_id"))
    frame["percent"] = frame["percent"].round(1)
    frame["is_illustrative"] = release.is_illustrative
    frame = add_status(frame, scores, config.registry.site.low_reliability_base)
    return frame[FREQUENCY_COLUMNS].reset_index(drop=True)
