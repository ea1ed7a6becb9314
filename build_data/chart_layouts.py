"""The widths charts are drawn for, and the geometry that depends on them: label wrapping, rows of
labelled bars, and end labels nudged apart so they never overlap.

A chart is drawn once per layout. The desktop image is also the download; the phone image is only
shown on narrow screens (figure markup picks it with <picture><source media>), drawn at its natural
width so its type is read at the size it was set.
"""
from __future__ import annotations

import dataclasses
import textwrap

import pandas as pd


@dataclasses.dataclass(frozen=True)
class Layout:
    name: str              # "" for the desktop files, "-phone" suffix for the phone files
    suffix: str
    width: int             # plot width in px (the SVG adds axes, labels and padding)
    font: int              # every text in the chart is at least this size, in SVG px
    title_font: int
    with_title: bool       # phone: the headline and subtitle are the HTML right above the image
    wrap: int              # characters per line of a wrapped label
    trend_legend: bool     # a legend above the plot instead of labels at the line ends
    trend_height: int
    x_ticks: int
    trend_width: int


# Bars in both layouts carry their label on a line above the bar (no label column to truncate).
# Desktop: the whole SVG is about 680 px wide; Material's content column at 1280 px is about 690 px,
# so it is scaled by 0.95 at worst and 14 px type stays above 12 CSS px.
DESKTOP = Layout("desktop", "", width=640, font=14, title_font=17, with_title=True,
                 wrap=60, trend_legend=False, trend_height=260, x_ticks=10, trend_width=430)
# Phone: about 340 px in all, the content column at a 375 px viewport (Material's 16 px side
# margins); shown at its natural size there, so 14 px type reads as 14 CSS px.
PHONE = Layout("phone", "-phone", width=300, font=14, title_font=16, with_title=False,
               wrap=26, trend_legend=True, trend_height=220, x_ticks=4, trend_width=270)
LAYOUTS = (DESKTOP, PHONE)
PHONE_MEDIA = "(max-width: 719px)"   # below this the desktop SVG would be scaled under 12 CSS px

ROW_GAP = 12            # px between one bar and the next row's label
BAR_HEIGHT = 16
LINE_HEIGHT = 1.25


def wrapped(label: str, width: int) -> list[str]:
    return textwrap.wrap(str(label), width=width, break_long_words=False) or [""]


def stacked_rows(data: pd.DataFrame, layout: Layout) -> tuple[pd.DataFrame, int]:
    """Pixel positions for bars with their label above: label lines, then the bar, then a gap.
    Returns the rows with label_lines, label_y (top of the first line), bar_top, bar_bottom, bar_mid
    and the total height."""
    line = round(layout.font * LINE_HEIGHT)
    y, out = 0, []
    for label in data["label"]:
        lines = wrapped(label, layout.wrap)
        label_y = y                     # top of the first line (text baseline "top")
        bar_top = y + line * len(lines) + 2
        out.append({"label_lines": lines, "label_y": label_y, "bar_top": bar_top,
                    "bar_bottom": bar_top + BAR_HEIGHT, "bar_mid": bar_top + BAR_HEIGHT / 2})
        y = bar_top + BAR_HEIGHT + ROW_GAP
    return data.assign(**{k: [o[k] for o in out] for k in out[0]}) if out else data, max(y - ROW_GAP, 1)


def nudged(values: list[float], *, domain: tuple, height: int, gap: float) -> list[float]:
    """End-label positions (in data units) as close to `values` as they can be while at least
    `gap` px apart and inside the plot; the order of the values is kept."""
    lo, hi = domain
    per_px = (hi - lo) / height
    step = gap * per_px
    order = sorted(range(len(values)), key=lambda i: values[i])
    placed = [values[i] for i in order]
    for k in range(1, len(placed)):                  # push up
        placed[k] = max(placed[k], placed[k - 1] + step)
    overflow = placed[-1] - hi if placed else 0
    if overflow > 0:                                 # shift the stack back into the plot
        placed = [p - overflow for p in placed]
        for k in range(len(placed) - 2, -1, -1):
            placed[k] = min(placed[k], placed[k + 1] - step)
    out = [0.0] * len(values)
    for k, i in enumerate(order):
        out[i] = placed[k]
    return out
