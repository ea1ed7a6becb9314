"""The published images do not depend on the machine's fonts: every drawing is made with vl-convert's own fonts
(image_drawing.vl), so a figure's SVGs and PNGs are the same bytes in a process that sees the system's fonts,
one whose fontconfig names only other fonts, one that names none, and one where vl-convert had already drawn
with the system's fonts before image_drawing was asked (it then draws in a process of its own)."""
from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from build_data.figure_files import drawing_jobs
from build_data.figures import Catalogue
from build_data.image_drawing import own_fonts_config
from build_data.palette import use_cohort_colours
from build_data.published import read_published
from build_data.registry import load_registry

REPO = Path(__file__).resolve().parents[2]
FIGURES = yaml.safe_load((REPO / "build_data/metadata/figures.yml").read_text(encoding="utf-8"))
SITE = yaml.safe_load((REPO / "build_data/metadata/site.yml").read_text(encoding="utf-8"))
DRAWN = ["main_contact_by_alliance", "main_contact_trend"]   # bars with a reference line; a trend
CREDIT = ("Illustrative data — not real survey results.", "Source: a survey.", "Licence: Open Government Licence v3.0.")
SYSTEM_FONTS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts"]

# In a new process: with raw_first, vl-convert draws directly first (loading the fonts FONTCONFIG_FILE names, or
# the system's); then every job's images are drawn as a render draws them. Prints digests and what was used.
CHILD = """
import hashlib, json, os, pickle, sys
from pathlib import Path
import vl_convert
from build_data import image_drawing
jobs_file, out, raw_first = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "raw-first"
env_before = os.environ.get("FONTCONFIG_FILE")
raw = {}
if raw_first:
    raw["probe_in_ink"] = vl_convert.svg_to_png(image_drawing.PROBE) != vl_convert.svg_to_png(image_drawing.BLANK)
digests = {}
for job in pickle.loads(jobs_file.read_bytes()):
    for spec, svg, png in image_drawing.chart_images(job._replace(cache_dir=out.parent / "cache")):
        key = image_drawing.content_hash(spec)
        digests[key + ".svg"] = hashlib.sha256(svg.encode("utf-8")).hexdigest()
        if png is not None:
            digests[key + ".png"] = hashlib.sha256(png).hexdigest()
out.write_text(json.dumps({"digests": digests, "raw": raw, "drawer": type(image_drawing.vl()).__name__,
                           "env_kept": os.environ.get("FONTCONFIG_FILE") == env_before}))
"""


@pytest.fixture(scope="module")
def jobs():
    use_cohort_colours(load_registry(REPO / "build_data/metadata").cohorts)
    descriptor, tables = read_published(REPO / "datapackage")
    catalogue = Catalogue(descriptor, tables, SITE)
    return [drawing_jobs(catalogue.build(fid, FIGURES[fid]), Path("unused"), list(CREDIT))[0] for fid in DRAWN]


def other_fonts_config(folder: Path) -> Path:
    """A fontconfig file naming a folder of the system's fonts but Liberation Sans: a machine without it."""
    fonts = folder / "fonts"
    fonts.mkdir(parents=True)
    found = [f for d in SYSTEM_FONTS if d.is_dir() for f in d.rglob("*") if f.suffix.lower() in (".ttf", ".otf")]
    for index, font in enumerate(f for f in found if "liberationsans" not in f.name.lower().replace("-", "")):
        (fonts / f"{index}-{font.name}").symlink_to(font)
    assert any(fonts.iterdir()), f"this test needs system fonts besides Liberation Sans in {SYSTEM_FONTS} (Debian: fonts-dejavu-core)"
    config = folder / "fonts.conf"
    config.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{fonts}</dir></fontconfig>\n', encoding="utf-8")
    return config


def test_images_are_the_same_bytes_whatever_fonts_the_machine_has(jobs, tmp_path):
    (tmp_path / "jobs.pickle").write_bytes(pickle.dumps(jobs))
    setups = {   # name: (FONTCONFIG_FILE or None for the system's fonts, raw-first or not)
        "system fonts": (None, "images-first"),
        "system fonts, vl-convert used directly first": (None, "raw-first"),
        "other fonts, no Liberation Sans": (str(other_fonts_config(tmp_path / "other")), "raw-first"),
        "no font at all": (str(own_fonts_config(tmp_path / "none")), "raw-first"),
    }
    children = {}
    for index, (name, (config, order)) in enumerate(setups.items()):
        env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
        if config is not None:
            env["FONTCONFIG_FILE"] = config
        out = tmp_path / str(index) / "out.json"
        out.parent.mkdir()
        children[name] = (out, subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path / "jobs.pickle"), str(out),
                                                 order], cwd=REPO, env=env, stderr=subprocess.PIPE, text=True))
    results = {}
    for name, (out, child) in children.items():
        _, errors = child.communicate(timeout=600)
        assert child.returncode == 0, f"{name}: {errors[-2000:]}"
        results[name] = json.loads(out.read_text(encoding="utf-8"))
    reference = results["system fonts"]["digests"]
    assert len(reference) == 4 * len(DRAWN), "light and dark SVG and credited PNG of each figure"
    for name, result in results.items():
        assert result["digests"] == reference, f"{name}: other image bytes than with the system's fonts"
    # ... though the setups differ: vl-convert, used directly, sees other fonts in each.
    assert results["system fonts, vl-convert used directly first"]["raw"]["probe_in_ink"], "the machine has fonts"
    assert results["other fonts, no Liberation Sans"]["raw"] == {"probe_in_ink": True}
    assert results["no font at all"]["raw"] == {"probe_in_ink": False}
    assert results["system fonts"]["drawer"] == "module"
    assert results["system fonts, vl-convert used directly first"]["drawer"] == "OwnFontsProcess"
    assert results["other fonts, no Liberation Sans"]["drawer"] == "OwnFontsProcess"
    assert results["no font at all"]["drawer"] == "module", "vl-convert had loaded no font but its own"
    assert all(result["env_kept"] for result in results.values()), "FONTCONFIG_FILE is put back as it was"
