"""results_labelled: the flat labelled copy of every published figure, never showing what the normalised table hides."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from build_data.labelled import labelled_mismatches, labelled_results
from build_data.package import csv_bytes

ROOT = Path(__file__).resolve().parents[2]
FIELDS = yaml.safe_load((ROOT / "build_data" / "metadata" / "fields.yml").read_text(encoding="utf-8"))
nan = float("nan")


def spec(name: str) -> dict:
    return FIELDS[name]


def tables() -> dict[str, pd.DataFrame]:
    experience = pd.DataFrame({
        "release_id": ["r1", "r1"], "survey_year": [2024, 2024], "geography_code": ["E", "A1"],
        "cohort_id": ["all", "all"], "question_id": ["q", "q"], "measure": ["percent_positive"] * 2,
        "n_respondents": pd.array([200, pd.NA], dtype="Int64"), "value": [80.0, nan], "ci_lower": [74.0, nan],
        "ci_upper": [85.0, nan], "ci_method": ["wilson", "none"], "status": ["ok", "suppressed"],
        "is_illustrative": [True, True], "is_revised": [False, False]})
    audit = pd.DataFrame({
        "release_id": ["a1"], "period": [2020], "geography_code": ["E"], "indicator_id": ["cns"],
        "numerator": pd.array([50], dtype="Int64"), "denominator": pd.array([100], dtype="Int64"), "value": [50.0],
        "ci_lower": [40.2], "ci_upper": [59.8], "status": ["ok"], "is_illustrative": [True], "is_revised": [True]})
    return {
        "experience_results": experience, "audit_indicators": audit,
        "crosswalk": pd.DataFrame({"release_id": ["r1"], "publisher_code": ["Q1"], "question_id": ["q"],
                                   "wording": ["=Did you feel heard?"], "comparability": ["new"]}),
        "questions": pd.DataFrame({"question_id": ["q"], "short_label": ["Felt heard"]}),
        "cohorts": pd.DataFrame({"cohort_id": ["all"], "label": ["Everyone"]}),
        "indicators": pd.DataFrame({"indicator_id": ["cns"], "label": ["Nurse contact"], "description": ["Share seen."]}),
        "geographies": pd.DataFrame({"geography_code": ["E", "A1"], "geography_name": ["England", "Alliance One"]}),
    }


def write(folder: Path, t: dict[str, pd.DataFrame]) -> None:
    (folder / "data").mkdir(parents=True, exist_ok=True)
    labelled = labelled_results(t)
    for name, table in (("experience_results", t["experience_results"]), ("audit_indicators", t["audit_indicators"]),
                        ("results_labelled", labelled)):
        (folder / "data" / f"{name}.csv").write_bytes(csv_bytes(table, spec(name)))


def rows(folder: Path) -> list[dict]:
    return pd.read_csv(folder / "data" / "results_labelled.csv", dtype=str, keep_default_na=False).to_dict("records")


def test_columns_are_exactly_those_fields_yml_declares():
    assert list(labelled_results(tables()).columns) == [f["name"] for f in spec("results_labelled")["fields"]]


def test_each_figure_carries_its_names_wording_and_numbers(tmp_path):
    write(tmp_path, tables())
    by_place = {(r["source_table"], r["geography_code"]): r for r in rows(tmp_path)}
    england = by_place[("experience_results", "E")]
    assert (england["area_name"], england["cohort_name"], england["label"]) == ("England", "Everyone", "Felt heard")
    assert england["wording"] == "'=Did you feel heard?"     # a formula-like wording is neutralised, as everywhere
    assert (england["year"], england["value"], england["ci_lower"], england["ci_upper"], england["n"]) == \
        ("2024", "80.0", "74.0", "85.0", "200")
    audit = by_place[("audit_indicators", "E")]
    assert (audit["year"], audit["n"], audit["wording"], audit["cohort_id"], audit["is_revised"]) == \
        ("2020", "100", "Share seen.", "", "true")


def test_a_suppressed_figure_shows_the_same_markers_as_the_normalised_table(tmp_path):
    write(tmp_path, tables())
    alliance = next(r for r in rows(tmp_path) if r["geography_code"] == "A1")
    assert [alliance[c] for c in ("value", "ci_lower", "ci_upper", "n", "status")] == ["[c]"] * 4 + ["suppressed"]
    assert labelled_mismatches(tmp_path) == []


def test_the_same_tables_give_the_same_bytes(tmp_path):
    write(tmp_path / "a", tables())
    shuffled = tables()
    shuffled["experience_results"] = shuffled["experience_results"].iloc[::-1].reset_index(drop=True)
    write(tmp_path / "b", shuffled)
    assert (tmp_path / "a/data/results_labelled.csv").read_bytes() == (tmp_path / "b/data/results_labelled.csv").read_bytes()


def test_a_labelled_value_the_normalised_table_hides_is_reported(tmp_path):
    write(tmp_path, tables())
    path = tmp_path / "data" / "results_labelled.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("[c],[c],[c],[c],suppressed", "61.0,[c],[c],[c],suppressed"), encoding="utf-8")
    problems = labelled_mismatches(tmp_path)
    assert len(problems) == 1 and "value: '61.0'" in problems[0] and "'[c]'" in problems[0]


def test_a_figure_missing_from_the_labelled_copy_is_reported(tmp_path):
    write(tmp_path, tables())
    path = tmp_path / "data" / "results_labelled.csv"
    path.write_text("\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                              if ",A1," not in line) + "\n", encoding="utf-8")
    assert any("missing from the labelled copy" in p for p in labelled_mismatches(tmp_path))
