"""Audit indicator tables (numerator, denominator, percentage by year and area) in, extracted rows out."""
from __future__ import annotations

import pandas as pd

from .cells import normalise_code, normalise_name, parse_numbers
from .tables import SOURCE_ROW, read_table, strip_text

REQUIRED = ("indicator_label", "period", "geography_code", "geography_name", "level", "numerator", "denominator",
            "percent")


def read(release) -> pd.DataFrame:
    """An audit release in, its extracted rows (text cleaned, numbers parsed) out."""
    frames = []
    for source in release.files:
        table = read_table(source.path, release.layout, release.encoding, release.corrections_for(source))
        sheet = release.layout.sheet
        frames.append(pd.DataFrame({
            "release_id": release.id,
            "indicator_label": table["indicator_label"],
            "period": parse_numbers(table, "period", file=source.path, sheet=sheet, integer=True),
            "geography_code": normalise_code(table["geography_code"]),
            "geography_name": normalise_name(table["geography_name"]),
            "level": strip_text(table["level"]),
            "numerator": parse_numbers(table, "numerator", file=source.path, sheet=sheet, integer=True),
            "denominator": parse_numbers(table, "denominator", file=source.path, sheet=sheet, integer=True),
            "percent": parse_numbers(table, "percent", file=source.path, sheet=sheet),
            SOURCE_ROW: table[SOURCE_ROW],
            "_source_file": source.relative,
        }))
    return pd.concat(frames, ignore_index=True)
