"""package.format_cell and csv_bytes: markers, integers, fixed decimals, and byte-for-byte determinism."""
from __future__ import annotations

import numpy as np
import pandas as pd

from build_data.package import csv_bytes, format_cell

N = {"name": "n_respondents", "type": "integer"}
VALUE = {"name": "value", "type": "number", "decimals": 1}
YEAR = {"name": "survey_year", "type": "integer"}
TEXT = {"name": "notes", "type": "string"}
FLAG = {"name": "is_illustrative", "type": "boolean"}


def test_format_cell_integers_never_written_as_floats():
    assert format_cell(236.0, N, "ok") == "236"
    assert format_cell(np.int64(236), N, "ok") == "236"
    assert format_cell(pd.array([236], dtype="Int64")[0], N, "ok") == "236"


def test_format_cell_suppressed_counts_are_c():
    assert format_cell(pd.NA, N, "suppressed") == "[c]"
    assert format_cell(np.nan, VALUE, "suppressed") == "[c]"


def test_format_cell_missing_values_are_x():
    assert format_cell(np.nan, VALUE, "not_available") == "[x]"
    assert format_cell(None, N, "ok") == "[x]"
    # Only counts and results are suppressed; a missing year is not available, not confidential.
    assert format_cell(pd.NA, YEAR, "suppressed") == "[x]"


def test_format_cell_fixed_decimals_and_other_types():
    assert format_cell(78.149, VALUE, "ok") == "78.1"
    assert format_cell(80, VALUE, "ok") == "80.0"
    assert format_cell(0.1 + 0.2, {"name": "x", "type": "number"}, None) == "0.3"
    assert format_cell(True, FLAG, None) == "true" and format_cell(False, FLAG, None) == "false"
    assert format_cell(None, TEXT, None) == "" and format_cell("Café", TEXT, None) == "Café"


SPEC = {"primary_key": ["code"], "fields": [
    {"name": "code", "type": "string"}, N, VALUE, {"name": "status", "type": "string"}]}
TABLE = pd.DataFrame({
    "status": ["ok", "suppressed", "not_available"],
    "code": ["B", "A", "C"],
    "n_respondents": pd.array([236, None, 40], dtype="Int64"),
    "value": pd.array([78.15, None, None], dtype="Float64"),
    "extra": [1, 2, 3],
})


def test_csv_bytes_exact_output():
    assert csv_bytes(TABLE, SPEC) == (
        b"code,n_respondents,value,status\n"
        b"A,[c],[c],suppressed\n"
        b"B,236,78.2,ok\n"
        b"C,40,[x],not_available\n")


def test_csv_bytes_same_bytes_whatever_the_row_order():
    shuffled = TABLE.sample(frac=1, random_state=3).reset_index(drop=True)
    assert csv_bytes(shuffled, SPEC) == csv_bytes(TABLE, SPEC)
    assert csv_bytes(TABLE.iloc[::-1], SPEC) == csv_bytes(TABLE, SPEC)


def test_csv_bytes_utf8_lf_no_bom():
    table = TABLE.assign(code=["Café", "Zoë", "Å"])
    data = csv_bytes(table, SPEC)
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r\n" not in data
    assert "Café" in data.decode("utf-8")
