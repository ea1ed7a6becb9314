"""frequency_systems.question_systems (every release and question's equations at once, with array joins) against
frequency_equations (one release and question, a loop per hidden cell; tests/frequency_reference.py): on
random published tables, the same equations over the same hidden cells for every (release, year, question),
and so the same cells pinned down."""
from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from build_data.frequency_systems import HIDDEN, PRIME, geography_kids, question_systems
from build_data.leak_check import determined

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from frequency_reference import frequency_equations  # noqa: E402

OPTIONS = {"q_yes": [("yes", "true", ""), ("no", "false", "")],
           "q_ease": [("easy", "true", ""), ("fair", "true", ""), ("hard", "false", ""), ("awful", "false", "")],
           "q_rate": [(f"r{i}", "", str(i)) for i in range(0, 11, 2)]}
COHORTS = {"all": ["first", "second"], "first": ["first_a", "first_b"]}


def geographies(rng: random.Random) -> pd.DataFrame:
    """England, two regions, trusts; a trust that moved region in 2023 (two rows), one that closed, and a
    place in two parents' sums at once (listed under both)."""
    rows = [("E", "", "2020", ""), ("R1", "E", "2020", ""), ("R2", "E", "2020", "")]
    rows += [(f"T{i}", rng.choice(["R1", "R2"]), "2020", "") for i in range(6)]
    rows += [("T6", "R1", "2020", "2022"), ("T6", "R2", "2023", ""), ("T7", "R2", "2020", "2021"),
             ("T8", "R1", "2020", ""), ("T8", "R2", "2020", "")]
    return pd.DataFrame(rows, columns=["geography_code", "parent_code", "valid_from", "valid_to"])


def published(rng: random.Random, places: pd.DataFrame):
    """Random scores, frequencies and options as leak_check reads them (every cell text)."""
    codes = sorted(set(places["geography_code"]))
    cohorts = ["all", "first", "second", "first_a", "first_b", "other"]
    scores, frequencies = [], []
    for release, year in (("r-2022", "2022"), ("r-2023", "2023"), ("s-2023", "2023")):
        for question, options in OPTIONS.items():
            measure = "mean_0_10" if question == "q_rate" else "percent_positive"
            for g in codes:
                for c in cohorts:
                    if rng.random() < 0.15:
                        continue    # no row
                    n = rng.choice(["[c]", "[c]", "[x]", "", "40", "12", "7"])
                    value = rng.choice(["[c]", "[x]", "", "55.5"]) if n not in HIDDEN else n
                    scores.append((release, year, g, c, question, measure, n, value))
                    for option, _, _ in options:
                        if rng.random() < 0.9:
                            frequencies.append((release, year, question, g, c, option,
                                                rng.choice(["[c]", "[c]", "[x]", "", "0", "3", "9"]), "1.0"))
    scores = pd.DataFrame(scores, columns=["release_id", "survey_year", "geography_code", "cohort_id", "question_id",
                                           "measure", "n_respondents", "value"])
    frequencies = pd.DataFrame(frequencies, columns=["release_id", "survey_year", "question_id", "geography_code",
                                                     "cohort_id", "option_id", "n_respondents", "percent"])
    options = pd.DataFrame([(q, o, positive, rating) for q, opts in OPTIONS.items() for o, positive, rating in opts],
                           columns=["question_id", "option_id", "is_positive", "rating"])
    return scores.sample(frac=1, random_state=rng.randrange(1000)), frequencies.sample(frac=1, random_state=1), options


def reference(scores, frequencies, options, places, parts):
    """Per (release, year, question): its hidden cells' texts, equations and pinned-down cells, as frequency_leaks
    worked them out one question at a time before question_systems."""
    out, scores_of = {}, dict(iter(scores.groupby(["release_id", "question_id"])))
    for (release, year, question), group in frequencies.groupby(["release_id", "survey_year", "question_id"]):
        answers = options[options["question_id"] == question]
        question_scores = scores_of[(release, question)]
        is_mean = (question_scores["measure"] == "mean_0_10").any()
        weights = dict(zip(answers["option_id"], answers["rating"].map(lambda r: int(r) if r.isdigit() else 0)
                           if is_mean else (answers["is_positive"] == "true").astype(int)))
        cells, eqs = frequency_equations(question_scores, group, weights, places, int(year), parts,
                                         geography_kids(places, int(year)))
        out[(release, year, question)] = (is_mean, cells, eqs, determined([dict(e) for e in eqs]))
    return out


@pytest.mark.parametrize("seed", range(12))
def test_the_same_equations_and_the_same_cells_pinned_down_as_one_question_at_a_time(seed):
    rng = random.Random(seed)
    places = geographies(rng)
    scores, frequencies, options = published(rng, places)
    expected = reference(scores, frequencies, options, places, COHORTS)
    systems = list(question_systems(scores, frequencies, options, places, COHORTS))
    assert [key for key, *_ in systems] == sorted(expected)
    pinned = 0
    for key, is_mean, size, cell, eqs in systems:
        mean, cells, reference_eqs, reference_found = expected[key]
        assert is_mean == mean
        names = [cell(k) for k in range(size)]
        assert {(layer, g, c): text for layer, g, c, text in names} == cells
        assert Counter(frozenset((names[k][:3], v) for k, v in eq.items()) for eq in eqs) == \
            Counter(frozenset((name, v % PRIME) for name, v in eq.items()) for eq in reference_eqs)
        found = {names[k][:3] for k in determined([dict(e) for e in eqs])}
        assert found == reference_found
        pinned += len(found)
    assert pinned, "no cell was pinned down: the comparison of what is found would test nothing"


def test_an_answer_not_in_response_options_is_refused():
    rng = random.Random(1)
    places = geographies(rng)
    scores, frequencies, options = published(rng, places)
    hidden_answer = frequencies[frequencies["n_respondents"] == "[c]"].index[0]
    frequencies.loc[hidden_answer, "option_id"] = "not_an_option"
    with pytest.raises(KeyError, match="not_an_option"):
        list(question_systems(scores, frequencies, options, places, COHORTS))
