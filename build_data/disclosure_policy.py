"""disclosure.yml in, one typed, frozen DisclosurePolicy per policy id out.

A policy says how small counts are protected for the releases that name it (releases.yml
disclosure_policy): the minimum respondents behind any published figure, where that rule comes
from, and whether answer counts and counts implied by a shown score are protected too.
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .errors import MetadataInvalid

POLICY_FILE = "build_data/metadata/disclosure.yml"


class DisclosurePolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    min_respondents: int = Field(ge=0)
    source: str = Field(min_length=1)
    protect_answer_counts: bool
    protect_implied_counts: bool = False
    withheld_cells: Literal["protected"] = "protected"

    @property
    def threshold(self) -> int:
        return self.min_respondents

    def plain_words(self) -> str:
        """The policy as one paragraph for the methodology page."""
        source = " ".join(self.source.split())
        source = source if source.endswith(".") else source + "."
        if self.min_respondents <= 1:
            return f"Nothing more is hidden. {source}"
        t = self.min_respondents
        sentences = [f"No figure is published that rests on fewer than {t} people's answers. {source}"]
        sentences.append("How many people gave one particular answer (or had one particular outcome) is hidden "
                         f"when it is between 1 and {t - 1}." if self.protect_answer_counts else
                         "Counts of single answers are published as the publisher gives them.")
        sentences.append(f"A shown percentage is hidden when the number of people behind it, positive or not, is "
                         f"between 1 and {t - 1}." if self.protect_implied_counts else
                         f"As the publisher does, we show a percentage based on {t} or more people, even when "
                         "almost everyone gave the same answer.")
        sentences.append("Figures the publisher withheld are kept from being worked out, like the ones we hide. "
                         "We hide more figures where a hidden one could otherwise be worked out by subtraction, for "
                         "example from a Cancer Alliance's total and its trusts, or narrowed down to between 1 and "
                         f"{t - 1}.")
        return " ".join(sentences)


def load_policies(path: Path, data) -> dict[str, DisclosurePolicy]:
    """disclosure.yml's parsed contents in, {policy id: DisclosurePolicy} out; a mistake is MetadataInvalid naming
    the file, policy and key (through the registry's schema errors, as for every metadata file)."""
    from .registry import policies_of
    from .registry.loading import Located
    if not isinstance(data, dict) or not data:
        raise MetadataInvalid("It must map each policy id to its settings.", file=path,
                              fix=f"Write one '<policy id>:' block per policy in {POLICY_FILE} (see the comments at the top).")
    return dict(policies_of(Located(Path(path), data, {})))
