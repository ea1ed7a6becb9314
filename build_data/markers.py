"""Page templates with {{ markers }} in, Markdown with numbers and figures bound to the package out."""
from __future__ import annotations

import re

from . import area_lists, describe, html_tables, support
from .errors import MarkerUnknown
from .pages import root_of
from .release_facts import release_facts_html

MARKER = re.compile(r"\{\{\s*([a-z_]+)((?::[A-Za-z0-9_\-]+)*)\s*\}\}")


class MarkerResolver:
    """Resolves every marker a page may use; anything else stops the build."""

    def __init__(self, catalogue, figure_html, config=None):
        self.cat = catalogue
        self.figure_html = figure_html   # callable(figure_id, page_path) -> html
        self.t = catalogue.tables
        self.figures = dict(getattr(config, "figures", None) or {})        # figures.yml: key_finding: true
        self.support_dir = getattr(config, "metadata_dir", None)          # support.csv lives beside it

    def resolve(self, text: str, page: str, source) -> str:
        def replace(match):
            name, args = match.group(1), [a for a in match.group(2).split(":") if a]
            handler = getattr(self, f"marker_{name}", None)
            if handler is None:
                line = text[:match.start()].count("\n") + 1
                raise MarkerUnknown(f"{{{{ {name} }}}} is not a marker.", file=source, row=line,
                                    fix="Use a marker listed in build_data/markers.py, or fix its spelling.")
            try:
                return handler(page, *args)
            except (KeyError, IndexError, TypeError) as e:
                line = text[:match.start()].count("\n") + 1
                raise MarkerUnknown(f"{match.group(0)} has unknown or missing arguments ({e}).", file=source,
                                    row=line, fix="Check the ids against questions.yml, cohorts.yml, indicators.yml, figures.yml.") from None
        return MARKER.sub(replace, text)

    def england_rows(self, question_id: str, cohort_ids):
        rows = self.cat.experience(question_id)
        return rows[(rows["geography_code"] == self.cat.england) & rows["cohort_id"].isin(cohort_ids)]

    def year_of(self, question_id: str, *cohort_ids: str) -> int:
        """The latest survey year with an England result for the question for every cohort named, shown
        (not suppressed) where there is one (not the release's latest year: a partial release may lack
        this question or group)."""
        rows = self.england_rows(question_id, cohort_ids)
        common = set()
        for pool in (rows[rows["value"].notna()], rows):   # a shown value first; else a suppressed one
            years = [set(pool.loc[pool["cohort_id"] == c, "survey_year"]) for c in cohort_ids]
            common = set.intersection(*years) if years else set()
            if common:
                break
        if not common:
            raise KeyError(f"no survey year has England results for {question_id} and {', '.join(cohort_ids)}")
        return int(max(common))

    def latest_england(self, question_id: str, cohort_id: str, year: int | None = None):
        year = self.year_of(question_id, cohort_id) if year is None else year
        rows = self.england_rows(question_id, [cohort_id])
        row = rows[rows["survey_year"] == year].iloc[0].copy()
        row["label"] = self.cat.cohort_labels[cohort_id]
        return row

    def marker_figure(self, page, figure_id):
        return self.figure_html(figure_id, page)

    def marker_survey_years(self, page):
        years = self.t["experience_results"]["survey_year"]
        return f"{years.min()} to {years.max()}"

    def marker_latest_year(self, page):
        return str(self.t["experience_results"]["survey_year"].max())

    def marker_release_facts(self, page):
        """{{ release_facts }}: published date, next release, statistics status and version, from the package."""
        return release_facts_html(self.cat.descriptor, root_of(page))

    def marker_package_version(self, page):
        return self.cat.descriptor["version"]

    def marker_stat_year(self, page, question_id, cohort_id):
        """The year {{ stat:<question>:<cohort> }} comes from: write 'In {{ stat_year:q:c }}, {{ stat:q:c }}'."""
        return str(self.year_of(question_id, cohort_id))

    def marker_area_year(self, page, question_id, cohort_id):
        """The year of the Cancer Alliance results for the question and cohort (latest with a shown value)."""
        return str(area_lists.area_year(self.cat, question_id, cohort_id))

    def marker_respondents(self, page, question_id, cohort_id):
        return describe.fmt_count(self.latest_england(question_id, cohort_id)["n"])

    def marker_stat(self, page, question_id, cohort_id):
        return describe.fmt_stat(self.latest_england(question_id, cohort_id))

    def marker_compare(self, page, question_id, cohort_a, cohort_b):
        """Compares in the year {{ stat:<question>:<cohort_a> }} states; 'not compared with' when cohort_b
        has no result that year."""
        year = self.year_of(question_id, cohort_a)
        if year not in set(self.england_rows(question_id, [cohort_b])["survey_year"]):
            return "not compared with"
        word = describe.compare_rows(self.latest_england(question_id, cohort_a, year),
                                     self.latest_england(question_id, cohort_b, year))
        if word is None:
            raise MarkerUnknown(f"{question_id} cannot be compared between {cohort_a} and {cohort_b} "
                                "(suppressed, or no interval).", file=page,
                                fix="Remove the comparison from the page; only tested comparisons may be worded.")
        return word

    def marker_audit_stat(self, page, indicator_id):
        t = self.t["audit_indicators"]
        rows = t[(t["indicator_id"] == indicator_id) & (t["geography_code"] == self.cat.england)]
        row = rows[rows["period"] == rows["period"].max()].iloc[0]
        if describe.is_missing(row["value"]):
            return "[c]"
        return (f"{row['value']:.0f}% ({describe.fmt_count(row['numerator'])} of "
                f"{describe.fmt_count(row['denominator'])} people, diagnosed in {row['period']})")

    def key_finding_specs(self) -> list[dict]:
        specs = [spec for spec in self.figures.values() if spec.get("key_finding")]
        for spec in specs:
            if len(spec.get("compare") or []) != 2 or not spec.get("question_id"):
                raise MarkerUnknown("A figure marked key_finding: true needs a question_id and compare: [a, b].",
                                    file="build_data/metadata/figures.yml",
                                    fix="Add question_id and compare: [<cohort>, <cohort>] to the figure, "
                                        "or remove key_finding: true.")
        return specs

    def marker_key_findings(self, page):
        """One line per figure marked key_finding: true in figures.yml, worded from its question."""
        findings = []
        for spec in self.key_finding_specs():
            qid, (cohort_a, cohort_b) = spec["question_id"], spec["compare"]
            year = self.year_of(qid, cohort_a, cohort_b)
            a, b = self.latest_england(qid, cohort_a, year), self.latest_england(qid, cohort_b, year)
            q = self.cat.questions.loc[qid]
            findings.append("- " + describe.key_finding(q["short_label"], q["positive_answers"], a, b,
                                                        a["label"], b["label"], year))
        if not findings:
            raise MarkerUnknown("{{ key_findings }} has no figure to show.", file=page,
                                fix="Mark figures with key_finding: true in build_data/metadata/figures.yml.")
        return "\n".join(findings)

    def marker_hospital_list(self, page):
        """Every trust, A to Z, each linking to its Cancer Alliance's results on the Your area page."""
        return area_lists.hospital_list(self.cat, page)

    def marker_area_results(self, page, cohort_id, *ids):
        """For each Cancer Alliance (A to Z): its results for the survey questions (for the cohort) and
        audit indicators named, beside England's."""
        return area_lists.area_results(self.cat, cohort_id, ids)

    def marker_support_routes(self, page):
        return support.routes_markdown(support.read_support(self.support_dir))

    def marker_support_line(self, page):
        return support.support_line(support.read_support(self.support_dir), page)

    def marker_disclosure_policy(self, page):
        """Each disclosure policy of the package's releases in plain words (datapackage.json disclosure_policies)."""
        policies = self.cat.descriptor.get("disclosure_policies") or {}
        return "\n\n".join(f"**{', '.join(p['releases'])}:** {p['plain_words']}" for p in policies.values()
                             if p["min_respondents"] > 1)

    def marker_published_figures_table(self, page):
        """The real published figures as a table that stacks into label: value pairs on a phone."""
        t = self.t["published_figures"]
        rows = []
        for _, r in t.iterrows():
            unit = r["unit"]
            value = (f"{r['value']:,.0f}" if unit == "people" else f"{r['value']:g}%" if unit == "percent"
                     else f"{r['value']:g} out of 10")
            source = f"[{r['source_title']}]({r['source_url']}) ({r['source_publisher']})"
            rows.append([str(r["measure"]), value, str(r["period"]), str(r["geography"]), source])
        return html_tables.stacked_table("Real figures from published reports, with their sources",
                                         ["What was measured", "Figure", "Period", "Place", "Source"], rows)

    def marker_published_figure(self, page, figure_id):
        """A real published figure as its publisher gave it: '57,215', '65%' or '8.9 out of 10'."""
        t = self.t["published_figures"]
        r = t[t["figure_id"] == figure_id].iloc[0]
        return (f"{r['value']:,.0f}" if r["unit"] == "people" else f"{r['value']:g}%" if r["unit"] == "percent"
                else f"{r['value']:.1f} out of 10")

    def marker_published_period(self, page, figure_id):
        t = self.t["published_figures"]
        return str(t[t["figure_id"] == figure_id].iloc[0]["period"])

    def marker_published_source(self, page, figure_id):
        t = self.t["published_figures"]
        r = t[t["figure_id"] == figure_id].iloc[0]
        return f"source: [{r['source_title']}]({r['source_url']}), {r['source_publisher']}"
