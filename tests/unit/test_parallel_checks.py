"""The leak check runs in this process while Frictionless validates in worker processes: the gate reports what
it reported when they ran one after the other (Frictionless first, then the metadata lint, then the leak check),
and a worker killed meanwhile neither hangs the gate nor changes its verdict."""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import types
from pathlib import Path

import pytest

from build_data import checks, gate, leak_check
from build_data.errors import MetadataInvalid, PackageInvalid, SuppressionLeak

PLACES = "code,name\nA1,Alpha\nB2,Beta\n"
SCORES = "code,year,value\nA1,2024,81.5\nB2,2024,[c]\n"


def field(name: str, kind: str, **extra) -> dict:
    return {"name": name, "type": kind, "title": name.title(), "description": f"The {name}.", **extra}


def write_package(folder: Path, scores: str = SCORES, title: str = "Gate test") -> dict:
    """A small package with the metadata the lint asks for; scores' values are 0 to 100."""
    files = {"places": PLACES, "scores": scores}
    schemas = {"places": {"fields": [field("code", "string"), field("name", "string")], "primaryKey": ["code"]},
               "scores": {"fields": [field("code", "string"), field("year", "integer"),
                                     field("value", "number", constraints={"minimum": 0, "maximum": 100})],
                          "primaryKey": ["code", "year"], "missingValues": ["", "[c]"],
                          "foreignKeys": [{"fields": ["code"], "reference": {"resource": "places", "fields": ["code"]}}]}}
    (folder / "data").mkdir(parents=True, exist_ok=True)
    resources = []
    for name, text in files.items():
        data = text.encode("utf-8")
        (folder / "data" / f"{name}.csv").write_bytes(data)
        resources.append({"name": name, "path": f"data/{name}.csv", "format": "csv", "encoding": "utf-8",
                          "title": name.title(), "description": f"The {name}.", "bytes": len(data),
                          "hash": "sha256:" + hashlib.sha256(data).hexdigest(), "schema": schemas[name]})
    descriptor = {"$schema": "https://datapackage.org/profiles/2.0/datapackage.json", "name": "gate-test",
                  "title": title, "description": "A package for testing the gate.", "version": "1.0.0",
                  "licenses": [{"name": "CC0-1.0"}], "sources": [{"title": "Made up"}],
                  "contributors": [{"title": "Tests"}], "resources": resources}
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=1), encoding="utf-8")
    return descriptor


@pytest.fixture
def package(tmp_path, monkeypatch):
    monkeypatch.setattr(gate, "BESIDE_FROM", 0)      # worker processes, however small the package
    monkeypatch.setattr(gate, "SMALL", 0)            # one job per resource
    monkeypatch.setattr(gate, "pool_size", lambda jobs: 2)
    monkeypatch.setattr(gate, "cores", lambda: 2)   # two workers even on one core
    folder = tmp_path / "stage"
    config = types.SimpleNamespace(root=tmp_path)    # what check_package reads of the config itself
    return folder, write_package(folder), config


def gate_workers() -> list:
    """Child processes started since this test began: the gate's workers. A process this test worker started
    earlier (a drawing process kept for the session, say) is neither counted nor killed."""
    return [child for child in multiprocessing.active_children() if child.pid not in EARLIER_CHILDREN]


EARLIER_CHILDREN: set[int] = set()


@pytest.fixture(autouse=True)
def earlier_children():
    EARLIER_CHILDREN.clear()
    EARLIER_CHILDREN.update(child.pid for child in multiprocessing.active_children())


def leaks_found(*leaks):
    def find_recoverable(folder, config):
        assert gate_workers(), "the leak check ran while no worker was validating"
        return list(leaks)
    return find_recoverable


def test_a_clean_package_passes_and_the_leak_check_ran_beside_the_workers(package, monkeypatch):
    folder, descriptor, config = package
    ran = []
    monkeypatch.setattr(leak_check, "find_recoverable", lambda f, c: ran.append(gate_workers()) or [])
    checks.check_package(folder, descriptor, config)
    assert ran and ran[0], "the leak check did not run while worker processes validated"
    assert not gate_workers()     # the workers are gone once the verdict is in


def test_frictionless_is_reported_before_a_leak(package, monkeypatch):
    folder, _, config = package
    descriptor = write_package(folder, scores=SCORES.replace("81.5", "181.5"))
    monkeypatch.setattr(leak_check, "find_recoverable", leaks_found("scores B2: value = 3"))
    with pytest.raises(PackageInvalid) as caught:
        checks.check_package(folder, descriptor, config)
    assert "scores row 2 column value" in caught.value.message() and "181.5" in caught.value.message()


def test_frictionless_is_reported_before_a_leak_check_that_crashed(package, monkeypatch):
    folder, _, config = package
    descriptor = write_package(folder, scores=SCORES.replace("81.5", "eighty"))

    def crashes(folder, config):
        raise ValueError("invalid literal for int() with base 10: 'eighty'")
    monkeypatch.setattr(leak_check, "find_recoverable", crashes)
    with pytest.raises(PackageInvalid, match="eighty"):
        checks.check_package(folder, descriptor, config)


def test_the_lint_is_reported_before_a_leak(package, monkeypatch):
    folder, _, config = package
    descriptor = write_package(folder, title="")
    monkeypatch.setattr(leak_check, "find_recoverable", leaks_found("scores B2: value = 3"))
    with pytest.raises(MetadataInvalid, match="title"):
        checks.check_package(folder, descriptor, config)


def test_a_leak_is_reported_once_frictionless_and_the_lint_pass(package, monkeypatch):
    folder, descriptor, config = package
    monkeypatch.setattr(leak_check, "find_recoverable", leaks_found("scores B2: value = 3", "scores B2: value = 4"))
    with pytest.raises(SuppressionLeak) as caught:
        checks.check_package(folder, descriptor, config)
    assert "2 suppressed counts can be recovered by subtraction, e.g. scores B2: value = 3." in caught.value.message()


def test_a_leak_check_that_crashed_is_raised_once_frictionless_passes(package, monkeypatch):
    folder, descriptor, config = package

    def crashes(folder, config):
        raise KeyError("geography_code")
    monkeypatch.setattr(leak_check, "find_recoverable", crashes)
    with pytest.raises(KeyError, match="geography_code"):
        checks.check_package(folder, descriptor, config)


def test_a_worker_killed_meanwhile_neither_hangs_the_gate_nor_changes_its_verdict(package, monkeypatch, caplog):
    folder, _, config = package
    descriptor = write_package(folder, scores=SCORES.replace("81.5", "181.5"))

    def kills_the_workers(folder, config):
        workers = gate_workers()
        assert workers
        for worker in workers:
            worker.kill()
        return []
    monkeypatch.setattr(leak_check, "find_recoverable", kills_the_workers)
    with pytest.raises(PackageInvalid) as caught:
        checks.check_package(folder, descriptor, config)
    assert "scores row 2 column value" in caught.value.message()
    assert "one resource at a time" in caplog.text


def test_a_small_validation_beside_no_other_work_stays_in_this_process(package, monkeypatch):
    folder, _, _ = package
    monkeypatch.setattr(gate, "worker_pool", lambda workers: pytest.fail("worker processes for a small package"))
    problems, done = gate.validate_package(folder)
    assert problems == [] and sorted(done["validated"]) == ["places", "scores"]


def test_on_one_core_the_leak_check_and_frictionless_take_turns_in_this_process(package, monkeypatch):
    folder, descriptor, config = package
    monkeypatch.setattr(gate, "cores", lambda: 1)
    monkeypatch.setattr(gate, "pool_size", lambda jobs: 1)
    monkeypatch.setattr(gate, "worker_pool", lambda workers: pytest.fail("worker processes on one core"))
    monkeypatch.setattr(leak_check, "find_recoverable", lambda f, c: [])
    checks.check_package(folder, descriptor, config)
