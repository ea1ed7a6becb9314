"""A chart's Vega-Lite spec in, the spec of its downloadable image out: the same chart with its source, licence
and (for illustrative data) the notice drawn in a footer under it, so a cropped or forwarded PNG still says where
it came from and on what terms (as Our World in Data's charts do).

Only the PNGs and press-kit images get the footer; the SVGs shown on the page stay as they are (the page shows
the headline and source in HTML). A figure's PNG is its drawn SVG with the footer composed under it as SVG text
(credited_svg: no second Vega run); a press image, fitted to an exact canvas, is drawn by Vega from with_credit's
spec, where the footer is the chart view's own title, set at its foot, under the headline's concatenation. Either
way the footer is text drawn with the chart, never pasted onto pixels.
"""
from __future__ import annotations

import copy
import html
import re
import textwrap

import vl_convert as vlc

from .errors import FigureUnknown

ILLUSTRATIVE = "Illustrative data — not real survey results."
TOP_LEVEL = ("$schema", "config", "datasets", "title", "description", "background", "padding", "autosize", "usermeta")
FONT, LINE = 14, 18
OFFSET = 16           # px between the chart's bounds and the footer's first line
TOP_BASELINE = 0.79   # where Vega sets a top-aligned line's baseline, as a share of its font size
VEGA_PADDING = 5      # Vega-Lite's padding when a spec sets none
FOOTER_METHOD = "footer-1"   # part of a composed PNG's cache key: change it when credited_svg's output would change
ORIGIN = re.compile(r'<g fill="none" stroke-miterlimit="10" transform="translate\(([-\d.e]+),([-\d.e]+)\)">')
TITLE_AT = re.compile(r'<g class="mark-group role-title"><g transform="translate\(([-\d.e]+),')
SVG_HEAD = re.compile(r'(<svg [^>]*?width="(\d+)" height=")(\d+)(" viewBox="0 0 \d+ )(\d+)(">)'
                      r'(?:(<rect width="\d+" height=")(\d+)("[^>]*/>))?')
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


def footer_lines(spec: dict, lines: list[str], wrap_px: int | None = None) -> list[str]:
    """The credit lines the chart's own titles do not already say, wrapped to wrap_px (default: the plot's width)."""
    title = spec.get("title")
    said = " ".join(str(t) for t in ([title.get("text"), title.get("subtitle")] if isinstance(title, dict) else [title])
                    for t in (t if isinstance(t, list) else [t]))
    lines = [line for line in lines if line not in said]   # the chart's notes may already say it: say it once
    limit = max(30, int((wrap_px or plot_width(spec)) / PX_PER_CHAR))
    return [part for line in lines for part in textwrap.wrap(line, limit)]


def with_credit(spec: dict, lines: list[str], wrap_px: int | None = None) -> dict:
    """The chart above a footer holding the credit lines, wrapped to wrap_px (default: the chart's width)."""
    wrapped = footer_lines(spec, lines, wrap_px)
    spec = copy.deepcopy(spec)
    outer = {k: spec.pop(k) for k in TOP_LEVEL if k in spec}
    spec["title"] = {"text": wrapped, "orient": "bottom", "anchor": "start", "frame": "bounds", "offset": 16,
                     "fontSize": FONT, "fontWeight": "normal", "lineHeight": LINE, "color": ink({**outer, **spec}),
                     "subtitle": ""}
    if isinstance(outer.get("autosize"), dict) and outer["autosize"].get("type") == "fit":
        outer["autosize"] = {"type": "pad"}   # a concatenation is sized by its parts (see fitted)
    return {**outer, "vconcat": [spec]}   # the chart's own title (at its foot) is the credit; the outer one its headline


def padding(spec: dict, side: str) -> float:
    value = spec.get("padding", VEGA_PADDING)
    return float(value.get(side, 0) if isinstance(value, dict) else value)


def number(value: float) -> str:
    return f"{value:.10g}"


def footer_svg(spec: dict, wrapped: list[str], top: float, svg: str) -> str:
    """The footer lines as Vega writes a top-aligned, left-anchored multi-line title starting `top` px down, at
    the left of the chart's bounds: where its headline starts, in the chart's own coordinates (or at its padding
    when it has no headline)."""
    config = spec.get("config", {})
    font = config.get("title", {}).get("font") or config.get("font") or "sans-serif"
    parts = [html.escape(line, quote=False) for line in wrapped]
    body = parts[0] if len(parts) == 1 else "<tspan>" + parts[0] + "</tspan>" + "".join(
        f'<tspan x="0" dy="{LINE}">{part}</tspan>' for part in parts[1:])
    origin, title = ORIGIN.search(svg), TITLE_AT.search(svg)
    x, y = (origin.group(1), origin.group(2)) if origin and title else ("0", "0")
    left = title.group(1) if origin and title else number(padding(spec, "left"))
    text = (f'<text text-anchor="start" transform="translate(0,{round(TOP_BASELINE * FONT)})" '
            f'font-family="{html.escape(font)}" font-size="{FONT}px" font-weight="normal" '
            f'fill="{html.escape(ink(spec))}" opacity="1">{body}</text>')
    return (f'<g class="credit" aria-hidden="true" transform="translate({x},{y})">'
            f'<g transform="translate({left},{number(top - float(y))})">{text}</g></g>')


def credited_svg(svg: str, spec: dict, lines: list[str]) -> str:
    """The chart's drawn SVG with the credit lines under it, as with_credit has Vega draw them (same font, size,
    line height, colour, wrap and gap): the canvas made taller by the footer, the background with it."""
    wrapped = footer_lines(spec, lines)
    head = SVG_HEAD.match(svg)
    if not wrapped:
        return svg
    if not head or not svg.endswith("</svg>"):
        raise FigureUnknown("vl-convert drew an SVG that does not start <svg ... width height viewBox>, so the credit "
                            "footer cannot be composed under it.",
                            fix="Report it as a bug in build_data/image_credit.py (credited_svg), with vl-convert's version.")
    height = int(head.group(3))
    top = height - padding(spec, "bottom") + OFFSET
    taller = int(top + LINE * (len(wrapped) - 1) + FONT + padding(spec, "bottom"))
    rect = f"{head.group(7)}{taller}{head.group(9)}" if head.group(7) else ""
    new_head = f"{head.group(1)}{taller}{head.group(4)}{taller}{head.group(6)}{rect}"
    return new_head + svg[head.end():-len("</svg>")] + footer_svg(spec, wrapped, top, svg) + "</svg>"


FITTED: dict[str, dict] = {}   # fitted's answers in this process, by its arguments: each costs Vega runs


def fitted(spec: dict, width: int, height: int, attempts: int = 5) -> dict:
    """A with_credit spec whose image is exactly width x height: the chart's plot is grown or shrunk by what
    the drawn image lacks or has too much, until it fits (Vega-Lite cannot fit a concatenation itself).
    Fitted once per process for the same arguments (the render asks early, to draw press images ahead)."""
    from .image_drawing import content_hash
    key = content_hash([spec, width, height, attempts, vlc.get_vega_version()])
    if key not in FITTED:
        FITTED[key] = fit(spec, width, height, attempts)
    return copy.deepcopy(FITTED[key])


def fit(spec: dict, width: int, height: int, attempts: int) -> dict:
    """Vega's runs here measure text with vl-convert's own fonts (image_drawing.vl), as the press image is drawn;
    the last run's SVG, the fitted spec's, is kept for drawing it (image_drawing.drawn_ahead)."""
    from .figure_files import svg_size
    from .image_drawing import drawn_ahead, vl
    spec = copy.deepcopy(spec)
    chart = spec["vconcat"][0]
    for _ in range(attempts):
        svg = vl().vegalite_to_svg(spec)
        drawn = svg_size(svg)
        if drawn == (width, height):
            drawn_ahead(spec, svg)      # the press image's SVG: drawn (image_drawing.draw) without another Vega run
            return spec
        chart["width"] = plot_width(chart) + width - drawn[0]
        chart["height"] = int(chart.get("height", height)) + height - drawn[1]
    raise FigureUnknown(f"A press image could not be fitted to {width} x {height} px (drawn {drawn[0]} x {drawn[1]}).",
                        fix="Shorten the figure's headline or labels in figures.yml, or report it as a bug in "
                            "build_data/image_credit.py.")
