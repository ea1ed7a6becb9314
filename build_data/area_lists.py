"""The package's geographies and results in, the Your area page's no-JavaScript lists out: every
hospital trust A to Z with a link to its Cancer Alliance, and each Alliance's results beside
England's. Alliance and trust levels are the geography types the package declares."""
from __future__ import annotations

from . import describe
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
    shown = rows[rows["value"].notna()]
    return int((shown if len(shown) else rows)["survey_year"].max())


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



def area_results(cat, cohort_id: str, question_ids) -> str:
    """One row per Alliance, A to Z (England first): each question's result and its survey year."""
    if not question_ids:
        raise KeyError("area_results needs at least one question id after the cohort")
    cohort = cat.cohort_labels[cohort_id]
    years = {q: area_year(cat, q, cohort_id) for q in question_ids}
    labels = {q: cat.questions.loc[q, "short_label"] for q in question_ids}
    headers = ["Area"] + [f"{labels[q]} ({years[q]})" for q in question_ids]
    t = cat.tables["experience_results"].rename(columns={"n_respondents": "n"})
    areas = [(cat.england, cat.geo.loc[cat.england, "geography_name"] + " (for comparison)")]
    areas += list(zip(alliances(cat)["geography_code"], alliances(cat)["geography_name"]))
    rows, ids = [], []
    for code, name in areas:
        cells = [name]
        for q in question_ids:
            hit = t[(t["question_id"] == q) & (t["cohort_id"] == cohort_id) & (t["geography_code"] == code)
                    & (t["survey_year"] == years[q])]
            cells.append("no result" if hit.empty else describe.fmt_stat(hit.iloc[0])
                         + (" [u]" if not hit.empty and hit.iloc[0]["status"] == "low_reliability" else ""))
        rows.append(cells)
        ids.append(area_anchor(code))
    return stacked_table(f"Results for {cohort.lower()} by Cancer Alliance, A to Z, with England first. "
                         "[c] means suppressed: too few people answered. [u] means based on few people: "
                         "less reliable.", headers, rows, ids)
