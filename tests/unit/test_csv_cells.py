"""package.csv_bytes formats a column at a time: its bytes must be exactly those of csv.writer writing
format_cell's text cell by cell (the reference below, as package.py wrote them before)."""
from __future__ import annotations

import csv
import io
import random

import numpy as np
import pandas as pd
import pytest

from build_data.package import csv_bytes, format_cell


def reference_csv_bytes(table: pd.DataFrame, spec: dict) -> bytes:
    fields = spec["fields"]
    names = [f["name"] for f in fields]
    table = table[names].sort_values(spec["primary_key"], kind="stable").reset_index(drop=True)
    statuses = table["status"] if "status" in table else pd.Series([None] * len(table))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    columns = [table[n].tolist() for n in names]
    for i, status in enumerate(statuses.tolist()):
        writer.writerow([format_cell(col[i], f, status) for col, f in zip(columns, fields)])
    return out.getvalue().encode("utf-8")


SPEC = {"primary_key": ["key"], "fields": [
    {"name": "key", "type": "integer"},
    {"name": "label", "type": "string"},
    {"name": "mixed", "type": "string"},
    {"name": "n_respondents", "type": "integer"},
    {"name": "count_as_float", "type": "integer", "missing": "[z]"},
    {"name": "percent", "type": "number", "decimals": 1},
    {"name": "ratio", "type": "number"},
    {"name": "flag", "type": "boolean"},
    {"name": "status", "type": "string"},
]}
TEXTS = ["plain", "a,b", 'say "hi"', "two\nlines", "cr\rhere", "=SUM(A1)", "+1", "-x", "@me", "\ttab", "", "é ü"]


def random_table(rng: random.Random, rows: int, negative_zero: bool) -> pd.DataFrame:
    floats = [rng.choice([0.05, 0.15, 2.25, 99.95, 1e-12, 123456.789, 0.0, float("nan")]) for _ in range(rows)]
    if negative_zero:
        floats[rng.randrange(rows)] = -0.0
    return pd.DataFrame({
        "key": rng.sample(range(rows * 3), rows),
        "label": pd.array([rng.choice(TEXTS + [None]) for _ in range(rows)], dtype="str"),
        "mixed": [rng.choice([1, 1.0, True, "1", None, float("nan"), pd.NA, "x,y"]) for _ in range(rows)],
        "n_respondents": pd.array([rng.choice([0, 5, 12, None]) for _ in range(rows)], dtype="Int64"),
        "count_as_float": [rng.choice([3.0, 7.9, float("nan")]) for _ in range(rows)],
        "percent": pd.array(floats, dtype="Float64"),
        "ratio": floats,
        "flag": [rng.random() < 0.5 for _ in range(rows)],
        "status": [rng.choice(["published", "suppressed", "withheld"]) for _ in range(rows)],
    })


@pytest.mark.parametrize("seed", range(6))
def test_csv_bytes_match_the_cell_by_cell_writer(seed):
    rng = random.Random(seed)
    table = random_table(rng, rows=rng.randint(1, 300), negative_zero=seed % 2 == 1)
    assert csv_bytes(table, SPEC) == reference_csv_bytes(table, SPEC)


def test_text_columns_held_as_python_objects_and_a_nan_a_nullable_float_keeps_are_written_alike():
    table = pd.DataFrame({"key": [2, 1, 3], "label": pd.Series(["b,1", None, "=a"], dtype=object),
                          "percent": pd.array([1.25, 0.0, 2.0], dtype="Float64")})
    table["percent"] = table["percent"] / pd.array([1.0, 0.0, 1.0], dtype="Float64")   # 0/0: a NaN, not NA
    spec = {"primary_key": ["key"], "fields": [{"name": "key", "type": "integer"},
                                               {"name": "label", "type": "string"},
                                               {"name": "percent", "type": "number", "decimals": 1}]}
    assert csv_bytes(table, spec) == reference_csv_bytes(table, spec)
    assert csv_bytes(table, spec).decode().splitlines()[1:] == ["1,,[x]", '2,"b,1",1.2', "3,'=a,2.0"]


def test_a_one_column_table_quotes_its_empty_cells_as_csv_writer_does():
    table = pd.DataFrame({"label": ["", "a"]})
    spec = {"primary_key": ["label"], "fields": [{"name": "label", "type": "string"}]}
    assert csv_bytes(table, spec) == reference_csv_bytes(table, spec) == b'label\n""\na\n'


def test_a_large_column_of_few_values_is_formatted_the_same():
    rng = np.random.default_rng(7)
    table = pd.DataFrame({"key": np.arange(5000),
                          "percent": pd.array(rng.integers(0, 1000, 5000) / 10, dtype="Float64"),
                          "n_respondents": pd.array(rng.integers(0, 50, 5000), dtype="Int64")})
    table.loc[::7, "n_respondents"] = pd.NA
    table["status"] = np.where(table["n_respondents"].isna(), "suppressed", "published")
    spec = {"primary_key": ["key"], "fields": [{"name": "key", "type": "integer"},
                                               {"name": "percent", "type": "number", "decimals": 1},
                                               {"name": "n_respondents", "type": "integer"},
                                               {"name": "status", "type": "string"}]}
    assert csv_bytes(table, spec) == reference_csv_bytes(table, spec)
    assert b",[c],suppressed\n" in csv_bytes(table, spec)


def key_table(rng: random.Random, rows: int) -> pd.DataFrame:
    return pd.DataFrame({
        "text": pd.array([rng.choice(["b", "a", "B", "é", "", "a b", None]) for _ in range(rows)], dtype="str"),
        "object_text": pd.Series([rng.choice(["x", "y", "Z", None]) for _ in range(rows)], dtype=object),
        "count": pd.array([rng.choice([3, -1, 0, 12, None]) for _ in range(rows)], dtype="Int64"),
        "year": [rng.choice([2024, 2021, 2023]) for _ in range(rows)],
        "flag": [rng.random() < 0.5 for _ in range(rows)],
        "ratio": [rng.choice([0.5, -0.0, 0.0, float("nan"), 2.0]) for _ in range(rows)],
        "objects": [rng.choice([1, 3, None, 2.5]) for _ in range(rows)],   # not text: left to pandas
    }, index=rng.sample(range(rows * 2), rows))


@pytest.mark.parametrize("keys", [["text"], ["object_text", "text"], ["count", "year", "flag"],
                                  ["year", "text", "object_text", "count"], ["ratio", "text"], ["objects", "year"]])
def test_sorted_positions_are_the_stable_sort_of_pandas(keys):
    from build_data.package import sorted_positions
    rng = random.Random(len(keys))
    table = key_table(rng, rows=400)
    expected = table.reset_index(drop=True).sort_values(keys, kind="stable").index.to_numpy()
    assert sorted_positions(table, keys).tolist() == expected.tolist()
    assert not (table["text"].isna().all() or table["count"].isna().all())   # missing values sort last, among others


def test_sorted_positions_of_more_keys_than_one_integer_holds():
    from build_data.package import sorted_positions
    rng = np.random.default_rng(3)
    table = pd.DataFrame({f"k{i}": rng.integers(0, 1000, 2000) for i in range(8)})   # 1001**8 > 2**63
    keys = list(table.columns)
    expected = table.sort_values(keys, kind="stable").index.to_numpy()
    assert sorted_positions(table, keys).tolist() == expected.tolist()
