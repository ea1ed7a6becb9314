"""Chart colours for the site's light and dark schemes, each checked at 3:1 or more against its background."""
from __future__ import annotations

PALETTES = {
    "light": {
        "background": "#ffffff", "ink": "#1b1b1b", "grid": "#dddddd", "area": "#005a9c",
        "cohorts": {"all_cancers": "#4d5b6a", "breast": "#005a9c", "breast_primary": "#00703c",
                    "breast_secondary": "#a3266d"},
    },
    "dark": {
        # Material's slate scheme background
        "background": "#1e2129", "ink": "#e8e8e8", "grid": "#3a3f4b", "area": "#74b6f0",
        "cohorts": {"all_cancers": "#b4bec9", "breast": "#74b6f0", "breast_primary": "#5fcf8f",
                    "breast_secondary": "#f29bc8"},
    },
}


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
