"""releases.yml and corrections.yml: where the raw files come from, and known errors in them."""
from __future__ import annotations

from pydantic import ConfigDict, Field

from .base import Date, Entry, Slug, Text, Words, Year


class SourceFileEntry(Entry):
    """One raw file of a release: its path under build_data/sources/, sha256, and its own layout/encoding."""
    model_config = ConfigDict(extra="forbid", frozen=True)
    path: Words
    sha256: str = Field(default="", pattern=r"^([0-9a-f]{64})?$")
    layout: Slug | None = None
    encoding: Words | None = None


class ReleaseEntry(Entry):
    """One source release as releases.yml states it (metadata.Release adds resolved paths and layouts)."""
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: Slug
    survey: Slug                 # the source's name, published in the releases table; never branched on
    survey_year: Year
    title: Words
    publisher: Words
    published: Date
    url: Text | None
    licence: Words
    layout: Slug
    encoding: Words
    files: tuple[SourceFileEntry, ...] = Field(min_length=1)
    disclosure_policy: Words     # a policy id in disclosure.yml
    is_illustrative: bool = Field(strict=True)
    notes: Text | None


class Correction(Entry):
    """One wrong cell in a publisher's file and its corrected value (corrections.yml)."""
    model_config = ConfigDict(extra="forbid", frozen=True)
    release_id: Slug
    file: Words
    row: int = Field(strict=True, ge=1)
    column: Words
    was: Text
    value: Text
    reason: Words
    date: Date | None = None
    status: Text | None = None
    question_id: Slug | None = None
