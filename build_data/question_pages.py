"""Questions, crosswalk and published results in, one generated page per question out (plus an index)."""
from __future__ import annotations

import html

from . import describe

AUTO_KINDS = (("by_cohort", "cohorts_latest"), ("trend", "trend"), ("by_alliance", "alliances"))
COMPARABILITY_WORDS = {
    "new": "First year asked in this form",
    "same": "Same question as the year before",
    "wording_changed": "Wording changed slightly: compare with care",
    "response_options_changed": "Answer options changed: compare with care",
    "not_comparable": "Not comparable with earlier years",
}


def question_figure_specs(questions: dict, declared: dict, defaults: dict) -> dict:
    """Every question gets a groups chart, a trend and an alliances chart, unless figures.yml has one;
    defaults: their cohorts (site.yml question_pages)."""
    specs = {}
    for qid in questions:
        for suffix, kind in AUTO_KINDS:
            fid = f"{qid}_{suffix}"
            if fid in declared:
                continue
            spec = {"kind": kind, "question_id": qid}
            if kind == "trend":
                spec["cohorts"] = list(defaults["trend_cohorts"])
            if kind == "alliances":
                spec["cohort_id"] = defaults["alliance_cohort"]
            if kind == "cohorts_latest" and questions[qid]["measure"] == "percent_positive":
                spec["compare"] = list(defaults["compare"])
            specs[fid] = spec
    return specs


def wording_table(tables, question_id: str) -> str:
    cw = tables["crosswalk"].merge(tables["releases"][["release_id", "survey_year"]])
    cw = cw[cw["question_id"] == question_id].sort_values("survey_year")
    lines = ["| Survey year | Question number | Wording | Comparability |", "|---|---|---|---|"]
    for _, r in cw.iterrows():
        lines.append(f"| {r['survey_year']} | {html.escape(r['publisher_code'])} | {html.escape(r['wording'])} | "
                     f"{COMPARABILITY_WORDS.get(r['comparability'], r['comparability'])} |")
    return "\n".join(lines)


def question_page(question_id: str, q, tables, figure_html, facts: str = "") -> str:
    """facts: the release facts (release_facts.release_facts_html), shown under the title."""
    page = f"questions/{question_id}.md"
    block = lambda suffix: figure_html(f"{question_id}_{suffix}", page)
    measure = ("The result is the average rating from 0 to 10." if q["measure"] == "mean_0_10" else
               f"We count the people who answered: {html.escape(q['positive_answers'])}.")
    bars_help = "Each bar is one group of patients." + (
        "" if q["measure"] == "mean_0_10" else
        " The thin line at the end of a bar shows the range the true result is likely to be in.")
    return "\n".join([
        f"# {html.escape(q['short_label'])}", "", *([facts, ""] if facts else []),
        html.escape(q["explanation"]), "", measure, "",
        "## The question in each survey year", "",
        "Question numbers change from year to year. We match each year's question to this page.", "",
        wording_table(tables, question_id), "",
        "## Groups of patients compared", "", bars_help, "", block("by_cohort"), "",
        "## Over time", "", "Each point is one survey year.", "", block("trend"), "",
        "## Cancer Alliances", "",
        "These results are not adjusted for the mix of people each area treats. Do not use them to "
        "rank areas. The areas are in A to Z order. Where the lines of two areas overlap, the gap "
        "could be down to chance.", "", block("by_alliance"), ""])


def questions_index(tables) -> str:
    q = tables["questions"]
    lines = ["# Every question", "",
             "Each survey question has its own page: the wording each year, the groups of patients "
             "compared, the trend over time and the results for each Cancer Alliance.", "",
             "| Question | Topic | What it measures |", "|---|---|---|"]
    for _, r in q.iterrows():
        lines.append(f"| [{html.escape(r['short_label'])}]({r['question_id']}.md) | "
                     f"{r['topic'].replace('_', ' ')} | {html.escape(r['explanation'])} |")
    return "\n".join(lines) + "\n"
