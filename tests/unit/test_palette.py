"""Chart colours against the page background (WCAG 1.4.11, which axe cannot see)."""
from pathlib import Path

import pytest

from build_data.palette import PALETTES, contrast_ratio, mark_colours, use_cohort_colours
from build_data.registry import load_registry

COHORTS = load_registry(Path(__file__).resolve().parents[2] / "build_data" / "metadata").cohorts


@pytest.fixture(autouse=True)
def cohort_colours():
    """The palettes with cohorts.yml's chart colours, as rendering sets them."""
    use_cohort_colours(COHORTS)


@pytest.mark.parametrize("scheme", sorted(PALETTES))
def test_palette_every_mark_colour_has_3_to_1_contrast(scheme):
    background = PALETTES[scheme]["background"]
    low = {c: round(contrast_ratio(c, background), 2) for c in mark_colours(scheme)
           if contrast_ratio(c, background) < 3}
    assert not low, f"{scheme}: colours below 3:1 against {background}: {low}"


def test_palette_contrast_ratio_matches_known_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_palette_every_cohort_has_a_colour_in_both_schemes():
    assert set(PALETTES["light"]["cohorts"]) == set(PALETTES["dark"]["cohorts"]) == set(COHORTS)
