"""The package's geographies and results in, the Your area page's no-JavaScript lists out: every
hospital trust A to Z with a link to its Cancer Alliance, and each Alliance's results beside
England's. Alliance and trust levels are the geography types the package declares."""
from __future__ import annotations

from . import describe
from .figures import latest_with_data
from .html_tables import stacked_table

ALLIANCE_TYPE = "cancer_alliance"
TRUST_TYPE = "trust"


def area_anchor(code: str) -> str:
    return f"area-{code.lower()}"


def alliances(cat):
    geo = cat.geo.reset_index()
    return geo[geo["geography_type"] == ALLIANCE_TYPE].sort_values("geography_name", key=lambda s: s.str.lower())


def area_rows(cat, question_id: str, cohort_id: str):
    rows = cat.experience(question_id)
    codes = set(alliances(cat)["geography_code"])
    return rows[rows["geography_code"].isin(codes) & (rows["cohort_id"] == cohort_id)]


def area_year(cat, question_id: str, cohort_id: str) -> int:
    """The latest survey year with a shown (not suppressed) Alliance result; else the latest with any row."""
    rows = area_rows(cat, question_id, cohort_id)
    if rows.empty:
        raise KeyError(f"no Cancer Alliance results for {question_id} and {cohort_id}")
    return int(latest_with_data(rows, "survey_year"))   # the year the alliance chart beside it shows


def hospital_list(cat, page: str) -> str:
    """Every trust, A to Z, linking to its Alliance's row in the results table on the same page."""
    geo = cat.geo.reset_index()
    trusts = geo[geo["geography_type"] == TRUST_TYPE].sort_values("geography_name", key=lambda s: s.str.lower())
    names = dict(zip(geo["geography_code"], geo["geography_name"]))
    rows, missing = [], []
    for _, t in trusts.iterrows():
        parent = t["parent_code"]
        if parent not in names:
            missing.append(t["geography_code"])
            continue
        rows.append([t["geography_name"], f"[{names[parent]}](#{area_anchor(parent)})"])
    if missing:
        raise KeyError(f"trusts with no Cancer Alliance in geographies: {', '.join(missing)}")
    table = stacked_table(f"Hospital trusts, A to Z ({len(rows)}), and their Cancer Alliance",
                          ["Hospital trust", "Cancer Alliance"], rows)
    # Raw HTML at the start of a line: a closed <details> needs no script and keeps the links out of
    # the Tab order until the reader opens it.
    return f'<details class="note hospital-list">\n<summary>Hospital trusts from A to Z</summary>\n{table}\n</details>'



def survey_column(cat, cohort_id: str, question_id: str):
    """(header, {geography_code: cell}) for one survey question, in its latest Alliance year."""
    year = area_year(cat, question_id, cohort_id)
    t = cat.tables["experience_results"]
    rows = t[(t["question_id"] == question_id) & (t["cohort_id"] == cohort_id) & (t["survey_year"] == year)]
    return f"{cat.questions.loc[question_id, 'short_label']} ({year})", rows


def audit_column(cat, indicator_id: str):
    """(header, rows) for one audit indicator, in the latest period with a shown Alliance value."""
    t = cat.tables["audit_indicators"].rename(columns={"denominator": "n"})
    t = t[t["indicator_id"] == indicator_id].assign(measure="percent_positive")
    codes = set(alliances(cat)["geography_code"])
    at_areas = t[t["geography_code"].isin(codes)]
    shown = at_areas[at_areas["value"].notna()]
    period = (shown if len(shown) else at_areas)["period"].max()
    label = cat.indicators.loc[indicator_id, "label"]
    return f"{label} (audit, people diagnosed in {period})", t[t["period"] == period]


def result_cell(rows, code: str) -> str:
    hit = rows[rows["geography_code"] == code]
    if hit.empty:
        return "no result"
    row = hit.iloc[0]
    return describe.fmt_stat(row) + (" [u]" if row.get("status") == "low_reliability" else "")


def area_results(cat, cohort_id: str, ids) -> str:
    """One row per Alliance, A to Z (England first): each survey question's result for the cohort, or
    each audit indicator's, with the year it comes from. An id is looked up in the package's
    questions, then its audit indicators."""
    if not ids:
        raise KeyError("area_results needs at least one question or indicator id after the cohort")
    cohort = cat.cohort_labels[cohort_id]
    indicators = getattr(cat, "indicators", None)
    columns = []
    for item in ids:
        if item in cat.questions.index:
            columns.append(survey_column(cat, cohort_id, item))
        elif indicators is not None and item in indicators.index:
            columns.append(audit_column(cat, item))
        else:
            raise KeyError(f"{item} is neither a question nor an audit indicator")
    areas = [(cat.england, cat.geo.loc[cat.england, "geography_name"] + " (for comparison)")]
    areas += list(zip(alliances(cat)["geography_code"], alliances(cat)["geography_name"]))
    rows = [[name] + [result_cell(data, code) for _, data in columns] for code, name in areas]
    return stacked_table(f"Results for {cohort.lower()} by Cancer Alliance, A to Z, with England first. "
                         "[c] means suppressed: too few people answered. [u] means based on few people: "
                         "less reliable.", ["Area"] + [header for header, _ in columns], rows,
                         [area_anchor(code) for code, _ in areas])
