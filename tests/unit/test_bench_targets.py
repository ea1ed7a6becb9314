"""The benchmark's targets: each with value, limit and met, from one run's results (scripts/benchmark.py)."""
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "scripts" / "bench"))

import benchmark  # noqa: E402
import suite  # noqa: E402


def national(full_build_s=100.0, new_release_s=30.0, gate_cpu=60.0):  # CPU = wall here
    return {"scale": "national",
            "stages": {k: {"wall_s": w, "cpu_s": w, "peak_rss_mb": 900.0, "returncode": 0}
                       for k, w in (("build", full_build_s * 0.4), ("render", full_build_s * 0.5),
                                    ("site", full_build_s * 0.1))},
            "split": {"build": {"stages": {"build.gate": {"wall_s": gate_cpu, "cpu_s": gate_cpu, "peak_rss_mb": 300.0}}}},
            "peers": {"frictionless_cli": {"wall_s": 55.0, "cpu_s": 50.0}},
            "rebuild": {"total_s": 2.5, "mode": "measured"}, "data": {},
            "new_release": {"release": "cpes-2026", "all": {"wall_s": new_release_s, "cpu_s": new_release_s,
                                                           "returncode": 0}}}


def targets_of(result, suite_result=None):
    result["summary"] = benchmark.summarise(result)
    return {t["target"].split(" (")[0]: t for t in benchmark.evaluate([result], suite_result)}


def test_every_target_has_value_limit_and_met():
    found = targets_of(national(), {"wall_s": 400.0, "ok": True, "source": "x", "tests": 10, "failures": 0,
                                    "errors": 0, "skipped": 0})
    cold = found["cold build"]
    assert cold["value"] == round(100.0 / 55.0, 2) and cold["limit"] == 2.0 and cold["met"] is True
    assert found["validation gate vs `frictionless validate`"]["value"] == 1.2
    assert found["a new release's rebuild"]["value"] == 0.3 and found["a new release's rebuild"]["met"] is True
    assert found["no-change rebuild"]["met"] is True and found["test suite"]["met"] is True
    for t in found.values():
        assert {"value", "limit", "met"} <= set(t) and (t["met"] is None) == (t["value"] is None)


def test_missed_and_not_measured_are_told_apart():
    found = targets_of(national(full_build_s=300.0, new_release_s=200.0, gate_cpu=90.0))
    assert found["cold build"]["met"] is False and found["a new release's rebuild"]["met"] is False
    assert found["validation gate vs `frictionless validate`"]["met"] is False
    assert found["test suite"]["met"] is None and "--junitxml" in found["test suite"]["detail"]


def test_suite_time_is_read_from_pytest_junit_file(tmp_path):
    junit = tmp_path / "junit.xml"
    junit.write_text('<?xml version="1.0"?><testsuites><testsuite name="pytest" errors="0" failures="0" '
                     'skipped="1" tests="12" time="321.5"/></testsuites>', encoding="utf-8")
    result = suite.read_junit(junit)
    assert result["wall_s"] == 321.5 and result["tests"] == 12 and result["skipped"] == 1
    assert result["ok"] is False     # a skipped test is not a clean run
    assert suite.read_junit(tmp_path / "missing.xml") is None


def national_all(all_wall=280.0, all_cpu=520.0, tree_peak=1500.0, largest=800.0):
    """A report of the cold build run as one `all` (the stages overlap: their walls add up to more than its own)."""
    result = national()
    result["stages"] = {"all": {"wall_s": all_wall, "cpu_s": all_cpu, "peak_rss_mb": largest, "tree_peak_mb": tree_peak,
                                "returncode": 0},
                        **benchmark.stages_of_all({"stages": {
                            "all.build": {"wall_s": 150.0, "cpu_s": 290.0, "peak_rss_mb": 700.0},
                            "all.render": {"wall_s": 120.0, "cpu_s": 220.0, "peak_rss_mb": 750.0},
                            "all.site": {"wall_s": 10.0, "cpu_s": 9.0, "peak_rss_mb": 180.0}}}, {"returncode": 0})}
    result["split"] = {"all": {"stages": {"build.gate": {"wall_s": 60.0, "cpu_s": 60.0, "peak_rss_mb": 300.0}}}}
    return result


def test_cold_build_is_the_one_all_command_and_its_tree_peak():
    result = national_all()
    found = targets_of(result)
    cold = found["cold build"]
    assert cold["value"] == round(280.0 / 55.0, 2) and cold["met"] is False     # the command's wall, not a sum
    assert "520.0 s" in cold["detail"]
    assert result["summary"]["idle_core_s"]["all"] == round(benchmark.CORES * 280.0 - 520.0, 1)
    assert result["summary"]["idle_core_s"]["render"] == round(benchmark.CORES * 120.0 - 220.0, 1)
    memory = found["full build peak memory"]
    assert memory["value"] == 1500.0 and "800.0 MB" in memory["detail"]      # the tree, not its largest process
    assert found["validation gate vs `frictionless validate`"]["value"] == 1.2   # the gate's part of the `all`
    assert found["a new release's rebuild"]["value"] == round(30.0 / 520.0, 2)


def test_a_failed_all_is_not_a_cold_build_time():
    failed = benchmark.stages_of_all({"stages": {"all.build": {"wall_s": 10.0, "cpu_s": 12.0, "peak_rss_mb": 400.0}}},
                                     {"returncode": 2})
    assert failed["build"]["returncode"] == 2 and "render" not in failed
    result = national_all()
    result["stages"] = {"all": {"wall_s": 10.0, "cpu_s": 12.0, "peak_rss_mb": 400.0, "returncode": 2}, **failed}
    assert targets_of(result)["cold build"]["value"] is None


def test_frictionless_peer_is_the_mean_of_its_runs_and_keeps_each():
    import peers
    runs = [{"wall_s": 80.0, "cpu_s": 79.0, "returncode": 0}, {"wall_s": 100.0, "cpu_s": 99.0, "returncode": 0}]
    peer = peers.frictionless_runs(runs)
    assert (peer["wall_s"], peer["cpu_s"], peer["spread"]) == (90.0, 89.0, 1.25) and peer["runs"] == runs
    result = national(full_build_s=171.0)
    result["peers"]["frictionless_cli"] = peer
    cold = targets_of(result)["cold build"]
    assert cold["value"] == 1.9 and cold["met"] is True and "mean of runs 80.0 s, 100.0 s" in cold["detail"]
    failed = peers.frictionless_runs([runs[0], {"wall_s": 3.0, "cpu_s": 3.0, "returncode": 1}])
    assert failed["wall_s"] == 80.0 and len(failed["runs"]) == 2     # a failed run is kept, not averaged
    assert peers.frictionless_runs([{"wall_s": 3.0, "cpu_s": 3.0, "returncode": 1}])["returncode"] == 1
