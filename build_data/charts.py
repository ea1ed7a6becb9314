"""Figure data (one row per mark) in, Altair charts out: bars with intervals, and trends across years,
each drawn for a Layout (desktop or phone: chart_layouts.py)."""
from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from .chart_layouts import BAR_HEIGHT, DESKTOP, Layout, nudged, stacked_rows
from .palette import PALETTES

FONT = "Liberation Sans, Arial, sans-serif"
CHAR_WIDTH = 0.6   # average glyph width as a share of the font size, for wrapping titles


def title_lines(text: str, font: int, width: int) -> list[str]:
    return textwrap.wrap(text, width=max(20, int(width / (font * CHAR_WIDTH)))) or [""]


def themed(chart: alt.Chart, headline: str, subtitle: list[str], scheme: str, layout: Layout,
           width: int) -> alt.Chart:
    p = PALETTES[scheme]
    if layout.with_title:
        lines = [line for part in subtitle for line in title_lines(part, layout.font, width)]
        chart = chart.properties(title=alt.TitleParams(
            title_lines(headline, layout.title_font, width), subtitle=lines, anchor="start",
            fontSize=layout.title_font, subtitleFontSize=layout.font, color=p["ink"], subtitleColor=p["ink"]))
    return (chart.configure(font=FONT, background=p["background"])
            .configure_axis(labelColor=p["ink"], titleColor=p["ink"], labelFontSize=layout.font,
                            titleFontSize=layout.font, gridColor=p["grid"], domainColor=p["ink"], tickColor=p["ink"])
            .configure_legend(labelColor=p["ink"], labelFontSize=layout.font, titleFontSize=layout.font,
                              symbolSize=90, labelLimit=0)
            .configure_view(stroke=None))


def reference_layers(reference: dict | None, y_scale: alt.Scale, height: int, scheme: str) -> list[alt.Chart]:
    """England as a dashed line across every bar (a reference, not a bar to rank against)."""
    if not reference or pd.isna(reference.get("value")):
        return []
    p = PALETTES[scheme]
    line = pd.DataFrame([{"value": reference["value"], "top": 0, "bottom": height}])
    return [alt.Chart(line).mark_rule(color=p["ink"], strokeDash=[6, 4], strokeWidth=1.5).encode(
        x="value:Q", y=alt.Y("top:Q", scale=y_scale, axis=None), y2="bottom:Q")]


def bars_with_intervals(data: pd.DataFrame, *, x_title: str, domain: tuple, headline: str, subtitle: list[str],
                        description: str, scheme: str, layout: Layout = DESKTOP,
                        reference: dict | None = None) -> alt.Chart:
    """Horizontal bars in the given row order, each with its label (wrapped) and value on a line above
    it, 95% intervals as lines; `reference` {value, label} draws a dashed line (e.g. England)."""
    p = PALETTES[scheme]
    data, height = stacked_rows(data.reset_index(drop=True), layout)
    data = data.assign(colour=data["colour_key"].map(lambda k: p["cohorts"].get(k, p["area"])))
    if reference and not pd.isna(reference.get("value")):
        x_title = f"{x_title}. Dashed line: {reference['label']}"
    # y in px from the top: the rows are laid out in Python (chart_layouts.stacked_rows).
    y_scale = alt.Scale(domain=[0, height], reverse=True, nice=False, zero=False)
    x_scale = alt.Scale(domain=list(domain), nice=False)
    base = alt.Chart(data)
    tooltip = [alt.Tooltip("label:N", title="Group"), alt.Tooltip("value_label:N", title="Result"),
               alt.Tooltip("interval_label:N", title="95% interval"), alt.Tooltip("n_label:N", title="People")]
    # Bars keep their thickness in px when the chart is refitted to another canvas (press kits).
    bars = base.mark_bar(height=BAR_HEIGHT, orient="horizontal").encode(
        x=alt.X("value:Q", scale=x_scale, title=title_lines(x_title, layout.font, layout.width),
                axis=alt.Axis(tickCount=layout.x_ticks, titleAnchor="start", titleAlign="left")),
        x2=alt.datum(domain[0]),
        y=alt.Y("bar_mid:Q", scale=y_scale, axis=None),
        color=alt.Color("colour:N", scale=None), tooltip=tooltip)
    interval = dict(x="ci_lower:Q", x2="ci_upper:Q", y=alt.Y("bar_mid:Q", scale=y_scale, axis=None))
    intervals = [base.mark_rule(color=p["background"], strokeWidth=5).encode(**interval),
                 base.mark_rule(color=p["ink"], strokeWidth=1.5).encode(**interval)]
    text = dict(baseline="top", fontSize=layout.font, color=p["ink"], lineHeight=round(layout.font * 1.25))
    label_at = dict(x=alt.value(0), y=alt.Y("label_y:Q", scale=y_scale, axis=None), text="label_lines")
    label_halo = base.mark_text(align="left", stroke=p["background"], strokeWidth=4, strokeJoin="round",
                                **text).encode(**label_at)
    labels = base.mark_text(align="left", **text).encode(**label_at)
    # Values sit at the right end of the label line. Labels and values have a halo in the
    # background colour, so they stay readable where a reference line passes behind them.
    value_at = dict(x=alt.X(datum=domain[1], scale=x_scale), y=alt.Y("label_y:Q", scale=y_scale, axis=None), text="value_label:N")
    halo = base.mark_text(align="right", fontWeight="bold", stroke=p["background"], strokeWidth=5,
                          strokeJoin="round", **text).encode(**value_at)
    values = base.mark_text(align="right", fontWeight="bold", **text).encode(**value_at)
    chart = alt.layer(bars, *intervals, *reference_layers(reference, y_scale, height, scheme), label_halo, labels, halo, values)
    chart = chart.properties(width=layout.width, height=height, description=description)
    return themed(chart, headline, subtitle, scheme, layout, layout.width)


def end_labels(data: pd.DataFrame, domain: tuple, layout: Layout) -> pd.DataFrame:
    """Each line's name beside its last shown point, nudged so no two overlap."""
    shown = data[data["value"].notna()]
    last = shown.sort_values("survey_year").groupby("cohort_id", sort=False).tail(1).reset_index(drop=True)
    if last.empty:
        return last
    gap = layout.font * 1.2
    return last.assign(name_y=nudged(list(last["value"]), domain=domain, height=layout.trend_height, gap=gap))


def trend_lines(data: pd.DataFrame, *, y_title: str, domain: tuple, headline: str, subtitle: list[str],
                description: str, scheme: str, layout: Layout = DESKTOP) -> alt.Chart:
    """Points with intervals per year; lines join only years in the same comparable segment.
    Desktop names each line at its end (nudged apart); phone has a legend above the plot."""
    p = PALETTES[scheme]
    labels = list(dict.fromkeys(data["label"]))
    colours = [p["cohorts"][c] for c in dict.fromkeys(data["cohort_id"])]
    legend = alt.Legend(orient="top", direction="vertical", title=None) if layout.trend_legend else None
    colour = alt.Color("label:N", scale=alt.Scale(domain=labels, range=colours), legend=legend)
    shape = alt.Shape("label:N", scale=alt.Scale(domain=labels), legend=legend)
    x = alt.X("survey_year:O", title="Survey year", axis=alt.Axis(labelAngle=0))
    y_scale = alt.Scale(domain=list(domain))
    base = alt.Chart(data).encode(x=x, color=colour)
    shown = base.transform_filter("isValid(datum.value)")
    lines = shown.mark_line(strokeWidth=2).encode(
        y=alt.Y("value:Q", scale=y_scale, title=y_title, axis=alt.Axis(tickCount=5)), detail="line_group:N")
    points = shown.mark_point(filled=True, size=70, opacity=1).encode(
        y="value:Q", shape=shape,
        tooltip=[alt.Tooltip("label:N", title="Group"), alt.Tooltip("survey_year:O", title="Year"),
                 alt.Tooltip("value_label:N", title="Result"), alt.Tooltip("interval_label:N", title="95% interval")])
    intervals = shown.mark_rule(strokeWidth=1.5).encode(y="ci_lower:Q", y2="ci_upper:Q")
    gaps = base.transform_filter("!isValid(datum.value)").mark_text(fontSize=layout.font, color=p["ink"]).encode(
        y=alt.value(layout.font), text=alt.value("[c]"))
    layers = [lines, intervals, points, gaps]
    if not layout.trend_legend:
        names = end_labels(data, domain, layout)
        if not names.empty:
            layers.append(alt.Chart(names).mark_text(align="left", dx=12, fontSize=layout.font, baseline="middle").encode(
                x=x, y=alt.Y("name_y:Q", scale=y_scale), text="label:N", color=colour))
    chart = alt.layer(*layers).properties(width=layout.trend_width, height=layout.trend_height,
                                          description=description)
    return themed(chart, headline, subtitle, scheme, layout, layout.trend_width + 200)
