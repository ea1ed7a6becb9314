"""readers.cells: publisher text cells in, typed values out; bad cells named by file, row and column."""
from __future__ import annotations

import pandas as pd
import pytest

from build_data.errors import ValueNotNumeric
from build_data.readers.cells import match_labels, normalise_code, normalise_name, parse_numbers
from build_data.readers.tables import HEADINGS, SOURCE_ROW


def table_of(values: list[str], first_row: int = 2) -> pd.DataFrame:
    table = pd.DataFrame({"n": values, SOURCE_ROW: range(first_row, first_row + len(values))})
    table.attrs[HEADINGS] = {"n": "Respondents"}
    return table


def test_parse_numbers_thousands_separators_and_percent_signs():
    got = parse_numbers(table_of(["57,999", "1,234,567", " 12 ", "45.5%"]), "n", file="f.csv")
    assert got.tolist() == [57999.0, 1234567.0, 12.0, 45.5]
    assert str(got.dtype) == "Float64"


def test_parse_numbers_publisher_missing_marks_are_na():
    got = parse_numbers(table_of(["*", "", "-", "..", "n/a", "7"]), "n", file="f.csv", integer=True)
    assert got.isna().tolist() == [True] * 5 + [False]
    assert str(got.dtype) == "Int64" and got.iloc[5] == 7


def test_parse_numbers_integers_accept_whole_floats_only():
    got = parse_numbers(table_of(["12.0", "3"]), "n", file="f.csv", integer=True)
    assert got.tolist() == [12, 3]
    with pytest.raises(ValueNotNumeric, match="not a whole number"):
        parse_numbers(table_of(["12.5"]), "n", file="f.csv", integer=True)


def test_parse_numbers_text_names_file_row_and_column():
    with pytest.raises(ValueNotNumeric) as caught:
        parse_numbers(table_of(["10", "20", "about 40"], first_row=6), "n", file="raw/cpes.csv", sheet="Scores")
    error = caught.value
    assert (error.file, error.sheet, error.row) == ("raw/cpes.csv", "Scores", 8)
    assert error.column == "Respondents (n)"
    message = error.message()
    assert "ValueNotNumeric" in message and "'about 40'" in message and "row 8" in message
    assert "column Respondents (n)" in message and "Fix: " in message


def test_normalise_name_restores_shouted_names_and_spaces():
    names = pd.Series(["ENGLAND", "  Brindlecombe   Cancer Alliance ", "St Mary’s"])
    assert normalise_name(names).tolist() == ["England", "Brindlecombe Cancer Alliance", "St Mary’s"]


def test_normalise_code_and_match_labels():
    assert normalise_code(pd.Series([" zzt001 "])).tolist() == ["ZZT001"]
    got = match_labels(pd.Series([" breast (SECONDARY) ", "Other"]), {"Breast (secondary)": "breast_secondary"})
    assert got.iloc[0] == "breast_secondary" and pd.isna(got.iloc[1])
