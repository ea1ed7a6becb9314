"""The version check runs before the gate: a build refused for a missing bump pays for the leak check only
(a recoverable count is still reported first), not for Frictionless; any other failure of the version check
waits for the gate's own report."""
import pytest

from build_data import pipeline
from build_data.errors import PackageInvalid, SuppressionLeak
from build_data.versioning import VersionBumpMissing


@pytest.fixture
def calls(monkeypatch):
    """What ran, in order; each check passes unless a test says otherwise."""
    ran = []
    monkeypatch.setattr(pipeline, "check_version", lambda published, staged, root: ran.append("version"))
    monkeypatch.setattr(pipeline, "check_no_leaks", lambda stage, config: ran.append("leaks"))
    monkeypatch.setattr(pipeline, "check_package", lambda stage, descriptor, config: ran.append("gate"))
    return ran


def run(tmp_path):
    config = type("Config", (), {"root": tmp_path})()
    pipeline.check_package_and_version(tmp_path / "datapackage", tmp_path / "stage", {}, config)


def test_a_passing_version_check_runs_first_then_the_gate(calls, tmp_path):
    run(tmp_path)
    assert calls == ["version", "gate"]


def test_a_missing_bump_is_raised_without_frictionless_after_the_leak_check(calls, monkeypatch, tmp_path):
    def refuses(published, staged, root):
        calls.append("version")
        raise VersionBumpMissing("needs a MINOR bump", file="build_data/metadata/site.yml")
    monkeypatch.setattr(pipeline, "check_version", refuses)
    with pytest.raises(VersionBumpMissing, match="MINOR"):
        run(tmp_path)
    assert calls == ["version", "leaks"]


def test_a_leak_outranks_a_missing_bump(calls, monkeypatch, tmp_path):
    def refuses(published, staged, root):
        raise VersionBumpMissing("needs a MINOR bump", file="build_data/metadata/site.yml")

    def leaks(stage, config):
        raise SuppressionLeak("1 suppressed counts can be recovered by subtraction", file=stage / "data")
    monkeypatch.setattr(pipeline, "check_version", refuses)
    monkeypatch.setattr(pipeline, "check_no_leaks", leaks)
    with pytest.raises(SuppressionLeak):
        run(tmp_path)


def test_any_other_failure_of_the_version_check_waits_for_the_gate(calls, monkeypatch, tmp_path):
    def crashes(published, staged, root):
        raise KeyError("primaryKey")

    def gate_fails(stage, descriptor, config):
        raise PackageInvalid("Frictionless found: scores row 2", file=stage / "datapackage.json")
    monkeypatch.setattr(pipeline, "check_version", crashes)
    with pytest.raises(KeyError, match="primaryKey"):
        run(tmp_path)
    assert calls == ["gate"]
    monkeypatch.setattr(pipeline, "check_package", gate_fails)
    with pytest.raises(PackageInvalid):
        run(tmp_path)


def test_the_leak_check_alone_reports_a_leak_and_leaves_a_crash_to_the_gate(monkeypatch, tmp_path):
    from build_data import checks, leak_check
    monkeypatch.setattr(leak_check, "find_recoverable", lambda folder, config: ["scores B2: value = 3"])
    with pytest.raises(SuppressionLeak, match="1 suppressed counts can be recovered by subtraction, e.g. scores B2"):
        checks.check_no_leaks(tmp_path, None)
    monkeypatch.setattr(leak_check, "find_recoverable", lambda folder, config: [])
    checks.check_no_leaks(tmp_path, None)

    def crashes(folder, config):
        raise ValueError("invalid literal for int() with base 10: 'eighty'")
    monkeypatch.setattr(leak_check, "find_recoverable", crashes)
    checks.check_no_leaks(tmp_path, None)
