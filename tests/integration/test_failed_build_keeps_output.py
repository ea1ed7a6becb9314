"""A failed build or render leaves datapackage/, docs/_build and site/ byte-for-byte as they were,
and a recoverable suppressed count stops the build (the independent leak check is a real gate)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import tree_digest, warm_cache, without_frictionless


def plant_site(root):
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("<p>last good site</p>", encoding="utf-8")
    (root / "docs" / "_build").mkdir(parents=True)
    (root / "docs" / "_build" / "index.md").write_text("# last good render\n", encoding="utf-8")


def snapshot(root):
    return {name: tree_digest(root / name) for name in ("datapackage", "site", "docs/_build")}


def test_failed_build_all_leaves_package_render_and_site_unchanged(project_copy, cli):
    plant_site(project_copy)
    releases = project_copy / "build_data" / "metadata" / "releases.yml"
    releases.write_text(releases.read_text(encoding="utf-8").replace("disclosure_policy: cpes-publisher-10",
                                                                     "disclosure_policy: no-such-policy", 1), encoding="utf-8")
    before = snapshot(project_copy)
    result = cli(project_copy, "all")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project_copy) == before


def test_failed_render_leaves_render_and_site_unchanged(project_copy, cli):
    warm_cache(project_copy)    # the charts are drawn already: the render fails at the page, not after redrawing
    plant_site(project_copy)
    page = project_copy / "docs" / "pages" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n{{ no_such_marker }}\n", encoding="utf-8")
    before = snapshot(project_copy)
    result = cli(project_copy, "render")
    assert result.returncode == 2, result.stderr
    assert "MarkerUnknown" in result.stderr and "index.md" in result.stderr
    assert snapshot(project_copy) == before


def test_recoverable_suppressed_count_fails_the_build(tiny_build, tmp_path, monkeypatch):
    """Switch complementary suppression off: the independent checker must find the leaks. On a copy of the tiny
    build (conftest.tiny_build: the same code and metadata, few places, small counts at every level) without its
    .cache: a release cache would hand back rows protected by the real code."""
    from build_data import disclosure
    from build_data.errors import SuppressionLeak
    from build_data.metadata import load_config
    from build_data.pipeline import build_package

    monkeypatch.setattr(disclosure, "find_hidden", lambda counts, hidden, relations, threshold, **_: set(hidden))
    # Frictionless validation is not what is under test here, and is the slowest stage before the leak check.
    monkeypatch.setattr("build_data.checks.validate_frictionless", without_frictionless)
    built, first = tiny_build
    assert first.returncode == 0, first.stderr
    project = Path(shutil.copytree(built, tmp_path / "tiny", ignore=shutil.ignore_patterns(".cache")))
    before = tree_digest(project / "datapackage")
    assert before, "the copy has the tiny build's package"
    with pytest.raises(SuppressionLeak) as caught:
        build_package(load_config(project))
    assert "recovered by subtraction" in caught.value.message()
    assert tree_digest(project / "datapackage") == before
