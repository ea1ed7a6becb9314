"""The tiny project's 2025 release onboarded from two publisher files in layouts it has never seen, with hostile
Cancer Alliance names planted and an earlier package version archived: built, rendered and the site made once per
test run (conftest.shared_run), for the two modules that read it.

test_onboarding_layouts.py: (a) a national results workbook: notes above the header, the group of respondents
split over two columns (tumour group x "has the cancer spread?"), proportions 0-1, thousands separators, `*` for
suppressed, trailing spaces, a footer line and a new free-text question to leave out; (b) a wide CSV by Cancer
Alliance in cp1252: one column pair (respondents, % positive) per group, a title line above the header, a blank
row then notes below the table. Both are a NEW survey year (2025), made up here (illustrative, no real
organisation), taken through the command line as a maintainer would: new-release (refused, showing the headings,
until layouts.yml describes them), layouts.yml entries, confirming releases.yml, crosswalk rows from
new-release's proposal, a MINOR version, then build, render and site. Only build_data/metadata and
build_data/sources change.

test_downloads.py: every download of that render, with `=HYPERLINK("x")` and `<script>alert(1)</script>` as the
two Cancer Alliances' names and version ARCHIVED in the archive.

One project for both: a render of the tiny project is its slowest step, and neither module's subject (a new
layout; what a download holds) changes what the other's checks find.
"""
from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import yaml

from build_data.zipfiles import deterministic_zip

from support import CROSSWALK, RELEASES, raise_package_version, tree_digest

REPO = Path(__file__).resolve().parents[2]
LAYOUTS = Path("build_data/metadata/layouts.yml")
RELEASE_ID, YEAR = "cpes-2025", 2025
FREE_TEXT = "Q80"

NATIONAL_LAYOUT = """
illustrative_national_xlsx:   # added by test_onboarding_layouts: a national workbook, group over two columns
  survey: cpes
  reader: cpes_scores
  format: xlsx
  sheet: National results
  header_row: auto
  footer_starts_with: ["Source:"]
  columns:
    Question number: publisher_code
    Question: question_text
    Number of respondents: n_respondents
    Proportion positive: score
  cohort_from:
    columns: [Tumour group, "Has the cancer spread?"]
    map:
      "All cancers|": All cancers
      "Breast|All": Breast
      "Breast|No": Breast - primary only
      "Breast|Yes": Breast - secondary (spread)
      "Breast|Not known": null
  constants: {level: National, geography_code: E92000001, geography_name: England}
  levels: {National: country}
  percent_scale: proportion
  suppressed_symbols: ["*"]
  exclude_codes: [Q80]
"""
ALLIANCE_LAYOUT = """
illustrative_alliances_wide_csv:   # added by test_onboarding_layouts: one column pair per group, by Cancer Alliance
  survey: cpes
  reader: cpes_scores
  format: csv
  header_row: auto
  stop_at_blank_row: true
  columns:
    Cancer Alliance code: geography_code
    Cancer Alliance: geography_name
    Question ref: publisher_code
    Question wording: question_text
  wide:
    heading: "{cohort_label}: {value}"
    values: {respondents: n_respondents, "% positive": score}
  constants: {level: Cancer Alliance}
  levels: {Cancer Alliance: cancer_alliance}
  percent_scale: percent
  suppressed_symbols: ["[c]"]
  not_applicable_symbols: ["[z]"]
"""

# 2025's question numbers and wording (the wording as earlier years asked it, so new-release matches it)
QUESTIONS = {
    "Q20": ("main_contact", "Did you have a main contact person within the care team who would support you "
                            "through your treatment?"),
    "Q22": ("contact_ease", "How easy or difficult was it to contact your main contact person?"),
    "Q50": ("gp_support", "Did you get the right amount of support from your GP practice during your treatment?"),
    "Q57": ("recurrence_info", "Were you given enough information about the possibility and signs of cancer "
                               "coming back or spreading?"),
    "Q62": ("confidence_trust", "Did you have confidence and trust in all of the team looking after you?"),
}
# (tumour group, spread?) -> respondents; secondary + primary + not known = breast
GROUPS = {("All cancers", ""): 61234, ("Breast", "All"): 11302, ("Breast", "No"): 8507, ("Breast", "Yes"): 2741,
          ("Breast", "Not known"): 54}
# question -> proportion positive per group (All cancers, Breast, primary, secondary, not known)
PROPORTIONS = {"Q20": (0.918, 0.921, 0.925, 0.874, 0.8), "Q22": (0.812, 0.829, 0.833, 0.781, 0.7),
               "Q50": (0.604, 0.611, None, 0.583, 0.5), "Q57": (0.652, 0.668, 0.673, 0.617, 0.6),
               "Q62": (0.853, 0.862, 0.866, 0.829, 0.8)}
# Cancer Alliance file: question -> (secondary % positive, all cancers % positive) for the first alliance;
# the alliances' respondents add up to less than England's, as they must
ALLIANCE_FIRST = {"Q20": (83.7, 90.2), "Q57": (58.3, 64.1)}


def write_national_workbook(folder: Path) -> Path:
    """File (a): a national results workbook in a layout unlike any in the repository."""
    book = openpyxl.Workbook()
    book.active.title = "Contents"
    book.active.append(["Illustrative data made by a test: not a real publication"])
    sheet = book.create_sheet("National results ")          # a trailing space in the sheet name too
    sheet.append(["Cancer Patient Experience Survey 2025: national results (illustrative data made by a test)"])
    sheet.append(["Proportions are between 0 and 1. * means suppressed."])
    sheet.append([])
    sheet.append(["Question number", "Question ", "Tumour group", "Has the cancer spread?",
                  "Number of respondents ", "Proportion positive"])
    for code, (_, wording) in QUESTIONS.items():
        for (group, spread), n in GROUPS.items():
            value = PROPORTIONS[code][list(GROUPS).index((group, spread))]
            count = n - int(code[1:]) if value is not None else "*"
            sheet.append([f"{code} ", wording, f"{group} ", f"{spread} ",
                          f"{count:,}" if count != "*" else "*", value if value is not None else "*"])
    sheet.append([f"{FREE_TEXT} ", "Is there anything else you would like to tell us about your care?", "All cancers",
                  "", "40,112", None])
    sheet.append(["Source: illustrative data made by a test."])
    sheet.append(["Notes: figures are invented; no real organisation is named."])
    path = folder / "cpes-2025-national-results.xlsx"
    book.save(path)
    return path


def open_alliances(root: Path) -> list[str]:
    geo = pd.read_csv(root / "build_data/metadata/geographies.csv", dtype=str, keep_default_na=False)
    open_in_2025 = (geo.valid_from.astype(int) <= YEAR) & ((geo.valid_to == "") | (geo.valid_to.replace("", "0")
                                                                                    .astype(int) >= YEAR))
    return sorted(geo[(geo.geography_type == "cancer_alliance") & open_in_2025].geography_code)


def write_alliance_csv(root: Path, folder: Path) -> Path:
    """File (b): a wide CSV by Cancer Alliance, one column pair per group, in cp1252."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Cancer Patient Experience Survey 2025 – results by Cancer Alliance (illustrative data)"])
    writer.writerow([])
    writer.writerow(["Cancer Alliance code", "Cancer Alliance", "Question ref", "Question wording",
                     "Breast (secondary): respondents", "Breast (secondary): % positive",
                     "All cancers: respondents", "All cancers: % positive"])
    for i, code in enumerate(open_alliances(root)):
        for q, (secondary, everyone) in ALLIANCE_FIRST.items():
            writer.writerow([code, f"Alliance {i + 1} – illustrative", q, QUESTIONS[q][1], str(100 + i),
                             f"{secondary - i * 0.4:.1f}", f"{2950 + 10 * i:,}", f"{everyone - i * 0.2:.1f}"])
    writer.writerow([])
    writer.writerow(["[c] suppressed; [z] not applicable. Illustrative data made by a test."])
    path = folder / "cpes-2025-alliances-wide.csv"
    path.write_bytes(out.getvalue().encode("cp1252"))
    return path


def confirm_entry(root: Path, values: dict[str, str]) -> None:
    """What a maintainer does after new-release: replace every CONFIRM value in the new entry."""
    path = root / RELEASES
    text = path.read_text(encoding="utf-8")
    start = text.index(f"- id: {RELEASE_ID}")
    entry = text[start:]
    lines = []
    for line in entry.splitlines():
        key = re.match(r"^(- |\s+)(\w+):", line)
        if key and key.group(2) in values:
            line = f"{key.group(1)}{key.group(2)}: {values[key.group(2)]}"
        lines.append(re.sub(r"\s+# (added by new-release: )?CONFIRM.*$", "", line))
    entry = "\n".join(lines) + "\n"
    assert "CONFIRM" not in entry, entry
    path.write_text(text[:start] + entry, encoding="utf-8")


def crosswalk_rows(stdout: str) -> list[list[str]]:
    """new-release's proposed crosswalk rows (comment lines left out)."""
    return [r for r in csv.reader(io.StringIO(stdout)) if len(r) == 5 and r[0] == RELEASE_ID]


def page_text(root: Path, page: str) -> str:
    """A built page's words: tags left out, entities read (an escaped planted name reads as the name)."""
    text = (root / "site" / page / "index.html").read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


# ---- hostile names and an archived version (test_downloads.py) ----------------------------------------------

NAME = yaml.safe_load((REPO / "build_data/metadata/site.yml").read_text(encoding="utf-8"))["package"]["name"]
FORMULA = '=HYPERLINK("x")'
SCRIPT = "<script>alert(1)</script>"
ARCHIVED = "0.0.1"


def plant_names(root: Path) -> None:
    """Give the first two Cancer Alliances hostile names in the copy's geographies.csv."""
    path = root / "build_data/metadata/geographies.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    alliances = [r for r in rows[1:] if r[rows[0].index("geography_type")] == "cancer_alliance"]
    name = rows[0].index("geography_name")
    alliances[0][name], alliances[1][name] = FORMULA, SCRIPT
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def ran(result) -> dict:
    """A command's result as JSON (what shared_run hands every worker)."""
    return {"args": result.args, "returncode": result.returncode, "stdout": result.stdout, "stderr": result.stderr}


def make_onboarded(folder: Path, tiny: Path, cli) -> dict:
    """A copy of the built tiny project in folder: hostile names planted, both 2025 files onboarded, an earlier
    version archived, then build, render and site; its root and the output of each command (JSON)."""
    root = Path(shutil.copytree(tiny, folder / "project"))
    plant_names(root)
    downloads = folder / "downloads"
    downloads.mkdir()
    national, alliances = write_national_workbook(downloads), write_alliance_csv(root, downloads)
    code_before = tree_digest(REPO / "build_data")
    out = {"root": str(root), "before": tree_digest(root / "build_data")}
    out["refused"] = ran(cli(root, "new-release", RELEASE_ID, str(national), str(alliances)))
    out["after_refusal"] = tree_digest(root / "build_data")

    with open(root / LAYOUTS, "a", encoding="utf-8") as f:
        f.write(NATIONAL_LAYOUT + ALLIANCE_LAYOUT)
    out["added"] = ran(cli(root, "new-release", RELEASE_ID, str(national), str(alliances)))
    assert out["added"]["returncode"] == 0, out["added"]["stderr"]
    entry = yaml.safe_load((root / RELEASES).read_text(encoding="utf-8"))[-1]
    out["entry"] = json.loads(json.dumps(entry, default=str))
    confirm_entry(root, {"title": "Cancer Patient Experience Survey 2025 (illustrative data made by a test)",
                         "publisher": "Illustrative data made by a test, in two publisher layouts new to this project",
                         "published": "2026-07-09", "url": '""', "licence": "OGL-UK-3.0",
                         "suppression_threshold": "10", "is_illustrative": "true"})
    with open(root / CROSSWALK, "a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(crosswalk_rows(out["added"]["stdout"]))
    out["version"] = raise_package_version(root, "minor")   # a new release; the renamed places are revised values
    for command, timeout in (("build", 600), ("render", 900), ("site", 600)):
        out[command] = ran(cli(root, command, timeout=timeout))
        assert out[command]["returncode"] == 0, out[command]["stderr"]
        if command == "build":    # an earlier version, as a project that has published before has
            archive = root / "datapackage" / "archive" / ARCHIVED
            archive.mkdir(parents=True)
            (archive / f"{NAME}.zip").write_bytes(deterministic_zip({"README.txt": b"an earlier version\n"}))
    assert tree_digest(REPO / "build_data") == code_before
    return out


def onboarded_run(shared_run, tiny_build, cli) -> dict:
    """make_onboarded's result, made once per run whichever module (and worker) asks first: the fixture body
    test_downloads.py and test_onboarding_layouts.py share."""
    built, first = tiny_build
    assert first.returncode == 0, first.stderr
    return shared_run("onboarded", lambda folder: make_onboarded(folder, built, cli))
