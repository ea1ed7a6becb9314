"""Page templates with {{ markers }} in, Markdown with numbers and figures bound to the package out."""
from __future__ import annotations

import re

from . import describe
from .errors import MarkerUnknown

MARKER = re.compile(r"\{\{\s*([a-z_]+)((?::[A-Za-z0-9_\-]+)*)\s*\}\}")


class MarkerResolver:
    """Resolves every marker a page may use; anything else stops the build."""

    def __init__(self, catalogue, figure_html):
        self.cat = catalogue
        self.figure_html = figure_html   # callable(figure_id, page_path) -> html
        self.t = catalogue.tables

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

    def latest_england(self, question_id: str, cohort_id: str):
        rows = self.cat.experience(question_id)
        rows = rows[(rows["survey_year"] == rows["survey_year"].max()) & (rows["geography_code"] == self.cat.england)]
        row = rows[rows["cohort_id"] == cohort_id].iloc[0].copy()
        row["label"] = self.cat.cohort_labels[cohort_id]
        return row

    def marker_figure(self, page, figure_id):
        return self.figure_html(figure_id, page)

    def marker_survey_years(self, page):
        years = self.t["experience_results"]["survey_year"]
        return f"{years.min()} to {years.max()}"

    def marker_latest_year(self, page):
        return str(self.t["experience_results"]["survey_year"].max())

    def marker_package_version(self, page):
        return self.cat.descriptor["version"]

    def marker_respondents(self, page, cohort_id):
        return describe.fmt_count(self.latest_england("main_contact", cohort_id)["n"])

    def marker_stat(self, page, question_id, cohort_id):
        return describe.fmt_stat(self.latest_england(question_id, cohort_id))

    def marker_compare(self, page, question_id, cohort_a, cohort_b):
        word = describe.compare_rows(self.latest_england(question_id, cohort_a), self.latest_england(question_id, cohort_b))
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

    def marker_key_findings(self, page):
        findings = []
        for question_id in ("main_contact", "recurrence_info"):
            a, b = self.latest_england(question_id, "breast_secondary"), self.latest_england(question_id, "all_cancers")
            word = describe.compare_rows(a, b)
            label = self.cat.questions.loc[question_id, "short_label"].lower()
            findings.append(f"- **{label.capitalize()}:** {describe.fmt_stat(a)} of people with secondary breast cancer "
                            f"in {a['survey_year']}, {word or 'not compared with'} people with any type of cancer "
                            f"({describe.fmt_value(b['value'], b['measure'])}).")
        a, b = self.latest_england("overall_rating", "breast_secondary"), self.latest_england("overall_rating", "all_cancers")
        findings.append(f"- **Rating of care:** people with secondary breast cancer rated their care "
                        f"{describe.fmt_value(a['value'], a['measure'])} on average in {a['survey_year']} "
                        f"(people with any type of cancer: {describe.fmt_value(b['value'], b['measure'])}).")
        return "\n".join(findings)

    def marker_disclosure_policy(self, page):
        """Each disclosure policy of the package's releases in plain words (datapackage.json disclosure_policies)."""
        policies = self.cat.descriptor.get("disclosure_policies") or {}
        return "\n\n".join(f"**{', '.join(p['releases'])}:** {p['plain_words']}" for p in policies.values()
                             if p["min_respondents"] > 1)

    def marker_published_figures_table(self, page):
        t = self.t["published_figures"]
        lines = ["| What was measured | Figure | Period | Place | Source |", "|---|---|---|---|---|"]
        for _, r in t.iterrows():
            unit = r["unit"]
            value = (f"{r['value']:,.0f}" if unit == "people" else f"{r['value']:g}%" if unit == "percent"
                     else f"{r['value']:g} out of 10")
            source = f"[{r['source_title']}]({r['source_url']}) ({r['source_publisher']})"
            lines.append(f"| {r['measure']} | {value} | {r['period']} | {r['geography']} | {source} |")
        return "\n".join(lines)

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
