"""A new survey year in an unchanged layout is data, not code: a raw file, a releases.yml entry, crosswalk rows.

The illustrative 2025 release is the 2024 file with its year changed, two questions renumbered and
one new question. suggest-crosswalk proposes the crosswalk rows, a person fills in the new question's
id, and the build (this checkout's unchanged code) publishes 2025. The test writes only under the
copy's build_data/sources and build_data/metadata.

Run on the tiny project (conftest.tiny_project: the same code, metadata and publisher layout, few places): onboarding
a year does not depend on the data's size. Its publisher numbers differ from the illustrative data's, so the
questions renumbered and copied are found by their ids in the 2024 crosswalk rows.
"""
from __future__ import annotations

import csv
import io

import pandas as pd

from support import CROSSWALK, RELEASES, raise_package_version, read_rows, sha256_of

RENUMBERED = ("main_contact", "confidence_trust")   # given new publisher numbers in 2025
COPIED = "recurrence_info"                           # the new question reuses its numbers
NEW_CODE = "Q70"
NEW_WORDING = "Did your care team offer you an assessment of all your needs, not only medical ones?"
NEW_QUESTION = """
holistic_needs:
  topic: care_planning
  short_label: Offered a holistic needs assessment
  measure: percent_positive
  positive_answers: "Yes"
  explanation: >-
    Whether people were offered an assessment of all their needs (illustrative question added
    to test onboarding a new survey year).
"""


def codes_2024(root) -> dict[str, str]:
    """{question id: its 2024 publisher number} from the copy's crosswalk."""
    cw = pd.read_csv(root / CROSSWALK, dtype=str)
    rows = cw[cw.release_id == "cpes-2024"]
    return dict(zip(rows.question_id, rows.publisher_code))


def renumbering(root) -> dict[str, str]:
    """{2024 number: 2025 number} of the renumbered questions: numbers no 2024 question had."""
    used = max(int(code[1:]) for code in codes_2024(root).values())
    return {codes_2024(root)[qid]: f"Q{used + i}" for i, qid in enumerate(RENUMBERED, start=1)}


def write_2025_file(root) -> str:
    """Write the illustrative 2025 raw file beside the others; return its path under build_data/sources."""
    rows = read_rows(root, "cpes-2024")
    header, body = rows[0], rows[1:]
    copied_code, renumbered = codes_2024(root)[COPIED], renumbering(root)
    assert NEW_CODE not in codes_2024(root).values() and NEW_CODE not in renumbered.values()
    new_rows = [[*row[:1], NEW_CODE, NEW_WORDING, *row[3:]] for row in body if row[1] == copied_code]
    assert new_rows, f"no 2024 rows of {COPIED} ({copied_code})"
    for row in body + new_rows:
        row[0] = "2025"
        row[1] = renumbered.get(row[1], row[1])
    relative = "cpes-2025/cpes-2025-results-illustrative.csv"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *body, *new_rows])
    (root / "build_data/sources" / relative).parent.mkdir(parents=True)
    (root / "build_data/sources" / relative).write_text(out.getvalue(), encoding="utf-8")
    return relative


def add_release(root, relative: str) -> None:
    entry = f"""- id: cpes-2025
  survey: cpes
  survey_year: 2025
  title: National Cancer Patient Experience Survey 2025 (illustrative data)
  publisher: Illustrative data made by a test, in the layout of the NHS England survey
  published: 2026-07-09
  url: ""
  licence: OGL-UK-3.0
  layout: cpes_csv_2023
  encoding: utf-8
  files:
    - path: {relative}
      sha256: {sha256_of(root / "build_data/sources" / relative)}
  disclosure_policy: cpes-publisher-10
  is_illustrative: true
  notes: Made-up numbers for made-up organisations.
"""
    with open(root / RELEASES, "a", encoding="utf-8") as f:
        f.write(entry)


def confirm_suggestions(stdout: str) -> list[list[str]]:
    """What a person does with suggest-crosswalk's output: keep the rows, fill in the new question's id."""
    rows = list(csv.reader(io.StringIO("\n".join(l for l in stdout.splitlines() if l and not l.startswith("#")))))
    return [[r[0], r[1], r[2] or "holistic_needs", r[3], r[4]] for r in rows]


def test_new_release_onboarded_without_code(tiny_project, cli):
    project_copy = tiny_project   # built once: its package, release rows and gate results
    relative = write_2025_file(project_copy)
    add_release(project_copy, relative)
    with open(project_copy / "build_data/metadata/questions.yml", "a", encoding="utf-8") as f:
        f.write(NEW_QUESTION)

    suggested = cli(project_copy, "suggest-crosswalk", "cpes-2025")
    assert suggested.returncode == 0, suggested.stderr
    rows = confirm_suggestions(suggested.stdout)
    mapping = {r[1]: r[2] for r in rows}
    cw = pd.read_csv(project_copy / CROSSWALK, dtype=str)
    expected = dict(zip(cw.loc[cw.release_id == "cpes-2024", "publisher_code"].replace(renumbering(project_copy)),
                        cw.loc[cw.release_id == "cpes-2024", "question_id"]))
    assert len(expected) == len(codes_2024(project_copy)) and set(renumbering(project_copy).values()) <= set(expected)
    assert mapping == {**expected, NEW_CODE: "holistic_needs"}
    with open(project_copy / CROSSWALK, "a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)

    raise_package_version(project_copy, "minor")   # a new release is new data: at least MINOR
    result = cli(project_copy, "build")

    assert result.returncode == 0, result.stderr
    results = pd.read_csv(project_copy / "datapackage/data/experience_results.csv", dtype=str, keep_default_na=False)
    new = results[results.release_id == "cpes-2025"]
    assert set(new.question_id) == set(expected.values()) | {"holistic_needs"}
    old = results[results.release_id == "cpes-2024"]
    assert len(new) == len(old) + (old.question_id == COPIED).sum()
    assert (new.survey_year == "2025").all()
    assert "cpes-2025" in set(pd.read_csv(project_copy / "datapackage/data/releases.csv").release_id)
    holistic, copied = new[new.question_id == "holistic_needs"], new[new.question_id == COPIED]
    assert (holistic.status == "ok").sum() == (copied.status == "ok").sum() > 20, "the copied rows are published alike"
    assert set(holistic.cohort_id) == set(old.cohort_id)
    assert set(holistic.geography_code) == set(old.geography_code)
