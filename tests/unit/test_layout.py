"""readers.layout: layouts.yml in, typed frozen Layouts out; each schema rule refuses a bad example with the
file, the layout, the key and (for a typo) the nearest valid key."""
from __future__ import annotations

from pathlib import Path

import pydantic
import pytest

from build_data.errors import MetadataInvalid
from build_data.readers.layout import Layout, load_layouts

REPO_LAYOUTS = Path(__file__).resolve().parents[2] / "build_data/metadata/layouts.yml"
GOOD = """\
national:
  reader: cpes_scores
  format: csv
  columns: {Question: publisher_code, Wording: question_text, Group: cohort_label, Respondents: n_respondents,
            Score: score}
  constants: {level: National, geography_code: E92000001, geography_name: England}
"""


def load(tmp_path, text: str):
    path = tmp_path / "layouts.yml"
    path.write_text(text, encoding="utf-8")
    return load_layouts(path)


def refused(tmp_path, text: str) -> str:
    with pytest.raises(MetadataInvalid) as caught:
        load(tmp_path, text)
    return caught.value.message()


def test_load_layouts_repository_file_is_valid_and_typed():
    layouts = load_layouts(REPO_LAYOUTS)
    assert layouts["cpes_xlsx_2021"].sheet == "Scores by organisation"
    assert layouts["cpes_xlsx_2021"].header_row == 5
    assert layouts["cpes_csv_2023"].levels["Trust"] == "trust"
    assert all(layout.id == lid and layout.survey for lid, layout in layouts.items())


def test_layout_is_frozen(tmp_path):
    layout = load(tmp_path, GOOD)["national"]
    with pytest.raises(pydantic.ValidationError):
        layout.reader = "other"


def test_load_layouts_unknown_key_names_file_layout_key_and_nearest(tmp_path):
    message = refused(tmp_path, GOOD + "  header_rows: 3\n")
    assert "layouts.yml" in message and "'national'" in message and "header_rows" in message
    assert "Did you mean `header_row`?" in message


def test_load_layouts_unknown_key_inside_cohort_from_suggests_its_own_keys(tmp_path):
    message = refused(tmp_path, GOOD + "  cohort_from:\n    columns: [A, B]\n    mapp: {}\n")
    assert "cohort_from.mapp" in message and "Did you mean `map`?" in message


def test_load_layouts_wrong_value_names_key_and_value(tmp_path):
    message = refused(tmp_path, GOOD + "  percent_scale: percentage\n")
    assert "percent_scale" in message and "'percentage'" in message


def test_load_layouts_missing_required_key(tmp_path):
    assert "reader" in refused(tmp_path, "national:\n  format: csv\n  columns: {}\n")


def test_load_layouts_workbook_needs_a_sheet(tmp_path):
    assert "sheet" in refused(tmp_path, GOOD.replace("format: csv", "format: xlsx"))


def test_load_layouts_positions_count_from_one(tmp_path):
    assert "header_row" in refused(tmp_path, GOOD + "  header_row: 0\n")
    assert "auto" in refused(tmp_path, GOOD + "  header_row: automatic\n")


def test_load_layouts_cohort_from_map_keys_have_a_part_per_column(tmp_path):
    message = refused(tmp_path, GOOD + "  cohort_from:\n    columns: [A, B]\n    map: {\"Breast\": Breast}\n")
    assert "cohort_from.map" in message and "one part per column" in message


def test_load_layouts_wide_heading_needs_value_and_a_key(tmp_path):
    message = refused(tmp_path, GOOD + "  wide:\n    heading: '{cohort_label} respondents'\n    values: {x: n}\n")
    assert "wide.heading" in message


def test_load_layouts_not_a_mapping(tmp_path):
    assert "national" in refused(tmp_path, "national: [reader, format]\n")
    assert "each layout id" in refused(tmp_path, "- national\n")


def test_layout_missing_symbols_default_and_declared():
    layout = Layout(id="x", reader="r", format="csv", columns={})
    assert layout.missing_symbols == {"", "*", "-", "..", "n/a", "N/A"}
    declared = layout.model_copy(update={"suppressed_symbols": ("c ",), "not_applicable_symbols": ("z",)})
    assert declared.missing_symbols == {"", "c", "z"}


def test_layout_supplied_columns_count_constants_cohort_and_wide(tmp_path):
    layout = load(tmp_path, GOOD + "  cohort_from:\n    columns: [A, B]\n"
                                   "    map: {'x|y': Breast}\n  wide:\n    heading: '{survey_year_stated}: {value}'\n"
                                   "    values: {n: n_respondents}\n")["national"]
    assert layout.supplied_columns == {"publisher_code", "question_text", "cohort_label", "n_respondents", "score",
                                       "level", "geography_code", "geography_name", "survey_year_stated"}


def test_load_layouts_reader_typo_suggests_the_reader(tmp_path):
    message = refused(tmp_path, GOOD.replace("reader: cpes_scores", "reader: cpes_score"))
    assert "'cpes_score'" in message and "Did you mean `cpes_scores`?" in message


def test_load_layouts_reader_columns_must_be_supplied(tmp_path):
    message = refused(tmp_path, GOOD.replace("geography_code: E92000001, ", "").replace("Score: score", "X: x"))
    assert "does not supply ['geography_code', 'score or percent or mean']" in message and "constants" in message


def test_load_layouts_exclude_codes_needs_a_publisher_code(tmp_path):
    message = refused(tmp_path, GOOD.replace("reader: cpes_scores", "reader: published_figures")
                      .replace("Question: publisher_code, ", "").replace("Score: score", "Score: value, Id: figure_id")
                      + "  exclude_codes: [Q1]\n")
    assert "exclude_codes" in message and "publisher_code" in message
