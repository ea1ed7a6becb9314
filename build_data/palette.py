"""Chart colours for the site's light and dark schemes, each checked at 3:1 or more against its background."""
from __future__ import annotations

PALETTES = {
    "light": {
        "background": "#ffffff", "ink": "#1b1b1b", "grid": "#dddddd", "area": "#005a9c",
        "cohorts": {},      # cohort id -> colour: chart_colour in cohorts.yml (use_cohort_colours)
    },
    "dark": {
        # Material's slate scheme background
        "background": "#1e2129", "ink": "#e8e8e8", "grid": "#3a3f4b", "area": "#74b6f0",
        "cohorts": {},
    },
}


def use_cohort_colours(cohorts) -> None:
    """cohorts.yml's cohorts (typed, from the registry) in: each cohort's chart_colour becomes its colour in
    charts of both schemes. Called once when rendering starts."""
    for scheme, palette in PALETTES.items():
        palette["cohorts"].clear()
        palette["cohorts"].update({cid: getattr(c.chart_colour, scheme) for cid, c in cohorts.items()})


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mark_colours(scheme: str) -> list[str]:
    p = PALETTES[scheme]
    return [p["ink"], p["area"], *p["cohorts"].values()]
