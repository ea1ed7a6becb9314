"""Published tables + figures.yml in, one Figure per catalogue entry out (data, words, chart)."""
from __future__ import annotations

import dataclasses

import pandas as pd

from . import charts, describe
from .chart_layouts import DESKTOP, PHONE
from .errors import FigureUnknown

ENGLAND_TYPE = "country"


@dataclasses.dataclass
class Figure:
    id: str
    kind: str
    data: pd.DataFrame       # exactly what is plotted, one row per mark
    headline: str
    subtitle: str
    description: str
    chart: dict | None       # Vega-Lite dict: desktop layout, light scheme (also the downloads); None if not drawn
    chart_dark: dict | None  # desktop layout, dark scheme: the same spec with the dark config
    source: str
    release_ids: tuple
    resource: str = "experience_results"   # the package resource the plotted rows come from
    is_press_kit: bool = False              # figures.yml press_kit: true
    phone_chart: dict | None = None         # phone layout (chart_layouts.PHONE), light and dark
    phone_chart_dark: dict | None = None
    empty_reason: str = ""                  # set when there is nothing to draw: the sentence shown instead

    @property
    def is_drawn(self) -> bool:
        return not self.empty_reason

    @property
    def slug(self) -> str:
        """Stable file name: the latest release it shows plus the figure id, e.g. cpes-2024-main-contact-by-cohort."""
        return f"{self.release_ids[-1]}-{self.id.replace('_', '-')}"


def latest_with_data(rows: pd.DataFrame, year_column: str):
    """The latest year (or period) in which at least one of `rows` has a value; the latest year
    there is when none has (the figure is then not drawn: empty_reason)."""
    shown = rows[rows["value"].notna()]
    pool = shown if len(shown) else rows
    return pool[year_column].max() if len(pool) else None


def empty_reason(rows: pd.DataFrame) -> str:
    """The sentence shown instead of a chart with nothing to draw; "" when it has something."""
    if rows.empty:
        return "This chart is not drawn: no results were published for it."
    if rows["value"].isna().all():
        return ("This chart is not drawn: every result in it is suppressed to protect confidentiality "
                "(too few people answered). The table below lists them.")
    return ""


def labelled(rows: pd.DataFrame, base: int) -> pd.DataFrame:
    rows = rows.copy()
    rows["value_label"] = [describe.fmt_value(v, m, precise=True) for v, m in zip(rows["value"], rows["measure"])]
    rows["interval_label"] = [describe.fmt_interval(lo, hi, m).replace("95% confidence interval ", "")
                              for lo, hi, m in zip(rows["ci_lower"], rows["ci_upper"], rows["measure"])]
    rows["n_label"] = [describe.fmt_count(n) for n in rows["n"]]
    rows.loc[rows["status"] == "low_reliability", "value_label"] += " [u]"
    if "is_revised" in rows.columns:
        rows.loc[rows["is_revised"].astype(bool), "value_label"] += " [r]"
    return rows


class Catalogue:
    """Builds figures from the published tables; holds the lookups they share."""

    def __init__(self, descriptor: dict, tables: dict[str, pd.DataFrame], site: dict):
        self.descriptor, self.tables, self.site = descriptor, tables, site
        self.geo = tables["geographies"].set_index("geography_code")
        self.england = self.geo.index[self.geo["geography_type"] == ENGLAND_TYPE][0]
        self.cohort_labels = dict(zip(tables["cohorts"]["cohort_id"], tables["cohorts"]["label"]))
        self.questions = tables["questions"].set_index("question_id")
        self.indicators = tables["indicators"].set_index("indicator_id")
        self.releases = tables["releases"].set_index("release_id")
        self.base = int(site["low_reliability_base"])
        self.rows_of_question: tuple = (None, {})   # (experience_results, {question_id: its row positions})

    def experience(self, question_id: str) -> pd.DataFrame:
        """The question's rows of experience_results, in the table's order (found by an index of where each
        question's rows are, made once per table: not a scan of the whole table per figure)."""
        t = self.tables["experience_results"]
        if self.rows_of_question[0] is not t:
            self.rows_of_question = (t, t.groupby("question_id", sort=False).indices)
        positions = self.rows_of_question[1].get(question_id)
        rows = t.iloc[positions if positions is not None else []].rename(columns={"n_respondents": "n"})
        if rows.empty:
            raise FigureUnknown(f"No published results for question {question_id!r}.",
                                file="build_data/metadata/figures.yml", fix="Check the figure's question_id.")
        return rows

    def notes(self, release_ids) -> list[str]:
        notes = []
        if self.releases.loc[list(release_ids), "is_illustrative"].any():
            notes.append(self.site["illustrative_notice"].split(".")[0] + ".")
        return notes

    def source_line(self, release_ids) -> str:
        titles = "; ".join(self.releases.loc[r, "title"] for r in release_ids)
        return f"Source: {titles}. Data package version {self.descriptor['version']}."

    def build(self, fid: str, spec: dict) -> Figure:
        builder = getattr(self, f"build_{spec.get('kind')}", None)
        if builder is None:
            raise FigureUnknown(f"Figure {fid!r} has kind {spec.get('kind')!r}.",
                                file="build_data/metadata/figures.yml", fix="Use a kind listed at the top of figures.yml.")
        return builder(fid, spec)

    def finish(self, fid, spec, rows, headline, subtitle, description, chart_fn, **chart_args) -> Figure:
        """The figure drawn in every layout and scheme, or, when it has no value to show, not drawn
        at all and carrying the one sentence that says why."""
        release_ids = tuple(sorted(rows["release_id"].unique())) if len(rows) else tuple(spec.get("release_ids", ()))
        resource = "audit_indicators" if spec["kind"].startswith("audit") else "experience_results"
        reason = empty_reason(rows)
        if reason:
            return Figure(fid, spec["kind"], rows, headline, subtitle, description, None, None,
                          self.source_line(release_ids) if release_ids else "", release_ids or ("none",), resource,
                          False, empty_reason=reason)
        notes = self.notes(release_ids)
        # Each layout built once; light and dark are the same spec with another config (charts.Chart.in_scheme).
        drawn = {layout.name: chart_fn(rows, headline=headline, subtitle=[subtitle] + notes, description=description,
                                       layout=layout, **chart_args) for layout in (DESKTOP, PHONE)}
        desktop, phone = drawn["desktop"], drawn["phone"]
        return Figure(fid, spec["kind"], rows, headline, subtitle, description, desktop.in_scheme("light"),
                      desktop.in_scheme("dark"), self.source_line(release_ids), release_ids, resource,
                      bool(spec.get("press_kit")), phone.in_scheme("light"), phone.in_scheme("dark"))

    def axis(self, measure: str) -> tuple[str, tuple]:
        return ("Average rating (0 to 10)", (0, 10)) if measure == "mean_0_10" else ("Percentage", (0, 100))

    def build_cohorts_latest(self, fid: str, spec: dict) -> Figure:
        rows = self.experience(spec["question_id"])
        rows = rows[rows["geography_code"] == self.england]
        year = latest_with_data(rows, "survey_year")
        rows = rows[rows["survey_year"] == year].copy()
        order = list(self.cohort_labels)
        rows = rows.sort_values("cohort_id", key=lambda s: s.map(order.index))
        rows["label"] = rows["cohort_id"].map(self.cohort_labels)
        rows["colour_key"] = rows["cohort_id"]
        rows = labelled(rows, self.base)
        q = self.questions.loc[spec["question_id"]]
        a = b = None
        if spec.get("compare"):
            a, b = (rows.set_index("cohort_id").loc[c] for c in spec["compare"])
            headline = describe.cohorts_headline(q["short_label"], a, b, a["label"], b["label"], year)
        else:
            headline = f"{q['short_label']}: results by group, England, {year}"
        x_title, domain = self.axis(q["measure"])
        subtitle = f"{x_title} by group of patients, England, {year}" + (
            ", with 95% confidence intervals" if q["measure"] == "percent_positive" else " (no interval published)")
        description = describe.cohorts_description(rows, q, year, a, b)
        return self.finish(fid, spec, rows, headline, subtitle, description, charts.bars_with_intervals,
                           x_title=x_title, domain=domain)

    def build_trend(self, fid: str, spec: dict) -> Figure:
        rows = self.experience(spec["question_id"])
        rows = rows[(rows["geography_code"] == self.england) & rows["cohort_id"].isin(spec["cohorts"])].copy()
        rows = rows.sort_values(["cohort_id", "survey_year"], key=lambda s: s.map(spec["cohorts"].index)
                                if s.name == "cohort_id" else s)
        rows["label"] = rows["cohort_id"].map(self.cohort_labels)
        rows["line_group"] = rows["cohort_id"] + "/" + rows["release_id"].map(self.segments(spec["question_id"])).astype(str)
        rows = labelled(rows, self.base)
        q = self.questions.loc[spec["question_id"]]
        y_title, domain = self.axis(q["measure"])
        years = f"{rows['survey_year'].min()} to {rows['survey_year'].max()}"
        headline = f"{q['short_label']}: {years}"
        subtitle = f"{y_title}, England, by survey year" + (
            ", with 95% confidence intervals" if q["measure"] == "percent_positive" else "")
        description = describe.trend_description(rows, q["short_label"])
        return self.finish(fid, spec, rows, headline, subtitle, description, charts.trend_lines,
                           y_title=y_title, domain=domain)

    def segments(self, question_id: str) -> dict:
        """release_id -> comparable segment number; a new segment starts at every not_comparable break."""
        cw = self.tables["crosswalk"]
        cw = cw[cw["question_id"] == question_id].merge(self.tables["releases"][["release_id", "survey_year"]])
        segment, out = 0, {}
        for _, row in cw.sort_values("survey_year").iterrows():
            segment += row["comparability"] == "not_comparable"
            out[row["release_id"]] = segment
        return out

    def is_alliance(self, rows: pd.DataFrame) -> pd.Series:
        return rows["geography_code"].map(self.geo["geography_type"]) == "cancer_alliance"

    def areas_a_to_z(self, rows: pd.DataFrame) -> pd.DataFrame:
        """Alliances in A-Z order (not by value: the charts must not read as a league table);
        a suppressed one keeps its place as a labelled gap, never a zero."""
        rows = rows[self.is_alliance(rows)].copy()
        rows["label"] = rows["geography_code"].map(self.geo["geography_name"])
        rows["colour_key"] = "area"
        return rows.sort_values("label", key=lambda s: s.str.casefold())

    def england_reference(self, england: pd.DataFrame) -> dict | None:
        if england.empty or pd.isna(england["value"].iloc[0]):
            return None
        row = england.iloc[0]
        return {"value": float(row["value"]), "label": f"England, {describe.fmt_value(row['value'], row['measure'])}"}

    def build_alliances(self, fid: str, spec: dict) -> Figure:
        rows = self.experience(spec["question_id"])
        rows = rows[rows["cohort_id"] == spec["cohort_id"]]
        year = latest_with_data(rows[self.is_alliance(rows)], "survey_year")
        rows = rows[rows["survey_year"] == year]
        england = rows[rows["geography_code"] == self.england]
        rows = labelled(self.areas_a_to_z(rows), self.base)
        q = self.questions.loc[spec["question_id"]]
        cohort = self.cohort_labels[spec["cohort_id"]]
        x_title, domain = self.axis(q["measure"])
        headline = f"{q['short_label']}: {cohort.lower()}, by Cancer Alliance, {year}"
        subtitle = (f"{x_title}, {cohort.lower()}, Cancer Alliances, {year}, with 95% confidence intervals. "
                    "Not adjusted for case mix: do not use to rank areas")
        description = describe.ranked_description(
            rows, f"{q['short_label']} for {cohort.lower()}, by Cancer Alliance, {year}",
            england.iloc[0] if len(england) else None)
        return self.finish(fid, spec, rows, headline, subtitle, description, charts.bars_with_intervals,
                           x_title=x_title, domain=domain, reference=self.england_reference(england))

    def audit(self) -> pd.DataFrame:
        t = self.tables["audit_indicators"].rename(columns={"denominator": "n"}).copy()
        t["measure"] = "percent_positive"
        return t

    def build_audit_latest(self, fid: str, spec: dict) -> Figure:
        rows = self.audit()
        rows = rows[rows["geography_code"] == self.england]
        period = latest_with_data(rows, "period")
        rows = rows[rows["period"] == period].copy()
        order = list(self.indicators.index)
        rows = rows.sort_values("indicator_id", key=lambda s: s.map(order.index))
        rows["label"] = rows["indicator_id"].map(self.indicators["label"])
        rows["colour_key"] = "area"
        rows = labelled(rows, self.base)
        headline = f"Metastatic breast cancer audit: what was recorded for people diagnosed in {period}"
        subtitle = f"Percentage of people, England, diagnosed in {period}, with 95% confidence intervals"
        description = describe.ranked_description(rows, f"Audit indicators for England, people diagnosed in {period}")
        return self.finish(fid, spec, rows, headline, subtitle, description, charts.bars_with_intervals,
                           x_title="Percentage", domain=(0, 100))

    def build_audit_alliances(self, fid: str, spec: dict) -> Figure:
        rows = self.audit()
        rows = rows[rows["indicator_id"] == spec["indicator_id"]]
        period = latest_with_data(rows[self.is_alliance(rows)], "period")
        rows = rows[rows["period"] == period]
        england = rows[rows["geography_code"] == self.england]
        rows = labelled(self.areas_a_to_z(rows), self.base)
        label = self.indicators.loc[spec["indicator_id"], "label"]
        headline = f"{label}: by Cancer Alliance, people diagnosed in {period}"
        subtitle = (f"Percentage of people, Cancer Alliances, diagnosed in {period}, with 95% confidence intervals. "
                    "Differences can reflect how well data were recorded")
        description = describe.ranked_description(rows, f"{label}, by Cancer Alliance, {period}",
                                                  england.iloc[0] if len(england) else None)
        return self.finish(fid, spec, rows, headline, subtitle, description, charts.bars_with_intervals,
                           x_title="Percentage", domain=(0, 100), reference=self.england_reference(england))
