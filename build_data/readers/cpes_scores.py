"""CPES score tables (xlsx or csv, one row per question x organisation x cancer group) in, extracted rows out."""
from __future__ import annotations

import pandas as pd

from ..errors import YearOutOfRange

from .cells import normalise_code, normalise_name, parse_numbers
from .tables import SOURCE_ROW, heading, read_table, strip_text

VALUE_COLUMNS = ("score", "percent", "mean")
# the columns a layout must supply (a tuple: at least one of them)
REQUIRED = ("publisher_code", "question_text", "geography_code", "geography_name", "level", "cohort_label",
            "n_respondents", VALUE_COLUMNS)


def check_stated_year(table: pd.DataFrame, release, path) -> None:
    """Some layouts repeat the survey year in every row: it must be the release's."""
    if "survey_year_stated" not in table:
        return
    wrong = table["survey_year_stated"].str.strip() != str(release.survey_year)
    if wrong.any():
        i = wrong.idxmax()
        raise YearOutOfRange(f"The row says survey year {table.at[i, 'survey_year_stated']!r}; the release is "
                             f"{release.survey_year}.", file=path, row=int(table.at[i, SOURCE_ROW]),
                             column=heading(table, "survey_year_stated"),
                             fix="Check the file belongs to this release (files and survey_year in "
                                 "build_data/metadata/releases.yml).")


def read(release) -> pd.DataFrame:
    """A CPES release in, its extracted rows (text cleaned, numbers parsed) out."""
    frames = []
    for source in release.files:
        table = read_table(source.path, release.layout, release.encoding, release.corrections_for(source))
        sheet = release.layout.sheet
        out = pd.DataFrame({
            "release_id": release.id,
            "survey_year": release.survey_year,
            "publisher_code": strip_text(table["publisher_code"]),
            "question_text": table["question_text"],
            "geography_code": normalise_code(table["geography_code"]),
            "geography_name": normalise_name(table["geography_name"]),
            "level": strip_text(table["level"]),
            "cohort_label": table["cohort_label"],
            "n_respondents": parse_numbers(table, "n_respondents", file=source.path, sheet=sheet, integer=True),
        })
        check_stated_year(table, release, source.path)
        for column in VALUE_COLUMNS:
            if column in table:
                out[column] = parse_numbers(table, column, file=source.path, sheet=sheet)
        out[SOURCE_ROW] = table[SOURCE_ROW]
        out["_source_file"] = source.relative
        frames.append(out)
    return pd.concat(frames, ignore_index=True)
