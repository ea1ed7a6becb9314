"""Text cells in, typed values out: counts, numbers, missing markers and normalised names."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..errors import ValueNotNumeric
from .tables import MISSING, SOURCE_ROW, THOUSANDS, distinct_values, heading, per_distinct

MISSING_MARKS = frozenset({"", "*", "-", "..", "n/a", "N/A"})   # when the table does not say its layout's
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def number_cells(text: pd.Series, missing, separator: str, integer: bool) -> tuple[pd.Series, pd.Series]:
    """Text cells in; which are not numbers (nor missing marks), and the numbers (NA where missing) out."""
    text = text.astype(str).str.strip()
    is_missing = text.isin(missing)
    if separator:
        text = text.str.replace(separator, "", regex=False)
    text = text.str.rstrip("%").str.strip()
    is_missing |= text.isin(missing)
    bad = ~is_missing & ~text.str.match(NUMBER)
    if integer:
        bad |= ~is_missing & text.str.contains(".", regex=False) & ~text.str.match(r"^-?\d+\.0+$")
    values = pd.to_numeric(text.where(~is_missing), errors="coerce")
    return bad, (values.round().astype("Int64") if integer else values.astype("Float64"))


def parse_numbers(table: pd.DataFrame, column: str, *, file, sheet=None, integer=False) -> pd.Series:
    """A column of text cells in, numbers out: thousands separators dropped, the layout's suppressed and
    not-applicable symbols (table.attrs, set by read_table) -> NA. Each distinct cell text is parsed once."""
    missing = table.attrs.get(MISSING, MISSING_MARKS)
    codes, distinct = distinct_values(table[column])
    bad, values = number_cells(distinct, missing, table.attrs.get(THOUSANDS, ","), integer)
    bad = bad.fillna(False).to_numpy(dtype=bool)[codes]
    if bad.any():
        i = table.index[int(bad.argmax())]
        kind = "a whole number" if integer else "a number"
        raise ValueNotNumeric(f"{table.at[i, column]!r} is not {kind}.", file=file, sheet=sheet,
                              row=int(table.at[i, SOURCE_ROW]), column=heading(table, column),
                              fix="Correct the cell, or declare the fix in corrections.yml if the publisher's file is wrong.")
    return pd.Series(values.array.take(codes), index=table.index, name=column)


def normalise_name(names: pd.Series) -> pd.Series:
    """Trim and collapse spaces; publishers' case varies between years, so restore title case when shouted."""
    def normalise(distinct: pd.Series) -> pd.Series:
        cleaned = distinct.astype(str).str.strip().str.replace(r"\s+", " ", regex=True)
        return cleaned.where(~cleaned.str.isupper(), cleaned.str.title())
    return per_distinct(names, normalise)


def normalise_code(codes: pd.Series) -> pd.Series:
    """Codes in, trimmed upper-case codes out."""
    return per_distinct(codes, lambda distinct: distinct.astype(str).str.strip().str.upper())


def fold_label(label: str) -> str:
    """A label in, the form labels are compared in out: no case, no surrounding or repeated spaces."""
    return " ".join(str(label).split()).casefold()


def match_labels(values: pd.Series, labels: dict[str, str]) -> pd.Series:
    """Map publisher labels to our ids, ignoring case and surrounding or repeated spaces; unmatched -> NaN."""
    folded = {fold_label(k): v for k, v in labels.items()}
    text = values.astype(str)
    return text.map({label: folded.get(fold_label(label), np.nan) for label in text.unique()})


def any_true(mask: pd.Series) -> bool:
    """A boolean mask (NA counts as False) in, whether any value is True out."""
    return bool(np.asarray(mask, dtype=bool).any())
