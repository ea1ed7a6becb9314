"""What every metadata model shares: unknown keys refused, objects frozen; the value types used across files."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, StringConstraints

Slug = Annotated[str, Strict(), StringConstraints(pattern=r"^[a-z0-9]+([_-][a-z0-9]+)*$")]
Text = Annotated[str, Strict()]
Words = Annotated[str, Strict(), StringConstraints(min_length=1)]
Year = Annotated[int, Strict(), Field(ge=1900, le=2100, description="a year, written as a whole number like 2024")]
Count = Annotated[int, Strict(), Field(ge=0)]
Date = Annotated[dt.date, Strict()]


def year_from_text(value):
    """A CSV cell in, a year (int) out; blank -> None; anything else is left for the Year check to refuse."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if text.isdigit():
            return int(text)
    return value


YearCell = Annotated[Year, BeforeValidator(year_from_text)]
OptionalYearCell = Annotated[Year | None, BeforeValidator(year_from_text)]


class Entry(BaseModel):
    """One entry of a metadata file: unknown keys are refused and the object cannot be changed."""
    model_config = ConfigDict(extra="forbid", frozen=True)
