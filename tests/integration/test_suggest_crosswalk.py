"""`suggest-crosswalk`: proposes crosswalk rows for unmapped publisher codes from earlier wording; writes nothing."""
from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from build_data.crosswalk import format_suggestions, suggest_crosswalk
from build_data.errors import ReleaseUnknown
from build_data.metadata import load_config
from support import CROSSWALK, edit_rows, tree_digest


def drop_crosswalk_rows(root, release_id: str) -> pd.DataFrame:
    """Remove a release's rows from the copy's crosswalk.csv; return the removed rows."""
    path = root / CROSSWALK
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table[table["release_id"] != release_id].to_csv(path, index=False, lineterminator="\n")
    return table[table["release_id"] == release_id].reset_index(drop=True)


def proposed_rows(text: str) -> list[list[str]]:
    """CLI output in, the CSV rows (comment lines left out) out."""
    return list(csv.reader(io.StringIO("".join(line + "\n" for line in text.splitlines()
                                               if line and not line.startswith("#")))))


def test_suggest_crosswalk_recovers_removed_rows(project_copy):
    removed = drop_crosswalk_rows(project_copy, "cpes-2024")
    suggestions = suggest_crosswalk(load_config(project_copy), "cpes-2024")
    got = pd.DataFrame([[s.release_id, s.publisher_code, s.question_id, s.wording, s.comparability]
                        for s in suggestions], columns=list(removed.columns))
    key = ["publisher_code"]
    assert got.sort_values(key).reset_index(drop=True).equals(removed.sort_values(key).reset_index(drop=True))
    assert all(s.confidence == 1.0 for s in suggestions)


def test_suggest_crosswalk_flags_changed_and_new_wording(project_copy):
    drop_crosswalk_rows(project_copy, "cpes-2024")

    def edit(rows):
        for row in rows[1:]:
            if row[1] == "Q50":     # gp_support: a small rewording
                row[2] = "Did you get the right amount of support from your GP surgery during your treatment?"
            if row[1] == "Q57":     # recurrence_info replaced by an unrelated question
                row[2] = "Were you offered a free parking permit for hospital visits?"
    edit_rows(project_copy, "cpes-2024", edit)

    by_code = {s.publisher_code: s for s in suggest_crosswalk(load_config(project_copy), "cpes-2024")}

    assert by_code["Q50"].question_id == "gp_support" and by_code["Q50"].comparability == "wording_changed"
    assert 0.6 <= by_code["Q50"].confidence < 1
    assert by_code["Q57"].question_id == "" and by_code["Q57"].comparability == "new"
    text = format_suggestions(list(by_code.values()), "cpes-2024")
    assert "add a new question to questions.yml" in text


def test_suggest_crosswalk_cli_prints_rows_and_writes_nothing(project_copy, cli):
    removed = drop_crosswalk_rows(project_copy, "cpes-2024")
    before = tree_digest(project_copy)

    result = cli(project_copy, "suggest-crosswalk", "cpes-2024")

    assert result.returncode == 0, result.stderr
    assert tree_digest(project_copy) == before
    assert result.stdout.count("# confidence 1.00") == len(removed)
    assert sorted(proposed_rows(result.stdout)) == sorted(removed.values.tolist())


def test_suggest_crosswalk_cli_nothing_to_propose(project_copy, cli):
    result = cli(project_copy, "suggest-crosswalk", "cpes-2023")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Every publisher code in cpes-2023 already has a row")


def test_suggest_crosswalk_unknown_release(project_copy, cli):
    with pytest.raises(ReleaseUnknown, match="cpes-2099"):
        suggest_crosswalk(load_config(project_copy), "cpes-2099")
    result = cli(project_copy, "suggest-crosswalk", "cpes-2099")
    assert result.returncode == 2
    assert "ReleaseUnknown: " in result.stderr and "releases.yml" in result.stderr
    assert "Traceback" not in result.stderr
