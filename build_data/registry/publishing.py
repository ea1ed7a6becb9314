"""fields.yml, figures.yml and site.yml: what is published, how it is charted, and the package's identity."""
from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field as Key

from .base import Date, Entry, Slug, Text, Words


class Constraints(Entry):
    model_config = ConfigDict(extra="forbid", frozen=True)
    required: bool | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    enum: tuple[str, ...] | None = None


class Field(Entry):
    """One published column (fields.yml)."""
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: Slug
    title: Words
    type: Literal["string", "integer", "number", "boolean", "date"]
    description: Words
    unit: Words | None = None
    decimals: int | None = Key(default=None, strict=True, ge=0)
    missing: Words | None = None
    constraints: Constraints | None = None


class ForeignKey(Entry):
    model_config = ConfigDict(extra="forbid", frozen=True)
    fields: tuple[Slug, ...]
    resource: Text
    reference: tuple[Slug, ...]


class Resource(Entry):
    """One published table's schema (fields.yml)."""
    model_config = ConfigDict(extra="forbid", frozen=True)
    title: Words
    description: Words
    primary_key: tuple[Slug, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    fields: tuple[Field, ...] = Key(min_length=1)


class Figure(Entry):
    """One finding shown as a chart (figures.yml)."""
    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["cohorts_latest", "trend", "alliances", "audit_latest", "audit_alliances"]
    question_id: Slug | None = None
    indicator_id: Slug | None = None
    cohort_id: Slug | None = None
    cohorts: tuple[Slug, ...] = ()
    compare: tuple[Slug, Slug] | None = None
    press_kit: bool = Key(default=False, strict=True)
    key_finding: bool = Key(default=False, strict=True)    # main (content branch): listed by {{ key_findings }}

    def cohort_ids(self) -> tuple[str, ...]:
        """Every cohort the figure names (listed, compared or single)."""
        return tuple(dict.fromkeys((*self.cohorts, *(self.compare or ()), *([self.cohort_id] if self.cohort_id else []))))


class Contributor(Entry):
    model_config = ConfigDict(extra="forbid", frozen=True)
    title: Words
    roles: tuple[Words, ...] = ()


class Package(Entry):
    """The data package's identity (site.yml package)."""
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: Slug
    title: Words
    description: Words
    version: str = Key(pattern=r"^\d+\.\d+\.\d+$")
    released: Date
    # The site's public address (https://…/). Empty: the deployment gives it (SITE_URL), or a local
    # build links relatively. Never a placeholder host.
    homepage: str = Key(default="", pattern=r"^(https?://[^\s/?#]+(/[^\s?#]*)?)?$")
    keywords: tuple[Words, ...] = ()
    contributors: tuple[Contributor, ...] = ()


class Licence(Entry):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: Words
    title: Words
    path: Words
    attribution: Words


class CalendarEntry(Entry):
    """One version in the release calendar (site.yml release_calendar)."""
    model_config = ConfigDict(extra="forbid", frozen=True)
    date: Date
    version: str = Key(pattern=r"^\d+\.\d+\.\d+$")
    what: Words


class QuestionPages(Entry):
    """The cohorts of the charts every question page gets unless figures.yml declares its own (site.yml)."""
    model_config = ConfigDict(extra="forbid", frozen=True)
    trend_cohorts: tuple[Slug, ...] = Key(min_length=1)
    alliance_cohort: Slug
    compare: tuple[Slug, Slug]


class Site(Entry):
    """site.yml: package identity, licence, notice and release governance."""
    model_config = ConfigDict(extra="forbid", frozen=True)
    package: Package
    statistics_status: Words
    next_release: Words
    contact: Words
    revisions_policy: Words
    release_calendar: tuple[CalendarEntry, ...] = ()
    illustrative_notice: Words
    low_reliability_base: int = Key(strict=True, ge=0)
    question_pages: QuestionPages
    licence: Licence
    citation: Words
