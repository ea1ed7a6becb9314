"""Broken response frequencies: each case breaks one thing in a copy of the project and runs the CLI.

As in test_broken_inputs.py: a refused build exits 2, names the error class, the file, row and column and a
fix, prints no traceback, and leaves the copy's datapackage/ byte-for-byte as it was. Each copy carries the
shared build's release cache (make_warm_copy), so only the releases a case breaks are read again.
"""
from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Callable

import pytest

from support import RELEASES, edit_rows, first_row, run_selected_cases, set_cell, tree_digest

FREQUENCIES_2023 = "cpes-2023-frequencies-illustrative.csv"
FREQUENCIES = 1     # the frequencies file is the second file of each CPES release in releases.yml
# Q11 is someone_at_diagnosis in 2023; England, all cancers: Yes 44,682 (77.0%), No 13,317 (23.0%) in rows 2-3.
ENGLAND_Q11 = {"Question No.": "Q11", "Org Code": "E92000001", "Tumour Group": "All Cancers"}


@dataclasses.dataclass(frozen=True)
class Case:
    id: str
    breakage: Callable[[Path], None]
    error: str
    file: str
    row: int | str | None = None
    column: str | None = None
    words: tuple[str, ...] = ()


def frequency_cell(match: dict, heading: str, value: str) -> Callable[[Path], None]:
    """A breakage that sets one cell of the first 2023 frequency row matching {heading: text}."""
    def edit(rows):
        set_cell(rows, first_row(rows, {**ENGLAND_Q11, **match}), heading, value)
    return lambda root: edit_rows(root, "cpes-2023", edit, index=FREQUENCIES)


def swap_yes_and_no(root: Path) -> None:
    """Counts and percentages agree with each other and add up, but Yes and No are the wrong way round."""
    def edit(rows):
        yes, no = (first_row(rows, {**ENGLAND_Q11, "Response Option": label}) for label in ("Yes", "No"))
        column = rows[0].index("Response Option")
        rows[yes - 1][column], rows[no - 1][column] = "No", "Yes"
    edit_rows(root, "cpes-2023", edit, index=FREQUENCIES)


def percentage_not_its_count(root: Path) -> None:
    """Still 100 in all, counts unchanged, but 77.1% is not 44,682 of 57,999 (77.04%)."""
    frequency_cell({"Response Option": "Yes"}, "Percentage (%)", "77.1")(root)
    frequency_cell({"Response Option": "No"}, "Percentage (%)", "22.9")(root)


def unquoted_yes_in_questions_yml(root: Path) -> None:
    path = root / "build_data/metadata/questions.yml"
    path.write_text(path.read_text(encoding="utf-8").replace('{id: "yes"', "{id: yes", 1), encoding="utf-8")


def unknown_file_layout(root: Path) -> None:
    text = (root / RELEASES).read_text(encoding="utf-8")
    (root / RELEASES).write_text(text.replace("layout: cpes_frequencies_csv", "layout: cpes_frequencies_xlsx", 1),
                                 encoding="utf-8")


CASES = [
    Case("unknown_response_option", frequency_cell({"Response Option": "Yes"}, "Response Option", "Yes, sometimes"),
         "UnknownResponseOption", FREQUENCIES_2023, 2, "Response Option",
         ("'Yes, sometimes'", "someone_at_diagnosis", "questions.yml", "publisher_labels")),
    Case("percentages_not_summing_to_100", frequency_cell({"Response Option": "Yes"}, "Percentage (%)", "79.0"),
         "FrequencyPercentSumWrong", FREQUENCIES_2023, 2, "Percentage (%)",
         ("add up to 102.00", "at most 0.10 from 100", "rows 2, 3", "corrections.yml")),
    Case("counts_not_summing_to_respondents", frequency_cell({"Response Option": "No"}, "Count", "13,399"),
         "FrequencyCountSumWrong", FREQUENCIES_2023, 2, "Count", ("add up to 58081", "gives 57999 respondents")),
    Case("percentage_not_its_count", percentage_not_its_count, "FrequencyPercentMismatch", FREQUENCIES_2023, 2,
         "Percentage (%)", ("44682 of 57999", "77.04%", "says 77.1%")),
    Case("positive_answers_not_the_score", swap_yes_and_no, "FrequencyScoreMismatch", FREQUENCIES_2023, 3, "Count",
         ("('Yes')", "13317 of 57999", "22.96%", "gives 77.0%", "is_positive")),
    Case("unquoted_yes_response_option_id", unquoted_yes_in_questions_yml, "MetadataInvalid", "questions.yml",
         None, None, ("'main_contact'", "key response_options.id", "True", "quote")),
    Case("unknown_layout_for_a_file", unknown_file_layout, "MetadataReferenceBroken", "releases.yml", None, None,
         ("cpes_frequencies_xlsx", "layouts.yml", "key layout", "Did you mean `cpes_frequencies_csv`?")),
]


def run_case(case: Case, folder: Path, make_copy, cli) -> dict:
    root = make_copy(folder / case.id)
    try:
        case.breakage(root)
    except Exception as error:
        return {"breakage_error": error}
    before = tree_digest(root / "datapackage")
    return {"root": root, "result": cli(root, "build"), "before": before, "after": tree_digest(root / "datapackage")}


@pytest.fixture(scope="module")
def runs(request, tmp_path_factory, make_warm_copy, cli) -> dict[str, dict]:
    folder = tmp_path_factory.mktemp("broken_frequencies")
    done = run_selected_cases(request, CASES, lambda c: run_case(c, folder, make_warm_copy, cli))
    yield done
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_frequencies_broken_input_refused(case: Case, runs):
    run = runs[case.id]
    if "breakage_error" in run:
        raise run["breakage_error"]
    result, stderr = run["result"], run["result"].stderr
    assert "Traceback" not in stderr
    assert result.returncode == 2, stderr
    assert f"{case.error}: " in stderr, stderr
    assert "Where: " in stderr and f"file {run['root']}" in stderr and case.file in stderr, stderr
    if case.row is not None:
        assert f"row {case.row}" in stderr, stderr
    if case.column is not None:
        assert f"column {case.column}" in stderr, stderr
    assert "\n  Fix: " in stderr, stderr
    for words in case.words:
        assert words in stderr, stderr
    assert run["after"] == run["before"], "a refused build changed datapackage/"
