"""SemVer on the data: the bump a change needs, the bump a version change gives, and [r] flags."""
import pandas as pd
import pytest

from build_data.package_diff import ResourceChange
from build_data.revisions import flag_revised
from build_data.versioning import bump_between, required_bump


def diff_of(**change) -> dict:
    return {"resources_removed": [], "resources_added": [], "changes": [ResourceChange("t", **change)]}


@pytest.mark.parametrize("change, need", [
    ({}, "none"),
    ({"revised": 1}, "patch"),
    ({"removed": 2}, "patch"),
    ({"added": 5}, "minor"),
    ({"columns_added": ("is_revised",)}, "minor"),
    ({"columns_removed": ("value",)}, "major"),
    ({"types_changed": ("value",)}, "major"),
])
def test_required_bump(change, need):
    assert required_bump(diff_of(**change)) == need


def test_a_new_row_in_the_corrections_log_needs_a_patch_not_a_minor():
    log = {"resources_removed": [], "resources_added": [], "changes": [ResourceChange("corrections", added=1)]}
    assert required_bump(log) == "patch"
    log["changes"].append(ResourceChange("results_labelled", added=1))
    assert required_bump(log) == "minor"


def test_required_bump_for_resources():
    assert required_bump({"resources_removed": ["x"], "resources_added": [], "changes": []}) == "major"
    assert required_bump({"resources_removed": [], "resources_added": ["x"], "changes": []}) == "minor"


@pytest.mark.parametrize("old, new, bump", [
    ("0.1.0", "0.1.0", "none"), ("0.1.0", "0.1.1", "patch"), ("0.1.3", "0.2.0", "minor"),
    ("0.9.9", "1.0.0", "major"), ("0.2.0", "0.1.9", "none"),
])
def test_bump_between(old, new, bump):
    assert bump_between(old, new) == bump


def test_flag_revised_only_where_a_published_number_changed():
    key = ["release_id", "geography_code"]
    table = pd.DataFrame({"release_id": ["r"] * 4, "geography_code": ["a", "b", "c", "d"],
                          "value": [50.0, 61.2, None, 70.0]})
    previous = pd.DataFrame({"release_id": ["r"] * 4, "geography_code": ["a", "b", "c", "e"],
                             "value": ["50.0", "60.2", "44.0", "1.0"]})
    # a: same; b: revised; c: now suppressed (not a revision); d: new row (not a revision)
    assert flag_revised(table, previous, key).tolist() == [False, True, False, False]
    assert not flag_revised(table, None, key).any()
