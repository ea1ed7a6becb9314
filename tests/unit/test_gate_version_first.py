"""The version check runs before the gate: a missing bump is raised at once (Frictionless and the leak check
are not paid for), any other failure of the check waits for the gate's own report."""
import pytest

from build_data import pipeline
from build_data.versioning import VersionBumpMissing


def test_a_missing_bump_is_raised_before_the_gate(monkeypatch, tmp_path):
    def refuses(published, staged, root):
        raise VersionBumpMissing("needs a MINOR bump", file="build_data/metadata/site.yml")
    monkeypatch.setattr(pipeline, "check_version", refuses)
    with pytest.raises(VersionBumpMissing, match="MINOR"):
        pipeline.version_first(tmp_path / "datapackage", tmp_path / "stage", tmp_path)


def test_any_other_failure_of_the_check_is_handed_back_for_after_the_gate(monkeypatch, tmp_path):
    def crashes(published, staged, root):
        raise KeyError("primaryKey")
    monkeypatch.setattr(pipeline, "check_version", crashes)
    failure = pipeline.version_first(tmp_path / "datapackage", tmp_path / "stage", tmp_path)
    assert isinstance(failure, KeyError)


def test_a_passing_check_hands_back_nothing(monkeypatch, tmp_path):
    seen = []
    monkeypatch.setattr(pipeline, "check_version", lambda published, staged, root: seen.append(staged) or None)
    assert pipeline.version_first(tmp_path / "datapackage", tmp_path / "stage", tmp_path) is None
    assert seen == [tmp_path / "stage"]
