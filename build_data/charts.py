"""Figure data (one row per mark) in, Vega-Lite specs out: bars with intervals, and trends across years,
each drawn for a Layout (desktop or phone: chart_layouts.py).

The specs are plain dicts, written as Altair would write them (its schema URL, datasets named by their
content hash) without building and validating an Altair object per chart: tests/unit/test_chart_specs.py
validates each kind against the Vega-Lite schema Altair ships. A chart is built once per layout, with
no colours in it: every colour is in its config (axes, titles, the named mark styles "ink", "halo" and
"halo-rule", and the "category" range the colour scale reads), so light and dark are the same dict with
another config (in_scheme).
"""
from __future__ import annotations

import hashlib
import json
import math
import textwrap

import pandas as pd
from altair import SCHEMA_URL

from .chart_layouts import BAR_HEIGHT, DESKTOP, Layout, nudged, stacked_rows
from .palette import PALETTES

FONT = "Liberation Sans, Arial, sans-serif"
CHAR_WIDTH = 0.6   # average glyph width as a share of the font size, for wrapping titles
SCHEMES = ("light", "dark")


class VegaLite(dict):
    """A Vega-Lite spec (a plain dict); to_dict() gives a copy, as an Altair chart's does."""

    def to_dict(self, validate: bool = False) -> dict:
        return json.loads(json.dumps(self))

    def save(self, path: str) -> None:
        """What Altair's chart.save does with the same chart (validated, then written); not used by render."""
        import altair as alt
        alt.LayerChart.from_dict(self.to_dict()).save(path)


class Chart:
    """A chart built once for a layout; in_scheme(scheme) is the same spec in that scheme's colours."""

    def __init__(self, spec: dict, colour_keys: list[str]):
        self.spec, self.colour_keys = spec, colour_keys

    def in_scheme(self, scheme: str) -> VegaLite:
        return VegaLite({**self.spec, "config": merged(self.spec["config"], scheme_config(scheme, self.colour_keys))})


def merged(base: dict, overlay: dict) -> dict:
    """base with overlay's keys; a dict in both is merged one level down (config.axis, config.title...)."""
    out = dict(base)
    for key, value in overlay.items():
        out[key] = {**out[key], **value} if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def scheme_config(scheme: str, colour_keys: list[str]) -> dict:
    """Every colour of a chart in a scheme: colour_keys (cohort ids, or "area") name the colour scale's range."""
    p = PALETTES[scheme]
    ink, background = p["ink"], p["background"]
    return {"background": background,
            "axis": {"labelColor": ink, "titleColor": ink, "gridColor": p["grid"], "domainColor": ink, "tickColor": ink},
            "legend": {"labelColor": ink}, "title": {"color": ink, "subtitleColor": ink},
            "range": {"category": [p["cohorts"].get(key, p["area"]) for key in colour_keys]},
            "style": {"ink": {"color": ink}, "halo": {"stroke": background}, "halo-rule": {"color": background}}}


def layout_config(layout: Layout) -> dict:
    return {"font": FONT, "axis": {"labelFontSize": layout.font, "titleFontSize": layout.font},
            "legend": {"labelFontSize": layout.font, "titleFontSize": layout.font, "symbolSize": 90, "labelLimit": 0},
            "view": {"continuousHeight": 300, "continuousWidth": 300, "stroke": None}}


def cell(value):
    """A table cell as JSON: missing values (None, NA, NaN) as null, numpy scalars as Python's."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") and not isinstance(value, (list, str)) else value


def records(data: pd.DataFrame) -> list[dict]:
    columns = {str(c): [cell(v) for v in data[c].tolist()] for c in data.columns}
    return [dict(zip(columns, row)) for row in zip(*columns.values())]


def dataset(datasets: dict, data: pd.DataFrame) -> dict:
    """Add the rows to datasets under their content hash (as Altair names them); the data reference."""
    values = records(data)
    name = "data-" + hashlib.sha256(json.dumps(values, sort_keys=True).encode("utf-8")).hexdigest()[:32]
    datasets[name] = values
    return {"name": name}


def title_lines(text: str, font: int, width: int) -> list[str]:
    return textwrap.wrap(text, width=max(20, int(width / (font * CHAR_WIDTH)))) or [""]


def top_level(layers: list[dict], data: dict, datasets: dict, *, width: int, height: int, description: str,
              headline: str, subtitle: list[str], layout: Layout, title_width: int) -> dict:
    spec = {"$schema": SCHEMA_URL, "config": layout_config(layout), "data": data, "datasets": datasets,
            "description": description, "height": height, "layer": layers, "width": width}
    if layout.with_title:
        lines = [line for part in subtitle for line in title_lines(part, layout.font, title_width)]
        spec["title"] = {"text": title_lines(headline, layout.title_font, title_width), "subtitle": lines,
                         "anchor": "start", "fontSize": layout.title_font, "subtitleFontSize": layout.font}
    return spec


def field(name: str, kind: str = "quantitative", **more) -> dict:
    return {"field": name, "type": kind, **more}


def reference_layers(reference: dict | None, y: dict, height: int, datasets: dict) -> list[dict]:
    """England as a dashed line across every bar (a reference, not a bar to rank against)."""
    if not reference or pd.isna(reference.get("value")):
        return []
    line = pd.DataFrame([{"value": reference["value"], "top": 0, "bottom": height}])
    return [{"data": dataset(datasets, line), "mark": {"type": "rule", "style": ["ink"], "strokeDash": [6, 4], "strokeWidth": 1.5},
             "encoding": {"x": field("value"), "y": {**y, "field": "top"}, "y2": {"field": "bottom"}}}]


def bars_with_intervals(data: pd.DataFrame, *, x_title: str, domain: tuple, headline: str, subtitle: list[str],
                        description: str, layout: Layout = DESKTOP, reference: dict | None = None) -> Chart:
    """Horizontal bars in the given row order, each with its label (wrapped) and value on a line above
    it, 95% intervals as lines; `reference` {value, label} draws a dashed line (e.g. England)."""
    data, height = stacked_rows(data.reset_index(drop=True), layout)
    keys = list(dict.fromkeys(data["colour_key"]))
    if reference and not pd.isna(reference.get("value")):
        x_title = f"{x_title}. Dashed line: {reference['label']}"
    datasets: dict = {}
    rows = dataset(datasets, data)
    # y in px from the top: the rows are laid out in Python (chart_layouts.stacked_rows).
    y = {"axis": None, "type": "quantitative", "scale": {"domain": [0, height], "nice": False, "reverse": True, "zero": False}}
    x_scale = {"domain": list(domain), "nice": False}
    tooltip = [field("label", "nominal", title="Group"), field("value_label", "nominal", title="Result"),
               field("interval_label", "nominal", title="95% interval"), field("n_label", "nominal", title="People")]
    # Bars keep their thickness in px when the chart is refitted to another canvas (press kits).
    bars = {"mark": {"type": "bar", "height": BAR_HEIGHT, "orient": "horizontal"}, "encoding": {
        "x": field("value", scale=x_scale, title=title_lines(x_title, layout.font, layout.width),
                   axis={"tickCount": layout.x_ticks, "titleAnchor": "start", "titleAlign": "left"}),
        "x2": {"datum": domain[0]}, "y": {**y, "field": "bar_mid"},
        "color": field("colour_key", "nominal", scale={"domain": keys, "range": "category"}, legend=None),
        "tooltip": tooltip}}
    interval = {"x": field("ci_lower"), "x2": {"field": "ci_upper"}, "y": {**y, "field": "bar_mid"}}
    intervals = [{"mark": {"type": "rule", "style": ["halo-rule"], "strokeWidth": 5}, "encoding": interval},
                 {"mark": {"type": "rule", "style": ["ink"], "strokeWidth": 1.5}, "encoding": interval}]
    text = {"type": "text", "baseline": "top", "fontSize": layout.font, "lineHeight": round(layout.font * 1.25)}
    label_at = {"x": {"value": 0}, "y": {**y, "field": "label_y"}, "text": field("label_lines", "nominal")}
    labels = [{"mark": {**text, "style": ["ink", "halo"], "align": "left", "strokeWidth": 4, "strokeJoin": "round"},
               "encoding": label_at},
              {"mark": {**text, "style": ["ink"], "align": "left"}, "encoding": label_at}]
    # Values sit at the right end of the label line. Labels and values have a halo in the
    # background colour, so they stay readable where a reference line passes behind them.
    value_at = {"x": {"datum": domain[1], "scale": x_scale}, "y": {**y, "field": "label_y"},
                "text": field("value_label", "nominal")}
    values = [{"mark": {**text, "style": ["ink", "halo"], "align": "right", "fontWeight": "bold", "strokeWidth": 5,
                        "strokeJoin": "round"}, "encoding": value_at},
              {"mark": {**text, "style": ["ink"], "align": "right", "fontWeight": "bold"}, "encoding": value_at}]
    layers = [bars, *intervals, *reference_layers(reference, y, height, datasets), *labels, *values]
    spec = top_level(layers, rows, datasets, width=layout.width, height=height, description=description,
                     headline=headline, subtitle=subtitle, layout=layout, title_width=layout.width)
    return Chart(spec, keys)


def end_labels(data: pd.DataFrame, domain: tuple, layout: Layout) -> pd.DataFrame:
    """Each line's name beside its last shown point, nudged so no two overlap."""
    shown = data[data["value"].notna()]
    last = shown.sort_values("survey_year").groupby("cohort_id", sort=False).tail(1).reset_index(drop=True)
    if last.empty:
        return last
    gap = layout.font * 1.2
    return last.assign(name_y=nudged(list(last["value"]), domain=domain, height=layout.trend_height, gap=gap))


def trend_lines(data: pd.DataFrame, *, y_title: str, domain: tuple, headline: str, subtitle: list[str],
                description: str, layout: Layout = DESKTOP) -> Chart:
    """Points with intervals per year; lines join only years in the same comparable segment.
    Desktop names each line at its end (nudged apart); phone has a legend above the plot."""
    labels = list(dict.fromkeys(data["label"]))
    keys = list(dict.fromkeys(data["cohort_id"]))
    legend = {"orient": "top", "direction": "vertical", "title": None} if layout.trend_legend else None
    colour = field("label", "nominal", scale={"domain": labels, "range": "category"}, legend=legend)
    shape = field("label", "nominal", scale={"domain": labels}, legend=legend)
    x = field("survey_year", "ordinal", title="Survey year", axis={"labelAngle": 0})
    y_scale = {"domain": list(domain)}
    datasets: dict = {}
    rows = dataset(datasets, data)
    shown, hidden = [{"filter": "isValid(datum.value)"}], [{"filter": "!isValid(datum.value)"}]
    lines = {"mark": {"type": "line", "strokeWidth": 2}, "transform": shown, "encoding": {
        "x": x, "color": colour, "detail": field("line_group", "nominal"),
        "y": field("value", scale=y_scale, title=y_title, axis={"tickCount": 5})}}
    intervals = {"mark": {"type": "rule", "strokeWidth": 1.5}, "transform": shown, "encoding": {
        "x": x, "color": colour, "y": field("ci_lower"), "y2": {"field": "ci_upper"}}}
    points = {"mark": {"type": "point", "filled": True, "size": 70, "opacity": 1}, "transform": shown, "encoding": {
        "x": x, "color": colour, "y": field("value"), "shape": shape,
        "tooltip": [field("label", "nominal", title="Group"), field("survey_year", "ordinal", title="Year"),
                    field("value_label", "nominal", title="Result"),
                    field("interval_label", "nominal", title="95% interval")]}}
    gaps = {"mark": {"type": "text", "style": ["ink"], "fontSize": layout.font}, "transform": hidden, "encoding": {
        "x": x, "color": colour, "y": {"value": layout.font}, "text": {"value": "[c]"}}}
    layers = [lines, intervals, points, gaps]
    if not layout.trend_legend:
        names = end_labels(data, domain, layout)
        if not names.empty:
            layers.append({"data": dataset(datasets, names),
                           "mark": {"type": "text", "align": "left", "dx": 12, "fontSize": layout.font, "baseline": "middle"},
                           "encoding": {"x": x, "color": colour, "y": field("name_y", scale=y_scale),
                                        "text": field("label", "nominal")}})
    spec = top_level(layers, rows, datasets, width=layout.trend_width, height=layout.trend_height,
                     description=description, headline=headline, subtitle=subtitle, layout=layout,
                     title_width=layout.trend_width + 200)
    return Chart(spec, keys)
