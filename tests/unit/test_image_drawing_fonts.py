"""Every drawing is made with vl-convert's own fonts (image_drawing.vl: its Liberation Sans, held in memory, no
system font), because vl-convert opens and maps a system font file again for every glyph it measures and the
images must not depend on the machine's fonts. That leaves the SVGs as they were drawn with Debian's Liberation
Sans (the same metrics): for every figure the default project renders, in both layouts, Vega's SVG drawn with
vl-convert's own fonts is the SVG drawn with the system's fonts. (The PNGs' glyph edges did change, once:
test_png_fonts checks that they no longer depend on the machine's fonts.)"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import vl_convert

from build_data.image_drawing import load_own_fonts, own_fonts_config, vl
from build_data.metadata import load_config
from build_data.question_pages import question_figure_specs
from build_data.render import Renderer

REPO = Path(__file__).resolve().parents[2]


def vega_svgs(specs: list[dict]) -> list[str]:
    """Vega's SVGs in a new process where vl-convert loads the system's fonts (FONTCONFIG_FILE unset)."""
    return [vl_convert.vegalite_to_svg(spec) for spec in specs]


def own_fonts_svgs(specs: list[dict]) -> list[str]:
    """Vega's SVGs in a new process, as the render draws them (vl)."""
    return [vl().vegalite_to_svg(spec) for spec in specs]


def unset_fonts_config() -> None:
    os.environ.pop("FONTCONFIG_FILE", None)


def loads_own_fonts_and_puts_the_variable_back(before: str | None) -> tuple[bool, str | None, bool]:
    if before is not None:
        os.environ["FONTCONFIG_FILE"] = before
    return load_own_fonts(), os.environ.get("FONTCONFIG_FILE"), vl() is vl_convert


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


def test_own_fonts_are_loaded_at_the_first_drawing_and_fontconfig_file_is_put_back(tmp_path):
    """(With FONTCONFIG_FILE unset before, test_png_fonts checks it is unset after.)"""
    before = str(tmp_path / "somebody-elses.conf")
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=unset_fonts_config) as pool:
        assert pool.submit(loads_own_fonts_and_puts_the_variable_back, before).result() == (True, before, True)


def test_vega_draws_the_same_svg_bytes_with_its_own_fonts():
    specs = every_light_spec()
    assert len(specs) >= 20, "the default project draws figures in both layouts"
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=spawn, initializer=unset_fonts_config) as system, \
            ProcessPoolExecutor(1, mp_context=spawn, initializer=unset_fonts_config) as own:
        system_fonts = system.submit(vega_svgs, list(specs.values()))
        own_fonts = own.submit(own_fonts_svgs, list(specs.values()))
        differs = [name for name, mine, theirs in zip(specs, system_fonts.result(), own_fonts.result()) if mine != theirs]
    assert not differs, f"Vega lays these out differently with vl-convert's own fonts: {differs}"
