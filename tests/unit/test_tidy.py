"""tidy: the percentage scale of a file, and messages naming the publisher's own column headings."""
from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from build_data.errors import PercentScaleAmbiguous
from build_data.readers.layout import Layout
from build_data.readers.tables import SOURCE_ROW
from build_data.tidy import heading_of, to_percent_scale

LAYOUT = Layout(id="test", reader="cpes_scores", format="csv", percent_scale="auto",
                columns={"Score": "score", "Respondents": "n_respondents", "Mean Score": "mean"})
RELEASE = SimpleNamespace(id="cpes-test", layout=LAYOUT, files=())


def scale(values: list[float]) -> list[float]:
    rows = pd.DataFrame({"_source_file": "f.csv", SOURCE_ROW: range(2, 2 + len(values))})
    return to_percent_scale(pd.Series(values, dtype="Float64"), rows, RELEASE).round(1).tolist()


def test_to_percent_scale_proportions_and_percentages():
    assert scale([0.755, 0.5, 0.9]) == [75.5, 50.0, 90.0]
    assert scale([75.5, 50.0, 0.5]) == [75.5, 50.0, 0.5]


def test_to_percent_scale_one_stray_value_does_not_flip_the_file():
    """A 1.5 among proportions is 150% (caught later by the range check), not a file of tiny percentages."""
    assert scale([0.755, 1.5, 0.9, 0.8]) == [75.5, 150.0, 90.0, 80.0]


def test_to_percent_scale_all_zero_or_one_is_ambiguous():
    with pytest.raises(PercentScaleAmbiguous, match="percent_scale"):
        scale([0.0, 1.0, 1.0])


def test_to_percent_scale_declared_scale_wins():
    release = SimpleNamespace(id="x", layout=LAYOUT.model_copy(update={"percent_scale": "percent"}), files=())
    assert to_percent_scale(pd.Series([0.5, 0.9]), pd.DataFrame(), release).tolist() == [0.5, 0.9]


def test_heading_of_names_the_publishers_column():
    assert heading_of(RELEASE, "n_respondents") == "Respondents (n_respondents)"
    assert heading_of(RELEASE, "value", {"measure": "percent_positive"}) == "Score (score)"
    assert heading_of(RELEASE, "question_id") == "question_id"
