"""The metadata registry: one bad example per schema rule, each refused naming the file, the line and the
key (with the nearest valid key where there is one), on a small copy of build_data/metadata."""
from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from build_data import errors
from build_data.registry import load_registry

REPO = Path(__file__).resolve().parents[2]
METADATA = REPO / "build_data" / "metadata"


@pytest.fixture
def meta(tmp_path) -> Path:
    """A throwaway copy of build_data/metadata."""
    return Path(shutil.copytree(METADATA, tmp_path / "metadata"))


def edit(meta: Path, name: str, old: str, new: str) -> int:
    """Replace the first `old` in a metadata file by `new`; return the (1-based) line it was on."""
    path = meta / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {name}: the example no longer fits the metadata"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


def refused(meta: Path, cls: type) -> errors.BuildError:
    """Load the registry, expecting exactly the error class cls; return the error."""
    with pytest.raises(errors.BuildError) as caught:
        load_registry(meta)
    assert type(caught.value) is cls, caught.value.message()
    assert caught.value.exit_code == 2 and "Fix: " in caught.value.message()
    return caught.value


def test_the_projects_own_metadata_loads_as_typed_frozen_objects():
    registry = load_registry(METADATA)
    question = registry.questions["main_contact"]
    assert question.short_label and question.measure == "percent_positive"
    assert registry.cohorts["breast"].parts == ("breast_primary", "breast_secondary")
    assert all(isinstance(r.is_illustrative, bool) for r in registry.releases)
    assert registry.geographies[0].valid_from == 2019 and registry.geographies[0].valid_to is None
    with pytest.raises(Exception):
        question.short_label = "changed"


UNKNOWN_KEYS = [   # file, text, misspelt, the key it should be
    ("questions.yml", "  short_label: Had a main contact person", "short_lable", "short_label"),
    ("releases.yml", "  licence: OGL-UK-3.0", "license", "licence"),
    ("cohorts.yml", "  publisher_labels: [\"Breast\"]", "publisher_label", "publisher_labels"),
    ("indicators.yml", "  higher_is_better: null", "higher_is_beter", "higher_is_better"),
    ("fields.yml", "  primary_key: [release_id]", "primary_keys", "primary_key"),
    ("figures.yml", "{kind: alliances, question_id: main_contact", "question", "question_id"),
    ("site.yml", "low_reliability_base: 30", "low_reliabilty_base", "low_reliability_base"),
    ("geographies.csv", "valid_from", "valid_form", "valid_from"),
    ("crosswalk.csv", "wording", "wordng", "wording"),
]


@pytest.mark.parametrize("name, text, misspelt, right", UNKNOWN_KEYS, ids=[u[0] for u in UNKNOWN_KEYS])
def test_unknown_key_names_file_line_key_and_the_nearest_valid_key(meta, name, text, misspelt, right):
    line = edit(meta, name, text, text.replace(right, misspelt, 1))
    error = refused(meta, errors.MetadataKeyUnknown)
    message = error.message()
    assert name in str(error.file) and misspelt in message and f"Did you mean `{right}`?" in message
    if name.endswith(".yml"):
        assert error.line == line and f"line {line}" in message
    else:
        assert error.row == 1 and error.column == misspelt


def test_unknown_key_in_a_nested_entry_suggests_from_that_entry(meta):
    line = edit(meta, "questions.yml", '{id: "yes", label: "Yes", is_positive: true}',
                '{id: "yes", label: "Yes", is_postive: true}')
    error = refused(meta, errors.MetadataKeyUnknown)
    assert error.line == line and "Did you mean `is_positive`?" in error.message()
    assert error.key == "response_options.is_postive"


def test_unknown_key_in_corrections(meta):
    with open(meta / "corrections.yml", "a", encoding="utf-8") as f:
        f.write("- release_id: cpes-2023\n  file: cpes-2023/cpes-2023-results-illustrative.csv\n  row: 2\n"
                "  column: Respondents\n  was: '1'\n  value: '2'\n  reson: typo\n")
    error = refused(meta, errors.MetadataKeyUnknown)
    assert "corrections.yml" in str(error.file) and "Did you mean `reason`?" in error.message() and error.line == 39


def test_reader_typo_in_layouts_stops_the_build(meta):
    edit(meta, "layouts.yml", "reader: audit_indicators", "reader: audit_indicator")
    error = refused(meta, errors.ReaderUnknown)
    assert "layouts.yml" in str(error.file) and error.key == "naome_csv_2025.reader"
    assert "'audit_indicator'" in error.message() and "Did you mean `audit_indicators`?" in error.message()


def test_value_left_as_confirm_is_refused(meta):
    line = edit(meta, "releases.yml", "  title: National Cancer Patient Experience Survey 2022 (illustrative data)",
                "  title: CONFIRM title of the release")
    error = refused(meta, errors.MetadataValueUnconfirmed)
    assert "releases.yml" in str(error.file) and error.line == line and error.key == "title"
    assert "CONFIRM title of the release" in error.message()
    load_registry(meta, unconfirmed_ok=True)    # new-release proposes crosswalk rows before a person confirms


def test_confirm_anywhere_is_refused_not_only_in_releases(meta):
    line = edit(meta, "site.yml", 'contact: "The project maintainers', 'contact: "CONFIRM: The project maintainers')
    error = refused(meta, errors.MetadataValueUnconfirmed)
    assert "site.yml" in str(error.file) and error.line == line and error.key == "contact"


def test_year_written_as_text_is_refused(meta):
    line = edit(meta, "releases.yml", "  survey_year: 2022", '  survey_year: "2022"')
    error = refused(meta, errors.MetadataInvalid)
    assert error.key == "survey_year" and error.line == line and "'2022'" in error.message()


def test_year_in_a_csv_that_is_not_a_year_is_refused(meta):
    edit(meta, "geographies.csv", "ZCA01,Brindlecombe Cancer Alliance (illustrative),cancer_alliance,E92000001,2019,",
         "ZCA01,Brindlecombe Cancer Alliance (illustrative),cancer_alliance,E92000001,since 2019,")
    error = refused(meta, errors.MetadataInvalid)
    assert "geographies.csv" in str(error.file) and error.key == "valid_from" and "'since 2019'" in error.message()
    assert error.line == 3


def test_date_that_is_not_a_date_is_refused(meta):
    line = edit(meta, "releases.yml", "  published: 2023-07-13", "  published: July 2023")
    error = refused(meta, errors.MetadataInvalid)
    assert error.key == "published" and error.line == line and "'July 2023'" in error.message()


def test_missing_is_illustrative_is_refused(meta):
    line = edit(meta, "releases.yml", "  is_illustrative: false\n", "")
    error = refused(meta, errors.MetadataKeyMissing)
    assert error.key == "is_illustrative" and "releases.yml" in str(error.file) and "published-figures" in error.message()
    assert error.line < line


def test_unknown_cohort_in_figures_is_a_clear_error(meta):
    line = edit(meta, "figures.yml", "cohort_id: breast_secondary}", "cohort_id: breast_secondry}")
    error = refused(meta, errors.MetadataReferenceBroken)
    assert "figures.yml" in str(error.file) and error.line == line and error.key == "cohort_id"
    assert "'breast_secondry'" in error.message() and "Did you mean `breast_secondary`?" in error.message()


def test_unknown_cohort_in_a_figures_list_is_a_clear_error(meta):
    edit(meta, "figures.yml", "cohorts: [all_cancers, breast_secondary]", "cohorts: [all_cancer, breast_secondary]")
    error = refused(meta, errors.MetadataReferenceBroken)
    assert error.key == "cohorts" and "Did you mean `all_cancers`?" in error.message()


def test_unknown_question_in_figures_is_a_clear_error(meta):
    edit(meta, "figures.yml", "{kind: trend, question_id: recurrence_info,", "{kind: trend, question_id: recurence_info,")
    error = refused(meta, errors.MetadataReferenceBroken)
    assert error.key == "question_id" and "Did you mean `recurrence_info`?" in error.message()


def test_figure_kind_must_be_known(meta):
    edit(meta, "figures.yml", "{kind: trend, question_id: main_contact", "{kind: trends, question_id: main_contact")
    error = refused(meta, errors.MetadataInvalid)
    assert error.key == "kind" and "'trends'" in error.message()


def test_release_naming_a_missing_layout(meta):
    edit(meta, "releases.yml", "  layout: naome_csv_2025", "  layout: naome_csv_2052")
    error = refused(meta, errors.MetadataReferenceBroken)
    assert error.key == "layout" and "Did you mean `naome_csv_2025`?" in error.message()


def test_cohort_part_that_is_not_a_cohort(meta):
    edit(meta, "cohorts.yml", "parts: [breast_primary, breast_secondary]", "parts: [breast_primary, breast_second]")
    error = refused(meta, errors.MetadataReferenceBroken)
    assert "cohorts.yml" in str(error.file) and error.key == "parts" and "breast_second" in error.message()


def test_geography_parent_that_is_not_a_code(meta):
    edit(meta, "geographies.csv", "ZZT001,Korvelley Hospitals Trust (illustrative),trust,ZCA01,",
         "ZZT001,Korvelley Hospitals Trust (illustrative),trust,ZCA1,")
    error = refused(meta, errors.MetadataReferenceBroken)
    assert error.column == "parent_code" and "'ZCA1'" in error.message() and isinstance(error.row, int)


def test_crosswalk_question_that_is_not_in_questions(meta):
    edit(meta, "crosswalk.csv", "cpes-2022,Q59,confidence_trust", "cpes-2022,Q59,confidence_trusts")
    error = refused(meta, errors.UnknownQuestionId)
    assert error.row == 12 and error.column == "question_id" and "Did you mean `confidence_trust`?" in error.message()


def test_crosswalk_release_that_is_not_in_releases(meta):
    edit(meta, "crosswalk.csv", "cpes-2022,Q59,confidence_trust", "cpes-2020,Q59,confidence_trust")
    error = refused(meta, errors.MetadataReferenceBroken)
    assert error.row == 12 and error.column == "release_id"


def test_correction_for_a_file_the_release_does_not_list(meta):
    with open(meta / "corrections.yml", "a", encoding="utf-8") as f:
        f.write("- release_id: cpes-2023\n  file: other.csv\n  row: 2\n  column: Respondents\n"
                "  was: '1'\n  value: '2'\n  reason: typo\n")
    error = refused(meta, errors.MetadataReferenceBroken)
    assert error.column == "file" and "other.csv" in error.message()


def test_two_releases_with_one_id(meta):
    edit(meta, "releases.yml", "- id: cpes-2024", "- id: cpes-2023")
    error = refused(meta, errors.DuplicateReleaseId)
    assert error.row == "entry 4" and error.column == "id"


def test_unquoted_yes_as_an_option_id_says_to_quote_it(meta):
    edit(meta, "questions.yml", '{id: "yes", label: "Yes", is_positive: true}', '{id: yes, label: "Yes", is_positive: true}')
    error = refused(meta, errors.MetadataInvalid)
    assert error.key == "response_options.id" and "Quote" in error.fix


def test_positive_answers_must_agree_with_the_options(meta):
    edit(meta, "questions.yml", 'positive_answers: "Yes"', 'positive_answers: "No"')
    assert "disagree" in refused(meta, errors.MetadataInvalid).message()


def test_entry_nothing_uses_is_a_warning_not_an_error(meta, caplog):
    with open(meta / "layouts.yml", "a", encoding="utf-8") as f:
        f.write("spare_layout:\n  reader: published_figures\n  format: csv\n  header_row: 1\n  columns: {figure_id: figure_id, value: value}\n  levels: {}\n")
    edit(meta, "crosswalk.csv", "cpes-2021,Q58,confidence_trust", "cpes-2021,Q58,gp_support")
    edit(meta, "crosswalk.csv", "cpes-2022,Q59,confidence_trust", "cpes-2022,Q59,gp_support")
    edit(meta, "crosswalk.csv", "cpes-2023,Q60,confidence_trust", "cpes-2023,Q60,gp_support")
    edit(meta, "crosswalk.csv", "cpes-2024,Q62,confidence_trust", "cpes-2024,Q62,gp_support")
    with caplog.at_level(logging.WARNING, logger="build_data"):
        load_registry(meta)
    warned = " ".join(r.getMessage() for r in caplog.records)
    assert "'spare_layout' is not used" in warned and "'confidence_trust' is not mapped" in warned


def test_not_yaml_names_the_line(meta):
    (meta / "cohorts.yml").write_text("breast:\n  label: [Breast\n", encoding="utf-8")
    error = refused(meta, errors.MetadataInvalid)
    assert "not valid YAML" in error.message() and error.line is not None


def test_tables_reader_typo(meta):
    line = edit(meta, "tables.yml", "readers: [cpes_frequencies]", "readers: [cpes_frequency]")
    error = refused(meta, errors.MetadataReferenceBroken)
    assert "tables.yml" in str(error.file) and error.line == line and error.key == "readers"
    assert "Did you mean `cpes_frequencies`?" in error.message()


def test_tables_after_must_name_a_table_declared_above(meta):
    edit(meta, "tables.yml", "after: [experience_results]", "after: [audit_indicators]")
    error = refused(meta, errors.MetadataReferenceBroken)
    assert error.key == "after" and "'audit_indicators'" in error.message()


def test_tables_step_must_be_registered(meta):
    edit(meta, "tables.yml", "tidy: as_published", "tidy: as_publish")
    error = refused(meta, errors.MetadataReferenceBroken)
    assert error.key == "tidy" and "Did you mean `as_published`?" in error.message()


def test_tables_suppressible_must_be_a_column_of_the_table(meta):
    edit(meta, "tables.yml", "suppressible: [n_respondents, percent]", "suppressible: [n_respondents, percnt]")
    error = refused(meta, errors.MetadataReferenceBroken)
    assert error.key == "suppressible" and "Did you mean `percent`?" in error.message()


def test_tables_unknown_key(meta):
    edit(meta, "tables.yml", "  disclosure: audit", "  disclosre: audit")
    assert "Did you mean `disclosure`?" in refused(meta, errors.MetadataKeyUnknown).message()


def test_cohort_without_a_chart_colour(meta):
    edit(meta, "cohorts.yml", '  chart_colour: {light: "#005a9c", dark: "#74b6f0"}\n', "")
    error = refused(meta, errors.MetadataKeyMissing)
    assert error.key == "chart_colour" and "'breast'" in error.message()


def test_chart_colour_must_be_a_hex_colour(meta):
    edit(meta, "cohorts.yml", 'dark: "#74b6f0"', 'dark: "light blue"')
    error = refused(meta, errors.MetadataInvalid)
    assert error.key == "chart_colour.dark" and "'light blue'" in error.message()


def test_question_pages_cohort_must_be_a_cohort(meta):
    line = edit(meta, "site.yml", "  alliance_cohort: breast_secondary", "  alliance_cohort: secondary")
    error = refused(meta, errors.MetadataReferenceBroken)
    assert "site.yml" in str(error.file) and error.line == line and error.key == "alliance_cohort"


def test_misspelt_key_of_a_release_file_is_refused_not_read_in_the_wrong_layout(meta):
    """Once ignored: the file was then read in the release's xlsx layout and failed as BadZipFile."""
    line = edit(meta, "releases.yml", "      layout: cpes_frequencies_csv", "      layuot: cpes_frequencies_csv")
    error = refused(meta, errors.MetadataKeyUnknown)
    assert error.line == line and error.key == "files.layuot" and "Did you mean `layout`?" in error.message()


def test_a_release_whose_reader_feeds_no_table_is_refused(meta):
    """A release read by nothing would silently vanish from the package."""
    edit(meta, "tables.yml", "  readers: [audit_indicators]", "  readers: []")
    error = refused(meta, errors.MetadataReferenceBroken)
    assert "tables.yml" in str(error.file) and "naome-2025" in error.message() and "'audit_indicators'" in error.message()


def test_a_key_written_twice_is_refused_not_silently_overwritten(meta):
    with open(meta / "questions.yml", "a", encoding="utf-8") as f:
        f.write("main_contact:\n  topic: other\n")
    lines = (meta / "questions.yml").read_text(encoding="utf-8").count("\n")
    error = refused(meta, errors.MetadataInvalid)
    assert "written twice" in error.message() and error.key == "main_contact" and error.line == lines - 1


def test_a_key_finding_needs_the_groups_it_compares(meta):
    edit(meta, "figures.yml", "question_id: overall_rating, compare: [breast_secondary, all_cancers], press_kit",
         "question_id: overall_rating, press_kit")
    error = refused(meta, errors.MetadataInvalid)
    assert "figures.yml" in str(error.file) and error.key == "compare" and "overall_rating_by_cohort" in error.message()
