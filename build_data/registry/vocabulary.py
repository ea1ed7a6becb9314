"""questions.yml, cohorts.yml and indicators.yml: what the published results are about."""
from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from .base import Entry, Slug, Text, Words

Measure = Literal["percent_positive", "mean_0_10"]


class ResponseOption(Entry):
    """One answer a question offered (questions.yml response_options)."""
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: Slug
    label: Words
    publisher_labels: tuple[Words, ...] = ()
    is_positive: bool = Field(default=False, strict=True)
    rating: int | None = Field(default=None, strict=True, ge=0, le=10)


class Question(Entry):
    """A stable question across survey years (questions.yml)."""
    model_config = ConfigDict(extra="forbid", frozen=True)
    topic: Slug
    short_label: Words
    measure: Measure
    positive_answers: Text
    explanation: Words
    response_options: tuple[ResponseOption, ...] | None = None


class ChartColour(Entry):
    """A cohort's colour in charts, for the light and the dark theme (#rrggbb)."""
    model_config = ConfigDict(extra="forbid", frozen=True)
    light: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    dark: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")


class Cohort(Entry):
    """A group of respondents results are published for (cohorts.yml)."""
    model_config = ConfigDict(extra="forbid", frozen=True)
    label: Words
    description: Words
    publisher_labels: tuple[Words, ...]
    parts: tuple[Slug, ...] = ()
    includes: tuple[Slug, ...] = ()
    chart_colour: ChartColour


class Indicator(Entry):
    """A metastatic breast cancer audit indicator (indicators.yml)."""
    model_config = ConfigDict(extra="forbid", frozen=True)
    label: Words
    description: Words
    publisher_labels: tuple[Words, ...]
    higher_is_better: bool | None = Field(strict=True)
