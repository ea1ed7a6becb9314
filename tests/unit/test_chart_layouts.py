"""Charts drawn for their width (phone and desktop layouts), end labels that never overlap, Cancer
Alliances A-Z with England as a reference line, each chart at the latest year that has its data,
a chart with nothing to show replaced by one sentence, and at most three Tab stops per chart."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import vl_convert
import yaml

from build_data import pages
from build_data.citation import citation_parts
from build_data.chart_layouts import DESKTOP, PHONE, nudged, stacked_rows
from build_data.figure_files import svg_size
from build_data.figures import Catalogue, empty_reason, latest_with_data
from build_data.palette import use_cohort_colours
from build_data.published import read_published
from build_data.registry import load_registry

REPO = Path(__file__).resolve().parents[2]
FIGURES = yaml.safe_load((REPO / "build_data/metadata/figures.yml").read_text(encoding="utf-8"))
PHONE_COLUMN_PX = 343   # Material's content column at a 375 px viewport (16 px margins)
SITE = yaml.safe_load((REPO / "build_data/metadata/site.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def published():
    return read_published(REPO / "datapackage")


@pytest.fixture
def catalogue(published):
    use_cohort_colours(load_registry(REPO / "build_data/metadata").cohorts)   # as render does first
    descriptor, tables = published
    return Catalogue(descriptor, {k: v.copy() for k, v in tables.items()}, SITE)


def test_nudged_labels_keep_order_and_gap_inside_the_plot():
    placed = nudged([91.0, 89.5, 90.2, 99.9], domain=(0, 100), height=260, gap=17)
    px = [p * 260 / 100 for p in placed]
    ordered = sorted(range(4), key=lambda i: [91.0, 89.5, 90.2, 99.9][i])
    assert [placed[i] for i in ordered] == sorted(placed), "labels keep the order of their values"
    gaps = [b - a for a, b in zip(sorted(px), sorted(px)[1:])]
    assert min(gaps) >= 17 - 1e-9 and max(placed) <= 100


def test_nudged_leaves_far_apart_labels_where_they_are():
    assert nudged([20.0, 80.0], domain=(0, 100), height=260, gap=17) == [20.0, 80.0]


def test_stacked_rows_wrap_labels_and_never_overlap():
    data = pd.DataFrame({"label": ["Short", "A Cancer Alliance with a name far too long for one phone line"]})
    rows, height = stacked_rows(data, PHONE)
    assert len(rows["label_lines"][1]) >= 2 and all(len(line) <= PHONE.wrap for line in rows["label_lines"][1])
    assert rows["bar_bottom"][0] < rows["label_y"][1] and rows["bar_bottom"][1] <= height


def font_sizes(spec) -> list[float]:
    found = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if re.search(r"fontsize$", key.lower()) and isinstance(value, (int, float)):
                found.append(value)
            else:
                found += font_sizes(value)
    elif isinstance(spec, list):
        for value in spec:
            found += font_sizes(value)
    return found


@pytest.mark.parametrize("fid", ["main_contact_by_cohort", "main_contact_trend", "main_contact_by_alliance"])
def test_every_layout_sets_text_at_14px_or_more(catalogue, fid):
    figure = catalogue.build(fid, FIGURES[fid])
    for chart in (figure.chart, figure.chart_dark, figure.phone_chart, figure.phone_chart_dark):
        sizes = font_sizes(chart.to_dict())
        assert sizes and min(sizes) >= 14, f"{fid}: font sizes {sorted(set(sizes))}"
    phone = figure.phone_chart.to_dict()
    assert "title" not in phone, "the phone picture leaves the headline to the HTML above it"
    width, _ = svg_size(vl_convert.vegalite_to_svg(phone))
    assert width <= PHONE_COLUMN_PX, f"{fid}: the phone picture is {width} px wide, the column {PHONE_COLUMN_PX} px"


def test_trend_end_labels_are_nudged_apart_on_desktop_and_a_legend_on_phone(catalogue):
    figure = catalogue.build("main_contact_trend", FIGURES["main_contact_trend"])
    desktop = figure.chart.to_dict()
    names = [layer for layer in desktop["layer"] if layer.get("encoding", {}).get("y", {}).get("field") == "name_y"]
    assert len(names) == 1, "desktop names each line at its end, at a nudged position"
    values = pd.DataFrame(desktop["datasets"][names[0]["data"]["name"]])["name_y"]
    assert values.sort_values().diff().dropna().min() * DESKTOP.trend_height / 100 >= DESKTOP.font * 1.2 - 1e-6
    phone = figure.phone_chart.to_dict()
    assert not [layer for layer in phone["layer"] if layer.get("encoding", {}).get("y", {}).get("field") == "name_y"]
    assert "legend" in str(phone) and "'orient': 'top'" in str(phone)


def test_alliances_are_a_to_z_with_england_as_a_dashed_line(catalogue):
    figure = catalogue.build("main_contact_by_alliance", FIGURES["main_contact_by_alliance"])
    labels = list(figure.data["label"])
    assert labels == sorted(labels, key=str.casefold), "Cancer Alliances in A-Z order, never by value"
    spec = str(figure.chart.to_dict())
    assert "strokeDash" in spec and "Dashed line: England" in spec


def test_each_chart_uses_the_latest_year_that_has_its_data(catalogue):
    results = catalogue.tables["experience_results"]
    latest = results.loc[results["question_id"] == "main_contact", "survey_year"].max()
    england = catalogue.england
    gone = (results["question_id"] == "main_contact") & (results["survey_year"] == latest) & \
           (results["geography_code"] == england)
    results.loc[gone, "value"] = float("nan")
    figure = catalogue.build("main_contact_by_cohort", FIGURES["main_contact_by_cohort"])
    assert set(figure.data["survey_year"]) == {latest - 1}
    assert str(latest - 1) in figure.headline and str(latest) not in figure.headline
    assert figure.is_drawn


def test_a_fully_suppressed_chart_is_not_drawn_and_says_why(catalogue):
    results = catalogue.tables["experience_results"]
    results.loc[results["question_id"] == "main_contact", "value"] = float("nan")
    figure = catalogue.build("main_contact_by_alliance", FIGURES["main_contact_by_alliance"])
    assert not figure.is_drawn and figure.chart is None and figure.phone_chart is None
    assert "suppressed" in figure.empty_reason
    block = pages.figure_block(figure, "your-area.md", {}, 30, {}, "")
    assert figure.empty_reason in block and "<picture" not in block and "<img" not in block
    assert "<table>" in block, "the suppressed rows are still listed, each as [c]"


def test_latest_with_data_and_empty_reason():
    rows = pd.DataFrame({"survey_year": [2023, 2024, 2024], "value": [50.0, None, None]})
    assert latest_with_data(rows, "survey_year") == 2023
    assert empty_reason(rows) == ""
    assert "suppressed" in empty_reason(rows.assign(value=None))
    assert "no results" in empty_reason(rows.iloc[0:0])


TABBABLE = re.compile(r"<(a\s[^>]*href|button|summary|input|select|textarea)\b")


def test_a_drawn_chart_has_three_tab_stops_before_its_disclosure_opens(catalogue):
    figure = catalogue.build("main_contact_by_cohort", FIGURES["main_contact_by_cohort"])
    sizes = {s: 1000 for s in (".csv", ".png", "-dark.png", ".svg", ".vl.json")}
    sizes.update(svg_size=(680, 300), phone_svg_size=(330, 260), press=2000)
    corrections = [{"date": "2026-01-02", "reason": "An erratum"}]
    cite = citation_parts(SITE, catalogue.descriptor, figure.headline, "https://maintainers.github.io/sbc-data/x/")
    block = pages.figure_block(figure, "findings/main-contact.md", sizes, 30, cite, "<iframe>",
                               corrections, is_first=True)
    more = block.index('<details class="figure-more">')
    before, inside = block[:more], block[more:]
    top_summary = inside.index("</summary>")
    assert len(TABBABLE.findall(before)) == 2, "Explore and the data table"
    assert len(TABBABLE.findall(inside[:top_summary])) == 1, "then one summary for downloads, cite and embed"
    assert "Corrected on 2026-01-02" in before and "All corrections" in inside
    assert f'media="(max-width: 719px)" srcset="../../figures/{figure.slug}-phone.svg"' in block
    assert f'srcset="../../figures/{figure.slug}-dark-phone.svg"' in block
    assert block.count('loading="eager"') == 1, "only the light picture of the first chart loads at once"

