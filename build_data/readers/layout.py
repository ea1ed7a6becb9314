"""layouts.yml in, one typed, frozen Layout per publisher file layout out (unknown keys refused).

Every key is documented in the comment at the top of build_data/metadata/layouts.yml; a new
publisher layout is an entry there, never a new reader.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..errors import MetadataInvalid, ReaderUnknown
from ..registry.explain import did_you_mean

DEFAULT_MISSING = ("*", "-", "..", "n/a", "N/A")   # read as "no value" when a layout declares no symbols
VALUE_PLACEHOLDER = "{value}"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CohortFrom(Strict):
    """A cohort split over two or more columns: their cells joined with '|' are looked up in map."""
    columns: tuple[str, ...] = Field(min_length=2)
    map: dict[str, Optional[str]]     # "Breast|Yes" -> a cohort's publisher label or id; null leaves the rows out

    @field_validator("map")
    @classmethod
    def keys_have_a_part_per_column(cls, value, info):
        columns = info.data.get("columns") or ()
        bad = [k for k in value if len(k.split("|")) != len(columns)]
        if bad:
            raise ValueError(f"map key {bad[0]!r} must have one part per column of {list(columns)}, joined by '|'")
        return value


class Wide(Strict):
    """One column per (key, value) pair, e.g. 'Breast - % positive', turned into one row per key."""
    heading: str                      # template: '{<our column>} - {value}', e.g. '{cohort_label} - {value}'
    values: dict[str, str]            # what {value} stands for in the heading -> our column name

    @field_validator("heading")
    @classmethod
    def heading_has_two_placeholders(cls, value):
        names = re.findall(r"\{(\w+)\}", value)
        if len(names) != 2 or "value" not in names:
            raise ValueError("heading must hold {value} and one {<our column name>}, e.g. '{cohort_label} - {value}'")
        return value

    @property
    def key_column(self) -> str:
        return next(n for n in re.findall(r"\{(\w+)\}", self.heading) if n != "value")

    def pattern(self) -> re.Pattern:
        """The heading template as a regular expression with groups 'key' and 'value'."""
        values = "|".join(re.escape(v) for v in sorted(self.values, key=len, reverse=True))
        parts = re.split(r"(\{\w+\})", self.heading)
        regex = "".join("(?P<value>" + values + ")" if p == VALUE_PLACEHOLDER else
                        "(?P<key>.+?)" if re.fullmatch(r"\{\w+\}", p) else re.escape(p) for p in parts)
        return re.compile(rf"^{regex}$")


class Layout(Strict):
    id: str
    reader: str
    survey: Optional[str] = None      # the survey (releases.yml) a release in this layout belongs to
    format: Literal["xlsx", "csv"]
    sheet: Union[str, int, None] = None
    header_row: Union[int, Literal["auto"]] = 1
    columns: dict[str, str]
    levels: dict[str, str] = {}
    percent_scale: Literal["auto", "proportion", "percent"] = "auto"
    percent_decimals: int = 1
    thousands_separator: str = ","
    suppressed_symbols: Optional[tuple[str, ...]] = None
    not_applicable_symbols: tuple[str, ...] = ()
    footer_starts_with: tuple[str, ...] = ()
    stop_at_blank_row: bool = False
    constants: dict[str, str] = {}
    cohort_from: Optional[CohortFrom] = None
    wide: Optional[Wide] = None
    exclude_codes: tuple[str, ...] = ()

    @field_validator("sheet", "header_row")
    @classmethod
    def positive_position(cls, value):
        if isinstance(value, int) and value < 1:
            raise ValueError("a row or sheet position counts from 1")
        return value

    @model_validator(mode="after")
    def workbook_names_a_sheet(self):
        if self.format == "xlsx" and self.sheet is None:
            raise ValueError("an xlsx layout needs sheet: the worksheet's name, or its position (1 is the first)")
        return self

    @property
    def missing_symbols(self) -> frozenset[str]:
        """Cell texts that mean "no value": suppressed, not applicable, or blank."""
        suppressed = DEFAULT_MISSING if self.suppressed_symbols is None else self.suppressed_symbols
        return frozenset({"", *(s.strip() for s in suppressed), *(s.strip() for s in self.not_applicable_symbols)})

    @property
    def expected_headings(self) -> list[str]:
        """The publisher headings that must all be present (the wide value columns are matched by pattern)."""
        return [*self.columns, *(self.cohort_from.columns if self.cohort_from else ())]

    @property
    def supplied_columns(self) -> set[str]:
        """Our column names this layout supplies to its reader, however they are made."""
        supplied = set(self.columns.values()) | set(self.constants)
        if self.cohort_from:
            supplied.add("cohort_label")
        if self.wide:
            supplied |= {self.wide.key_column, *self.wide.values.values()}
        return supplied


def check_reader(layout: Layout, path: Path, line: int | None = None) -> None:
    """The layout's reader exists, and every column it reads is supplied (by columns, constants, cohort_from or
    wide): a typo here would otherwise drop a release or stop the build deep inside a reader.
    line: where the layout's reader key is in layouts.yml, when known."""
    from . import REQUIRED_COLUMNS
    where = dict(file=path, row=layout.id)
    if layout.reader not in REQUIRED_COLUMNS:
        raise ReaderUnknown(f"Layout {layout.id!r} names the reader {layout.reader!r}, which does not exist."
                            f"{did_you_mean(layout.reader, REQUIRED_COLUMNS)}", file=path, line=line,
                            key=f"{layout.id}.reader",
                            fix=f"Name one of {sorted(REQUIRED_COLUMNS)} in {path.name} (a new kind of table needs "
                                "a new module in build_data/readers/).")
    missing = [" or ".join(need) if isinstance(need, tuple) else need for need in REQUIRED_COLUMNS[layout.reader]
               if not set(need if isinstance(need, tuple) else (need,)) & layout.supplied_columns]
    if missing:
        raise MetadataInvalid(f"Layout {layout.id!r} does not supply {missing}, which the {layout.reader} reader "
                              f"needs.", **where, column="columns",
                              fix=f"In {path.name}, map the publisher's heading to it under columns, or give its "
                                  "value for every row under constants.")
    if layout.exclude_codes and "publisher_code" not in layout.supplied_columns:
        raise MetadataInvalid(f"Layout {layout.id!r} has exclude_codes but no publisher_code column.", **where,
                              column="exclude_codes", fix=f"Map the question number heading to publisher_code "
                                                          f"under columns in {path.name}, or remove exclude_codes.")


def load_layouts(path: Path) -> dict[str, Layout]:
    """build_data/metadata/layouts.yml in, {layout id: Layout} out; a bad entry is MetadataInvalid naming the
    file, line, key and (for a typo) the nearest valid key, through the registry's schema errors."""
    from ..registry import load_layouts as load_typed
    path = Path(path)
    layouts = load_typed(path)
    for layout in layouts.values():
        check_reader(layout, path)
    return layouts
