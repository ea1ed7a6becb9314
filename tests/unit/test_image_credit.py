"""Downloadable PNGs and press-kit images carry their source, licence and notice; the SVGs shown on the page do
not change. A figure's PNG has the footer composed under its drawn SVG (credited_svg), drawing exactly the pixels
Vega draws from the with_credit spec; press images are drawn by Vega from that spec."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import vl_convert
import yaml

from build_data.figure_files import svg_size, write_figure
from build_data.figures import Catalogue
from build_data.errors import FigureUnknown
from build_data.image_credit import ILLUSTRATIVE, credit_lines, credited_svg, footer_lines, with_credit
from build_data.metadata import load_config
from build_data.palette import use_cohort_colours
from build_data.press_kit import SHAPES, press_image_spec
from build_data.published import read_published

REPO = Path(__file__).resolve().parents[2]
FIGURES = yaml.safe_load((REPO / "build_data/metadata/figures.yml").read_text(encoding="utf-8"))
DESCRIPTOR = {"is_illustrative": True, "licenses": [{"name": "OGL-UK-3.0", "title": "Open Government Licence v3.0"}]}


@pytest.fixture(scope="module")
def figures():
    config = load_config(REPO)
    use_cohort_colours(config.registry.cohorts)
    descriptor, tables = read_published(REPO / "datapackage")
    catalogue = Catalogue(descriptor, tables, config.site)
    one_per_kind = {}
    for fid, spec in FIGURES.items():
        one_per_kind.setdefault(spec["kind"], fid)
    wanted = {"main_contact_by_cohort", "main_contact_trend", *one_per_kind.values()}
    return {fid: catalogue.build(fid, FIGURES[fid]) for fid in wanted}


def drawn_text(svg: str) -> str:
    """Every text the SVG draws, lines joined by spaces."""
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return " ".join(" ".join(html.unescape(re.sub(r"<[^>]+>", " ", t)).split()) for t in texts)


def test_credit_lines_come_from_the_package():
    lines = credit_lines("Source: A survey. Data package version 1.0.0.", DESCRIPTOR)
    assert lines == [ILLUSTRATIVE, "Source: A survey. Data package version 1.0.0.", "Licence: Open Government Licence v3.0."]
    assert ILLUSTRATIVE not in credit_lines("Source: x.", {**DESCRIPTOR, "is_illustrative": False})


@pytest.mark.parametrize("scheme", ["chart", "chart_dark"])
def test_the_png_spec_draws_the_source_and_licence_under_the_chart(figures, scheme):
    figure = figures["main_contact_by_cohort"]
    spec = getattr(figure, scheme).to_dict()
    credit = credit_lines(figure.source, DESCRIPTOR)
    text = drawn_text(vl_convert.vegalite_to_svg(with_credit(spec, credit)))
    assert figure.source in text and "Licence: Open Government Licence v3.0." in text
    assert figure.headline.split(":")[0] in text and ILLUSTRATIVE in text      # the title and notice too
    assert text.count(ILLUSTRATIVE) == 1, "the chart's own notes already say it: drawn once"
    on_page = drawn_text(vl_convert.vegalite_to_svg(spec))
    assert "Licence:" not in on_page and figure.source not in on_page


def test_the_credit_is_drawn_in_the_schemes_ink(figures):
    figure = figures["main_contact_by_cohort"]
    dark = with_credit(figure.chart_dark.to_dict(), ["Licence: x."])
    assert dark["vconcat"][0]["title"]["color"] == figure.chart_dark.to_dict()["config"]["title"]["subtitleColor"]
    assert dark["vconcat"][0]["title"]["color"] != with_credit(figure.chart.to_dict(), ["Licence: x."])["vconcat"][0]["title"]["color"]


@pytest.mark.parametrize("shape,width,height", SHAPES)
@pytest.mark.parametrize("fid", ["main_contact_by_cohort", "main_contact_trend"])
def test_press_images_carry_the_credit_and_keep_their_exact_size(figures, fid, shape, width, height):
    figure = figures[fid]
    spec = press_image_spec(figure.chart.to_dict(), width, height, figure.kind, credit_lines(figure.source, DESCRIPTOR))
    svg = vl_convert.vegalite_to_svg(spec)
    assert svg_size(svg) == (width, height)
    assert figure.source in drawn_text(svg) and "Licence: Open Government Licence v3.0." in drawn_text(svg)


def test_write_figure_puts_the_credit_in_the_pngs_only(figures, tmp_path):
    figure = figures["main_contact_by_cohort"]
    credit = credit_lines(figure.source, DESCRIPTOR)
    files = write_figure(figure, tmp_path, tmp_path / "cache", b"csv", credit)
    plain = write_figure(figure, tmp_path, tmp_path / "cache", b"csv")
    for suffix in (".svg", "-dark.svg", "-phone.svg"):
        assert files[suffix] == plain[suffix] and b"Licence:" not in files[suffix]
    for suffix in (".png", "-dark.png"):
        assert files[suffix] != plain[suffix]


SCHEMES = ("chart", "chart_dark")


def pixel_checks(figures) -> dict[str, tuple[str, int]]:
    """{figure id: (scheme, credit)} of the drawn figures whose composed PNG is compared pixel for pixel with
    Vega's: one figure of every kind, the kinds taking the light and dark scheme and the package's credit (several
    wrapped lines: the tspan path) and a one-line credit in turn, so every scheme x credit pairing is drawn."""
    kinds = {}
    for fid in FIGURES:     # figures.yml's order: the same pairings in every run
        if fid in figures and figures[fid].is_drawn:
            kinds.setdefault(figures[fid].kind, fid)
    return {fid: (SCHEMES[i % 2], (i // 2) % 2) for i, fid in enumerate(kinds.values())}


def test_the_pixel_checks_draw_every_kind_scheme_and_credit(figures):
    checks = pixel_checks(figures)
    assert {figures[fid].kind for fid in checks} == {spec["kind"] for spec in FIGURES.values()}
    assert set(checks.values()) == {(scheme, credit) for scheme in SCHEMES for credit in (0, 1)}
    for fid in checks:     # the package's credit is drawn on several lines, the other on one
        spec = figures[fid].chart.to_dict()
        assert len(footer_lines(spec, credit_lines(figures[fid].source, DESCRIPTOR))) > 1, fid
        assert len(footer_lines(spec, ["Licence: Open Government Licence v3.0."])) == 1, fid


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_composed_footer_draws_the_pixels_vega_draws(figures, scheme):
    """Every drawn figure, light and dark, with the package's credit (several wrapped lines) and with one line:
    the drawn SVG with the footer composed under it has the size of Vega's with_credit drawing; and, for one figure
    of every kind (pixel_checks), its PNG is the PNG of Vega's with_credit drawing."""
    checks = pixel_checks(figures)
    compared = set()
    for figure in figures.values():
        if not figure.is_drawn:
            continue
        spec = getattr(figure, scheme).to_dict()
        drawn = vl_convert.vegalite_to_svg(spec)
        for index, credit in enumerate((credit_lines(figure.source, DESCRIPTOR),
                                        ["Licence: Open Government Licence v3.0."])):
            composed = credited_svg(drawn, spec, credit)
            assert svg_size(composed)[1] > svg_size(drawn)[1] and figure.source not in drawn_text(drawn)
            by_vega = vl_convert.vegalite_to_svg(with_credit(spec, credit))
            assert svg_size(composed) == svg_size(by_vega), f"{figure.id}: {len(credit)} credit lines"
            if checks.get(figure.id) == (scheme, index):
                assert vl_convert.svg_to_png(composed, scale=2) == vl_convert.svg_to_png(by_vega, scale=2), figure.id
                compared.add(figure.id)
    assert compared == {fid for fid, (wanted, _) in checks.items() if wanted == scheme}


def test_a_footer_already_said_by_the_chart_is_not_added_and_an_unreadable_svg_is_a_clear_error(figures):
    figure = figures["main_contact_by_cohort"]
    spec = figure.chart.to_dict()
    drawn = vl_convert.vegalite_to_svg(spec)
    assert credited_svg(drawn, spec, [ILLUSTRATIVE]) == drawn, "the chart's notes already say it"
    with pytest.raises(FigureUnknown, match="credit footer"):
        credited_svg(drawn.replace(' height="', ' data-height="', 1), spec, ["Licence: x."])
