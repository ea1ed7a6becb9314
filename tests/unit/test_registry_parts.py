"""cohorts.yml `parts`: the parts of a whole may have fewer respondents than it (the rest did not state
which part), never more; more is CohortPartsExceedWhole naming the file, the row and the cohorts."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from build_data.errors import CohortPartsExceedWhole
from build_data.readers.layout import Layout
from build_data.readers.tables import SOURCE_ROW
from build_data.tidy import check_parts_within_whole

RELEASE = SimpleNamespace(id="cpes-test", survey_year=2024, files=(SimpleNamespace(relative="f.csv", path=Path("/s/f.csv")),),
                          layout=Layout(id="t", reader="cpes_scores", format="csv",
                                        columns={"Respondents": "n_respondents", "Tumour Group": "cohort_label"}))
WHOLES = {"breast": ("breast_primary", "breast_secondary")}


def rows(whole: int, primary, secondary) -> pd.DataFrame:
    return pd.DataFrame({"geography_code": "E92000001", "question_id": "main_contact",
                         "cohort_id": ["breast", "breast_primary", "breast_secondary"],
                         "n_respondents": pd.array([whole, primary, secondary], dtype="Int64"),
                         "_source_file": "f.csv", SOURCE_ROW: [7, 8, 9]})


def test_parts_adding_up_to_less_than_the_whole_are_allowed():
    check_parts_within_whole(rows(100, 60, 30), RELEASE, WHOLES)     # 10 did not say whether it had spread
    check_parts_within_whole(rows(100, 60, 40), RELEASE, WHOLES)
    check_parts_within_whole(rows(100, 60, None), RELEASE, WHOLES)   # a part not published


def test_parts_exceeding_the_whole_are_refused_naming_file_row_and_cohorts():
    with pytest.raises(CohortPartsExceedWhole) as caught:
        check_parts_within_whole(rows(100, 60, 41), RELEASE, WHOLES)
    error = caught.value
    assert error.file == Path("/s/f.csv") and error.row == 7 and error.column == "Respondents (n_respondents)"
    assert "breast_primary 60" in error.detail and "breast_secondary 41" in error.detail and "101" in error.detail
    assert "E92000001" in error.detail and "main_contact" in error.detail and "cohorts.yml" in error.fix


def test_only_the_same_place_and_question_are_compared():
    frame = pd.concat([rows(100, 60, 40), rows(50, 30, 20).assign(geography_code="ZCA01", **{SOURCE_ROW: [10, 11, 12]})])
    check_parts_within_whole(frame, RELEASE, WHOLES)
    frame.loc[frame[SOURCE_ROW] == 12, "n_respondents"] = 21
    with pytest.raises(CohortPartsExceedWhole) as caught:
        check_parts_within_whole(frame, RELEASE, WHOLES)
    assert caught.value.row == 10 and "ZCA01" in caught.value.detail


def test_answers_are_compared_answer_by_answer():
    """Response frequencies: the parts' count of an answer may not exceed the whole's count of that answer."""
    frame = pd.concat([rows(100, 60, 40).assign(option_id="yes"),
                       rows(20, 5, 10).assign(option_id="no", **{SOURCE_ROW: [10, 11, 12]})])
    within = ("geography_code", "question_id", "option_id")
    check_parts_within_whole(frame, RELEASE, WHOLES, within)
    frame.loc[frame[SOURCE_ROW] == 12, "n_respondents"] = 16
    with pytest.raises(CohortPartsExceedWhole) as caught:
        check_parts_within_whole(frame, RELEASE, WHOLES, within)
    assert caught.value.row == 10 and "main_contact, no" in caught.value.detail
