"""The tidy and disclosure steps build_data/metadata/tables.yml names. A step is code; which table it runs
for, fed by which readers and after which tables, is declared in tables.yml (pipeline.py loops over it)."""
from __future__ import annotations

import dataclasses
from typing import Callable

import pandas as pd

from .audit import AUDIT_COLUMNS, tidy_audit
from .disclosure import suppress_audit, suppress_experience
from .frequencies import FREQUENCY_COLUMNS, tidy_frequencies
from .frequency_checks import rounding_allowance
from .frequency_disclosure import protect_results
from .tidy import EXPERIENCE_COLUMNS, tidy_experience


@dataclasses.dataclass(frozen=True)
class Earlier:
    """What a table declared `after` others is given: for each of those tables, its tidy rows (of the same
    release, for a tidy step; all of them, for disclosure), the parts read for it, and its published rows."""
    tidy: dict
    parts: dict = dataclasses.field(default_factory=dict)
    published: dict = dataclasses.field(default_factory=dict)

    def only(self) -> str:
        """The one table this table comes after (a step that needs exactly one)."""
        (name,) = self.tidy
        return name


@dataclasses.dataclass(frozen=True)
class Tidy:
    run: Callable          # (extracted rows, release part, config, Earlier) -> tidy rows
    columns: list          # the columns of the table when no release feeds it


def as_published(extracted: pd.DataFrame, part, config, earlier: Earlier) -> pd.DataFrame:
    """Rows transcribed from published reports: kept as read, without the source-file bookkeeping column."""
    return extracted.drop(columns=["_source_file"])


def frequencies_after_scores(extracted: pd.DataFrame, part, config, earlier: Earlier) -> pd.DataFrame:
    """Response frequencies, checked against the scores table they come after (same release), allowing for the
    rounding of the scores files' layouts."""
    scores = earlier.only()
    allowance = max((rounding_allowance(p.layout) for p in earlier.parts[scores]), default=0.05)   # no scores part: percentages to 1 decimal place
    return tidy_frequencies(extracted, part, earlier.tidy[scores], config, allowance)


TIDY = {
    "experience": Tidy(lambda extracted, part, config, earlier: tidy_experience(extracted, part, config),
                       EXPERIENCE_COLUMNS),
    "frequencies": Tidy(frequencies_after_scores, FREQUENCY_COLUMNS),
    "audit": Tidy(lambda extracted, part, config, earlier: tidy_audit(extracted, part, config), AUDIT_COLUMNS),
    "as_published": Tidy(as_published, []),
}

def frequencies_with_scores(rows: pd.DataFrame, config, earlier: Earlier) -> dict:
    """Response frequencies and the scores they come after, protected together: a scores row whose answer counts
    cannot otherwise be protected is suppressed too, so the scores table is published again."""
    scores = earlier.only()
    published_scores, published = protect_results(earlier.tidy[scores], rows, config, earlier.published.get(scores))
    return {"": published, scores: published_scores}


DISCLOSURE = {   # (tidy rows, config, Earlier) -> {"": the table as published, <an earlier table>: it republished}
    "experience": lambda rows, config, earlier: {"": suppress_experience(rows, config)},
    "frequencies": frequencies_with_scores,
    "audit": lambda rows, config, earlier: {"": suppress_audit(rows, config)},
    "none": lambda rows, config, earlier: {"": rows},
}
