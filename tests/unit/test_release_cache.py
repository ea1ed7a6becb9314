"""The release cache's key: what a release's rows depend on changes it, what they do not depend on does not."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from build_data.metadata import load_config
from build_data.release_cache import ReleaseCache, ReleaseRows

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def root(tmp_path) -> Path:
    shutil.copytree(REPO / "build_data/metadata", tmp_path / "build_data/metadata")
    return tmp_path


def keys(root: Path) -> dict:
    return ReleaseCache(load_config(root)).keys


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / "build_data/metadata" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def changed(before: dict, after: dict) -> set:
    return {release for release in before if before[release] != after[release]}


def test_same_inputs_same_keys(root):
    assert keys(root) == keys(root)


def test_a_new_version_and_its_calendar_entry_change_no_key(root):
    before = keys(root)
    path = root / "build_data/metadata/site.yml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^  version: .*$", "  version: 9.9.0", text)
    text = re.sub(r"(?m)^  released: .*$", "  released: 2030-01-01", text)
    text = text.replace("release_calendar:\n", "release_calendar:\n  - {date: 2030-01-01, version: 9.9.0, what: x}\n", 1)
    path.write_text(text, encoding="utf-8")
    assert changed(before, keys(root)) == set()


def test_a_release_entry_changes_only_that_release(root):
    before = keys(root)
    edit(root, "releases.yml", "Made-up numbers for made-up organisations.",
         "Made-up numbers for made-up organisations (edited).")   # the first CPES release's notes
    assert len(changed(before, keys(root))) == 1


def test_a_crosswalk_row_changes_only_its_release(root):
    before = keys(root)
    path = root / "build_data/metadata/crosswalk.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if line.startswith("cpes-2023,"))
    lines[row] = lines[row].replace("cpes-2023,Q", "cpes-2023,QQ", 1)
    path.write_text("".join(lines), encoding="utf-8")
    assert changed(before, keys(root)) == {"cpes-2023"}


def test_shared_metadata_and_settings_change_every_release(root):
    before = keys(root)
    edit(root, "site.yml", "low_reliability_base: 30", "low_reliability_base: 31")
    assert changed(before, keys(root)) == set(before)
    before = keys(root)
    path = root / "build_data/metadata/geographies.csv"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert changed(before, keys(root)) == set(before)


def test_rows_come_back_only_with_the_key_they_were_saved_with(root):
    config = load_config(root)
    release = config.releases[0]
    rows = ReleaseRows(tidy={"t": pd.DataFrame({"a": pd.array([1, None], dtype="Int64")})},
                       published={"t": pd.DataFrame({"a": pd.array([None, None], dtype="Int64")})})
    cache = ReleaseCache(config)
    assert cache.load(release) is None and cache.misses == 1
    cache.save(release, rows)
    again = ReleaseCache(config).load(release)
    pd.testing.assert_frame_equal(again.tidy["t"], rows.tidy["t"])
    pd.testing.assert_frame_equal(again.published["t"], rows.published["t"])
    edit(root, "site.yml", "low_reliability_base: 30", "low_reliability_base: 31")
    assert ReleaseCache(load_config(root)).load(release) is None
    cache.path(release.id).write_bytes(b"not a pickle")
    assert ReleaseCache(config).load(release) is None
