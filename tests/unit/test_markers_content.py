"""markers, area_lists and support: each sentence's year is its own figure's year in a partial
release, key findings come from figures.yml, every trust is listed, support comes from metadata."""
from __future__ import annotations

import types

import pandas as pd
import pytest

from build_data import area_lists, support
from build_data.errors import MarkerUnknown, MetadataInvalid
from build_data.markers import MarkerResolver

ENGLAND = "E92000001"


def result(year, cohort, question, value, geo=ENGLAND, lower=None, upper=None, n=500):
    return {"survey_year": year, "geography_code": geo, "cohort_id": cohort, "question_id": question,
            "measure": "mean_0_10" if question == "rating" else "percent_positive", "n_respondents": n,
            "value": value, "ci_lower": lower, "ci_upper": upper, "status": "ok"}


def catalogue(results):
    geo = pd.DataFrame([
        {"geography_code": ENGLAND, "geography_name": "England", "geography_type": "country", "parent_code": None},
        {"geography_code": "ZCA02", "geography_name": "Yarrow Alliance", "geography_type": "cancer_alliance", "parent_code": ENGLAND},
        {"geography_code": "ZCA01", "geography_name": "Bramble Alliance", "geography_type": "cancer_alliance", "parent_code": ENGLAND},
        {"geography_code": "T2", "geography_name": "zeta Trust", "geography_type": "trust", "parent_code": "ZCA01"},
        {"geography_code": "T1", "geography_name": "Alpha Trust", "geography_type": "trust", "parent_code": "ZCA02"},
    ])
    tables = {"experience_results": pd.DataFrame(results), "geographies": geo}
    questions = pd.DataFrame([
        {"question_id": "contact", "short_label": "Had a main contact person", "positive_answers": "Yes"},
        {"question_id": "rating", "short_label": "Overall rating of care", "positive_answers": ""}]).set_index("question_id")
    cat = types.SimpleNamespace(tables=tables, england=ENGLAND, geo=geo.set_index("geography_code"),
                                cohort_labels={"secondary": "Secondary breast cancer", "all": "All cancers"},
                                questions=questions)
    cat.experience = lambda q: cat.tables["experience_results"].pipe(lambda t: t[t["question_id"] == q]).rename(
        columns={"n_respondents": "n"})
    return cat


def resolver(results, figures=None):
    config = types.SimpleNamespace(figures=figures or {}, metadata_dir=None)
    return MarkerResolver(catalogue(results), lambda fid, page: "", config)


PARTIAL = [result(2024, "secondary", "rating", 8.7), result(2024, "all", "rating", 8.9),
           result(2025, "secondary", "contact", 80.0, lower=76.0, upper=84.0),
           result(2025, "all", "contact", 90.0, lower=89.8, upper=90.2, n=50000),
           result(2024, "secondary", "contact", 70.0, lower=66.0, upper=74.0),
           result(2024, "all", "contact", 88.0, lower=87.7, upper=88.3, n=50000)]


def test_a_question_missing_from_the_latest_release_states_its_own_year():
    r = resolver(PARTIAL)
    text = r.resolve("In {{ stat_year:rating:secondary }}, {{ stat:rating:secondary }}.", "p.md", "p.md")
    assert text == "In 2024, 8.7 out of 10."
    assert r.resolve("In {{ stat_year:contact:secondary }}, {{ stat:contact:secondary }}.", "p.md", "p.md") == (
        "In 2025, 80% (95% confidence interval 76% to 84%).")


def test_a_suppressed_latest_value_falls_back_to_the_latest_shown_year():
    rows = PARTIAL + [result(2026, "secondary", "contact", None), result(2026, "all", "contact", 91.0, n=50000)]
    assert resolver(rows).resolve("{{ stat_year:contact:secondary }}", "p.md", "p.md") == "2025"


def test_compare_is_in_the_stats_year_and_says_not_compared_when_the_other_group_lacks_it():
    rows = PARTIAL + [result(2026, "secondary", "contact", 85.0, lower=80.0, upper=89.0)]
    r = resolver(rows)
    assert r.resolve("{{ compare:contact:secondary:all }}", "p.md", "p.md") == "not compared with"
    assert resolver(PARTIAL).resolve("{{ compare:contact:secondary:all }}", "p.md", "p.md") == "lower than"


def test_key_findings_come_from_figures_yml_in_their_own_year():
    figures = {"a": {"kind": "cohorts_latest", "question_id": "rating", "compare": ["secondary", "all"], "key_finding": True},
               "b": {"kind": "cohorts_latest", "question_id": "contact", "compare": ["secondary", "all"]}}
    text = resolver(PARTIAL, figures).resolve("{{ key_findings }}", "index.md", "index.md")
    assert text == "- **Overall rating of care:** 8.7 out of 10 on average for people with secondary breast cancer in 2024."


def test_key_findings_without_any_declared_is_an_error():
    with pytest.raises(MarkerUnknown, match="key_finding"):
        resolver(PARTIAL, {}).resolve("{{ key_findings }}", "index.md", "index.md")


def test_a_key_finding_without_compare_is_an_error_naming_figures_yml():
    with pytest.raises(MarkerUnknown) as e:
        resolver(PARTIAL, {"a": {"question_id": "rating", "key_finding": True}}).resolve("{{ key_findings }}", "i.md", "i.md")
    assert "figures.yml" in str(e.value.file)


def test_hospital_list_has_every_trust_a_to_z_linking_to_its_alliance():
    html = area_lists.hospital_list(catalogue(PARTIAL), "your-area.md")
    assert html.index("Alpha Trust") < html.index("zeta Trust")
    assert 'Alpha Trust</th><td data-label="Cancer Alliance"><a href="#area-zca02">Yarrow Alliance</a>' in html
    assert html.startswith("<details") and "(2)" in html


def test_area_results_list_alliances_a_to_z_after_england_with_their_year():
    rows = PARTIAL + [result(2025, "secondary", "contact", 75.0, geo="ZCA01", lower=60.0, upper=85.0),
                      result(2025, "secondary", "contact", None, geo="ZCA02")]
    html = area_lists.area_results(catalogue(rows), "secondary", ["contact"])
    assert html.index("England") < html.index("Bramble") < html.index("Yarrow")
    assert "Had a main contact person (2025)" in html and 'id="area-zca01"' in html
    assert "75% (95% confidence interval 60% to 85%)" in html and "[c]" in html


def test_support_reads_contacts_and_refuses_a_bad_row(tmp_path):
    rows = support.read_support()
    assert any(r["phone"] == "111" for r in rows) and any(r["phone"] == "999" for r in rows)
    text = support.routes_markdown(rows)
    assert "[0808 800 6000](tel:08088006000)" in text and "(https://breastcancernow.org)" in text
    line = support.support_line(rows, "findings/main-contact.md")
    assert "(tel:111)" in line and "(tel:999)" in line and "(../getting-support.md)" in line
    (tmp_path / "support.csv").write_text("group,name,what_for,phone,website,note\n"
                                          "charity,Somewhere,help,call us,,\n", encoding="utf-8")
    with pytest.raises(MetadataInvalid) as e:
        support.read_support(tmp_path)
    assert e.value.line == 2 and e.value.key == "phone"


def test_area_results_take_an_audit_indicator_in_its_latest_shown_period():
    cat = catalogue(PARTIAL)
    cat.indicators = pd.DataFrame([{"indicator_id": "mdt", "label": "Discussed by a team"}]).set_index("indicator_id")
    audit = lambda period, geo, value: {"period": period, "geography_code": geo, "indicator_id": "mdt", "numerator": 1,
                                        "denominator": 100, "value": value, "ci_lower": None if value is None else value - 5,
                                        "ci_upper": None if value is None else value + 5, "status": "ok"}
    cat.tables["audit_indicators"] = pd.DataFrame([audit(2020, ENGLAND, 70.0), audit(2020, "ZCA01", 60.0),
                                                   audit(2021, "ZCA01", None), audit(2021, ENGLAND, 72.0)])
    html = area_lists.area_results(cat, "secondary", ["mdt"])
    assert "Discussed by a team (audit, people diagnosed in 2020)" in html
    assert "60% (95% confidence interval 55% to 65%)" in html and "70%" in html and "72%" not in html
    with pytest.raises(KeyError, match="neither"):
        area_lists.area_results(cat, "secondary", ["nothing"])
