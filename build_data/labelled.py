"""The published results tables in, one flat labelled table out (results_labelled): every published figure,
experience results and audit indicators, with the question's wording for its release and the names of its
group and place, so a spreadsheet makes sense without joins.

It is a copy, never a source: each value, interval, n and status is the normalised table's own cell (after
disclosure control and revision marking), so the labelled file cannot show a number the normalised one hides.
A check (labelled_mismatches) reads both published CSVs back and compares them cell by cell.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

NAME = "results_labelled"
COPIED = ("value", "ci_lower", "ci_upper", "status", "is_illustrative", "is_revised")
# labelled column: the normalised table's column it copies, per source table
SOURCES = {
    "experience_results": {"year": "survey_year", "item_id": "question_id", "n": "n_respondents"},
    "audit_indicators": {"year": "period", "item_id": "indicator_id", "n": "denominator"},
}
COLUMNS = ["source_table", "release_id", "year", "geography_code", "area_name", "cohort_id", "cohort_name", "item_id",
           "label", "wording", "measure", "value", "ci_lower", "ci_upper", "n", "status", "is_illustrative", "is_revised"]
KEY = {"experience_results": ["release_id", "geography_code", "cohort_id", "question_id"],
       "audit_indicators": ["release_id", "period", "geography_code", "indicator_id"]}


def experience_rows(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    t = tables["experience_results"]
    wording = (tables["crosswalk"].drop_duplicates(["release_id", "question_id"])
               .set_index(["release_id", "question_id"])["wording"])
    labels = tables["questions"].set_index("question_id")["short_label"]
    cohorts = tables["cohorts"].set_index("cohort_id")["label"]
    keys = pd.MultiIndex.from_arrays([t["release_id"], t["question_id"]])
    return pd.DataFrame({
        "source_table": "experience_results", "release_id": t["release_id"], "year": t["survey_year"],
        "geography_code": t["geography_code"], "cohort_id": t["cohort_id"],
        "cohort_name": t["cohort_id"].map(cohorts).fillna(""), "item_id": t["question_id"],
        "label": t["question_id"].map(labels).fillna(""),
        "wording": pd.Series(wording.reindex(keys).to_numpy(), index=t.index).fillna(""),
        "measure": t["measure"], "n": t["n_respondents"], **{c: t[c] for c in COPIED}})


def audit_rows(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    t = tables["audit_indicators"]
    indicators = tables["indicators"].set_index("indicator_id")
    return pd.DataFrame({
        "source_table": "audit_indicators", "release_id": t["release_id"], "year": t["period"],
        "geography_code": t["geography_code"], "cohort_id": "", "cohort_name": "", "item_id": t["indicator_id"],
        "label": t["indicator_id"].map(indicators["label"]).fillna(""),
        "wording": t["indicator_id"].map(indicators["description"]).fillna(""),
        "measure": "percent", "n": t["denominator"], **{c: t[c] for c in COPIED}})


def labelled_results(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Published tables in (with is_revised marked), the flat labelled table out (column order: fields.yml)."""
    frames = [f for f in (experience_rows(tables), audit_rows(tables)) if not f.empty]
    rows = pd.concat(frames, ignore_index=True)
    places = tables["geographies"].set_index("geography_code")["geography_name"]
    rows.insert(rows.columns.get_loc("geography_code") + 1, "area_name", rows["geography_code"].map(places).fillna(""))
    for column in ("year", "n"):
        rows[column] = pd.array(rows[column], dtype="Int64")
    return rows[COLUMNS]


def read_cells(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / "data" / f"{name}.csv", dtype=str, keep_default_na=False)


def labelled_mismatches(folder: Path) -> list[str]:
    """A written package folder in, every labelled cell that differs from its normalised table's cell out
    (a value shown in one and hidden in the other is a difference); empty is the only pass."""
    if not (folder / "data" / f"{NAME}.csv").exists():
        return []
    labelled = read_cells(folder, NAME)
    problems = []
    for table, columns in SOURCES.items():
        source = read_cells(folder, table)
        mine = labelled[labelled["source_table"] == table].rename(columns=columns)
        merged = mine.merge(source, on=KEY[table], how="outer", suffixes=("", "_published"), indicator=True)
        for side, what in (("left_only", "is not in"), ("right_only", "is missing from the labelled copy of")):
            for _, row in merged[merged["_merge"] == side].head(3).iterrows():
                problems.append(f"{NAME} row {tuple(row[k] for k in KEY[table])} {what} {table}")
        both = merged[merged["_merge"] == "both"]
        for column in (*COPIED, columns["n"]):
            differ = both[both[column] != both[f"{column}_published"]]
            for _, row in differ.head(3).iterrows():
                problems.append(f"{NAME} {tuple(row[k] for k in KEY[table])} {column}: {row[column]!r}, "
                                f"but {table} publishes {row[column + '_published']!r}")
    return problems
