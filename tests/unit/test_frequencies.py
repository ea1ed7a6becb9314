"""frequencies: option ids from publisher labels, the checks that tie a question's answers together and to its
score, and a release split into parts by file layout."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from build_data.disclosure_policy import DisclosurePolicy
from build_data.errors import (FrequencyCountSumWrong, FrequencyPercentMismatch, FrequencyPercentSumWrong,
                               FrequencyScoreMismatch, FrequencyWithoutScore, UnknownResponseOption)
from build_data.frequencies import map_options
from build_data.frequency_checks import check_frequencies, rounding_allowance
from build_data.metadata import Release, SourceFile
from build_data.readers.layout import Layout
from build_data.readers.tables import SOURCE_ROW
from build_data.registry.vocabulary import ResponseOption

LAYOUT = Layout(id="test", reader="cpes_frequencies", format="csv", percent_decimals=1,
                columns={"Question No.": "publisher_code", "Response Option": "option_label", "Count": "n_respondents",
                         "Percentage (%)": "percent"})
RELEASE = SimpleNamespace(id="cpes-test", layout=LAYOUT, files=(SimpleNamespace(relative="f.csv", path=Path("f.csv")),))
KEY = {"release_id": "cpes-test", "geography_code": "ZZT001", "cohort_id": "breast", "question_id": "contact_ease"}
CONTACT_EASE = [("Very easy", True), ("Quite easy", True), ("Quite difficult", False), ("Very difficult", False)]


def answers(counts: list, percents: list, options=CONTACT_EASE) -> pd.DataFrame:
    """One question, place and group's frequency rows as tidy_frequencies checks them (file rows 2, 3, ...)."""
    return pd.DataFrame({**KEY, "publisher_code": "Q22", "cohort_label": "Breast",
                         "option_label": [label for label, _ in options],
                         "option_id": [label.lower().replace(" ", "_") for label, _ in options],
                         "is_positive": [positive for _, positive in options],
                         "n_respondents": pd.array(counts, dtype="Int64"), "percent": pd.array(percents, dtype="Float64"),
                         SOURCE_ROW: range(2, 2 + len(options)), "_source_file": "f.csv"})


def scores(n: int, value: float | None, measure: str = "percent_positive") -> pd.DataFrame:
    return pd.DataFrame({**{k: [v] for k, v in KEY.items()}, "n_respondents": pd.array([n], dtype="Int64"),
                         "value": pd.array([value], dtype="Float64"), "measure": [measure]})


def check(counts, percents, n=100, value=80.0, options=CONTACT_EASE):
    check_frequencies(answers(counts, percents, options), scores(n, value), RELEASE, rounding_allowance(LAYOUT))


def test_rounding_allowance_is_half_a_unit_in_the_last_place():
    assert rounding_allowance(LAYOUT) == 0.05
    assert rounding_allowance(LAYOUT.model_copy(update={"percent_decimals": 0})) == 0.5
    assert rounding_allowance(Layout(id="x", reader="r", format="csv", columns={})) == 0.05


def test_check_frequencies_accepts_consistent_answers():
    check([50, 30, 15, 5], [50.0, 30.0, 15.0, 5.0])


def test_check_frequencies_accepts_percentages_off_100_by_rounding_alone():
    """Eleven ratings of 1 person each are 9.1% apiece: 100.1 in all, within 11 x 0.05 of 100."""
    ratings = [(str(i), False) for i in range(11)]
    check_frequencies(answers([1] * 11, [9.1] * 11, ratings), scores(11, 5.0, "mean_0_10"), RELEASE, 0.05)


def test_percentages_not_summing_to_100_name_the_file_row_and_column():
    with pytest.raises(FrequencyPercentSumWrong) as caught:
        check([50, 30, 15, 5], [50.0, 30.0, 15.0, 5.3])
    error = caught.value
    assert (str(error.file), error.row, error.column) == ("f.csv", 2, "Percentage (%) (percent)")
    assert "add up to 100.30" in error.detail and "at most 0.20 from 100" in error.detail
    assert "rows 2, 3, 4, 5" in error.detail and "corrections.yml" in error.fix


def test_counts_not_adding_up_to_the_scores_respondents():
    with pytest.raises(FrequencyCountSumWrong, match="add up to 101, but the scores file gives 100"):
        check([50, 30, 15, 6], [49.5, 29.7, 14.9, 5.9])


def test_percentage_not_matching_its_count():
    with pytest.raises(FrequencyPercentMismatch, match="'Quite difficult'.* is 15 of 100 respondents, 15.00%"):
        check([50, 30, 15, 5], [50.0, 30.0, 14.8, 5.2])


def test_positive_answers_not_matching_the_score():
    with pytest.raises(FrequencyScoreMismatch, match=r"'Very easy', 'Quite easy'.* are 80 of 100 .* gives 79.8%"):
        check([50, 30, 15, 5], [50.0, 30.0, 15.0, 5.0], value=79.8)


def test_withheld_answers_are_not_checked():
    check([pd.NA] * 4, [pd.NA] * 4, value=None)


def test_frequencies_for_a_key_the_scores_lack():
    with pytest.raises(FrequencyWithoutScore, match="no row in the scores file"):
        check_frequencies(answers([50, 30, 15, 5], [50.0, 30.0, 15.0, 5.0]),
                          scores(100, 80.0).assign(cohort_id="all_cancers"), RELEASE, 0.05)


QUESTIONS = {"main_contact": SimpleNamespace(measure="percent_positive", response_options=(
    ResponseOption(id="yes", label="Yes", is_positive=True),
    ResponseOption(id="no", label="No", publisher_labels=("No, not at all",))))}
CONFIG = SimpleNamespace(registry=SimpleNamespace(questions=QUESTIONS))


def test_map_options_ignores_case_and_spaces_and_knows_other_spellings():
    frame = pd.DataFrame({"question_id": "main_contact", "publisher_code": "Q20",
                          "option_label": [" YES ", "no", "No,  not at all"], SOURCE_ROW: [2, 3, 4],
                          "_source_file": "f.csv"})
    assert map_options(frame, RELEASE, CONFIG).tolist() == ["yes", "no", "no"]


def test_map_options_unknown_answer_names_the_metadata_file():
    frame = pd.DataFrame({"question_id": "main_contact", "publisher_code": "Q20", "option_label": ["Yes", "Maybe"],
                          SOURCE_ROW: [2, 3], "_source_file": "f.csv"})
    with pytest.raises(UnknownResponseOption) as caught:
        map_options(frame, RELEASE, CONFIG)
    assert caught.value.row == 3 and caught.value.column == "Response Option (option_label)"
    assert "'Maybe'" in caught.value.detail and "build_data/metadata/questions.yml" in caught.value.fix


def test_release_parts_split_files_by_layout_in_file_order():
    layouts = {"scores": Layout(id="scores", reader="cpes_scores", format="csv", columns={}),
               "freq": Layout(id="freq", reader="cpes_frequencies", format="csv", columns={})}
    files = (SourceFile(Path("a.csv"), "a.csv", "", "scores", "utf-8-sig"),
             SourceFile(Path("b.csv"), "b.csv", "", "freq", "utf-8"),
             SourceFile(Path("c.csv"), "c.csv", "", "scores", "utf-8-sig"))
    policy = DisclosurePolicy(id="p", min_respondents=10, source="s", protect_answer_counts=True)
    release = Release("r", "cpes", 2024, "t", "p", None, "", "", layouts["scores"], "utf-8-sig", files, policy, True, "")
    parts = release.parts(layouts)
    assert [(p.layout.reader, p.encoding, [f.relative for f in p.files]) for p in parts] == [
        ("cpes_scores", "utf-8-sig", ["a.csv", "c.csv"]), ("cpes_frequencies", "utf-8", ["b.csv"])]
    assert all(p.id == "r" for p in parts)


def test_keys_of_number_keys_as_groupby_does_and_find_each_keys_scores_row():
    from build_data.frequency_checks import keys_of
    frame = pd.concat([answers([1, 2, 3, 4], [10.0, 20.0, 30.0, 40.0]).assign(geography_code=g)
                       for g in ("B2", "A1", "B2", "C3")], ignore_index=True)
    table = pd.concat([scores(10, 50.0).assign(geography_code=g) for g in ("A1", "B2", "A1")], ignore_index=True)
    keys = keys_of(frame, table)
    key = ["release_id", "geography_code", "cohort_id", "question_id"]
    assert keys.group.tolist() == frame.groupby(key, sort=False).ngroup().tolist() == [0] * 4 + [1] * 4 + [0] * 4 + [2] * 4
    assert keys.score.tolist() == [1] * 4 + [0] * 4 + [1] * 4 + [-1] * 4        # A1: its first scores row
