"""withdrawals: an earlier version that shows what today's version hides is withdrawn, recorded, carried on,
no longer served, and replaced at its stable link by a notice."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

from build_data.changes_page import withdrawals_section
from build_data.stable_links import archived_versions, publish_links
from build_data.withdrawals import withdraw_failing

NAME = "pkg"
HEAD = "release_id,question_id,geography_code,cohort_id,n_respondents,value\n"


def package(folder: Path, version: str, rows: str, withdrawals=None) -> Path:
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "data" / "experience_results.csv").write_text(HEAD + rows, encoding="utf-8")
    descriptor = {"name": NAME, "version": version, "created": "2026-12-02T00:00:00Z", "resources": []}
    if withdrawals:
        descriptor["withdrawals"] = withdrawals
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder


def zipped(folder: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w") as z:
        for path in folder.rglob("*"):
            if path.is_file():
                z.write(path, path.relative_to(folder).as_posix())


def test_a_version_showing_what_the_new_policy_hides_is_withdrawn(tmp_path):
    """0.1.0 showed T1's 12 respondents and score; a stricter policy now hides them: 0.1.0 must go, 0.2.0,
    which shows only what the new version shows, stays."""
    published = package(tmp_path / "published", "0.2.0", "r,q,E,all,40,50.0\nr,q,T1,all,[c],[c]\n")
    zipped(package(tmp_path / "old", "0.1.0", "r,q,E,all,40,50.0\nr,q,T1,all,12,50.0\n"),
           published / "archive" / "0.1.0" / f"{NAME}.zip")
    zipped(published, published / f"{NAME}.zip")
    staged = package(tmp_path / "staged", "0.3.0", "r,q,E,all,40,50.0\nr,q,T1,all,[c],[c]\n")
    records = withdraw_failing(published, staged, NAME)
    assert [r["version"] for r in records] == ["0.1.0"]
    assert records[0]["replaced_by"] == "0.3.0" and records[0]["withdrawn"] == "2026-12-02"
    reason = records[0]["reason"]
    assert reason.startswith("It shows 2 numbers") and "r q T1 all n_respondents" in reason
    assert "12" not in reason, "a withdrawal notice must not repeat a number the new version hides"
    assert json.loads((staged / "datapackage.json").read_text())["withdrawals"] == records


def test_withdrawals_are_carried_on_and_not_checked_again(tmp_path):
    earlier = [{"version": "0.0.9", "withdrawn": "2026-01-01", "replaced_by": "0.1.0", "reason": "r"}]
    published = package(tmp_path / "published", "0.2.0", "r,q,E,all,40,50.0\n", earlier)
    staged = package(tmp_path / "staged", "0.2.1", "r,q,E,all,40,50.0\n")
    assert withdraw_failing(published, staged, NAME) == earlier


def test_a_withdrawn_version_is_not_served_and_its_link_explains(tmp_path):
    record = {"version": "0.1.0", "withdrawn": "2026-12-02", "replaced_by": "0.3.0",
              "reason": "It shows 5 numbers that version 0.3.0 keeps hidden."}
    pkg = package(tmp_path / "pkg", "0.3.0", "r,q,E,all,40,50.0\n", [record])
    for old in ("0.1.0", "0.2.0"):
        zipped(pkg, pkg / "archive" / old / f"{NAME}.zip")
    descriptor = json.loads((pkg / "datapackage.json").read_text())
    assert archived_versions(pkg, NAME, "0.3.0") == ("0.2.0",)
    links = publish_links(pkg, tmp_path / "site" / "data", descriptor, NAME)
    assert links.archived == ("0.2.0",) and links.withdrawn == ("0.1.0",)
    served = tmp_path / "site" / "data" / "0.1.0"
    assert not (served / f"{NAME}.zip").exists()
    notice = (served / "index.html").read_text(encoding="utf-8")
    assert "withdrew version 0.1.0 on 2026-12-02" in notice and "version 0.3.0" in notice and "keeps hidden" in notice
    page = "\n".join(withdrawals_section(descriptor))
    assert "## Withdrawn versions" in page and "| 0.1.0 | 2026-12-02 |" in page


def test_a_corrected_value_does_not_withdraw_a_version(tmp_path):
    published = package(tmp_path / "published", "0.2.0", "r,q,E,all,40,50.0\n")
    zipped(published, published / f"{NAME}.zip")
    staged = package(tmp_path / "staged", "0.2.1", "r,q,E,all,40,49.0\n")
    assert withdraw_failing(published, staged, NAME) == []
