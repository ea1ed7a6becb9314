"""Extracted CPES response frequency rows and the release's tidy scores in, tidy response_frequencies out:
stable question, group and option ids, checked against each other and against the scores, with a status."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import UnknownResponseOption
from .frequency_checks import Keys, check_frequencies, keys_of
from .readers.cells import fold_label
from .tidy import (RESULT_KEY, check_geographies, check_parts_within_whole, map_cohorts, map_questions,
                   to_percent_scale, where)

FREQUENCY_KEY = RESULT_KEY + ["option_id"]
FREQUENCY_COLUMNS = ["release_id", "survey_year", "geography_code", "cohort_id", "question_id", "option_id",
                     "n_respondents", "percent", "status", "is_illustrative"]
QUESTIONS_FILE = "build_data/metadata/questions.yml"


def map_options(frame: pd.DataFrame, release, config) -> pd.Series:
    """Rows with a question_id in, option ids out (label or publisher_labels, ignoring case and spaces): each
    distinct question and label looked up once; the first unknown label (by question, in order of appearance)
    is an error."""
    pairs, questions, labels = distinct_pairs(frame["question_id"], frame["option_label"].astype(str))
    folded = {}
    for question_id in dict.fromkeys(questions):
        options = config.registry.questions[question_id].response_options or ()
        spellings = {label: o.id for o in options for label in (o.label, *o.publisher_labels)}
        folded[question_id] = {fold_label(label): option_id for label, option_id in spellings.items()}  # as match_labels
    found = np.empty(len(questions), dtype=object)
    found[:] = [folded[q].get(fold_label(label), np.nan) for q, label in zip(questions, labels)]
    ids = pd.Series(found[pairs], index=frame.index, dtype=object)
    if ids.isna().any():
        for question_id, rows in frame.groupby("question_id", sort=False):   # the error, as one question at a time
            if ids.loc[rows.index].isna().any():
                raise_unknown_option(rows[ids.loc[rows.index].isna()], question_id, release, config)
    return ids


def raise_unknown_option(bad: pd.DataFrame, question_id: str, release, config) -> None:
    known = [o.label for o in config.registry.questions[question_id].response_options or ()]
    raise UnknownResponseOption(
        f"{bad.iloc[0]['option_label']!r} is not an answer to {question_id} ({bad.iloc[0]['publisher_code']}); "
        f"questions.yml lists {known or 'no response_options'} for it.", **where(bad, release, "option_label"),
        fix=f"If it is a new answer, add it under response_options of {question_id} in {QUESTIONS_FILE}; if "
            "it is another spelling of a listed answer, add it to that option's publisher_labels.")


def distinct_pairs(first: pd.Series, second: pd.Series) -> tuple[np.ndarray, list, list]:
    """Two columns in; each row's pair as a number, and the distinct pairs' values (first, second) out."""
    a, a_values = pd.factorize(first.to_numpy(dtype=object), use_na_sentinel=False)
    b, b_values = pd.factorize(second.to_numpy(dtype=object), use_na_sentinel=False)
    width = max(len(b_values), 1)
    pairs, distinct = pd.factorize(a.astype(np.int64) * width + b)
    return pairs, a_values[distinct // width].tolist(), b_values[distinct % width].tolist()


def is_positive(frame: pd.DataFrame, config) -> pd.Series:
    flags = {(q, o.id): o.is_positive
             for q, spec in config.registry.questions.items() for o in spec.response_options or ()}
    pairs, questions, options = distinct_pairs(frame["question_id"], frame["option_id"])
    looked_up = np.array([flags[k] for k in zip(questions, options)], dtype=bool)
    return pd.Series(looked_up[pairs], index=frame.index, dtype=bool)


def add_status(frame: pd.DataFrame, scores: pd.DataFrame, low_reliability_base: int, keys: Keys) -> pd.DataFrame:
    """Rows in, with status: not_available where the publisher gave no figure, low_reliability where the
    question's respondents (the scores file's n) are fewer than the base, else ok. Disclosure control
    later sets suppressed. keys: the rows' Keys (frequency_checks.keys_of)."""
    n = scores["n_respondents"].take(keys.score).reset_index(drop=True)   # check_keys found every key's row
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
    keys = keys_of(frame, scores)
    check_frequencies(frame, scores, release, score_allowance, keys)
    check_parts_within_whole(frame, release, {cid: c.parts for cid, c in config.registry.cohorts.items() if c.parts},
                             within=("geography_code", "question_id", "option_id"))
    frame["percent"] = frame["percent"].round(1)
    frame["is_illustrative"] = release.is_illustrative
    frame = add_status(frame, scores, config.registry.site.low_reliability_base, keys)
    return frame[FREQUENCY_COLUMNS].reset_index(drop=True)
