"""Two publisher files in layouts this project has never seen, onboarded with metadata edits only (the files and
the steps: onboarded.py, whose project test_downloads.py reads too): new-release is refused, showing the
headings, until layouts.yml describes them; then it recognises both layouts and the encoding, the build publishes
both files, and the built site shows the invented numbers beside the right year.

Run on the tiny project (conftest.tiny_build: the same code, metadata, figures and pages, few places): onboarding
a layout does not depend on the data's size.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from onboarded import ALLIANCE_FIRST, QUESTIONS, RELEASE_ID, YEAR, crosswalk_rows, onboarded_run, open_alliances, \
    page_text


@pytest.fixture(scope="module")
def onboarded(shared_run, tiny_build, cli):
    """The onboarded copy of the tiny project (onboarded.make_onboarded, made once per run); (root, outputs of
    each command)."""
    out = onboarded_run(shared_run, tiny_build, cli)
    for command in ("refused", "added", "build", "render", "site"):
        out[command] = subprocess.CompletedProcess(**out[command])
    return Path(out["root"]), out


def test_onboarding_new_release_shows_headings_until_layouts_describe_the_files(onboarded):
    _, out = onboarded
    refused = out["refused"]
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "LayoutNotRecognised" in refused.stderr and "cpes-2025-national-results.xlsx" in refused.stderr
    assert "'Tumour group', 'Has the cancer spread?'" in refused.stderr
    assert out["after_refusal"] == out["before"], "a refused new-release changed files"


def test_onboarding_new_release_recognises_both_layouts_and_the_encoding(onboarded):
    _, out = onboarded
    entry = out["entry"]
    assert entry["layout"] == "illustrative_national_xlsx" and entry["survey_year"] == YEAR
    second = entry["files"][1]
    assert second["layout"] == "illustrative_alliances_wide_csv" and second["encoding"] == "cp1252"
    proposed = {r[1]: r[2] for r in crosswalk_rows(out["added"].stdout)}
    assert proposed == {code: qid for code, (qid, _) in QUESTIONS.items()}, "free-text Q80 is left out"


def test_onboarding_build_publishes_both_files(onboarded):
    root, out = onboarded
    results = pd.read_csv(root / "datapackage/data/experience_results.csv", dtype=str, keep_default_na=False)
    new = results[results.release_id == RELEASE_ID].set_index(["geography_code", "cohort_id", "question_id"])
    assert (new.survey_year == str(YEAR)).all()
    assert new.loc[("E92000001", "breast_secondary", "main_contact"), "value"] == "87.4"
    assert new.loc[("E92000001", "breast_secondary", "main_contact"), "n_respondents"] == str(2741 - 20)
    assert new.loc[("E92000001", "all_cancers", "main_contact"), "n_respondents"] == str(61234 - 20)
    assert new.loc[("E92000001", "breast_primary", "gp_support"), "status"] == "not_available"   # "*"
    first = open_alliances(root)[0]
    assert new.loc[(first, "breast_secondary", "recurrence_info"), "value"] == "58.3"
    assert new.loc[(first, "all_cancers", "main_contact"), "n_respondents"] == "2950"
    by_alliance = new.loc[new.index.get_level_values(0) != "E92000001"]
    assert len(by_alliance) == len(open_alliances(root)) * len(ALLIANCE_FIRST) * 2
    assert set(new.index.get_level_values(1)) == {"all_cancers", "breast", "breast_primary", "breast_secondary"}
    assert json_version(root) == out["version"]


def json_version(root: Path) -> str:
    import json
    return json.loads((root / "datapackage/datapackage.json").read_text(encoding="utf-8"))["version"]


def test_onboarding_site_shows_the_national_numbers_with_their_year(onboarded):
    root, _ = onboarded
    text = page_text(root, "findings/main-contact")
    assert f"In {YEAR}, 87% (95% confidence interval" in text, "national main_contact for secondary breast cancer"
    assert "2,721 people answered" in text          # 2,741 - 20, from a cell written "2,721"
    assert "61,214 people answered" in text         # 61,234 - 20, from a cell written "61,214"
    assert "87.4%" in text


def alliance_name(root: Path, code: str) -> str:
    """A place's name as published (the package's geographies; a name that could run as a spreadsheet formula is
    published, and shown, with an apostrophe before it)."""
    geo = pd.read_csv(root / "datapackage/data/geographies.csv", dtype=str, keep_default_na=False)
    return geo.set_index("geography_code").at[code, "geography_name"]


def test_onboarding_site_shows_the_alliance_numbers_with_their_year(onboarded):
    root, _ = onboarded
    text = page_text(root, "your-area")
    first = re.escape(alliance_name(root, open_alliances(root)[0]))
    for short_label, (secondary, _) in (("Had a main contact person", ALLIANCE_FIRST["Q20"]),
                                        ("Definitely given enough information on the signs", ALLIANCE_FIRST["Q57"])):
        table = rf"{short_label}[^.]*?by Cancer Alliance, {YEAR} .*?Show the data as a table .*? {first} " \
                rf"{secondary}% [0-9.]+% to [0-9.]+% 100 "
        assert re.search(table, text), f"{short_label}: the first alliance's {secondary}% beside {YEAR} on Your area"
