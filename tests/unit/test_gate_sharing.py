"""Beside other work (the leak check), the gate keeps a core for this process: one worker process fewer than
cores, and this process validates the jobs nobody has taken once its own work is done."""
from __future__ import annotations

import types

from build_data import checks, gate, leak_check
from test_parallel_checks import write_package


def test_beside_other_work_on_two_cores_one_worker_and_this_process_share_the_jobs(tmp_path, monkeypatch):
    monkeypatch.setattr(gate, "BESIDE_FROM", 0)
    monkeypatch.setattr(gate, "SMALL", 0)             # one job per resource: two jobs
    monkeypatch.setattr(gate, "cores", lambda: 2)
    monkeypatch.setattr(gate, "PARALLEL_FROM", 0)
    started, real_pool = [], gate.worker_pool
    monkeypatch.setattr(gate, "worker_pool", lambda workers: started.append(workers) or real_pool(workers))
    monkeypatch.setattr(leak_check, "find_recoverable", lambda folder, config: [])
    folder = tmp_path / "stage"
    descriptor = write_package(folder)
    checks.check_package(folder, descriptor, types.SimpleNamespace(root=tmp_path))
    assert started == [1]
    problems, done = gate.validate_package(folder)    # beside no other work: as many workers as jobs and cores
    assert problems == [] and sorted(done["validated"]) == ["places", "scores"]
    assert started == [1, 2]


def test_a_failing_resource_is_reported_whoever_validated_it(tmp_path, monkeypatch):
    monkeypatch.setattr(gate, "BESIDE_FROM", 0)
    monkeypatch.setattr(gate, "SMALL", 0)
    monkeypatch.setattr(gate, "cores", lambda: 2)
    folder = tmp_path / "stage"
    for scores, expected in (("code,year,value\nA1,2024,181.5\nB2,2024,[c]\n", ["scores row 2 column value"]),
                             ("code,year,value\nA1,2024,81.5\nB2,2024,[c]\n", [])):
        write_package(folder, scores=scores)
        with gate.start_validation(folder, beside_other_work=True) as validation:
            problems, done = validation.finish()
        assert sorted(done["validated"]) == ["places", "scores"] and done["cpu_s"] > 0
        assert [p.split(": ")[0] for p in problems] == expected
