"""Figure data (one row per mark) in, Altair charts out: bars with intervals, and trends across years."""
from __future__ import annotations

import altair as alt
import pandas as pd

INK = "#1b1b1b"
FONT = "Liberation Sans, Arial, sans-serif"
COHORT_COLOURS = {"all_cancers": "#4d5b6a", "breast": "#005a9c",
                  "breast_primary": "#00703c", "breast_secondary": "#a3266d"}
AREA_COLOUR = "#005a9c"
WIDTH = 560


def themed(chart: alt.Chart, headline: str, subtitle: list[str]) -> alt.Chart:
    return (chart.properties(title=alt.TitleParams(headline, subtitle=subtitle, anchor="start", fontSize=15,
                                                   subtitleFontSize=12, color=INK, subtitleColor=INK))
            .configure(font=FONT, background="#ffffff")
            .configure_axis(labelColor=INK, titleColor=INK, labelFontSize=12, titleFontSize=12, gridColor="#dddddd")
            .configure_view(stroke=None))


def bars_with_intervals(data: pd.DataFrame, *, x_title: str, domain: tuple, headline: str,
                        subtitle: list[str], description: str) -> alt.Chart:
    """Horizontal bars in the given row order, 95% intervals as lines, values written at the end."""
    order = list(data["label"])
    data = data.assign(label_x=data["ci_upper"].fillna(data["value"]).fillna(0))
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=280))
    base = alt.Chart(data).encode(y=y)
    tooltip = [alt.Tooltip("label:N", title="Group"), alt.Tooltip("value_label:N", title="Result"),
               alt.Tooltip("interval_label:N", title="95% interval"), alt.Tooltip("n_label:N", title="People")]
    bars = base.mark_bar(height=18).encode(
        x=alt.X("value:Q", scale=alt.Scale(domain=list(domain)), title=x_title),
        color=alt.Color("colour:N", scale=None), tooltip=tooltip)
    intervals = base.mark_rule(color=INK, strokeWidth=1.5).encode(x="ci_lower:Q", x2="ci_upper:Q")
    labels = base.mark_text(align="left", dx=6, color=INK, fontSize=12).encode(x="label_x:Q", text="value_label:N")
    chart = alt.layer(bars, intervals, labels).properties(width=WIDTH, height=30 * len(data), description=description)
    return themed(chart, headline, subtitle)


def trend_lines(data: pd.DataFrame, *, y_title: str, domain: tuple, headline: str,
                subtitle: list[str], description: str) -> alt.Chart:
    """Points with intervals per year; lines join only years in the same comparable segment."""
    cohorts = list(dict.fromkeys(data["cohort_id"]))
    colour = alt.Color("cohort_id:N", scale=alt.Scale(domain=cohorts, range=[COHORT_COLOURS[c] for c in cohorts]),
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
    gaps = base.transform_filter("!isValid(datum.value)").mark_text(fontSize=12, color=INK).encode(
        y=alt.value(12), text=alt.value("[c]"))
    chart = alt.layer(lines, intervals, points, names, gaps).properties(
        width=WIDTH - 160, height=260, description=description)
    return themed(chart, headline, subtitle)
