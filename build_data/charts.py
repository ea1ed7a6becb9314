"""Figure data (one row per mark) in, Altair charts out: bars with intervals, and trends across years."""
from __future__ import annotations

import altair as alt
import pandas as pd

from .palette import PALETTES

FONT = "Liberation Sans, Arial, sans-serif"
WIDTH = 560


def themed(chart: alt.Chart, headline: str, subtitle: list[str], scheme: str) -> alt.Chart:
    p = PALETTES[scheme]
    return (chart.properties(title=alt.TitleParams(headline, subtitle=subtitle, anchor="start", fontSize=15,
                                                   subtitleFontSize=12, color=p["ink"], subtitleColor=p["ink"]))
            .configure(font=FONT, background=p["background"])
            .configure_axis(labelColor=p["ink"], titleColor=p["ink"], labelFontSize=12, titleFontSize=12,
                            gridColor=p["grid"], domainColor=p["ink"], tickColor=p["ink"])
            .configure_view(stroke=None))


def interval_rules(base: alt.Chart, scheme: str, **encoding) -> list[alt.Chart]:
    """Interval lines with a halo in the background colour, so they stand out on bars and on the page."""
    p = PALETTES[scheme]
    return [base.mark_rule(color=p["background"], strokeWidth=5).encode(**encoding),
            base.mark_rule(color=p["ink"], strokeWidth=1.5).encode(**encoding)]


def bars_with_intervals(data: pd.DataFrame, *, x_title: str, domain: tuple, headline: str,
                        subtitle: list[str], description: str, scheme: str) -> alt.Chart:
    """Horizontal bars in the given row order, 95% intervals as lines, values written at the end."""
    order = list(data["label"])
    p = PALETTES[scheme]
    data = data.assign(label_x=data["ci_upper"].fillna(data["value"]).fillna(0),
                       colour=data["colour_key"].map(lambda k: p["cohorts"].get(k, p["area"])))
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=280))
    base = alt.Chart(data).encode(y=y)
    tooltip = [alt.Tooltip("label:N", title="Group"), alt.Tooltip("value_label:N", title="Result"),
               alt.Tooltip("interval_label:N", title="95% interval"), alt.Tooltip("n_label:N", title="People")]
    bars = base.mark_bar(height=18).encode(
        x=alt.X("value:Q", scale=alt.Scale(domain=list(domain)), title=x_title),
        color=alt.Color("colour:N", scale=None), tooltip=tooltip)
    intervals = interval_rules(base, scheme, x="ci_lower:Q", x2="ci_upper:Q")
    labels = base.mark_text(align="left", dx=6, color=p["ink"], fontSize=12).encode(x="label_x:Q", text="value_label:N")
    chart = alt.layer(bars, *intervals, labels).properties(width=WIDTH, height=30 * len(data), description=description)
    return themed(chart, headline, subtitle, scheme)


def trend_lines(data: pd.DataFrame, *, y_title: str, domain: tuple, headline: str,
                subtitle: list[str], description: str, scheme: str) -> alt.Chart:
    """Points with intervals per year; lines join only years in the same comparable segment."""
    p = PALETTES[scheme]
    cohorts = list(dict.fromkeys(data["cohort_id"]))
    colour = alt.Color("cohort_id:N", scale=alt.Scale(domain=cohorts, range=[p["cohorts"][c] for c in cohorts]),
                       legend=None)
    x = alt.X("survey_year:O", title="Survey year", axis=alt.Axis(labelAngle=0))
    base = alt.Chart(data).encode(x=x, color=colour)
    shown = base.transform_filter("isValid(datum.value)")
    lines = shown.mark_line(strokeWidth=2).encode(y=alt.Y("value:Q", scale=alt.Scale(domain=list(domain)), title=y_title),
                                                  detail="line_group:N")
    points = shown.mark_point(filled=True, size=60).encode(
        y="value:Q", shape=alt.Shape("cohort_id:N", legend=None),
        tooltip=[alt.Tooltip("label:N", title="Group"), alt.Tooltip("survey_year:O", title="Year"),
                 alt.Tooltip("value_label:N", title="Result"), alt.Tooltip("interval_label:N", title="95% interval")])
    intervals = shown.mark_rule(strokeWidth=1.5).encode(y="ci_lower:Q", y2="ci_upper:Q")
    last_year = data["survey_year"].max()
    names = shown.transform_filter(f"datum.survey_year == {last_year}").mark_text(
        align="left", dx=10, fontSize=12).encode(y="value:Q", text="label:N")
    gaps = base.transform_filter("!isValid(datum.value)").mark_text(fontSize=12, color=p["ink"]).encode(
        y=alt.value(12), text=alt.value("[c]"))
    chart = alt.layer(lines, intervals, points, names, gaps).properties(
        width=WIDTH - 160, height=260, description=description)
    return themed(chart, headline, subtitle, scheme)
