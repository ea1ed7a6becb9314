"""Catalogue of broken inputs: each case makes one breakage in a copy of the project and runs the CLI.

A refused build must exit 2, name the error class, the file (and row/column where they apply) and a
fix, print no traceback, and leave the copy's datapackage/ byte-for-byte as it was.
The cases run in one module fixture, each refused case in its own copy of the illustrative project; the cases
the build must accept (they change different rows) are made together in one copy of the tiny project
(conftest.tiny_build: the same code, metadata and publisher layout, few places; its 2023 file is named as the
illustrative one) and built once, to keep the suite fast: a build that is accepted runs every check on the whole
package, whose size does not change what it must do with a small count or a correction.
Each copy carries its shared build's release cache (make_warm_copy, or the tiny build's own): the releases a case
leaves alone are not read and protected again, while the broken release's key (its files' sha256, its
releases.yml entry, crosswalk rows and corrections, and the shared metadata) has changed, so it is read again
and must be refused (or accepted).
"""
from __future__ import annotations

import csv
import dataclasses
import io
import re
import shutil
import zipfile
from pathlib import Path
from typing import Callable

import pandas as pd
import pytest
import yaml

from support import (CROSSWALK, RELEASES, edit_rows, first_row, raise_package_version, read_rows, record_sha256,
                     selected_cases, set_cell, set_release_field, source_path, tree_digest)

CPES_2023 = "cpes-2023-results-illustrative.csv"
CPES_2021 = "cpes-2021-results-illustrative.xlsx"
CPES_2022 = "cpes-2022-results-illustrative.xlsx"
AUDIT = "naome-2025-indicators-illustrative.csv"


@dataclasses.dataclass(frozen=True)
class Case:
    id: str
    breakage: Callable[[Path], None]    # edits a project copy
    error: str | None                   # class name the CLI must print; None: the build must succeed
    file: str = ""                      # file name the message must name
    row: int | str | None = None
    column: str | None = None           # the start of the column named in the message
    words: tuple[str, ...] = ()         # more text the message must contain


# --- raw file layout ----------------------------------------------------------------------------

def drop_column(root: Path) -> None:
    def edit(rows):
        i = rows[0].index("Mean Score")
        for row in rows:
            del row[i]
    edit_rows(root, "cpes-2023", edit)


def add_column(root: Path) -> None:
    def edit(rows):
        rows[0].append("Comment")
        for row in rows[1:]:
            row.append("")
    edit_rows(root, "cpes-2023", edit)


def edit_workbook_part(root: Path, release_id: str, part: str, old: str, new: str) -> None:
    """Replace old (a regular expression, found exactly once) by new in one XML part of a release's workbook,
    copying every other part as it is, and record the file's new sha256: what a spreadsheet program's edit
    changes, without loading and saving the whole workbook (seconds with openpyxl)."""
    path = source_path(root, release_id)
    with zipfile.ZipFile(path) as book:
        parts = [(info, book.read(info)) for info in book.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        for info, data in parts:
            if info.filename == part:
                text, count = re.subn(old, new, data.decode("utf-8"))
                assert count == 1, f"{path.name} {part}: {old!r} found {count} times"
                data = text.encode("utf-8")
            book.writestr(info, data)
    path.write_bytes(out.getvalue())
    record_sha256(root, release_id)


def rename_sheet(root: Path) -> None:
    edit_workbook_part(root, "cpes-2021", "xl/workbook.xml", r'<sheet name="Scores by organisation"',
                       '<sheet name="Scores"')


def proportion_above_one(root: Path) -> None:
    # Row 7 of the 2021 workbook is a percentage question's score on 0-1 (column H); 1.5 means 150%.
    edit_workbook_part(root, "cpes-2021", "xl/worksheets/sheet1.xml", r'<c r="H7"( t="n")?><v>0\.\d+</v></c>',
                       '<c r="H7" t="n"><v>1.5</v></c>')


def empty_file(root: Path) -> None:
    source_path(root, "cpes-2023").write_bytes(b"")
    record_sha256(root, "cpes-2023")


def header_only(root: Path) -> None:
    def edit(rows):
        del rows[1:]
    edit_rows(root, "cpes-2023", edit)


def truncate_workbook(root: Path) -> None:
    path = source_path(root, "cpes-2022")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    record_sha256(root, "cpes-2022")


def missing_file(root: Path) -> None:
    source_path(root, "cpes-2023").unlink()


# --- cell values --------------------------------------------------------------------------------

def cell(release_id: str, file_row: int, heading: str, value: str) -> Callable[[Path], None]:
    """A breakage that sets one cell of a CSV release (and records the file's new sha256)."""
    return lambda root: edit_rows(root, release_id, lambda rows: set_cell(rows, file_row, heading, value))


def duplicate_row(root: Path) -> None:
    edit_rows(root, "cpes-2023", lambda rows: rows.insert(2, list(rows[1])))


def unmapped_code(root: Path) -> None:
    def edit(rows):
        for row in rows[1:]:
            if row[1] == "Q60":
                row[1] = "Q99"
    edit_rows(root, "cpes-2023", edit)


def merged_trust_in_2023(root: Path) -> None:
    def edit(rows):
        row = first_row(rows, {"Org Code": "ZZT121"})
        set_cell(rows, row, "Org Code", "ZZT017")
    edit_rows(root, "cpes-2023", edit)


SECONDARY = "Breast (secondary)"


def publisher_code(root: Path, release_id: str, question_id: str) -> str:
    """The release's publisher number of a question, from the copy's crosswalk."""
    with open(root / CROSSWALK, encoding="utf-8", newline="") as f:
        return next(row[1] for row in csv.reader(f) if row[0] == release_id and row[2] == question_id)


def shown_trust_row(rows: list[list[str]], code: str) -> int:
    """The file row of the first trust's secondary breast cancer result for question number code with a score shown."""
    heading = rows[0].index
    for i, row in enumerate(rows[1:], start=2):
        if (row[heading("Question No.")], row[heading("Org Level")], row[heading("Tumour Group")]) == \
                (code, "Trust", SECONDARY) and row[heading("Percentage Positive (%)")] not in ("", "*"):
            return i
    raise LookupError(f"no trust shows a {SECONDARY} result for {code}")


def small_count_shown(root: Path) -> None:
    """The publisher printed a result for 7 respondents (main_contact for secondary breast cancer at the first trust
    that shows one), in the scores and, consistently, in the response frequencies: as many said No as before
    (the parts of breast cancer still add up to no more than breast cancer), the rest of the 7 Yes."""
    code = publisher_code(root, "cpes-2023", "main_contact")
    scores = read_rows(root, "cpes-2023")
    row = shown_trust_row(scores, code)
    trust = scores[row - 1][scores[0].index("Org Code")]
    answers = read_rows(root, "cpes-2023", index=1)
    key = {"Question No.": code, "Org Code": trust, "Tumour Group": SECONDARY}
    no_row = first_row(answers, {**key, "Response Option": "No"})
    said_no = int(answers[no_row - 1][answers[0].index("Count")])
    assert said_no < 7, f"{trust}: {said_no} said No"
    counts = {"Yes": 7 - said_no, "No": said_no}
    percent = {option: f"{100 * count / 7:.1f}" for option, count in counts.items()}

    def edit(rows):
        set_cell(rows, row, "Respondents", "7")
        set_cell(rows, row, "Percentage Positive (%)", percent["Yes"])

    def edit_frequencies(rows):
        for option, count in counts.items():
            answer = first_row(rows, {**key, "Response Option": option})
            set_cell(rows, answer, "Count", str(count))
            set_cell(rows, answer, "Percentage (%)", percent[option])
    edit_rows(root, "cpes-2023", edit)
    edit_rows(root, "cpes-2023", edit_frequencies, index=1)


def check_small_count_suppressed(root: Path) -> None:
    rows = read_rows(root, "cpes-2023")
    code, heading = publisher_code(root, "cpes-2023", "main_contact"), rows[0].index
    (trust,) = [row[heading("Org Code")] for row in rows[1:] if row[heading("Question No.")] == code and
                row[heading("Tumour Group")] == SECONDARY and row[heading("Respondents")] == "7" and
                row[heading("Percentage Positive (%)")] not in ("", "*")]
    results = pd.read_csv(root / "datapackage/data/experience_results.csv", dtype=str, keep_default_na=False)
    row = results[(results.release_id == "cpes-2023") & (results.geography_code == trust) &
                  (results.cohort_id == "breast_secondary") & (results.question_id == "main_contact")]
    assert row[["n_respondents", "value", "status"]].values.tolist() == [["[c]", "[c]", "suppressed"]]
    options = pd.read_csv(root / "datapackage/data/response_frequencies.csv", dtype=str, keep_default_na=False)
    rows = options[(options.release_id == "cpes-2023") & (options.geography_code == trust) &
                   (options.cohort_id == "breast_secondary") & (options.question_id == "main_contact")]
    assert rows[["n_respondents", "percent", "status"]].values.tolist() == [["[c]", "[c]", "suppressed"]] * 2


# --- encodings ----------------------------------------------------------------------------------

def cp1252_bytes_in_utf8(root: Path) -> None:
    """Line 86 (the first trust row) names 'Korvelley Café Trust' in cp1252 bytes, as Excel on Windows saves."""
    path = source_path(root, "cpes-2023")
    lines = path.read_bytes().split(b"\n")
    assert b",ZZT001," in lines[85] and b"Hospitals Trust" in lines[85]
    lines[85] = lines[85].replace(b"Hospitals Trust", "Café Trust".encode("cp1252"), 1)
    path.write_bytes(b"\n".join(lines))
    record_sha256(root, "cpes-2023")


# --- metadata -----------------------------------------------------------------------------------

def path_outside_sources(root: Path) -> None:
    text = (root / RELEASES).read_text(encoding="utf-8")
    text = text.replace("path: cpes-2023/cpes-2023-results-illustrative.csv", "path: ../metadata/crosswalk.csv")
    (root / RELEASES).write_text(text, encoding="utf-8")


def duplicate_release_id(root: Path) -> None:
    set_release_field(root, "cpes-2024", "id", "cpes-2023")


def crosswalk_unknown_question(root: Path) -> None:
    with open(root / CROSSWALK, "a", encoding="utf-8") as f:
        f.write("cpes-2024,Q99,not_a_question,An invented question?,new\n")


def releases_not_yaml(root: Path) -> None:
    with open(root / RELEASES, "a", encoding="utf-8") as f:
        f.write("- id: [unclosed\n")


def bom_declared_cp1252(root: Path) -> None:
    set_release_field(root, "cpes-2024", "encoding", "cp1252")


def checksum_changed(root: Path) -> None:
    path = source_path(root, "cpes-2023")
    path.write_bytes(path.read_bytes().replace(b"77.0", b"77.1", 1))


def add_correction(root: Path, row: int, was: str, value: str, file: str = CPES_2023) -> None:
    with open(root / "build_data/metadata/corrections.yml", "a", encoding="utf-8") as f:
        f.write(f"""- release_id: cpes-2023
  file: cpes-2023/{file}
  row: {row}
  column: "Percentage Positive (%)"
  was: "{was}"
  value: "{value}"
  reason: A test's made-up erratum.
  status: open
""")


def corrected_percentage(root: Path) -> None:
    # The erratum's true value is the one the response frequencies agree with: the value the file had.
    rows = read_rows(root, "cpes-2023")
    was = rows[1][rows[0].index("Percentage Positive (%)")]
    assert was not in ("", "*", "150.0"), rows[1]
    cell("cpes-2023", 2, "Percentage Positive (%)", "150.0")(root)
    add_correction(root, 2, "150.0", was)
    raise_package_version(root, "patch")   # a correction is published (corrections.csv): at least PATCH


def check_correction_published(root: Path) -> None:
    corrections = yaml.safe_load((root / "build_data/metadata/corrections.yml").read_text(encoding="utf-8"))
    (correction,) = [c for c in corrections if c["release_id"] == "cpes-2023" and c["row"] == 2]
    corrected = correction["value"]
    first = read_rows(root, "cpes-2023")[1]     # file row 2: England, all cancers
    assert first[3:7:3] == ["E92000001", "All tumour types"] and first[8] == "150.0", first
    question = next(row[2] for row in csv.reader(open(root / CROSSWALK, encoding="utf-8"))
                    if row[:2] == ["cpes-2023", first[1]])
    results = pd.read_csv(root / "datapackage/data/experience_results.csv", dtype=str, keep_default_na=False)
    row = results[(results.release_id == "cpes-2023") & (results.geography_code == "E92000001") &
                  (results.cohort_id == "all_cancers") & (results.question_id == question)]
    assert row["value"].tolist() == [corrected]
    published = pd.read_csv(root / "datapackage/data/corrections.csv", dtype=str, keep_default_na=False)
    assert published[["release_id", "row", "was", "value"]].values.tolist() == [["cpes-2023", "2", "150.0", corrected]]
    labelled = pd.read_csv(root / "datapackage/data/results_labelled.csv", dtype=str, keep_default_na=False)
    assert labelled[(labelled.release_id == "cpes-2023") & (labelled.geography_code == "E92000001") &
                    (labelled.cohort_id == "all_cancers") & (labelled.item_id == question)]["value"].tolist() == [corrected]


CROSSWALK_ROWS = sum(1 for _ in open(Path(__file__).resolve().parents[2] / CROSSWALK, encoding="utf-8"))

CASES = [
    Case("missing_column", drop_column, "ColumnMissing", CPES_2023, 1, "Mean Score"),
    Case("extra_column", add_column, "ColumnUnexpected", CPES_2023, 1, "Comment"),
    Case("renamed_sheet", rename_sheet, "SheetMissing", CPES_2021, None, None,
         ("sheet Scores by organisation", "['Scores']", "layouts.yml")),
    Case("empty_file", empty_file, "SourceEmpty", CPES_2023, words=("empty",)),
    Case("header_only", header_only, "SourceEmpty", CPES_2023, words=("no data rows",)),
    Case("truncated_xlsx", truncate_workbook, "SourceUnreadable", CPES_2022, words=("BadZipFile",)),
    Case("missing_file", missing_file, "SourceFileMissing", CPES_2023),
    Case("text_in_numeric_column", cell("cpes-2023", 5, "Respondents", "about 40"), "ValueNotNumeric",
         CPES_2023, 5, "Respondents", ("'about 40'",)),
    Case("percentage_of_150", cell("cpes-2023", 2, "Percentage Positive (%)", "150.0"), "ValueOutOfRange",
         CPES_2023, 2, "Percentage Positive (%)", ("150.0", "0 to 100")),
    Case("proportion_above_one", proportion_above_one, "ValueOutOfRange", CPES_2021, 7, "Score", ("150.0",)),
    Case("negative_count", cell("cpes-2023", 3, "Respondents", "-12"), "ValueOutOfRange",
         CPES_2023, 3, "Respondents", ("-12",)),
    Case("duplicate_row", duplicate_row, "DuplicateRow", CPES_2023, 2, "Question No.", ("in rows 2, 3",)),
    Case("unmapped_question_code", unmapped_code, "UnmappedQuestionCode", CPES_2023, None, "Question No.",
         ("['Q99']", "crosswalk.csv", "suggest-crosswalk cpes-2023")),
    Case("unknown_geography", cell("cpes-2023", 30, "Org Code", "ZZT999"), "UnknownGeography",
         CPES_2023, 30, "Org Code", ("ZZT999", "geographies.csv")),
    Case("geography_level_mismatch", cell("cpes-2023", 30, "Org Level", "National"), "UnknownGeography",
         CPES_2023, 30, "Org Level", ("is a cancer_alliance", "'National'")),
    Case("geography_outside_valid_years", merged_trust_in_2023, "GeographyOutsideValidYears", CPES_2023, 555,
         "Org Code", ("ZZT017", "2023", "valid from 2021 to 2022", "geographies.csv")),
    Case("unknown_cohort_label", cell("cpes-2023", 4, "Tumour Group", "Breast (tertiary)"), "UnknownCohortLabel",
         CPES_2023, 4, "Tumour Group", ("'Breast (tertiary)'", "cohorts.yml")),
    Case("survey_year_outside_release", cell("cpes-2023", 6, "Survey Year", "2019"), "YearOutOfRange",
         CPES_2023, 6, "Survey Year", ("'2019'", "2023")),
    Case("checksum_mismatch", checksum_changed, "ChecksumMismatch", CPES_2023, words=("releases.yml",)),
    Case("windows_1252_bytes_declared_utf8", cp1252_bytes_in_utf8, "EncodingMismatch", CPES_2023, 86, None,
         ("Café Trust", "cp1252", "releases.yml")),
    Case("bom_declared_cp1252", bom_declared_cp1252, "EncodingMismatch", "cpes-2024-results-illustrative.csv", 1,
         None, ("byte-order mark", "utf-8-sig")),
    Case("source_path_outside_sources", path_outside_sources, "SourcePathOutsideSources", "releases.yml",
         "entry 3 (cpes-2023)", "files", ("../metadata/crosswalk.csv",)),
    Case("two_releases_one_id", duplicate_release_id, "DuplicateReleaseId", "releases.yml", "entry 4", "id",
         ("Entries 3 and 4", "'cpes-2023'")),
    Case("releases_not_yaml", releases_not_yaml, "MetadataInvalid", "releases.yml", words=("not valid YAML",)),
    Case("crosswalk_row_unknown_question", crosswalk_unknown_question, "UnknownQuestionId", "crosswalk.csv",
         CROSSWALK_ROWS + 1, "question_id", ("'not_a_question'", "questions.yml")),
    Case("audit_counts_disagree", cell("naome-2025", 3, "Numerator", "300"), "CountsDisagree", AUDIT, 3,
         "Percentage", ("300", "46.9")),
    Case("audit_negative_denominator", cell("naome-2025", 3, "Denominator", "-512"), "ValueOutOfRange", AUDIT, 3,
         "Denominator", ("-512",)),
    Case("audit_year_after_report", cell("naome-2025", 4, "Diagnosis year", "2030"), "YearOutOfRange", AUDIT, 4,
         "Diagnosis year", ("2030", "2025")),
    Case("audit_unknown_indicator", cell("naome-2025", 2, "Indicator", "Seen within a week"),
         "UnknownIndicatorLabel", AUDIT, 2, "Indicator", ("indicators.yml",)),
    # 0 of 1,000,000 has a Wilson interval of 0.0 to 0.0; a printed 0.1% is within rounding of the
    # counts but outside the interval, so it is the one way an interval can miss its value.
    Case("interval_excludes_value", lambda root: edit_rows(root, "naome-2025", lambda rows: (
        set_cell(rows, 3, "Numerator", "0"), set_cell(rows, 3, "Denominator", "1000000"),
        set_cell(rows, 3, "Percentage", "0.1"))), "IntervalExcludesValue", AUDIT, 3, "Percentage",
         ("0.1", "0.0 to 0.0")),
    Case("correction_guard_no_longer_matches", lambda root: add_correction(root, 2, "150.0", "50.0"),
         "CorrectionStale", CPES_2023, 2, "Percentage Positive (%)", ("'150.0'", "'77.0'", "corrections.yml")),
    Case("correction_for_unlisted_file", lambda root: add_correction(root, 2, "77.0", "50.0", file="other.csv"),
         "MetadataReferenceBroken", "corrections.yml", "entry 1", "file", ("other.csv",)),
    Case("unsuppressed_small_count_in_publisher_file", small_count_shown, None),
    Case("percentage_of_150_corrected_in_corrections_yml", corrected_percentage, None),
]
CHECKS_AFTER_SUCCESS = {"unsuppressed_small_count_in_publisher_file": check_small_count_suppressed,
                        "percentage_of_150_corrected_in_corrections_yml": check_correction_published}


def run_case(case: Case, folder: Path, make_copy, cli) -> dict:
    """Copy the project, break it, run `build`; return what the test needs to judge the run."""
    root = make_copy(folder / case.id)
    try:
        case.breakage(root)
    except Exception as error:     # reported by the case's own test, not by every test in the module
        return {"breakage_error": error}
    before = tree_digest(root / "datapackage")
    result = cli(root, "build")
    return {"root": root, "result": result, "before": before, "after": tree_digest(root / "datapackage")}


def all_of(cases: list[Case]) -> Case:
    """One case making every breakage of cases in the same copy (for cases the build must accept)."""
    def breakages(root: Path) -> None:
        for case in cases:
            case.breakage(root)
    return Case("accepted_" + "_and_".join(c.id for c in cases), breakages, None)


def copy_of(built: Path) -> Callable[[Path], Path]:
    """copy_of(built)(dest): a copy of a built project (its package and caches) in dest."""
    return lambda dest: Path(shutil.copytree(built, dest))


@pytest.fixture(scope="module")
def runs(request, tmp_path_factory, cli) -> dict[str, dict]:
    """Every selected case's run, keyed by case id: one copy of the illustrative project and build for each
    refused case, one copy of the tiny project for all the accepted ones together."""
    folder = tmp_path_factory.mktemp("broken")
    chosen = selected_cases(request, CASES)
    refused = [c for c in chosen if c.error is not None]
    make_warm_copy = request.getfixturevalue("make_warm_copy") if refused else None
    done = {c.id: run_case(c, folder, make_warm_copy, cli) for c in refused}
    accepted = [c for c in chosen if c.error is None]
    if accepted:
        tiny, first = request.getfixturevalue("tiny_build")
        assert first.returncode == 0, first.stderr
        together = run_case(all_of(accepted), folder, copy_of(tiny), cli)
        done.update({c.id: together for c in accepted})
    yield done
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_cli_broken_input(case: Case, runs):
    run = runs[case.id]
    if "breakage_error" in run:
        raise run["breakage_error"]
    result, stderr = run["result"], run["result"].stderr
    assert "Traceback" not in stderr
    if case.error is None:
        assert result.returncode == 0, stderr
        # The accepted cases change only cpes-2023: the tiny build's cache gives the other releases, and the edited
        # release's inputs no longer match its cached key, so it is read and protected again.
        others = len(yaml.safe_load((run["root"] / RELEASES).read_text(encoding="utf-8"))) - 1
        assert f"release cache: {others} release(s) reused, 1 read and protected (cpes-2023)" in stderr, stderr
        CHECKS_AFTER_SUCCESS[case.id](run["root"])
        return
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
