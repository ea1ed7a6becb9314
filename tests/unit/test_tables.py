"""readers.tables and readers.xlsx: raw csv/xlsx in, text cells with our column names out, or a named error."""
from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from build_data.errors import (ColumnMissing, ColumnUnexpected, EncodingMismatch, SheetMissing, SourceEmpty,
                               SourceUnreadable)
from build_data.readers.layout import Layout
from build_data.readers.tables import SOURCE_ROW, read_cells, read_table
from build_data.readers.xlsx import read_sheet

CSV_LAYOUT = Layout(id="csv", reader="cpes_scores", format="csv", header_row=1,
                    columns={"Org Name": "name", "Respondents": "n"})
XLSX_LAYOUT = Layout(id="xlsx", reader="cpes_scores", format="xlsx", sheet="Scores", header_row=3,
                     columns={"Org Name": "name", "Respondents": "n", "Score": "score"})


def write(tmp_path, data: bytes, name="raw.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_read_table_utf8_with_byte_order_mark(tmp_path):
    path = write(tmp_path, "Org Name,Respondents\nCafé Trust,12\n".encode("utf-8-sig"))
    for encoding in ("utf-8", "utf-8-sig"):
        table = read_table(path, CSV_LAYOUT, encoding)
        assert table[["name", "n"]].values.tolist() == [["Café Trust", "12"]]


def test_read_table_cp1252_when_declared(tmp_path):
    path = write(tmp_path, "Org Name,Respondents\nCafé and St Mary’s Trust,12\n".encode("cp1252"))
    assert read_table(path, CSV_LAYOUT, "cp1252")["name"].tolist() == ["Café and St Mary’s Trust"]


def test_read_table_cp1252_bytes_declared_utf8_names_the_line(tmp_path):
    path = write(tmp_path, b"Org Name,Respondents\nA Trust,1\nCaf\xe9 Trust,12\n")
    with pytest.raises(EncodingMismatch) as caught:
        read_table(path, CSV_LAYOUT, "utf-8")
    assert caught.value.row == 3 and "Café Trust" in caught.value.message()
    assert "cp1252" in caught.value.fix


def test_read_table_byte_order_mark_declared_cp1252(tmp_path):
    path = write(tmp_path, "Org Name,Respondents\nA,1\n".encode("utf-8-sig"))
    with pytest.raises(EncodingMismatch, match="byte-order mark"):
        read_table(path, CSV_LAYOUT, "cp1252")


def test_read_table_empty_and_header_only(tmp_path):
    with pytest.raises(SourceEmpty, match="empty"):
        read_table(write(tmp_path, b""), CSV_LAYOUT, "utf-8")
    with pytest.raises(SourceEmpty, match="no data rows"):
        read_table(write(tmp_path, b"Org Name,Respondents\n\n"), CSV_LAYOUT, "utf-8")


def test_read_table_columns_checked_both_ways(tmp_path):
    with pytest.raises(ColumnMissing) as caught:
        read_table(write(tmp_path, b"Org Name\nA\n"), CSV_LAYOUT, "utf-8")
    assert caught.value.column == "Respondents" and caught.value.row == 1
    with pytest.raises(ColumnUnexpected) as caught:
        read_table(write(tmp_path, b"Org Name,Respondents,Notes\nA,1,x\n"), CSV_LAYOUT, "utf-8")
    assert caught.value.column == "Notes"


def test_read_table_source_rows_survive_blank_lines(tmp_path):
    path = write(tmp_path, b"Org Name,Respondents\nA,1\n\nB,2\n")
    table = read_table(path, CSV_LAYOUT, "utf-8")
    assert table[SOURCE_ROW].tolist() == [2, 4] and table["name"].tolist() == ["A", "B"]


def workbook(tmp_path, sheet="Scores"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(["A title above the table"])
    ws.append([])
    ws.append(["Org Name", "Respondents", "Score", None])
    ws.append(["ENGLAND", 57426, 0.755])
    ws.append(["Trust with a blank score", 12.0, None])
    ws.append([])
    ws.append(["Trust after a blank row", 1234, 100, "stray note"])
    ws.append(["True/False cell", True, "*"])
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return path


def test_read_sheet_matches_pandas_read_excel(tmp_path):
    path = workbook(tmp_path)
    ours = read_cells(path, XLSX_LAYOUT, "utf-8")
    theirs = pd.read_excel(path, sheet_name="Scores", header=2, dtype=str, engine="openpyxl", keep_default_na=False)
    theirs_rows = theirs[(theirs != "").any(axis=1)].reset_index(drop=True)
    ours_rows = ours[(ours != "").any(axis=1)].reset_index(drop=True)
    assert list(ours.columns) == list(theirs.columns) == ["Org Name", "Respondents", "Score", "Unnamed: 3"]
    assert ours_rows.values.tolist() == theirs_rows.values.tolist()
    assert ours_rows.values.tolist()[0] == ["ENGLAND", "57426", "0.755", ""]
    assert ours_rows.values.tolist()[1] == ["Trust with a blank score", "12", "", ""]


def test_read_table_xlsx_keeps_sheet_row_numbers(tmp_path):
    table = read_table(workbook(tmp_path), XLSX_LAYOUT, "utf-8")
    assert table[SOURCE_ROW].tolist() == [4, 5, 7, 8]
    assert table["name"].tolist()[2] == "Trust after a blank row" and table["score"].tolist()[3] == "*"
    assert read_sheet(workbook(tmp_path), "Scores")[5] == ["", "", "", ""]


def test_read_table_xlsx_renamed_sheet_lists_sheets(tmp_path):
    with pytest.raises(SheetMissing) as caught:
        read_table(workbook(tmp_path, sheet="Scores 2021"), XLSX_LAYOUT, "utf-8")
    assert "['Scores 2021']" in caught.value.message() and caught.value.sheet == "Scores"


def test_read_table_xlsx_truncated(tmp_path):
    path = workbook(tmp_path)
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(SourceUnreadable, match="BadZipFile"):
        read_table(path, XLSX_LAYOUT, "utf-8")


def test_xlsx_text_joins_rich_text_runs_without_phonetic_guides():
    from xml.etree import ElementTree as ET
    from build_data.readers.xlsx import MAIN, text_of
    ns = MAIN.strip("{}")
    si = ET.fromstring(f'<si xmlns="{ns}"><r><t>Caf</t></r><r><t>é Trust</t></r><rPh><t>kafe</t></rPh></si>')
    assert text_of(si) == "Café Trust"
    assert text_of(ET.fromstring(f'<si xmlns="{ns}"><t>Plain</t><rPh><t>x</t></rPh></si>')) == "Plain"
