"""A render's Vega runs are done in worker processes that load no system font (image_drawing.own_fonts_config:
vl-convert's own Liberation Sans, held in memory), because vl-convert opens and maps a system font file again
for every glyph it measures. That is only allowed while it changes no byte: for every figure the default
project renders, in both layouts, Vega's SVG drawn with vl-convert's own fonts is the SVG drawn with the
system's fonts, as in this process. (The PNGs are rasterised with the system's fonts, in another pool:
test_chart_specs.test_pooled_drawing_gives_the_bytes_of_serial_drawing compares them with serial drawing.)"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import vl_convert

from build_data.image_drawing import own_fonts_config, use_fonts_config
from build_data.metadata import load_config
from build_data.question_pages import question_figure_specs
from build_data.render import Renderer

REPO = Path(__file__).resolve().parents[2]


def vega_svgs(specs: list[dict]) -> list[str]:
    return [vl_convert.vegalite_to_svg(spec) for spec in specs]


def every_light_spec() -> dict[str, dict]:
    """Each drawn figure's light spec in both layouts, as Renderer.build_figures builds them."""
    config = load_config(REPO)
    renderer = Renderer(config, REPO / "docs" / "_build")   # reads the package; writes nothing
    specs = {**config.figures, **question_figure_specs(config.questions, config.figures, config.site["question_pages"])}
    out = {}
    for fid, spec in specs.items():
        figure = renderer.catalogue.build(fid, spec)
        if figure.is_drawn:
            out[f"{fid} (desktop)"], out[f"{fid} (phone)"] = figure.chart, figure.phone_chart
    return out


def test_the_fonts_config_names_one_empty_folder(tmp_path):
    config = own_fonts_config(tmp_path)
    text = config.read_text(encoding="utf-8")
    folder = tmp_path / "no-fonts"
    assert text.count("<dir>") == 1 and f"<dir>{folder}</dir>" in text
    assert folder.is_dir() and not any(folder.iterdir())


def test_vega_draws_the_same_svg_bytes_with_its_own_fonts(tmp_path):
    assert "FONTCONFIG_FILE" not in os.environ, "this process must draw with the system's fonts"
    specs = every_light_spec()
    assert len(specs) >= 20, "the default project draws figures in both layouts"
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=use_fonts_config,
                             initargs=(str(own_fonts_config(tmp_path)),)) as pool:
        own_fonts = pool.submit(vega_svgs, list(specs.values()))
        system_fonts = vega_svgs(list(specs.values()))
        differs = [name for name, mine, theirs in zip(specs, system_fonts, own_fonts.result()) if mine != theirs]
    assert not differs, f"Vega lays these out differently with vl-convert's own fonts: {differs}"
