"""Figures transcribed from published reports (csv with citations) in, extracted rows out."""
from __future__ import annotations

import pandas as pd

from .cells import parse_numbers
from .tables import SOURCE_ROW, read_table

REQUIRED = ("figure_id", "value")


def read(release) -> pd.DataFrame:
    """A release of transcribed figures in, its rows with numeric values out."""
    frames = []
    for source in release.files:
        table = read_table(source.path, release.layout, release.encoding, release.corrections_for(source))
        table["value"] = parse_numbers(table, "value", file=source.path)
        table["_source_file"] = source.relative
        frames.append(table)
    return pd.concat(frames, ignore_index=True).drop(columns=[SOURCE_ROW])
