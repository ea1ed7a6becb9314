"""Metadata mistakes through the command line: exit 2, the file and key named, no traceback, and
datapackage/ and site/ exactly as they were (the build stops before reading any raw file)."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


CASES = [   # file, text, replacement, error class, words the message must hold
    ("layouts.yml", "reader: cpes_scores", "reader: cpes_score", "ReaderUnknown", ("cpes_score", "cpes_scores")),
    ("figures.yml", "cohort_id: breast_secondary}", "cohort_id: breast_secondry}", "MetadataReferenceBroken",
     ("key cohort_id", "Did you mean `breast_secondary`?")),
    ("questions.yml", "  short_label: Had a main contact person", "  short_lable: Had a main contact person",
     "MetadataKeyUnknown", ("key short_lable", "Did you mean `short_label`?")),
    ("geographies.csv", "E92000001,England,country,,2019,", "E92000001,England,country,,twenty19,",
     "MetadataInvalid", ("key valid_from", "'twenty19'")),
]


@pytest.mark.parametrize("name, text, new, error, words", CASES, ids=[c[3] for c in CASES])
def test_metadata_mistake_exits_2_and_changes_nothing(project_copy, cli, name, text, new, error, words):
    (project_copy / "site").mkdir()
    (project_copy / "site" / "index.html").write_text("<p>the published site</p>", encoding="utf-8")
    path = project_copy / "build_data" / "metadata" / name
    original = path.read_text(encoding="utf-8")
    assert text in original
    path.write_text(original.replace(text, new, 1), encoding="utf-8")
    before = digest(project_copy / "datapackage"), digest(project_copy / "site")
    result = cli(project_copy, "build")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and f"{error}: " in result.stderr
    assert f"file {path}" in result.stderr and ("line " in result.stderr or "row " in result.stderr)
    assert "Fix: " in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    assert (digest(project_copy / "datapackage"), digest(project_copy / "site")) == before


def test_confirm_left_in_stops_build_but_not_suggest_crosswalk(project_copy, cli):
    """After new-release a person still proposes crosswalk rows; only publishing needs every value confirmed."""
    path = project_copy / "build_data" / "metadata" / "releases.yml"
    text = path.read_text(encoding="utf-8")
    old = "  publisher: Illustrative data made by this project (scripts/make_illustrative_data.py), in the layout of an audit"
    assert old in text
    path.write_text(text.replace(old, "  publisher: CONFIRM publisher", 1), encoding="utf-8")
    before = digest(project_copy / "datapackage")
    refused = cli(project_copy, "build")
    assert refused.returncode == 2 and "MetadataValueUnconfirmed: " in refused.stderr, refused.stderr
    assert "key publisher" in refused.stderr and "Entry 5 (naome-2025): `publisher` is 'CONFIRM publisher" in refused.stderr
    assert digest(project_copy / "datapackage") == before
    suggested = cli(project_copy, "suggest-crosswalk", "cpes-2023")
    assert suggested.returncode == 0, suggested.stderr
