"""Releases read, tidied and protected in worker processes: the same rows as one process makes, the same first
error as the one-process order reports, their log lines in releases.yml's order, and a dead worker fails the
build instead of hanging it.

Run on the tiny project's metadata and raw files (conftest.make_tiny_project: the same layouts, six releases,
few places): what crosses the process boundary does not depend on the data's size. Whether a build is big enough
for a pool (PARALLEL_FROM, 8 MB) is tested with that threshold monkeypatched."""
from __future__ import annotations

import hashlib
import logging
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from build_data import pipeline, release_workers
from build_data.errors import BuildError, SourceUnreadable
from build_data.metadata import load_config
from build_data.release_cache import ReleaseCache

SCORES_2023 = "cpes-2023/cpes-2023-results-illustrative.csv"
SCORES_2024 = "cpes-2024/cpes-2024-results-illustrative.csv"
FREQUENCIES_2023 = "cpes-2023/cpes-2023-frequencies-illustrative.csv"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory, make_tiny_project) -> Path:
    """The tiny project, written once for this module (not built)."""
    return make_tiny_project(tmp_path_factory.mktemp("release-workers") / "tiny")


@pytest.fixture
def project(tiny):
    """project(folder): what release_rows reads, copied from the tiny project into folder: the metadata and
    the raw files; and a layout no release uses, so that loading the config logs a warning (once, however many
    workers load it)."""
    return lambda folder: copy_sources(tiny, folder)


def copy_sources(tiny: Path, folder: Path) -> Path:
    for part in ("metadata", "sources"):
        shutil.copytree(tiny / "build_data" / part, folder / "build_data" / part)
    layouts = folder / "build_data/metadata/layouts.yml"
    entries = yaml.safe_load(layouts.read_text(encoding="utf-8"))
    entries["unused_by_any_release"] = entries["published_figures_csv"]
    layouts.write_text(yaml.safe_dump(entries, sort_keys=False), encoding="utf-8")
    return folder


def rename_heading(root: Path, relative: str, heading: str) -> None:
    """Break a raw CSV (a heading its layout needs is renamed) and record its new sha256 in releases.yml."""
    path = root / "build_data/sources" / relative
    old = hashlib.sha256(path.read_bytes()).hexdigest()
    text = path.read_text(encoding="utf-8")
    assert heading in text.splitlines()[0], f"{heading!r} is not a heading of {relative}"
    path.write_text(text.replace(heading, heading + " (renamed)", 1), encoding="utf-8")
    releases = root / "build_data/metadata/releases.yml"
    releases.write_text(releases.read_text(encoding="utf-8").replace(
        old, hashlib.sha256(path.read_bytes()).hexdigest()), encoding="utf-8")


def rows_made(root: Path, monkeypatch, in_workers: bool):
    monkeypatch.setattr(pipeline, "worth_a_pool", lambda todo: in_workers)
    return pipeline.release_rows(load_config(root))


def first_error(root: Path, monkeypatch, in_workers: bool) -> BuildError:
    with pytest.raises(BuildError) as caught:
        rows_made(root, monkeypatch, in_workers)
    return caught.value


def test_workers_make_the_rows_one_process_makes_and_log_in_release_order(project, tmp_path, monkeypatch, caplog):
    caplog.set_level(logging.INFO, logger="build_data")
    alone = rows_made(project(tmp_path / "alone"), monkeypatch, in_workers=False)
    alone_all = [r.getMessage() for r in caplog.records]
    caplog.clear()
    side_by_side = rows_made(project(tmp_path / "pool"), monkeypatch, in_workers=True)
    pool_all = [r.getMessage() for r in caplog.records if not r.getMessage().startswith("release workers: ")]
    # every line once, as one process logs it (none twice: a worker's loading of the config is not logged again)
    assert sorted(pool_all) == sorted(alone_all)
    assert sum("'unused_by_any_release' is not used" in line for line in pool_all) == 1
    alone_log, pool_log = ([m for m in lines if m.startswith("extracted ")] for lines in (alone_all, pool_all))
    assert len(alone) == len(side_by_side) == len(load_config(tmp_path / "alone").releases)
    for one, other in zip(alone, side_by_side):
        assert sorted(one.tidy) == sorted(other.tidy) and sorted(one.published) == sorted(other.published)
        for name in one.tidy:
            pd.testing.assert_frame_equal(one.tidy[name], other.tidy[name])
            pd.testing.assert_frame_equal(one.published[name], other.published[name])
    # the same lines; releases.yml's order (one process logs them table by table, the workers release by release)
    assert sorted(pool_log) == sorted(alone_log) and len(pool_log) > len(alone)
    order = [r.id for r in load_config(tmp_path / "pool").releases]
    logged = [order.index(line.split()[1]) for line in pool_log]
    assert logged == sorted(logged)
    # each worker kept its release's rows: a second build reads none again
    caplog.clear()
    rows_made(tmp_path / "pool", monkeypatch, in_workers=True)
    assert f"{len(order)} release(s) reused, 0 read" in caplog.text


@pytest.mark.parametrize("breaks, reported", [
    # a later release's scores are read (tables.yml: scores first) before an earlier release's frequencies
    ([(FREQUENCIES_2023, "Count"), (SCORES_2024, "Mean Score")], SCORES_2024),
    # the same table broken in two releases: the first in releases.yml
    ([(SCORES_2024, "Mean Score"), (SCORES_2023, "Mean Score")], SCORES_2023),
])
def test_the_first_error_is_the_one_process_order_s(project, tmp_path, monkeypatch, breaks, reported):
    errors = {}
    for in_workers in (False, True):
        root = project(tmp_path / str(in_workers))
        for relative, heading in breaks:
            rename_heading(root, relative, heading)
        errors[in_workers] = first_error(root, monkeypatch, in_workers)
    alone, side_by_side = errors[False], errors[True]
    assert Path(reported).name in alone.message()
    assert type(side_by_side) is type(alone)
    assert side_by_side.message().replace(str(tmp_path / "True"), "ROOT") == \
        alone.message().replace(str(tmp_path / "False"), "ROOT")
    assert str(side_by_side).replace(str(tmp_path / "True"), "ROOT") == \
        str(alone).replace(str(tmp_path / "False"), "ROOT")


def test_a_build_error_crosses_processes_with_its_own_message():
    error = SourceUnreadable("Heading 'Count' missing.", file=Path("a/b.csv"), row=3, column="Count", fix="Add it.")
    carried = release_workers.rebuilt(release_workers.carry((0, 0, 1), error))
    assert type(carried) is SourceUnreadable and carried.message() == error.message() and str(carried) == str(error)
    assert (carried.file, carried.row, carried.column) == (Path("a/b.csv"), 3, "Count")


def dies(*args):
    """A worker that is killed (as by the kernel when memory runs out)."""
    os._exit(9)


def test_a_dead_worker_fails_the_build_instead_of_hanging_it(project, tmp_path):
    config = load_config(project(tmp_path))
    with pytest.raises(RuntimeError, match="worker process reading releases stopped") as caught:
        release_workers.rows_in_parallel(list(config.releases[:2]), config, ReleaseCache(config), work=dies)
    assert "Nothing was published" in str(caught.value)


def test_a_pool_only_for_two_releases_or_more_with_enough_to_read(project, tmp_path, monkeypatch):
    releases = list(load_config(project(tmp_path)).releases)
    raw = sum(release_workers.source_bytes(r) for r in releases)
    assert raw > 0
    monkeypatch.setattr(release_workers, "PARALLEL_FROM", raw)
    assert release_workers.worth_a_pool(releases, cpus=2)
    assert not release_workers.worth_a_pool(releases, cpus=1)
    assert not release_workers.worth_a_pool(releases[:1], cpus=2)     # a single new release is read here
    monkeypatch.setattr(release_workers, "PARALLEL_FROM", raw + 1)
    assert not release_workers.worth_a_pool(releases, cpus=2)
