"""The layout vocabulary: each key of layouts.yml reshapes a publisher file as declared (readers.tables,
readers.shape, readers.cells, readers.xlsx), with a bad example where the key can be misused."""
from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from build_data.errors import ColumnMissing, SheetMissing, UnknownCohortLabel, ValueNotNumeric
from build_data.readers.cells import parse_numbers
from build_data.readers.layout import Layout
from build_data.readers.tables import SOURCE_ROW, read_table

COLUMNS = {"Code": "publisher_code", "Respondents": "n_respondents", "Score": "score"}


def layout(**keys) -> Layout:
    return Layout(id="test", reader="cpes_scores", **{"format": "csv", "columns": COLUMNS, **keys})


def csv_file(tmp_path, text: str, encoding="utf-8"):
    path = tmp_path / "raw.csv"
    path.write_bytes(text.encode(encoding))
    return path


NOTES = ("Illustrative table made by a test\n"
         "Note: scores are proportions, with a comma in the note\n"
         "\n"
         "Code ,Respondents, Score \n"
         "Q1 ,\"1,234\",0.5 \n"
         "Q2,56,*\n")


def test_header_row_explicit_skips_notes_above(tmp_path):
    table = read_table(csv_file(tmp_path, NOTES), layout(header_row=4), "utf-8")
    assert table["publisher_code"].tolist() == ["Q1", "Q2"]
    assert table[SOURCE_ROW].tolist() == [5, 6]


def test_header_row_auto_finds_the_row_with_every_heading(tmp_path):
    table = read_table(csv_file(tmp_path, NOTES), layout(header_row="auto"), "utf-8")
    assert table["score"].tolist() == ["0.5", "*"] and table[SOURCE_ROW].tolist() == [5, 6]


def test_header_row_auto_without_the_headings_says_which_row_came_nearest(tmp_path):
    with pytest.raises(ColumnMissing, match=r"row 4 comes nearest.*missing \['Score'\]"):
        read_table(csv_file(tmp_path, NOTES.replace(" Score ", "Points")), layout(header_row="auto"), "utf-8")


def test_footer_starts_with_ends_the_table(tmp_path):
    text = NOTES + "Source: an illustrative publisher,,\nQ3,1,1\n"
    table = read_table(csv_file(tmp_path, text), layout(header_row="auto", footer_starts_with=["source:"]), "utf-8")
    assert table["publisher_code"].tolist() == ["Q1", "Q2"]


def test_stop_at_blank_row_ends_the_table(tmp_path):
    text = NOTES + ",,\nQ3,1,1\n"
    assert read_table(csv_file(tmp_path, text), layout(header_row=4), "utf-8")["publisher_code"].tolist() == \
        ["Q1", "Q2", "Q3"]
    table = read_table(csv_file(tmp_path, text), layout(header_row=4, stop_at_blank_row=True), "utf-8")
    assert table["publisher_code"].tolist() == ["Q1", "Q2"]


def test_constants_fill_columns_the_file_does_not_have(tmp_path):
    table = read_table(csv_file(tmp_path, NOTES), layout(header_row=4, constants={"level": "National ",
                                                                                  "geography_code": "E92000001"}),
                       "utf-8")
    assert table["level"].tolist() == ["National"] * 2 and set(table["geography_code"]) == {"E92000001"}


SPLIT = ("Code,Tumour group ,Has the cancer spread?,Respondents,Score\n"
         "Q1,Breast ,Yes ,10,0.5\n"
         "Q1,breast,No,20,0.6\n"
         "Q1,Breast,Not known,3,0.7\n"
         "Q1,All cancers,,30,0.8\n")
COHORT_FROM = {"columns": ["Tumour group", "Has the cancer spread?"],
               "map": {"Breast|Yes": "Breast - secondary (spread)", "Breast|No": "Breast - primary only",
                       "Breast|Not known": None, "All cancers|": "All cancers"}}


def test_cohort_from_two_columns_through_a_map(tmp_path):
    table = read_table(csv_file(tmp_path, SPLIT), layout(cohort_from=COHORT_FROM), "utf-8")
    assert table["cohort_label"].tolist() == ["Breast - secondary (spread)", "Breast - primary only", "All cancers"]
    assert table[SOURCE_ROW].tolist() == [2, 3, 5]       # Not known is left out, as declared (null)
    assert "Tumour group" not in table


def test_cohort_from_combination_not_in_the_map_is_an_error(tmp_path):
    spec = dict(COHORT_FROM, map={k: v for k, v in COHORT_FROM["map"].items() if k != "Breast|No"})
    with pytest.raises(UnknownCohortLabel, match="cohort_from.map") as caught:
        read_table(csv_file(tmp_path, SPLIT), layout(cohort_from=spec), "utf-8")
    assert caught.value.row == 3


WIDE = ("Area code,Code,Breast - Respondents,Breast - % positive,All cancers - Respondents,All cancers - % positive\n"
        "ZCA01,Q1,10,50.0,100,60.0\n"
        "ZCA02,Q1,,,200,70.0\n")


def test_wide_column_pairs_become_one_row_per_key(tmp_path):
    wide = layout(columns={"Area code": "geography_code", "Code": "publisher_code"},
                  wide={"heading": "{cohort_label} - {value}",
                        "values": {"Respondents": "n_respondents", "% positive": "score"}})
    table = read_table(csv_file(tmp_path, WIDE), wide, "utf-8")
    assert table[["geography_code", "cohort_label", "n_respondents", "score"]].values.tolist() == [
        ["ZCA01", "Breast", "10", "50.0"], ["ZCA01", "All cancers", "100", "60.0"],
        ["ZCA02", "All cancers", "200", "70.0"]]      # ZCA02 has no breast pair: no row
    assert table[SOURCE_ROW].tolist() == [2, 2, 3]


def test_wide_without_any_column_pair_is_a_missing_column(tmp_path):
    wide = layout(columns={"Area code": "geography_code", "Code": "publisher_code"},
                  wide={"heading": "{cohort_label} | {value}", "values": {"Respondents": "n_respondents"}})
    with pytest.raises(ColumnMissing, match="columns named like"):
        read_table(csv_file(tmp_path, WIDE), wide, "utf-8")


def test_exclude_codes_leaves_out_a_free_text_question(tmp_path):
    text = "Code,Respondents,Score\nQ1,10,0.5\n q99 ,12,\n"
    table = read_table(csv_file(tmp_path, text), layout(exclude_codes=["Q99"]), "utf-8")
    assert table["publisher_code"].tolist() == ["Q1"]


def test_suppressed_and_not_applicable_symbols_are_no_value(tmp_path):
    text = "Code,Respondents,Score\nQ1,[c],x\nQ2,\"1,234 \",0.5\n"
    table = read_table(csv_file(tmp_path, text),
                       layout(suppressed_symbols=["[c]"], not_applicable_symbols=["x"]), "utf-8")
    assert parse_numbers(table, "n_respondents", file="raw.csv", integer=True).tolist() == [pd.NA, 1234]
    assert parse_numbers(table, "score", file="raw.csv").tolist() == [pd.NA, 0.5]


def test_declared_symbols_replace_the_defaults(tmp_path):
    text = "Code,Respondents,Score\nQ1,*,0.5\n"
    table = read_table(csv_file(tmp_path, text), layout(suppressed_symbols=["[c]"]), "utf-8")
    with pytest.raises(ValueNotNumeric, match=r"'\*' is not a whole number"):
        parse_numbers(table, "n_respondents", file="raw.csv", integer=True)


def test_thousands_separator_declared(tmp_path):
    text = "Code,Respondents,Score\nQ1,1 234,0.5\n"
    table = read_table(csv_file(tmp_path, text), layout(thousands_separator=" "), "utf-8")
    assert parse_numbers(table, "n_respondents", file="raw.csv", integer=True).tolist() == [1234]


def test_csv_in_a_declared_latin_1_encoding(tmp_path):
    text = "Code,Respondents,Score\nQ1 – é,12,0.5\n".replace("–", "-")
    assert read_table(csv_file(tmp_path, text, "latin-1"), layout(), "latin-1")["publisher_code"].tolist() == ["Q1 - é"]


def workbook(tmp_path, names=("Contents", " Table 1 ")):
    book = openpyxl.Workbook()
    book.active.title = names[0]
    book.active.append(["This workbook is illustrative"])
    sheet = book.create_sheet(names[1])
    sheet.append(["Table 1: illustrative scores"])
    sheet.append(["Code", "Respondents", "Score"])
    sheet.append(["Q1", 12, 0.5])
    path = tmp_path / "book.xlsx"
    book.save(path)
    return path


def test_sheet_by_position_or_by_name_with_spaces_around(tmp_path):
    path = workbook(tmp_path)
    by_position = read_table(path, layout(format="xlsx", sheet=2, header_row="auto"), "utf-8")
    by_name = read_table(path, layout(format="xlsx", sheet="Table 1", header_row=2), "utf-8")
    assert by_position.values.tolist() == by_name.values.tolist() == [["Q1", "12", "0.5", 3]]


def test_sheet_position_beyond_the_workbook_lists_its_sheets(tmp_path):
    with pytest.raises(SheetMissing, match="Contents"):
        read_table(workbook(tmp_path), layout(format="xlsx", sheet=3), "utf-8")


def test_wide_by_place_one_column_pair_per_area(tmp_path):
    text = "Code,ZCA01 n,ZCA01 %,ZCA02 n,ZCA02 %\nQ1,10,50,20,[z]\n"
    wide = layout(columns={"Code": "publisher_code"}, not_applicable_symbols=["[z]"],
                  wide={"heading": "{geography_code} {value}", "values": {"n": "n_respondents", "%": "score"}})
    table = read_table(csv_file(tmp_path, text), wide, "utf-8")
    assert table[["geography_code", "n_respondents", "score"]].values.tolist() == [["ZCA01", "10", "50"],
                                                                                   ["ZCA02", "20", "[z]"]]
    assert parse_numbers(table, "score", file="raw.csv").tolist() == [50.0, pd.NA]
