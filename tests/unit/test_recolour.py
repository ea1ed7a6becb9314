"""A dark chart is its light SVG recoloured (build_data/recolour.py), not a second Vega run: for every figure the
default project renders, in both layouts, the recoloured SVG is byte for byte the SVG Vega draws from the dark
spec. Where the colours do not map one to one, the dark chart is drawn by Vega, and every derived image's cache
key names how it was made."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest
import vl_convert

from build_data import image_credit, image_drawing, recolour
from build_data.image_drawing import ChartJob, cache_paths, chart_images, dark_drawing, png_path
from build_data.metadata import load_config
from build_data.question_pages import question_figure_specs
from build_data.recolour import colour_map, recoloured
from build_data.render import Renderer

REPO = Path(__file__).resolve().parents[2]
SITE_CACHE = REPO / ".cache" / "figures"   # the site build's Vega drawings, read when there (never written here)


@pytest.fixture(scope="module")
def every_figure():
    """Every figure render draws: figures.yml's and the question pages' (as Renderer.build_figures builds them)."""
    config = load_config(REPO)
    renderer = Renderer(config, REPO / "docs" / "_build")   # reads the package; writes nothing
    specs = {**config.figures, **question_figure_specs(config.questions, config.figures, config.site["question_pages"])}
    return {fid: renderer.catalogue.build(fid, spec) for fid, spec in specs.items()}


def light_svg(spec: dict) -> str:
    """Vega's SVG of the spec: the site build's drawing of exactly this spec (cached by its hash), else drawn now."""
    path = cache_paths(spec, SITE_CACHE, 2)[0]
    return path.read_text(encoding="utf-8") if path.exists() else vl_convert.vegalite_to_svg(spec)


def test_every_dark_chart_is_its_light_chart_recoloured_byte_for_byte(every_figure):
    drawn = [f for f in every_figure.values() if f.is_drawn]
    assert drawn, "the default project draws figures"
    kinds, differs = set(), []
    for figure in drawn:
        for layout, light, dark in (("desktop", figure.chart, figure.chart_dark),
                                    ("phone", figure.phone_chart, figure.phone_chart_dark)):
            colours = colour_map(light, dark)
            assert colours, f"{figure.id} {layout}: its light and dark colours do not map one to one"
            svg = light_svg(light)
            dark_svg = recoloured(svg, colours)
            assert dark_svg is not None, f"{figure.id} {layout}: a light colour is also used outside a colour"
            if dark_svg != vl_convert.vegalite_to_svg(dark):
                differs.append(f"{figure.id} ({layout})")
            assert dark_svg != svg
            kinds.add((figure.kind, layout))
    assert not differs, f"recoloured dark SVG is not Vega's: {differs}"
    assert {kind for kind, _ in kinds} == {f.kind for f in drawn} and len(kinds) == 2 * len({f.kind for f in drawn})


LIGHT = {"data": {"values": [{"group": "a", "value": 1}, {"group": "b", "value": 2}]}, "mark": "bar",
         "encoding": {"y": {"field": "group", "type": "nominal"}, "x": {"field": "value", "type": "quantitative"},
                      "color": {"field": "group", "type": "nominal", "legend": None}},
         "config": {"background": "#ffffff", "font": "Liberation Sans, Arial, sans-serif",
                    "axis": {"labelColor": "#1b1b1b", "gridColor": "#dddddd", "domainColor": "#1b1b1b"},
                    "range": {"category": ["#005a9c", "#a3266d"]}}}


def dark_of(light: dict, **config) -> dict:
    dark = copy.deepcopy(light)
    dark["config"].update(background="#1e2129", axis={"labelColor": "#e8e8e8", "gridColor": "#3a3f4b",
                                                        "domainColor": "#e8e8e8"}, range={"category": ["#74b6f0", "#f29bc8"]})
    dark["config"].update(config)
    return dark


def test_the_colour_map_is_built_from_the_two_configs():
    assert colour_map(LIGHT, dark_of(LIGHT)) == {"#ffffff": "#1e2129", "#1b1b1b": "#e8e8e8", "#dddddd": "#3a3f4b",
                                                 "#005a9c": "#74b6f0", "#a3266d": "#f29bc8"}


def test_no_map_where_a_light_colour_would_need_two_dark_colours_or_the_specs_differ_elsewhere():
    two_darks = dark_of(LIGHT, axis={"labelColor": "#e8e8e8", "gridColor": "#3a3f4b", "domainColor": "#ffffff"})
    assert colour_map(LIGHT, two_darks) is None, "#1b1b1b would be both #e8e8e8 and #ffffff"
    assert colour_map(LIGHT, {**dark_of(LIGHT), "width": 300}) is None, "not only the config differs"
    assert colour_map(LIGHT, dark_of(LIGHT, background="black")) is None, "a named colour is not mapped"
    marked = {**LIGHT, "mark": {"type": "bar", "stroke": "#1b1b1b"}}
    assert colour_map(marked, {**dark_of(LIGHT), "mark": marked["mark"]}) is None, "ink also drawn as a mark's own colour"
    in_data = {**LIGHT, "data": {"values": [{"group": "#ffffff", "value": 1}]}}
    assert colour_map(in_data, {**dark_of(LIGHT), "data": in_data["data"]}) is None, "a data value is not a colour"


def test_no_recolouring_where_a_light_colour_is_also_text_or_spelt_otherwise():
    colours = colour_map(LIGHT, dark_of(LIGHT))
    svg = '<svg><rect fill="#ffffff"/><text fill="#1b1b1b">#ffffff</text></svg>'
    assert recoloured(svg, colours) is None
    assert recoloured('<svg><rect fill="#FFFFFF"/><rect fill="#ffffff"/></svg>', colours) is None
    assert recoloured(svg.replace(">#ffffff<", ">white<"), colours) == \
        '<svg><rect fill="#1e2129"/><text fill="#e8e8e8">white</text></svg>'


def test_a_dark_chart_that_cannot_be_recoloured_is_drawn_by_vega(tmp_path):
    dark = dark_of(LIGHT, axis={"labelColor": "#e8e8e8", "gridColor": "#3a3f4b", "domainColor": "#ffffff"})
    (_, light_svg_text, _), (_, dark_svg, _) = chart_images(ChartJob(LIGHT, tmp_path, dark, png=False))
    assert dark_svg == vl_convert.vegalite_to_svg(dark) and light_svg_text == vl_convert.vegalite_to_svg(LIGHT)
    assert cache_paths(dark, tmp_path, 2)[0].read_text(encoding="utf-8") == dark_svg, "kept under Vega's key"
    assert dark_drawing(ChartJob(LIGHT, tmp_path, dark), light_svg_text)[1] is None


def test_recoloured_and_composed_images_are_cached_under_keys_naming_their_method(tmp_path, monkeypatch):
    job = ChartJob(LIGHT, tmp_path, dark_of(LIGHT), png=True, credit=("Licence: x.",))
    (_, svg, png), (_, dark_svg, dark_png) = chart_images(job)
    assert dark_svg == vl_convert.vegalite_to_svg(job.dark)
    dark_path = dark_drawing(job, svg)[0]
    assert dark_path != cache_paths(job.dark, tmp_path, 2)[0] and dark_path.read_text(encoding="utf-8") == dark_svg
    light_png = png_path(job, cache_paths(LIGHT, tmp_path, 2)[0])
    assert light_png.read_bytes() == png and png_path(job, dark_path).read_bytes() == dark_png
    assert png_path(job._replace(credit=("Licence: y.",)), dark_path) != png_path(job, dark_path)
    assert png_path(job._replace(credit=()), dark_path) != png_path(job, dark_path)
    monkeypatch.setattr(recolour, "RECOLOUR_METHOD", recolour.RECOLOUR_METHOD + "-next")
    assert dark_drawing(job, svg)[0] != dark_path, "a new recolouring method is a new key"
    monkeypatch.setattr(image_credit, "FOOTER_METHOD", image_credit.FOOTER_METHOD + "-next")
    assert png_path(job, dark_path) != light_png and png_path(job, cache_paths(LIGHT, tmp_path, 2)[0]) != light_png
    assert image_drawing.draw_all([job]) == 1, "a new method's images are made again"
