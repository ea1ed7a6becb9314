"""The readers' text cleaning done once per distinct cell text (build_data/readers/tables.per_distinct) against
the cell-by-cell pandas string methods it replaced, kept here as the reference: on random columns with
spaces, missing marks, thousands separators, percentages and bad cells, both give the same values and
dtypes, or the same error naming the same row and column."""
from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from build_data.errors import ValueNotNumeric
from build_data.readers.cells import MISSING_MARKS, NUMBER, normalise_code, normalise_name, parse_numbers
from build_data.readers.tables import MISSING, SOURCE_ROW, THOUSANDS, heading, strip_text


# ---- the reference: pandas string methods over every cell, as before ----------------------------------------

def reference_parse_numbers(table: pd.DataFrame, column: str, *, file, sheet=None, integer=False) -> pd.Series:
    missing = table.attrs.get(MISSING, MISSING_MARKS)
    text = table[column].astype(str).str.strip()
    is_missing = text.isin(missing)
    separator = table.attrs.get(THOUSANDS, ",")
    if separator:
        text = text.str.replace(separator, "", regex=False)
    text = text.str.rstrip("%").str.strip()
    is_missing |= text.isin(missing)
    bad = ~is_missing & ~text.str.match(NUMBER)
    if integer:
        bad |= ~is_missing & text.str.contains(".", regex=False) & ~text.str.match(r"^-?\d+\.0+$")
    if bad.any():
        i = bad.idxmax()
        kind = "a whole number" if integer else "a number"
        raise ValueNotNumeric(f"{table.at[i, column]!r} is not {kind}.", file=file, sheet=sheet,
                              row=int(table.at[i, SOURCE_ROW]), column=heading(table, column),
                              fix="Correct the cell, or declare the fix in corrections.yml if the publisher's file is wrong.")
    values = pd.to_numeric(text.where(~is_missing), errors="coerce")
    if integer:
        return values.round().astype("Int64")
    return values.astype("Float64")


def reference_normalise_name(names: pd.Series) -> pd.Series:
    cleaned = names.astype(str).str.strip().str.replace(r"\s+", " ", regex=True)
    shouted = cleaned.str.isupper()
    return cleaned.where(~shouted, cleaned.str.title())


def reference_normalise_code(codes: pd.Series) -> pd.Series:
    return codes.astype(str).str.strip().str.upper()


# ---- random columns ----------------------------------------------------------------------------------------

def padded(rng: random.Random, text: str) -> str:
    return rng.choice(["", " ", "  ", "\t"]) + text + rng.choice(["", " ", "\u00a0", "  "])


def number_text(rng: random.Random, bad_rate: float) -> str:
    roll = rng.random()
    if roll < bad_rate:
        return padded(rng, rng.choice(["abc", "1.2.3", "12a", "1.5", "--", "1 000"]))
    if roll < 0.15:
        return padded(rng, rng.choice(sorted(MISSING_MARKS)))
    n = rng.choice([0, 1, 7, 42, 999, 1234, 56789, -3])
    text = rng.choice([str(n), f"{n:,}", f"{n}.0", f"{n}%", f"{n / 10:.1f}"])
    return padded(rng, text)


def random_table(seed: int, rows: int = 200, bad_rate: float = 0.0, **attrs) -> pd.DataFrame:
    rng = random.Random(seed)
    table = pd.DataFrame({
        "n": [number_text(rng, bad_rate) for _ in range(rows)],
        "name": [padded(rng, rng.choice(["NORTH  EAST", "north east", "South West", "LONDON", "St. Helens  Trust", ""]))
                 for _ in range(rows)],
        "code": [padded(rng, rng.choice(["e01", "E01", "r1k", "", "x 2"])) for _ in range(rows)],
    }, dtype=str)
    table.index = pd.RangeIndex(5, 5 + rows)   # not starting at 0: positions and labels differ
    table[SOURCE_ROW] = range(3, 3 + rows)
    table.attrs.update(attrs)
    return table


def outcome(parse, table, column, integer):
    try:
        return parse(table, column, file="f.csv", sheet="S", integer=integer)
    except ValueNotNumeric as error:
        return (str(error), error.row, error.column)


@pytest.mark.parametrize("seed", range(24))
def test_numbers_parse_as_cell_by_cell(seed):
    rng = random.Random(seed)
    attrs = rng.choice([{}, {THOUSANDS: ""}, {MISSING: ("[c]", "[x]", "")}, {THOUSANDS: ",", MISSING: ("*",)}])
    table = random_table(seed, bad_rate=rng.choice([0.0, 0.0, 0.01, 0.2]), **attrs)
    for integer in (False, True):
        expected = outcome(reference_parse_numbers, table, "n", integer)
        got = outcome(parse_numbers, table, "n", integer)
        if isinstance(expected, pd.Series):
            pd.testing.assert_series_equal(got, expected, check_exact=True)
        else:
            assert got == expected


@pytest.mark.parametrize("seed", range(20))
def test_names_codes_and_stripped_text_as_cell_by_cell(seed):
    table = random_table(seed)
    pd.testing.assert_series_equal(normalise_name(table["name"]), reference_normalise_name(table["name"]))
    pd.testing.assert_series_equal(normalise_code(table["code"]), reference_normalise_code(table["code"]))
    for column in ("n", "name", "code"):
        pd.testing.assert_series_equal(strip_text(table[column]), table[column].str.strip())


def test_missing_cells_stay_missing_and_a_blank_column_parses():
    table = pd.DataFrame({"n": pd.array([" 1 ", np.nan, "2", np.nan], dtype="str")}, index=[9, 8, 7, 6])
    table[SOURCE_ROW] = [2, 3, 4, 5]
    pd.testing.assert_series_equal(strip_text(table["n"]), table["n"].str.strip())
    assert outcome(parse_numbers, table, "n", True) == outcome(reference_parse_numbers, table, "n", True)
    empty = table.iloc[:0]
    pd.testing.assert_series_equal(parse_numbers(empty, "n", file="f.csv", integer=True),
                                   reference_parse_numbers(empty, "n", file="f.csv", integer=True))


def test_the_first_bad_cell_is_the_one_named():
    table = random_table(1, rows=50)
    table["n"] = "7"
    table.loc[20, "n"], table.loc[40, "n"] = "x1", "oops"
    with pytest.raises(ValueNotNumeric, match="'x1' is not a number") as error:
        parse_numbers(table, "n", file="f.csv")
    assert error.value.row == int(table.at[20, SOURCE_ROW])


@pytest.mark.parametrize("dtype", ["str", object])
def test_distinct_values_give_back_every_cell_and_keep_a_missing_one(dtype):
    from build_data.readers.tables import distinct_values
    cells = ["b", " a", None, "b", "", None, " a"] if dtype is object else ["b", " a", np.nan, "b", "", np.nan, " a"]
    column = pd.Series(cells, dtype=dtype, index=range(10, 17))
    codes, distinct = distinct_values(column)
    assert distinct.dtype == column.dtype and len(distinct) == 4      # b, " a", "", and missing once
    rebuilt = distinct.to_numpy(dtype=object)[codes]
    assert [None if pd.isna(v) else v for v in rebuilt] == [None if pd.isna(v) else v for v in cells]
    if dtype is object:
        assert rebuilt[2] is None                                      # the missing value as it was
    counts = pd.Series(pd.array([3, None, 3], dtype="Int64"))
    codes, distinct = distinct_values(counts)
    assert codes.tolist() == [0, 1, 0] and distinct.dtype == counts.dtype and pd.isna(distinct[1])
