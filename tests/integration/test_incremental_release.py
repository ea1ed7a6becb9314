"""A new yearly release reads, tidies and protects only its own rows: the other releases' rows come from
.cache/releases (build_data/release_cache.py), and the package is byte for byte what a build without that
cache makes from the same inputs.

Run on the tiny project (conftest.tiny_build: the same code, metadata and layouts, few places): the cache's
mechanics do not depend on the data's size. On the illustrative data, test_encodings and test_broken_inputs
check that the releases they leave alone come from the cache and that the package is the committed one."""
from __future__ import annotations

import csv
import io
import logging
import re
import shutil

import yaml

from support import CROSSWALK, RELEASES, raise_package_version, read_rows, release_entry, sha256_of, tree_digest

from build_data.metadata import load_config
from build_data.pipeline import build_package


def add_release(root, new_id: str = "cpes-2025", like: str = "cpes-2024") -> None:
    """Add new_id as a copy of release `like` (its scores for the next survey year, the same answer counts), with
    its releases.yml entry and crosswalk rows, as a maintainer would after new-release."""
    old = release_entry(root, like)
    folder = root / "build_data/sources" / new_id
    folder.mkdir(parents=True)
    rows = read_rows(root, like)
    for row in rows[1:]:
        row[0] = str(old["survey_year"] + 1)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    scores = folder / f"{new_id}-results.csv"
    scores.write_text(out.getvalue(), encoding="utf-8")
    answers = folder / f"{new_id}-frequencies.csv"
    shutil.copy2(root / "build_data/sources" / old["files"][1]["path"], answers)
    entry = {**old, "id": new_id, "survey_year": old["survey_year"] + 1, "encoding": "utf-8",
             "title": f"{old['title']} (next year, made up by a test)",
             "published": old["published"].replace(year=old["published"].year + 1),
             "files": [{"path": f"{new_id}/{scores.name}", "sha256": sha256_of(scores)},
                       {**old["files"][1], "path": f"{new_id}/{answers.name}", "sha256": sha256_of(answers)}]}
    entries = yaml.safe_load((root / RELEASES).read_text(encoding="utf-8"))
    (root / RELEASES).write_text(yaml.safe_dump(entries + [entry], sort_keys=False, allow_unicode=True, width=200),
                                 encoding="utf-8")
    with open(root / CROSSWALK, encoding="utf-8", newline="") as f:
        crosswalk = list(csv.reader(f))
    with open(root / CROSSWALK, "a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([new_id, *row[1:4], "same"] for row in crosswalk if row[0] == like)
    raise_package_version(root, "minor")


def build(root, caplog) -> str:
    """Build the package in-process; the build's release cache line out."""
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="build_data"):
        build_package(load_config(root))
    (line,) = [r.getMessage() for r in caplog.records if r.getMessage().startswith("release cache:")]
    return line


def test_new_release_reuses_cached_releases_and_matches_a_build_without_cache(tiny_build, tmp_path, caplog, cli):
    built, first = tiny_build   # the run's shared tiny project's first build, with no cache
    assert first.returncode == 0, first.stderr
    releases = [e["id"] for e in yaml.safe_load((built / RELEASES).read_text(encoding="utf-8"))]
    assert re.search(rf"release cache: 0 release\(s\) reused, {len(releases)} read and protected", first.stderr), \
        first.stderr
    project = shutil.copytree(built, tmp_path / "project")   # the published package and the cache that build left

    add_release(project)
    without_cache = shutil.copytree(project, tmp_path / "without-cache", ignore=shutil.ignore_patterns(".cache"))
    warm = build(project, caplog)     # one after the other: a build in a thread would log into this one's records
    cold = cli(without_cache, "build", timeout=900)
    assert warm == f"release cache: {len(releases)} release(s) reused, 1 read and protected (cpes-2025)", warm
    assert cold.returncode == 0, cold.stderr
    assert re.search(rf"release cache: 0 release\(s\) reused, {len(releases) + 1} read and protected",
                     cold.stderr), cold.stderr

    package = tree_digest(project / "datapackage")
    assert "cpes-2025" in (project / "datapackage/data/experience_results.csv").read_text(encoding="utf-8")
    assert package == tree_digest(without_cache / "datapackage"), \
        "the package built from cached releases differs from the one built without the cache"
