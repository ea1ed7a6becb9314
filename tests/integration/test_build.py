"""A clean build of a project copy (`fresh_build`, shared by the whole run): it succeeds, validates, is
complete, deterministic and discloses nothing."""
from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from support import tree_digest

REPO = Path(__file__).resolve().parents[2]
V2_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"


def descriptor_of(root: Path) -> dict:
    return json.loads((root / "datapackage" / "datapackage.json").read_text(encoding="utf-8"))


def published(root: Path, name: str) -> pd.DataFrame:
    """A published CSV exactly as a user downloads it: every cell as text, markers kept."""
    return pd.read_csv(root / "datapackage" / "data" / f"{name}.csv", dtype=str, keep_default_na=False)


def test_build_exits_0_and_publishes(fresh_build):
    root, result = fresh_build
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert f"published {root / 'datapackage'}" in result.stderr
    assert not list(root.glob(".datapackage.*")), "a staging folder was left behind"


def test_frictionless_validate_command_accepts_package(built_project):
    frictionless = Path(sys.executable).parent / "frictionless"
    result = subprocess.run([str(frictionless), "validate", str(built_project / "datapackage" / "datapackage.json")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_package_declares_v2_licences_sources_version(built_project):
    descriptor = descriptor_of(built_project)
    assert descriptor["$schema"] == V2_PROFILE
    assert descriptor["licenses"] and all(lic.get("name") and lic.get("path") for lic in descriptor["licenses"])
    assert len(descriptor["sources"]) == 6 and all(s.get("title") for s in descriptor["sources"])
    assert re.fullmatch(r"\d+\.\d+\.\d+", descriptor["version"])
    assert not re.search(r"20\d\d", descriptor["name"]), "the package name must not contain a year"
    assert descriptor["contributors"]


def test_package_resources_have_matching_hash_and_bytes(built_project):
    folder = built_project / "datapackage"
    resources = descriptor_of(built_project)["resources"]
    assert {r["name"] for r in resources} >= {"releases", "questions", "crosswalk", "geographies", "cohorts",
                                              "experience_results", "audit_indicators", "published_figures"}
    for resource in resources:
        data = (folder / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data), resource["name"]
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest(), resource["name"]


def test_package_fields_all_described(built_project):
    for resource in descriptor_of(built_project)["resources"]:
        assert resource.get("title") and resource.get("description"), resource["name"]
        for field in resource["schema"]["fields"]:
            assert field.get("description", "").strip(), f"{resource['name']}.{field['name']}"
            assert field.get("title", "").strip(), f"{resource['name']}.{field['name']}"


def test_package_csvs_utf8_lf_without_bom(built_project):
    for path in sorted((built_project / "datapackage" / "data").glob("*.csv")):
        data = path.read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data and data.endswith(b"\n"), path.name
        data.decode("utf-8")


def test_package_integer_columns_never_written_as_floats(built_project):
    for resource in descriptor_of(built_project)["resources"]:
        table = published(built_project, resource["name"])
        for field in resource["schema"]["fields"]:
            if field["type"] == "integer":
                cells = table[field["name"]]
                bad = cells[~cells.isin(["", "[c]", "[x]", "[z]"]) & ~cells.str.fullmatch(r"-?\d+")]
                assert bad.empty, f"{resource['name']}.{field['name']}: {bad.head().tolist()}"


def test_committed_datapackage_matches_fresh_build(built_project):
    """The checkout's datapackage/ (in a clean clone: the committed one, or `make site`'s rebuild of it) is
    exactly what the build makes. That is also two builds, in different folders and processes, byte for
    byte the same (it was test_two_builds_byte_identical, which built a second copy)."""
    committed, fresh = tree_digest(REPO / "datapackage"), tree_digest(built_project / "datapackage")
    assert sorted(committed) == sorted(fresh)
    changed = [name for name in committed if committed[name] != fresh[name]]
    assert not changed, f"committed datapackage/ differs from a fresh build in {changed}: run the build and commit"


def test_no_suppressed_row_publishes_a_count(built_project):
    results = published(built_project, "experience_results")
    suppressed = results[results["status"] == "suppressed"]
    assert len(suppressed) > 100, "the illustrative data should exercise suppression"
    for column in ("n_respondents", "value", "ci_lower", "ci_upper"):
        assert set(suppressed[column]) == {"[c]"}, column
    assert "[c]" not in set(results.loc[results["status"] != "suppressed", "n_respondents"])
    audit = published(built_project, "audit_indicators")
    assert set(audit.loc[audit["status"] == "suppressed", "numerator"]) <= {"[c]"}


def test_published_counts_never_below_release_threshold(built_project):
    thresholds = published(built_project, "releases").set_index("release_id")["suppression_threshold"].astype(int)
    results = published(built_project, "experience_results")
    shown = results[~results["n_respondents"].isin(["[c]", "[x]", ""])]
    n = shown["n_respondents"].astype(int)
    assert (n >= shown["release_id"].map(thresholds)).all(), shown[n < shown["release_id"].map(thresholds)].head()
    audit = published(built_project, "audit_indicators")
    limit = audit["release_id"].map(thresholds)
    for column in ("numerator", "denominator"):
        values = pd.to_numeric(audit[column].where(~audit[column].isin(["[c]", "[x]", ""])), errors="raise")
        small = (values > 0) & (values < limit)
        assert not small.any(), audit[small].head()


@pytest.mark.parametrize("name", ["experience_results", "audit_indicators"])
def test_published_intervals_contain_values(built_project, name):
    table = published(built_project, name)
    numeric = table[~table["value"].isin(["[c]", "[x]", ""]) & ~table["ci_lower"].isin(["[c]", "[x]", ""])]
    value, lower, upper = (numeric[c].astype(float) for c in ("value", "ci_lower", "ci_upper"))
    assert len(numeric) > 100 and ((lower <= value) & (value <= upper)).all()


def test_labelled_copy_shows_exactly_the_normalised_cells(built_project):
    """results_labelled repeats every published figure with names and wording, and never a different cell."""
    from build_data.labelled import labelled_mismatches
    assert labelled_mismatches(built_project / "datapackage") == []
    labelled = published(built_project, "results_labelled")
    assert len(labelled) == len(published(built_project, "experience_results")) + len(published(built_project, "audit_indicators"))
    assert (labelled["area_name"] != "").all() and (labelled["wording"] != "").all()
    suppressed = labelled[labelled["status"] == "suppressed"]
    assert len(suppressed) > 100 and set(suppressed["value"]) == {"[c]"}
