"""Charts are plain Vega-Lite dicts (no Altair object per chart): each kind, in each layout and scheme, with
and without its reference line and credit footer, is valid against the Vega-Lite schema Altair ships; dark is
the light spec with another config; and images drawn in a process pool are the bytes drawn in one process."""
from __future__ import annotations

import copy
from pathlib import Path

import jsonschema
import pytest
import yaml
from altair.vegalite.v6.schema.core import load_schema

from build_data.charts import SCHEMES
from build_data.figure_files import drawing_jobs, write_figure
from build_data.figures import Catalogue
from build_data.image_credit import with_credit
from build_data.image_drawing import cache_paths, draw_all, worker_count
from build_data.palette import PALETTES, use_cohort_colours
from build_data.press_kit import SHAPES, press_image_spec
from build_data.published import read_published
from build_data.registry import load_registry

REPO = Path(__file__).resolve().parents[2]
FIGURES = yaml.safe_load((REPO / "build_data/metadata/figures.yml").read_text(encoding="utf-8"))
SITE = yaml.safe_load((REPO / "build_data/metadata/site.yml").read_text(encoding="utf-8"))
# One figure per chart kind: bars by group, bars by area with England as a reference line, a trend.
KINDS = ["main_contact_by_cohort", "main_contact_by_alliance", "main_contact_trend"]
CREDIT = ["Illustrative data — not real survey results.", "Source: a survey.", "Licence: Open Government Licence v3.0."]
VARIANTS = ("chart", "chart_dark", "phone_chart", "phone_chart_dark")


@pytest.fixture(scope="module")
def figures():
    use_cohort_colours(load_registry(REPO / "build_data/metadata").cohorts)
    descriptor, tables = read_published(REPO / "datapackage")
    catalogue = Catalogue(descriptor, tables, SITE)
    return {fid: catalogue.build(fid, FIGURES[fid]) for fid in KINDS}


@pytest.fixture(scope="module")
def validator():
    schema = load_schema()
    return jsonschema.validators.validator_for(schema)(schema)


def errors(validator, spec) -> list[str]:
    return [error.message for error in validator.iter_errors(spec)]


@pytest.mark.parametrize("fid", KINDS)
def test_every_chart_kind_is_valid_vega_lite(figures, validator, fid):
    figure = figures[fid]
    for variant in VARIANTS:
        spec = getattr(figure, variant).to_dict()
        assert not errors(validator, spec), f"{fid} {variant}: {errors(validator, spec)[:3]}"
    credited = with_credit(figure.chart.to_dict(), CREDIT)
    assert not errors(validator, credited), f"{fid} with its credit: {errors(validator, credited)[:3]}"
    _, width, height = SHAPES[0]
    press = press_image_spec(figure.chart.to_dict(), width, height, figure.kind, CREDIT)
    assert not errors(validator, press), f"{fid} press image: {errors(validator, press)[:3]}"


def test_the_schema_check_catches_a_broken_spec(figures, validator):
    spec = copy.deepcopy(figures["main_contact_by_cohort"].chart.to_dict())
    spec["layer"][0]["mark"]["type"] = "bars"
    assert errors(validator, spec), "a mark type Vega-Lite does not have must fail validation"


@pytest.mark.parametrize("fid", KINDS)
def test_dark_is_the_light_spec_with_the_dark_config(figures, fid):
    figure = figures[fid]
    for light, dark in ((figure.chart, figure.chart_dark), (figure.phone_chart, figure.phone_chart_dark)):
        assert {k: v for k, v in light.items() if k != "config"} == {k: v for k, v in dark.items() if k != "config"}
        assert light["config"]["background"] == PALETTES["light"]["background"]
        assert dark["config"]["background"] == PALETTES["dark"]["background"]
        assert dark["config"]["style"]["ink"]["color"] == PALETTES["dark"]["ink"]
        assert len(dark["config"]["range"]["category"]) == len(light["config"]["range"]["category"]) >= 1
    assert SCHEMES == ("light", "dark")


def test_pooled_drawing_gives_the_bytes_of_serial_drawing(figures, tmp_path):
    jobs = {name: drawing_jobs(figures[KINDS[0]], tmp_path / name, CREDIT) for name in ("serial", "pooled")}
    assert draw_all(jobs["serial"], workers=1) == draw_all(jobs["pooled"], workers=2, pool_from=2) == len(jobs["serial"]) == 2
    serial = {p.name: p.read_bytes() for p in (tmp_path / "serial").iterdir()}
    pooled = {p.name: p.read_bytes() for p in (tmp_path / "pooled").iterdir()}
    # desktop light and dark (SVG, credited PNG), phone light and dark (SVG)
    assert serial == pooled and len(serial) == 6
    assert cache_paths(figures[KINDS[0]].chart, tmp_path / "serial", 2)[0].name in serial
    assert draw_all(jobs["pooled"], workers=2) == 0, "what is cached is not drawn again"
    assert not list((tmp_path / "pooled").glob("*.part")), "no half-written files are left"
    written = write_figure(figures[KINDS[0]], tmp_path, tmp_path / "pooled", b"csv", CREDIT)
    assert set(written) >= {".svg", ".png", "-dark.svg", "-dark.png", "-phone.svg", "-dark-phone.svg"}
    assert sorted(p.name for p in (tmp_path / "pooled").iterdir()) == sorted(serial), "write_figure drew nothing new"


def test_one_core_or_one_drawing_draws_in_this_process(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert worker_count(50) == 1
    monkeypatch.setattr("os.cpu_count", lambda: 64)
    assert worker_count(1) == 1 and 1 < worker_count(50) <= 4


def test_a_chart_saves_as_altair_would_save_it(figures, tmp_path):
    figures["main_contact_trend"].chart.save(str(tmp_path / "chart.html"))
    page = (tmp_path / "chart.html").read_text(encoding="utf-8")
    assert "vegaEmbed" in page and figures["main_contact_trend"].headline.split(":")[0] in page
