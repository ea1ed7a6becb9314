"""figure_files.figure_csv looks a figure's rows up in its resource's text by primary key (rows_by_key, built once
per resource): the same bytes as the whole table merged, and clear errors where the lookup cannot be trusted."""
from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from build_data.errors import FigureUnknown
from build_data.figure_files import figure_csv, rows_by_key

KEY = ["release_id", "geography_code"]


@dataclasses.dataclass
class StubFigure:
    id: str
    data: pd.DataFrame
    resource: str = "experience_results"


def published(codes=("A1", "A2", "A3")) -> pd.DataFrame:
    return pd.DataFrame({"release_id": ["r1"] * len(codes), "geography_code": list(codes),
                         "value": [f"{i}.5" for i in range(len(codes))], "status": ["ok"] * len(codes)})


def plotted(codes) -> pd.DataFrame:
    return pd.DataFrame({"release_id": ["r1"] * len(codes), "geography_code": list(codes), "label": list(codes)})


def test_one_index_serves_every_figure_with_the_bytes_of_its_own_lookup():
    text = published()
    by_key = rows_by_key(text, KEY)
    for codes in (["A3", "A1"], ["A2"], ["A1", "A2", "A3"]):
        figure = StubFigure("f", plotted(codes))
        shared = figure_csv(figure, text, KEY, by_key)
        assert shared == figure_csv(figure, text, KEY)
        assert shared.decode("utf-8").splitlines()[1:] == [f"r1,{c},{int(c[1]) - 1}.5,ok,{c}" for c in codes]


def test_a_single_column_key_is_looked_up_too():
    text = published()[["geography_code", "value"]]
    csv = figure_csv(StubFigure("f", plotted(["A2"])), text, ["geography_code"]).decode("utf-8")
    assert csv == "geography_code,value,label\nA2,1.5,A2\n"


def test_a_published_text_with_a_repeated_primary_key_is_refused():
    with pytest.raises(FigureUnknown, match=r"two rows with the primary key .*A2"):
        rows_by_key(published(("A1", "A2", "A2")), KEY)


def test_a_figure_that_plots_one_row_twice_is_refused():
    with pytest.raises(FigureUnknown, match="plots the row .*A1.* twice"):
        figure_csv(StubFigure("f", plotted(["A1", "A1"])), published(), KEY)
