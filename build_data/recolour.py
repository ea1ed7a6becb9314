"""A chart's light SVG in, the same chart's dark SVG out, without running Vega again.

A dark spec is the light spec with another config (charts.Chart.in_scheme): Vega lays both out the same, and
only the colours it writes differ. So the dark SVG is the light SVG with each light colour swapped for the colour
the dark config gives the same role (background, ink, grid, each colour-range entry, halo...). That holds only
where the swap is a function of the colour alone; colour_map and recoloured return None otherwise, and the
chart is drawn by Vega as before. tests/unit/test_recolour.py checks the bytes against Vega's dark drawing for
every figure of the default project.
"""
from __future__ import annotations

import re

RECOLOUR_METHOD = "recolour-1"     # part of a recoloured image's cache key: change it when the output would change
HEX = re.compile(r"#[0-9a-fA-F]{3,8}\Z")
ATTRIBUTE_COLOUR = re.compile(r'="(#[0-9a-fA-F]{3,8})"')


def paired(light, dark, pairs: list[tuple[str, str]]) -> bool:
    """Walk two configs together, collecting (light, dark) colour pairs at the same place; False when they
    differ in anything but hex colours (another shape, a number, a named colour)."""
    if isinstance(light, dict) and isinstance(dark, dict):
        return light.keys() == dark.keys() and all(paired(light[k], dark[k], pairs) for k in light)
    if isinstance(light, list) and isinstance(dark, list):
        return len(light) == len(dark) and all(paired(a, b, pairs) for a, b in zip(light, dark))
    if isinstance(light, str) and isinstance(dark, str) and HEX.match(light) and HEX.match(dark):
        pairs.append((light, dark))
        return True
    return light == dark


def hex_strings(value) -> set[str]:
    """Every string in a spec (marks, data, titles) that looks like a hex colour."""
    if isinstance(value, dict):
        return set().union(*(hex_strings(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(hex_strings(v) for v in value)) if value else set()
    return {value} if isinstance(value, str) and HEX.match(value) else set()


def colour_map(light: dict, dark: dict) -> dict[str, str] | None:
    """Light colour -> dark colour, from the two specs' configs; None unless the specs differ only in their
    config's colours, each light colour has one dark colour, and no light colour that changes is also used
    outside the config (a mark's own colour, a data value), where the dark spec keeps it."""
    rest = {k: v for k, v in light.items() if k != "config"}
    if rest != {k: v for k, v in dark.items() if k != "config"}:
        return None
    pairs: list[tuple[str, str]] = []
    if not paired(light.get("config", {}), dark.get("config", {}), pairs):
        return None
    colours: dict[str, str] = {}
    for before, after in pairs:
        if colours.setdefault(before, after) != after:
            return None
    if any(colours.get(text, text) != text for text in hex_strings(rest)):
        return None
    return colours


def recoloured(svg: str, colours: dict[str, str]) -> str | None:
    """The SVG with every attribute value that is a light colour set to its dark colour; None when a light
    colour that changes also appears elsewhere (in text, in another spelling), where it must not change."""
    changing = {before for before, after in colours.items() if before != after}
    lowered = svg.lower()
    as_values: dict[str, int] = {}
    for match in ATTRIBUTE_COLOUR.finditer(svg):
        as_values[match.group(1)] = as_values.get(match.group(1), 0) + 1
    if any(lowered.count(colour.lower()) != as_values.get(colour, 0) for colour in changing):
        return None
    return ATTRIBUTE_COLOUR.sub(lambda m: f'="{colours.get(m.group(1), m.group(1))}"', svg)
