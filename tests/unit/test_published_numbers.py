"""published.numbers: the render's typed columns read each number as pandas' to_numeric reads it (the same values,
in less time), markers and blanks as missing."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from build_data.published import MARKERS, numbers, typed_resource

CELLS = ["12", "0", "-3", "007", "", "[c]", "[x]", "[z]", "1e3", "78.2", "0.1", "99.95", "-0.0", "123456.789",
         "2.675", "1.0000000000000002", "5e-324"]


def as_before(text: pd.Series, kind: str) -> pd.Series:
    """What the render's reader did before numbers: pandas' to_numeric on the cells that are not markers/blank."""
    values = pd.to_numeric(text.where(~text.isin(MARKERS + [""])), errors="raise")
    return values.astype("Int64" if kind == "integer" else "Float64")


def test_numbers_are_the_values_to_numeric_reads():
    text = pd.Series(CELLS, name="value")
    got = numbers(text, text.isin(MARKERS) | text.eq(""), "number")
    assert got.dtype == "Float64"
    pd.testing.assert_series_equal(got, as_before(text, "number"), check_names=False)


def test_integers_beyond_floats_exact_range_are_read_as_to_numeric_reads_them():
    for cells in (["9007199254740993", "12"], ["9007199254740993", "[c]", "12", ""]):   # 2**53 + 1
        text = pd.Series(cells)
        got = numbers(text, text.isin(MARKERS) | text.eq(""), "integer")
        pd.testing.assert_series_equal(got, as_before(text, "integer"))
    assert got.isna().tolist() == [False, True, False, True]
    small = pd.Series(["12", "", "-4", "1e3"])
    pd.testing.assert_series_equal(numbers(small, small.eq(""), "integer"), as_before(small, "integer"))


def test_a_cell_that_is_not_a_number_is_an_error():
    text = pd.Series(["12", "twelve"])
    with pytest.raises(ValueError):
        numbers(text, text.eq(""), "number")


def test_a_typed_resource_keeps_markers_beside_its_numbers():
    resource = {"schema": {"fields": [{"name": "n", "type": "integer"}, {"name": "ok", "type": "boolean"},
                                      {"name": "code", "type": "string"}]}}
    raw = pd.DataFrame({"n": ["5", "[c]", ""], "ok": ["true", "false", "true"], "code": ["a", "[c]", ""]})
    typed = typed_resource(raw, resource)
    assert list(typed.columns) == ["n", "n_marker", "ok", "code"]
    assert typed["n"].tolist()[0] == 5 and typed["n"].isna().tolist() == [False, True, True]
    assert typed["n_marker"].tolist() == ["", "[c]", ""] and typed["ok"].tolist() == [True, False, True]
    assert typed["code"].tolist() == ["a", "[c]", ""] and np.array_equal(typed.index, raw.index)
