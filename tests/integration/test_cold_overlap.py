"""`build` prepares the package's downloads (the .xlsx, the zip's members deflated) in a process of its own while
the gate checks the staged package (build_data/downloads_ahead.py): the downloads it publishes are byte for byte
those prepared after the gate, and a build the gate refuses stops that process and leaves nothing behind. On the
tiny project (conftest.tiny_project: built once, with the downloads prepared after the gate, since it is smaller
than downloads_ahead.AHEAD_FROM; here that threshold is lowered so its downloads are prepared ahead)."""
from __future__ import annotations

import multiprocessing
import time

from support import tree_digest


def ahead_processes() -> list:
    return [p for p in multiprocessing.active_children() if p.name == "downloads-ahead"]


def staging_folders(root):
    return sorted(p.name for p in root.iterdir() if ".staging-" in p.name or p.name.endswith(".old"))


def test_downloads_are_prepared_beside_the_gate_and_published_unchanged(tiny_project, cli, monkeypatch):
    from build_data import downloads_ahead, pipeline

    before = tree_digest(tiny_project / "datapackage")
    monkeypatch.setattr(downloads_ahead, "AHEAD_FROM", 0)
    gate, seen = pipeline.check_package_and_version, {}

    def watched_gate(*args, **kwargs):
        seen["alive_when_the_gate_started"] = bool(ahead_processes())
        gate(*args, **kwargs)
        seen["gate_done"] = time.perf_counter()

    monkeypatch.setattr(pipeline, "check_package_and_version", watched_gate)
    result = cli(tiny_project, "build")
    assert result.returncode == 0, result.stderr
    assert seen["alive_when_the_gate_started"], "no process prepared the downloads while the gate ran"
    assert "downloads: prepared beside the gate" in result.stderr
    assert downloads_ahead.LAST["started"] < seen["gate_done"] and downloads_ahead.LAST["cpu_s"] > 0
    assert ahead_processes() == []
    # The same project, built again: the same package, its zip and .xlsx included (prepared after the gate before).
    assert tree_digest(tiny_project / "datapackage") == before
    assert any(name.endswith(".zip") for name in before) and any(name.endswith(".xlsx") for name in before)


def test_refused_build_stops_the_downloads_and_leaves_nothing(tiny_project, cli, monkeypatch):
    """The gate refuses the staged package (a planted bad row, seen by Frictionless) while the downloads are being
    prepared: the build fails, the process is gone, no staged folder or download of the refused package is left,
    and datapackage/ is byte for byte as it was."""
    from build_data import downloads_ahead, pipeline

    before = tree_digest(tiny_project / "datapackage")
    monkeypatch.setattr(downloads_ahead, "AHEAD_FROM", 0)
    gate, seen = pipeline.check_package, {}

    def refusing_gate(stage, descriptor, config):
        seen["alive"] = bool(ahead_processes())
        cohorts = next(r for r in descriptor["resources"] if r["name"] == "cohorts")
        with open(stage / cohorts["path"], "a", encoding="utf-8") as f:
            f.write("not,a,valid,row,of,cohorts,at,all\n")
        gate(stage, descriptor, config)

    monkeypatch.setattr(pipeline, "check_package", refusing_gate)
    result = cli(tiny_project, "build")
    assert result.returncode == 2, result.stderr
    assert "Frictionless found" in result.stderr and "cohorts" in result.stderr
    assert seen["alive"], "the downloads were not being prepared when the gate refused the package"
    assert ahead_processes() == []
    assert "prepared beside the gate" not in result.stderr
    assert staging_folders(tiny_project) == []
    assert tree_digest(tiny_project / "datapackage") == before
