"""crosswalk: proposing a stable question id for a publisher code from earlier wording."""
from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from build_data.crosswalk import Suggestion, code_order, format_suggestions, propose_row

RELEASE = SimpleNamespace(id="cpes-2025", survey_year=2025)
EARLIER = pd.DataFrame({
    "release_id": ["cpes-2024", "cpes-2024"], "publisher_code": ["Q21", "Q50"],
    "question_id": ["main_contact", "gp_support"],
    "wording": ["Did you have a main contact person within the care team?",
                "Did you get the right amount of support from your GP practice during your treatment?"],
    "comparability": ["same", "same"]})


def test_propose_row_same_wording_is_same():
    got = propose_row(RELEASE, "Q20", "did you have a main contact person within the care team? ", EARLIER)
    assert (got.question_id, got.comparability, got.confidence) == ("main_contact", "same", 1.0)
    assert "cpes-2024 Q21" in got.matched


def test_propose_row_changed_wording():
    got = propose_row(RELEASE, "Q51", "Did you get the right support from your GP surgery during treatment?", EARLIER)
    assert (got.question_id, got.comparability) == ("gp_support", "wording_changed") and got.confidence < 1


def test_propose_row_unrelated_wording_is_new_without_an_id():
    got = propose_row(RELEASE, "Q70", "Were you offered a parking permit?", EARLIER)
    assert (got.question_id, got.comparability) == ("", "new")


def test_code_order_is_numeric():
    assert sorted(["Q10", "Q9", "Q100", "Q11a"], key=code_order) == ["Q9", "Q10", "Q11a", "Q100"]


def test_format_suggestions_quotes_wording_and_flags_doubles():
    rows = [Suggestion("cpes-2025", "Q20", "main_contact", "Yes, or no?", "same", 1.0, "cpes-2024 Q21 main_contact"),
            Suggestion("cpes-2025", "Q21", "main_contact", "Yes?", "wording_changed", 0.8, "cpes-2024 Q21 main_contact")]
    text = format_suggestions(rows, "cpes-2025")
    assert 'cpes-2025,Q20,main_contact,"Yes, or no?",same\n' in text
    assert text.count("proposed for more than one code") == 2
    assert "# confidence 0.80" in text
