"""checks.check_frequency_disclosure looks each frequency row's score up by codes, not by a merge: it must raise
exactly what the merge-based check (the reference below, as checks.py wrote it before) raises, on the same rows."""
from __future__ import annotations

import random
import types

import numpy as np
import pandas as pd
import pytest

from build_data.checks import check_frequency_disclosure, implied_by_score, matching_rows
from build_data.errors import SuppressionLeak

KEY = ["release_id", "geography_code", "cohort_id", "question_id"]


def reference_check(tables: dict, config) -> None:
    freq, scores = tables.get("response_frequencies"), tables["experience_results"]
    if freq is None or freq.empty:
        return
    rows = freq.merge(scores[KEY + ["status", "value"]].rename(columns={"status": "score_status"}), on=KEY, how="left")
    shown = rows["status"] != "suppressed"
    limit = rows["release_id"].map({r.id: r.suppression_threshold for r in config.releases})
    protected = rows["release_id"].map({r.id: r.policy.protect_answer_counts for r in config.releases}).astype(bool)
    lenient = {r.id for r in config.releases if not r.policy.protect_implied_counts}
    alone = {(qid, o["id"]) for qid, q in config.questions.items() if q.get("measure") == "percent_positive"
             for flag in (True, False)
             for group in [[o["id"] for o in q["response_options"] if bool(o.get("is_positive")) == flag]]
             if len(group) == 1 for o in q["response_options"] if o["id"] == group[0]}
    is_alone = pd.Series([(q, o) in alone for q, o in zip(rows["question_id"], rows["option_id"])], index=rows.index)
    implied = is_alone & rows["release_id"].isin(lenient) & rows["value"].notna()
    small = shown & protected & ~implied & ((rows["n_respondents"] > 0) & (rows["n_respondents"] < limit)).fillna(False)
    for what, bad in {"a suppressed scores row": shown & (rows["score_status"] == "suppressed"),
                      "a count below the threshold": small}.items():
        if bad.any():
            row = rows[bad].iloc[0]
            raise SuppressionLeak(f"response_frequencies publishes {row['n_respondents']} for {row['option_id']} "
                                  f"({row['release_id']}, {row['question_id']}, {row['geography_code']}, "
                                  f"{row['cohort_id']}): {what}.",
                                  fix="This is a bug in build_data/frequency_disclosure.py: report it; do not publish.")


def release(rid, threshold, answers, implied):
    return types.SimpleNamespace(id=rid, suppression_threshold=threshold, policy=types.SimpleNamespace(
        protect_answer_counts=answers, protect_implied_counts=implied))


CONFIG = types.SimpleNamespace(
    releases=[release("r1", 5, True, False), release("r2", 10, True, True), release("r3", 5, False, False)],
    questions={
        "q1": {"measure": "percent_positive", "response_options": [{"id": "yes", "is_positive": True},
                                                                    {"id": "no", "is_positive": False}]},
        "q2": {"measure": "percent_positive", "response_options": [{"id": "a", "is_positive": True},
                                                                    {"id": "b", "is_positive": True},
                                                                    {"id": "no", "is_positive": False}]},
        "q3": {"measure": "mean_0_10", "response_options": [{"id": "yes"}, {"id": "no"}]},
    })
OPTIONS = {"q1": ["yes", "no"], "q2": ["a", "b", "no"], "q3": ["yes", "no"]}


def random_tables(rng: random.Random, leak_rate: float, suppressed_scores: bool = True) -> dict:
    scores, freq = [], []
    for rid in ("r1", "r2", "r3"):
        for geo in ("E1", "E2", "E3"):
            for cohort in ("all", "women"):
                for qid, options in OPTIONS.items():
                    status = rng.choice(["ok", "ok", "ok", "suppressed" if suppressed_scores else "ok"])
                    scores.append((rid, geo, cohort, qid, status, None if status == "suppressed" else 50.0))
                    for option in options:
                        leak = rng.random() < leak_rate
                        n = rng.choice([0, 2, 7, 30, None]) if leak else rng.choice([0, 30, None])
                        shown = "ok" if (leak or status != "suppressed") else "suppressed"
                        freq.append((rid, geo, cohort, qid, option, n, shown))
    freq.append(("r1", "E9", "all", "q1", "yes", rng.choice([3, 30]), "ok"))     # no scores row
    scores = pd.DataFrame(scores, columns=KEY + ["status", "value"]).astype({"value": "Float64"})
    freq = pd.DataFrame(freq, columns=KEY + ["option_id", "n_respondents", "status"]).astype({"n_respondents": "Int64"})
    order = rng.sample(range(len(freq)), len(freq))
    return {"experience_results": scores, "response_frequencies": freq.iloc[order]}


def outcome(check, tables) -> str | None:
    try:
        check(tables, CONFIG)
    except SuppressionLeak as error:
        return str(error)
    return None


@pytest.mark.parametrize("seed", range(40))
def test_check_frequency_disclosure_raises_what_the_merge_based_check_raises(seed):
    rng = random.Random(seed)
    tables = random_tables(rng, leak_rate=[0.0, 0.01, 0.05, 0.3][seed % 4], suppressed_scores=seed % 8 < 4)
    assert outcome(check_frequency_disclosure, tables) == outcome(reference_check, tables)


def test_check_frequency_disclosure_names_the_first_leaking_row():
    tables = random_tables(random.Random(1), leak_rate=0.0)
    freq = tables["response_frequencies"]
    freq = freq[freq["geography_code"] != "E9"].reset_index(drop=True)     # the row without scores may leak
    assert outcome(check_frequency_disclosure, {**tables, "response_frequencies": freq}) is None
    shown = (freq["release_id"] == "r2") & (freq["question_id"] == "q2") & (freq["option_id"] == "b")
    freq.loc[shown.idxmax(), ["n_respondents", "status"]] = [3, "ok"]
    row = freq.loc[shown.idxmax()]
    tables["response_frequencies"] = freq
    message = outcome(check_frequency_disclosure, tables)
    assert message == outcome(reference_check, tables)
    assert f"publishes 3 for b (r2, q2, {row['geography_code']}, {row['cohort_id']})" in message


def test_a_scores_table_not_unique_on_its_key_is_looked_up_as_a_merge_would():
    tables = random_tables(random.Random(2), leak_rate=0.05)
    scores = tables["experience_results"]
    tables["experience_results"] = pd.concat([scores, scores.iloc[:5].assign(status="suppressed")], ignore_index=True)
    assert matching_rows(tables["response_frequencies"], tables["experience_results"], KEY) is None
    assert outcome(check_frequency_disclosure, tables) == outcome(reference_check, tables)


def test_matching_rows_finds_each_rows_match_or_none():
    left = pd.DataFrame({"a": ["x", "y", None, "z"], "b": [1, 2, 3, 1]})
    right = pd.DataFrame({"a": ["y", "x", None], "b": [2, 1, 3]})
    assert matching_rows(left, right, ["a", "b"]).tolist() == [1, 0, 2, -1]


def test_implied_by_score_marks_the_only_answer_of_its_side():
    rows = pd.DataFrame({"question_id": ["q1", "q1", "q2", "q2", "q2", "q3"],
                         "option_id": ["yes", "no", "a", "b", "no", "yes"]})
    assert implied_by_score(rows, CONFIG).tolist() == [True, True, False, False, True, False]
