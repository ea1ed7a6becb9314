"""The test suite's time for the benchmark's targets: read from the JUnit XML file a pytest run wrote
(`pytest --junitxml=bench-out/pytest-junit.xml`, e.g. from `make test`), or measured by running pytest.

The JUnit file is pytest's own record: its `time` is the session's wall time, with the counts of tests,
failures, errors and skips. The file's age is reported with it, so an old run is visible as one.
"""
from __future__ import annotations

import datetime as dt
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from measure import run_child


def read_junit(path: Path) -> dict | None:
    """A pytest JUnit XML file in, its session time and counts out (None when there is no such file)."""
    if not path.is_file():
        return None
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        return {"source": f"{path} (unreadable: {error})", "wall_s": None, "ok": False}
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    counts = {k: sum(int(s.get(k, 0)) for s in suites) for k in ("tests", "failures", "errors", "skipped")}
    written = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc).isoformat(timespec="seconds")
    return {"source": f"read from {path} (pytest --junitxml, written {written})",
            "wall_s": round(sum(float(s.get("time", 0)) for s in suites), 1), **counts,
            "ok": counts["failures"] == counts["errors"] == counts["skipped"] == 0 and counts["tests"] > 0}


def run(repo: Path, junit: Path, log: Path) -> dict:
    """Run the whole suite (as `make test` does after the site is built) and read back its JUnit file."""
    junit.parent.mkdir(parents=True, exist_ok=True)
    junit.unlink(missing_ok=True)
    measured = run_child([sys.executable, "-m", "pytest", "-q", f"--junitxml={junit}"], cwd=repo, log=log)
    result = read_junit(junit) or {"wall_s": None, "ok": False}
    return {**result, "source": f"measured by this run (pytest --junitxml={junit}; log {log})",
            "command_wall_s": measured["wall_s"], "command_cpu_s": measured["cpu_s"],
            "returncode": measured["returncode"]}


def describe(result: dict | None) -> str:
    if not result:
        return ("no suite time: run `pytest --junitxml=bench-out/pytest-junit.xml` (or pass --run-suite) "
                "before the benchmark")
    counts = ", ".join(f"{k} {result[k]}" for k in ("tests", "failures", "errors", "skipped") if k in result)
    return f"{result['source']}; {counts}" + ("" if result.get("ok") else " (not a clean run: not met)")
