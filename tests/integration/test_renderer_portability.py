"""The generated docs/_build builds with Zensical (Material for MkDocs' successor) too: every page
and chart MkDocs publishes exists there, so the 2027 end of life is a configuration change."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ZENSICAL = Path(sys.executable).with_name("zensical")


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory) -> Path:
    build = REPO / "docs" / "_build"
    assert (REPO / "site" / "index.html").is_file() and build.is_dir(), "run `make site` first"
    root = tmp_path_factory.mktemp("zensical")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(build, root / "docs" / "_build")
    shutil.copytree(REPO / "docs" / "overrides", root / "docs" / "overrides")
    done = subprocess.run([str(ZENSICAL), "build", "-f", "mkdocs.yml"], cwd=root, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return root / "site"


def published_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html")
                  if not p.relative_to(site).as_posix().startswith(("assets/", "search/")))


def test_renderer_portability_every_page_exists_in_zensical(zensical_site):
    missing = [p for p in published_pages(REPO / "site") if not (zensical_site / p).is_file()]
    assert not missing, f"pages MkDocs builds but Zensical does not: {missing}"


def test_renderer_portability_every_chart_file_and_reference_exists(zensical_site):
    figures = sorted(p.name for p in (REPO / "site" / "figures").iterdir())
    assert figures, "no figures in the MkDocs site"
    assert not [f for f in figures if not (zensical_site / "figures" / f).is_file()]
    for page in published_pages(REPO / "site"):
        mkdocs_html = (REPO / "site" / page).read_text(encoding="utf-8")
        zensical_html = (zensical_site / page).read_text(encoding="utf-8")
        for stem in sorted(set(part.split('"')[0] for part in mkdocs_html.split('class="chart-static chart-static--light" src="')[1:])):
            assert stem in zensical_html, f"{page}: chart {stem} missing under Zensical"
