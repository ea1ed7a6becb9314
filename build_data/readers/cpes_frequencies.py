"""CPES response frequency tables (csv, one row per question x organisation x group x response option) in,
extracted rows out."""
from __future__ import annotations

import pandas as pd

from .cells import normalise_code, parse_numbers
from .tables import SOURCE_ROW, read_table, strip_text

REQUIRED = ("publisher_code", "geography_code", "level", "cohort_label", "option_label", "n_respondents", "percent")


def read(release) -> pd.DataFrame:
    """A CPES release's frequencies part in, its extracted rows (text cleaned, numbers parsed) out."""
    frames = []
    for source in release.files:
        table = read_table(source.path, release.layout, release.encoding, release.corrections_for(source))
        sheet = release.layout.sheet
        frames.append(pd.DataFrame({
            "release_id": release.id,
            "survey_year": release.survey_year,
            "publisher_code": strip_text(table["publisher_code"]),
            "geography_code": normalise_code(table["geography_code"]),
            "level": strip_text(table["level"]),
            "cohort_label": table["cohort_label"],
            "option_label": table["option_label"],
            "n_respondents": parse_numbers(table, "n_respondents", file=source.path, sheet=sheet, integer=True),
            "percent": parse_numbers(table, "percent", file=source.path, sheet=sheet),
            SOURCE_ROW: table[SOURCE_ROW],
            "_source_file": source.relative,
        }))
    return pd.concat(frames, ignore_index=True)
