"""geographies.csv and crosswalk.csv: one typed row per line."""
from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict

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
