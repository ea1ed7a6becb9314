"""The suite's scheduler (tests/conftest.py) hands the longest groups out first: from the checked-in module
seconds on a clean clone, then from what each group took in this machine's last whole run (pytest's cache).

Run on a made-up suite of three modules, in a temporary folder, with this repository's conftest.py."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
# module -> seconds each of its two tests sleeps; collection order is alphabetical: a, b, c
SLEEP = {"test_a.py": 0.8, "test_b.py": 0.05, "test_c.py": 0.3}
MODULE_TEST = """
import json, os, time

def record(name):
    with open(os.environ["SCHEDULE_LOG"], "a") as log:
        log.write(json.dumps([os.environ["PYTEST_XDIST_WORKER"], __name__, name, time.time()]) + "\\n")

def test_one():
    record("one")
    time.sleep({sleep})

def test_two():
    record("two")
    time.sleep({sleep})
"""


def made_up_suite(folder: Path, module_seconds: dict[str, float]) -> Path:
    tests = folder / "tests"
    tests.mkdir(parents=True)
    shutil.copy2(TESTS / "conftest.py", tests / "conftest.py")
    for name, sleep in SLEEP.items():
        (tests / name).write_text(MODULE_TEST.format(sleep=sleep), encoding="utf-8")
    (tests / "module_seconds.json").write_text(json.dumps({"seconds": {f"tests/{m}": s for m, s in
                                                                       module_seconds.items()}}), encoding="utf-8")
    (folder / "pytest.ini").write_text("[pytest]\ntestpaths = tests\n", encoding="utf-8")
    return folder


def outside_pytest_xdist() -> dict[str, str]:
    """This process's environment without what a pytest-xdist worker sets (run here on a worker, the made-up
    suite's main process would take itself for one)."""
    return {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_XDIST_", "PYTEST_CURRENT"))}


def first_modules(folder: Path) -> list[str]:
    """Run the whole made-up suite on two workers; the modules in the order their first test started."""
    log = folder / f"schedule-{len(list(folder.glob('schedule-*')))}.log"
    result = subprocess.run([sys.executable, "-m", "pytest", "-n", "2", "-p", "no:randomly", "-q",
                             "--basetemp", str(folder / "tmp")], cwd=folder, capture_output=True, text=True,
                            timeout=120, env={**outside_pytest_xdist(), "SCHEDULE_LOG": str(log)})
    assert result.returncode == 0, result.stdout + result.stderr
    started = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    order = []
    for _, module, _, _ in sorted(started, key=lambda row: row[3]):
        if module not in order:
            order.append(module)
    return order


def test_longest_groups_first_by_checked_in_seconds_then_by_the_last_run(tmp_path):
    suite = made_up_suite(tmp_path, {"test_a.py": 1.0, "test_b.py": 100.0, "test_c.py": 50.0})
    order = first_modules(suite)
    assert set(order[:2]) == {"test_b", "test_c"} and order[2] == "test_a", \
        f"a clean clone: the two longest modules by module_seconds.json start first, got {order}"
    measured = json.loads((suite / ".pytest_cache/v/work_groups/seconds").read_text(encoding="utf-8"))
    assert measured["tests/test_a.py"] > measured["tests/test_c.py"] > measured["tests/test_b.py"], measured
    order = first_modules(suite)
    assert set(order[:2]) == {"test_a", "test_c"} and order[2] == "test_b", \
        f"after a whole run: the two longest groups as measured start first, got {order}"
