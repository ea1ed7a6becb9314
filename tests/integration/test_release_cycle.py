"""The yearly release, as a maintainer runs it, in a project copy: new-release, confirm, build (refused
until the version is raised), diff, render; the new release is on the What changed page, in the
package version, and the version it replaces stays downloadable. Then an erratum: a correction and a
PATCH version mark the value [r] and put "Corrected on" on the question's figures. The site is rendered once, after
the erratum (both versions' changes are checked: the new release's in the What changed section render makes from
the package and its archive, the erratum's on the rendered page).

Run on the tiny project (conftest.tiny_project: the same code, metadata and publisher layout, few places): the
release cycle's mechanics do not depend on the data's size, and its builds and renders are then quick."""
from __future__ import annotations

import csv
import io
import json
import re

import pandas as pd
import yaml

from build_data.changes_page import diff_section, previous_diff
from support import CROSSWALK, RELEASES, raise_package_version, read_rows, tree_digest

SITE = "build_data/metadata/site.yml"
COHORTS = "build_data/metadata/cohorts.yml"


def publisher_file(root, folder):
    """The 2024 scores file with its year changed, written outside the project as a publisher's download."""
    rows = read_rows(root, "cpes-2024")
    for row in rows[1:]:
        row[0] = "2025"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path = folder / "cpes-2025-results.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_release_cycle_new_release_build_diff_and_what_changed(tiny_project, cli, tmp_path):
    project_copy = tiny_project   # built once: its package, release rows and gate results
    name = yaml.safe_load((project_copy / SITE).read_text(encoding="utf-8"))["package"]["name"]
    old_version = json.loads((project_copy / "datapackage/datapackage.json").read_text(encoding="utf-8"))["version"]
    download = publisher_file(project_copy, tmp_path)

    added = cli(project_copy, "new-release", "cpes-2025", str(download))
    assert added.returncode == 0, added.stderr
    assert (project_copy / "build_data/sources/cpes-2025/cpes-2025-results.csv").is_file()
    releases = project_copy / RELEASES
    text = releases.read_text(encoding="utf-8")
    assert text.count("is_illustrative: false   # CONFIRM") == 1, "new-release asks to confirm is_illustrative"
    for unconfirmed, confirmed in (("is_illustrative: false   # CONFIRM", "is_illustrative: true"),
                                   ("title: CONFIRM title of the release", "title: CPES 2025 (illustrative data)"),
                                   ("publisher: CONFIRM publisher", "publisher: Illustrative data made by this project")):
        text = text.replace(unconfirmed, confirmed)
    releases.write_text(text, encoding="utf-8")
    suggestions = [r for r in csv.reader(io.StringIO(added.stdout)) if len(r) == 5 and r[0] == "cpes-2025"]
    assert suggestions and all(r[2] for r in suggestions), added.stdout
    with open(project_copy / CROSSWALK, "a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(suggestions)

    before = tree_digest(project_copy / "datapackage")
    refused = cli(project_copy, "build")
    assert refused.returncode == 2 and "MINOR" in refused.stderr, refused.stderr
    assert tree_digest(project_copy / "datapackage") == before

    new_version = raise_package_version(project_copy, "minor")
    built = cli(project_copy, "build")
    assert built.returncode == 0, built.stderr
    package = json.loads((project_copy / "datapackage/datapackage.json").read_text(encoding="utf-8"))
    assert package["version"] == new_version
    archived = project_copy / "datapackage/archive" / old_version / f"{name}.zip"
    assert archived.is_file()

    diff = cli(project_copy, "diff", str(archived), str(project_copy / "datapackage"))
    assert diff.returncode == 0, diff.stderr
    assert f"{old_version} → {new_version}" in diff.stdout
    assert re.search(r"experience_results: [1-9][\d,]* rows new", diff.stdout), diff.stdout

    # What changed for this version: the section render writes on the What changed page, made by the code it
    # runs (the whole render runs once, after the erratum below: a render here would redraw the same charts).
    page = "\n".join(diff_section(previous_diff(project_copy, name)))
    assert f"Compared with version {old_version}" in page
    assert re.search(r"`experience_results`: [1-9][\d,]* rows added", page), page

    # A publisher's erratum for the new release: a correction, a PATCH version, [r] and "Corrected on".
    rows = read_rows(project_copy, "cpes-2025")
    everyone = yaml.safe_load((project_copy / COHORTS).read_text(encoding="utf-8"))["all_cancers"]["publisher_labels"]
    assert rows[1][3] == "E92000001" and rows[1][6] in everyone, rows[1]     # England, all cancers
    question = {r[1]: r[2] for r in suggestions}[rows[1][1]]
    other_question = "contact_ease" if question == "main_contact" else "main_contact"
    was = rows[1][8]
    corrected = f"{float(was) - 1:.1f}"
    with open(project_copy / "build_data/metadata/corrections.yml", "a", encoding="utf-8") as f:
        f.write(f"""- release_id: cpes-2025
  file: cpes-2025/cpes-2025-results.csv
  row: 2
  column: "Percentage Positive (%)"
  was: "{was}"
  value: "{corrected}"
  reason: The publisher's erratum (made up by a test).
  date: 2026-11-20
  question_id: {question}
  status: reported
""")
    patched = raise_package_version(project_copy, "patch")
    assert cli(project_copy, "build").returncode == 0
    results = pd.read_csv(project_copy / "datapackage/data/experience_results.csv", dtype=str, keep_default_na=False)
    row = results[(results.release_id == "cpes-2025") & (results.geography_code == "E92000001")
                  & (results.cohort_id == "all_cancers") & (results.question_id == question)]
    assert row[["value", "is_revised"]].values.tolist() == [[corrected, "true"]]
    assert (results.is_revised == "true").sum() == 1, "only the corrected value is revised"
    rendered = cli(project_copy, "render", timeout=600)
    assert rendered.returncode == 0, rendered.stderr
    page = (project_copy / "docs/_build/what-changed.md").read_text(encoding="utf-8")
    assert f"version {patched}" in page and "made up by a test" in page and "1 number changed" in page
    assert f"Compared with version {new_version}" in page
    assert "cpes-2025" in (project_copy / "docs/_build/data/experience_results.md").read_text(encoding="utf-8") \
        or "cpes-2025" in (project_copy / "docs/_build/data/latest/data/experience_results.csv").read_text(encoding="utf-8")
    for version in (old_version, new_version):    # the versions it replaces stay downloadable
        assert (project_copy / f"docs/_build/data/{version}/{name}.zip").is_file()
    page = (project_copy / f"docs/_build/questions/{question}.md").read_text(encoding="utf-8")
    assert "Corrected on 2026-11-20:" in page and f"{corrected}% [r]" in page
    other = (project_copy / f"docs/_build/questions/{other_question}.md").read_text(encoding="utf-8")
    assert "Corrected on" not in other
