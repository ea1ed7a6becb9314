"""disclosure_policy: the typed policy, its errors, and a release naming one; the policy in plain words."""
from __future__ import annotations

import pytest

from build_data.disclosure_policy import DisclosurePolicy, load_policies
from build_data.errors import MetadataInvalid
from build_data.metadata import load_config

GOOD = {"min_respondents": 10, "source": "The Technical Document (to be confirmed).", "protect_answer_counts": True,
        "protect_implied_counts": False, "withheld_cells": "protected"}


def test_policy_loads_typed_and_frozen():
    policy = load_policies("disclosure.yml", {"p": GOOD})["p"]
    assert policy.min_respondents == 10 and policy.threshold == 10 and not policy.protect_implied_counts
    with pytest.raises(Exception):
        policy.min_respondents = 5


@pytest.mark.parametrize("change, key", [({"min_respondents": -1}, "min_respondents"), ({"typo": 1}, "typo"),
                                         ({"withheld_cells": "shown"}, "withheld_cells")])
def test_bad_policy_names_file_key_and_fix(change, key):
    with pytest.raises(MetadataInvalid) as e:
        load_policies("disclosure.yml", {"p": {**GOOD, **change}})
    text = str(e.value)
    assert "disclosure.yml" in text and key in text and "Correct" in text


def test_every_release_names_a_policy_and_keeps_its_threshold():
    config = load_config(".")
    assert {r.policy.id for r in config.releases} >= {"cpes-publisher-10"}
    assert all(r.suppression_threshold == r.policy.min_respondents for r in config.releases)


def test_release_naming_an_unknown_policy_is_refused(tmp_path):
    import shutil
    shutil.copytree("build_data/metadata", tmp_path / "build_data" / "metadata")
    releases = tmp_path / "build_data" / "metadata" / "releases.yml"
    releases.write_text(releases.read_text(encoding="utf-8").replace("disclosure_policy: cpes-publisher-10",
                                                                     "disclosure_policy: nope", 1), encoding="utf-8")
    with pytest.raises(MetadataInvalid, match="names the disclosure policy 'nope', which is not in disclosure.yml"):
        load_config(tmp_path)


def test_plain_words_follow_the_policy():
    lenient = DisclosurePolicy(id="p", **GOOD).plain_words()
    strict = DisclosurePolicy(id="p", **{**GOOD, "protect_implied_counts": True}).plain_words()
    assert "fewer than 10" in lenient and "even when almost everyone gave the same answer" in lenient
    assert "between 1 and 9" in strict and "even when" not in strict
