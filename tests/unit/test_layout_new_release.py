"""new-release: a file's layout and encoding recognised, or the headings found and the nearest layouts'
headings shown; all or nothing (a failure changes no file, and the same command then works)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from build_data.errors import ValueNotNumeric
from build_data.metadata import load_config
from build_data.readers.layout import load_layouts
from build_data.readers.recognise import LayoutNotRecognised, detect_encoding, guess_layout
from build_data.releasing import ReleaseExists, ReleaseIdInvalid, add_release

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
from support import RELEASES, read_rows, tree_digest  # noqa: E402

REPO_LAYOUTS = Path(__file__).resolve().parents[2] / "build_data/metadata/layouts.yml"


def test_detect_encoding(tmp_path):
    cases = {"utf-8-sig": "Café".encode("utf-8-sig"), "utf-8": "Café".encode(), "cp1252": "Café – 1".encode("cp1252")}
    for expected, data in cases.items():
        (tmp_path / "f.csv").write_bytes(data)
        assert detect_encoding(tmp_path / "f.csv") == expected


def test_guess_layout_recognises_a_file_whatever_the_spaces_round_its_headings(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("Survey Year , Question No.,Question Text,Org Code,Org Name,Org Level,Tumour Group,Respondents,"
                    "Percentage Positive (%),Mean Score\n", encoding="utf-8")
    assert guess_layout(path, load_layouts(REPO_LAYOUTS), "utf-8") == "cpes_csv_2023"


def test_layout_not_recognised_shows_headings_found_and_nearest_layouts(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("Survey Year,Question No.,Question Text,Org Code,Org Name,Org Level,Cancer type,Respondents,"
                    "Percentage Positive (%),Mean Score\n", encoding="utf-8")
    with pytest.raises(LayoutNotRecognised) as caught:
        guess_layout(path, load_layouts(REPO_LAYOUTS), "utf-8")
    message = caught.value.message()
    assert "Found in row 1: ['Survey Year', 'Question No.'" in message and "'Cancer type'" in message
    assert "Nearest layout cpes_csv_2023 (90% of its headings found)" in message and "'Tumour Group'" in message
    assert "layouts.yml" in message


def publisher_file(root: Path, folder: Path, bad_cell: str | None = None) -> Path:
    """The 2024 scores file with its year changed (and, if asked, one respondents cell broken)."""
    rows = read_rows(root, "cpes-2024")
    for row in rows[1:]:
        row[0] = "2025"
    if bad_cell:
        rows[3][rows[0].index("Respondents")] = bad_cell
    path = folder / "cpes-2025-results.csv"
    path.write_text("\n".join(",".join(f'"{c}"' if "," in c else c for c in r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_new_release_failure_writes_nothing_and_a_rerun_works(project_copy, tmp_path):
    before = tree_digest(project_copy / "build_data")
    broken = publisher_file(project_copy, tmp_path, bad_cell="about 40")
    with pytest.raises(ValueNotNumeric, match="about 40"):
        add_release(load_config(project_copy, unconfirmed_ok=True), "cpes-2025", [broken])
    assert tree_digest(project_copy / "build_data") == before
    assert not [p for p in (project_copy / "build_data/sources").iterdir() if p.name.startswith(".")]

    fixed = publisher_file(project_copy, tmp_path)
    added = add_release(load_config(project_copy, unconfirmed_ok=True), "cpes-2025", [fixed])
    assert added["layouts"] == ["cpes_csv_2023"] and added["survey"] == "cpes" and added["survey_year"] == 2025
    assert {s.question_id for s in added["suggestions"]} and all(s.question_id for s in added["suggestions"])
    text = (project_copy / RELEASES).read_text(encoding="utf-8")
    assert "- id: cpes-2025" in text and "encoding: utf-8   # CONFIRM" in text
    assert (project_copy / "build_data/sources/cpes-2025/cpes-2025-results.csv").read_bytes() == fixed.read_bytes()
    with pytest.raises(ReleaseExists):
        add_release(load_config(project_copy, unconfirmed_ok=True), "cpes-2025", [fixed])


def test_new_release_refuses_an_id_without_a_year_before_any_work(project_copy, tmp_path):
    before = tree_digest(project_copy / "build_data")
    with pytest.raises(ReleaseIdInvalid):
        add_release(load_config(project_copy, unconfirmed_ok=True), "cpes-latest", [publisher_file(project_copy, tmp_path)])
    assert tree_digest(project_copy / "build_data") == before


def test_layout_not_recognised_in_a_workbook_shows_the_sheet_and_row_of_the_headings(tmp_path):
    import openpyxl
    book = openpyxl.Workbook()
    book.active.title = "Contents"
    sheet = book.create_sheet("Scores 2025")
    sheet.append(["Illustrative table"])
    sheet.append(["Question number", "Organisation code", "Cancer type", "Score"])
    book.save(tmp_path / "book.xlsx")
    with pytest.raises(LayoutNotRecognised) as caught:
        guess_layout(tmp_path / "book.xlsx", load_layouts(REPO_LAYOUTS), "utf-8")
    message = caught.value.message()
    assert "Found in sheet 'Scores 2025', row 2: ['Question number', 'Organisation code', 'Cancer type', 'Score']" \
        in message
    assert "The workbook's sheets: ['Contents', 'Scores 2025']" in message
    assert "Nearest layout cpes_xlsx_2021 (38% of its headings found) expects sheet 'Scores by organisation', row 5" \
        in message


def test_new_release_rerun_replaces_files_left_by_an_earlier_half_written_attempt(project_copy, tmp_path):
    download = publisher_file(project_copy, tmp_path)
    leftover = project_copy / "build_data/sources/cpes-2025"
    leftover.mkdir()
    (leftover / download.name).write_text("half copied", encoding="utf-8")
    add_release(load_config(project_copy, unconfirmed_ok=True), "cpes-2025", [download])
    assert (leftover / download.name).read_bytes() == download.read_bytes()
    assert "- id: cpes-2025" in (project_copy / RELEASES).read_text(encoding="utf-8")


def test_new_release_refuses_a_folder_of_other_files(project_copy, tmp_path):
    (project_copy / "build_data/sources/cpes-2025").mkdir()
    (project_copy / "build_data/sources/cpes-2025/other.csv").write_text("x", encoding="utf-8")
    before = tree_digest(project_copy / "build_data")
    with pytest.raises(ReleaseExists, match="other.csv"):
        add_release(load_config(project_copy, unconfirmed_ok=True), "cpes-2025", [publisher_file(project_copy, tmp_path)])
    assert tree_digest(project_copy / "build_data") == before
