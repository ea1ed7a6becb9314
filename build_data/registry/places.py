"""geographies.csv, crosswalk.csv and support.csv: one typed row per line."""
from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from .base import Entry, OptionalYearCell, Text, Words, YearCell


class Geography(Entry):
    """A place or organisation code and the years it was valid (geographies.csv)."""
    model_config = ConfigDict(extra="forbid", frozen=True)
    geography_code: Words
    geography_name: Words
    geography_type: Literal["country", "cancer_alliance", "trust"]
    parent_code: Text
    valid_from: YearCell
    valid_to: OptionalYearCell


class CrosswalkRow(Entry):
    """A publisher's question number in one release mapped to a stable question id (crosswalk.csv)."""
    model_config = ConfigDict(extra="forbid", frozen=True)
    release_id: Words
    publisher_code: Words
    question_id: Words
    wording: Text
    comparability: Literal["same", "wording_changed", "response_options_changed", "not_comparable", "new"]


class SupportContact(Entry):
    """A place people can turn to for help, shown on the getting-support page and findings pages (support.csv)."""
    model_config = ConfigDict(extra="forbid", frozen=True)
    group: Literal["nhs", "charity"]
    name: Words
    what_for: Words
    phone: Text = Field(pattern=r"^([0-9][0-9 ]*)?$")          # digits and spaces, or blank
    website: Text = Field(pattern=r"^(https://\S+)?$")          # an https address, or blank
    note: Text
