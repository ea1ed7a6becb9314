"""leak_check.solve: the independent attacker, solving every sum with one unknown until nothing changes."""
from __future__ import annotations

from build_data.leak_check import solve


def test_solve_recovers_a_chained_subtraction():
    # England = two alliances; alliance 2 = two trusts. A2 is found first, then T2 from it.
    cells = {"E": 100, "A1": 60, "A2": None, "T1": 15, "T2": None}
    eqs = [("A2", ["T1", "T2"]), ("E", ["A1", "A2"])]      # order must not matter
    assert solve(cells, eqs) == {"A2": 40, "T2": 25}


def test_solve_recovers_a_hidden_total_from_its_parts():
    assert solve({"total": None, "a": 3, "b": 4}, [("total", ["a", "b"])]) == {"total": 7}


def test_solve_cannot_recover_two_unknowns_in_one_sum():
    assert solve({"E": 100, "A1": None, "A2": None}, [("E", ["A1", "A2"])]) == {}


def test_solve_treats_unpublished_parts_as_absent():
    # Conservative on purpose: a part with no published row is taken as no people, so the
    # checker reports more as recoverable, never less.
    assert solve({"E": 100, "A1": None}, [("E", ["A1", "A_missing"])]) == {"A1": 100}


def test_a_withheld_score_worked_out_from_its_answers_is_a_leak(tmp_path):
    """The publisher withheld T's score ([x]) but its answers are shown: 15 of 20 said Yes."""
    from types import SimpleNamespace

    import pandas as pd

    from build_data.leak_check import frequency_leaks
    data = tmp_path / "data"
    data.mkdir()
    key = "release_id,survey_year,geography_code,cohort_id,question_id"
    (data / "experience_results.csv").write_text(f"{key},measure,n_respondents,value\n"
                                                 "r,2024,T,all,q,percent_positive,20,[x]\n", encoding="utf-8")
    (data / "response_options.csv").write_text("question_id,option_id,is_positive,rating\nq,yes,true,[z]\nq,no,false,[z]\n",
                                               encoding="utf-8")
    frequencies = f"{key},option_id,n_respondents,percent\nr,2024,T,all,q,yes,15,75.0\nr,2024,T,all,q,no,{{no}},25.0\n"
    config = SimpleNamespace(cohorts={"all": {}}, geographies=pd.DataFrame(
        [{"geography_code": "T", "parent_code": "", "valid_from": "2020", "valid_to": ""}]))
    (data / "response_frequencies.csv").write_text(frequencies.format(no=5), encoding="utf-8")
    assert any("its score can be worked out" in leak for leak in frequency_leaks(tmp_path, config))
    (data / "response_frequencies.csv").write_text(frequencies.replace("15,75.0", "[c],[c]").format(no="[c]"),
                                                   encoding="utf-8")
    assert not any("its score" in leak for leak in frequency_leaks(tmp_path, config))
