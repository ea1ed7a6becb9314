"""A chart's Vega-Lite spec in, the spec of its downloadable image out: the same chart with its source, licence
and (for illustrative data) the notice drawn in a footer under it, so a cropped or forwarded PNG still says where
it came from and on what terms (as Our World in Data's charts do).

Only the PNGs and press-kit images get the footer; the SVGs shown on the page stay as they are (the page shows
the headline and source in HTML). The footer is the chart view's own title, set at its foot, under the headline's
concatenation: drawn by Vega like every other text, never pasted onto pixels.
"""
from __future__ import annotations

import copy
import textwrap

import vl_convert as vlc

from .errors import FigureUnknown

ILLUSTRATIVE = "Illustrative data — not real survey results."
TOP_LEVEL = ("$schema", "config", "datasets", "title", "description", "background", "padding", "autosize", "usermeta")
FONT, LINE = 14, 18
PX_PER_CHAR = 7.4   # a generous average width of a 14 px character, so a wrapped line fits the chart's width


def credit_lines(source: str, descriptor: dict) -> list[str]:
    """The figure's source line and the package's licence (and illustrative notice), from datapackage.json."""
    licences = "; ".join(f"{x.get('title', x.get('name'))}" for x in descriptor.get("licenses", []))
    lines = [source, f"Licence: {licences}." if licences else ""]
    if descriptor.get("is_illustrative"):
        lines.insert(0, ILLUSTRATIVE)
    return [line for line in lines if line]


def ink(spec: dict) -> str:
    """The colour the chart's own subtitle is drawn in (light or dark scheme)."""
    title, config = spec.get("title"), spec.get("config", {})
    colour = title.get("subtitleColor") if isinstance(title, dict) else None
    return colour or config.get("title", {}).get("subtitleColor") or config.get("axis", {}).get("labelColor", "#1b1b1b")


def plot_width(spec: dict) -> int:
    width = spec.get("width")
    return int(width) if isinstance(width, (int, float)) else 640


def with_credit(spec: dict, lines: list[str], wrap_px: int | None = None) -> dict:
    """The chart above a footer holding the credit lines, wrapped to wrap_px (default: the chart's width)."""
    spec = copy.deepcopy(spec)
    outer = {k: spec.pop(k) for k in TOP_LEVEL if k in spec}
    width = plot_width(spec)
    title = outer.get("title")
    said = " ".join(str(t) for t in ([title.get("text"), title.get("subtitle")] if isinstance(title, dict) else [title])
                    for t in (t if isinstance(t, list) else [t]))
    lines = [line for line in lines if line not in said]   # the chart's notes may already say it: say it once
    limit = max(30, int((wrap_px or width) / PX_PER_CHAR))
    wrapped = [part for line in lines for part in textwrap.wrap(line, limit)]
    spec["title"] = {"text": wrapped, "orient": "bottom", "anchor": "start", "frame": "bounds", "offset": 16,
                     "fontSize": FONT, "fontWeight": "normal", "lineHeight": LINE, "color": ink({**outer, **spec}),
                     "subtitle": ""}
    if isinstance(outer.get("autosize"), dict) and outer["autosize"].get("type") == "fit":
        outer["autosize"] = {"type": "pad"}   # a concatenation is sized by its parts (see fitted)
    return {**outer, "vconcat": [spec]}   # the chart's own title (at its foot) is the credit; the outer one its headline


def fitted(spec: dict, width: int, height: int, attempts: int = 5) -> dict:
    """A with_credit spec whose image is exactly width x height: the chart's plot is grown or shrunk by what
    the drawn image lacks or has too much, until it fits (Vega-Lite cannot fit a concatenation itself)."""
    from .figure_files import svg_size
    spec = copy.deepcopy(spec)
    chart = spec["vconcat"][0]
    for _ in range(attempts):
        drawn = svg_size(vlc.vegalite_to_svg(spec))
        if drawn == (width, height):
            return spec
        chart["width"] = plot_width(chart) + width - drawn[0]
        chart["height"] = int(chart.get("height", height)) + height - drawn[1]
    raise FigureUnknown(f"A press image could not be fitted to {width} x {height} px (drawn {drawn[0]} x {drawn[1]}).",
                        fix="Shorten the figure's headline or labels in figures.yml, or report it as a bug in "
                            "build_data/image_credit.py.")
