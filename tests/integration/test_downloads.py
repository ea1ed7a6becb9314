"""Every download, on a copy of the project built and rendered with hostile place names planted:
`=HYPERLINK("x")` and `<script>alert(1)</script>` as Cancer Alliance names, and an earlier package
version in the archive. Every CSV matches the package schema and is safe to open, the spreadsheet
is accessible and runs no formula, the zip validates, no page runs the script, and every page,
figure, press kit, embed page and stable link is there.

Run on the tiny project (conftest.tiny_build: the same code, metadata, figures and pages, few places; its two
Cancer Alliances get the hostile names): what a download holds does not depend on the data's size. The copy is
the one test_onboarding_layouts.py reads (onboarded.make_onboarded, made once per run): its 2025 release came from
two new publisher layouts, which changes nothing a download must hold, and one render serves both modules."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from build_data.spreadsheet import MAX_SHEET_ROWS
from build_data.zipfiles import deterministic_zip
from onboarded import ARCHIVED, FORMULA, NAME, onboarded_run

REPO = Path(__file__).resolve().parents[2]
FIGURE_RESOURCES = ("experience_results", "audit_indicators")
FIGURE_EXTRAS = ["label"]
FORMULA_STARTS = ("=", "+", "-", "@")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


@pytest.fixture(scope="module")
def project(shared_run, tiny_build, cli) -> Path:
    out = onboarded_run(shared_run, tiny_build, cli)
    assert out["render"]["returncode"] == 0, out["render"]["stderr"]
    return Path(out["root"])


@pytest.fixture(scope="module")
def build(project) -> Path:
    return project / "docs" / "_build"


@pytest.fixture(scope="module")
def descriptor(project) -> dict:
    return json.loads((project / "datapackage" / "datapackage.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def resources(descriptor) -> dict:
    return {r["name"]: r for r in descriptor["resources"]}


@pytest.fixture(scope="module")
def workbook(build):
    return openpyxl.load_workbook(build / "data" / "latest" / f"{NAME}.xlsx")


def read_text_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def every_csv(root: Path) -> list[Path]:
    return sorted(root.rglob("*.csv"))


# ---- safe to open ------------------------------------------------------------------------------

def test_downloads_hostile_names_neutralised_in_every_csv(project, build):
    paths = every_csv(build) + every_csv(project / "datapackage")
    seen = set()
    for path in paths:
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
            for value in row:
                if "HYPERLINK" in value:
                    assert value == "'" + FORMULA, f"{path}: {value!r} is not neutralised"
                    seen.add(path.parent.name if path.parent.name != "data" else path.name)
                assert not value.startswith(FORMULA_STARTS) or NUMBER.match(value), f"{path}: {value!r}"
    assert "geographies.csv" in seen and "figures" in seen, f"the planted name was not published: {seen}"


def test_downloads_xlsx_hostile_name_is_text_and_no_cell_is_a_formula(workbook):
    found = [c for row in workbook["geographies"].iter_rows() for c in row if "HYPERLINK" in str(c.value or "")]
    assert found and all(c.data_type == "s" and c.value == "'" + FORMULA for c in found), found
    for ws in workbook.worksheets:
        formulas = [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]
        assert not formulas, f"{ws.title}: formula cells {formulas[:5]}"


def test_downloads_no_page_runs_a_planted_script(build):
    pages = [p for p in build.rglob("*") if p.suffix in (".md", ".html", ".svg")]
    assert len(pages) > 40
    unsafe = [p.relative_to(build).as_posix() for p in pages if "<script>alert" in p.read_text(encoding="utf-8")]
    assert not unsafe, f"unescaped planted script in {unsafe}"
    shown = [p for p in pages if "&lt;script&gt;alert" in p.read_text(encoding="utf-8")]
    assert shown, "the planted name should be shown, escaped, on the alliance pages"


# ---- every CSV matches the package ---------------------------------------------------------------

def test_downloads_package_csvs_in_build_match_schema_and_bytes(project, build, resources, descriptor):
    for folder in (build / "data", build / "data" / "latest", build / "data" / descriptor["version"]):
        assert (folder / "datapackage.json").read_bytes() == (project / "datapackage" / "datapackage.json").read_bytes()
        for name, res in resources.items():
            path = folder / res["path"]
            table = read_text_csv(path)
            assert list(table.columns) == [f["name"] for f in res["schema"]["fields"]], path
            assert path.read_bytes() == (project / "datapackage" / res["path"]).read_bytes(), path


def test_downloads_figure_csvs_start_with_resource_columns_and_match_package_rows(build, resources, project):
    published = {n: read_text_csv(project / "datapackage" / resources[n]["path"]) for n in FIGURE_RESOURCES}
    paths = sorted((build / "figures").glob("*.csv"))
    assert len(paths) >= 30
    for path in paths:
        table = read_text_csv(path)
        name = next((n for n in FIGURE_RESOURCES
                     if list(table.columns) == list(published[n].columns) + FIGURE_EXTRAS), None)
        assert name, f"{path.name}: columns {list(table.columns)} do not start with a resource's columns"
        key = resources[name]["schema"]["primaryKey"]
        merged = table.merge(published[name], on=key, how="left", suffixes=("", "_package"), indicator=True)
        assert (merged["_merge"] == "both").all(), f"{path.name}: rows not in {name}.csv"
        for column in published[name].columns.difference(key):
            assert (merged[column] == merged[column + "_package"]).all(), f"{path.name}: {column} differs"
        numeric = [f["name"] for f in resources[name]["schema"]["fields"] if f["type"] in ("integer", "number")]
        for column in numeric:
            assert table[column].map(lambda v: v in ("[c]", "[x]", "[z]") or bool(NUMBER.match(v))).all(), path.name


def test_downloads_package_zip_validates_with_frictionless(build, tmp_path):
    with zipfile.ZipFile(build / "data" / "latest" / f"{NAME}.zip") as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path)
    assert {"datapackage.json", "README.txt", "CHANGELOG.md", f"{NAME}.xlsx"} <= names
    assert (tmp_path / "CHANGELOG.md").read_bytes() == (REPO / "CHANGELOG.md").read_bytes()
    frictionless = Path(sys.executable).parent / "frictionless"
    result = subprocess.run([str(frictionless), "validate", str(tmp_path / "datapackage.json")],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


# ---- accessible spreadsheet --------------------------------------------------------------------

def test_downloads_xlsx_sheets_titles_tables_and_cells(workbook, descriptor, project):
    sheets = [r for r in descriptor["resources"] if len(read_text_csv(project / "datapackage" / r["path"])) <= MAX_SHEET_ROWS]
    names = [ws.title for ws in workbook.worksheets]
    assert names == ["Cover", "Contents", "Notes"] + [r["name"][:31] for r in sheets]
    assert len(sheets) >= len(descriptor["resources"]) - 1, "only the long response frequencies may be CSV-only"
    contents = " ".join(str(c.value) for row in workbook["Contents"].iter_rows() for c in row if c.value)
    for res in descriptor["resources"]:
        assert res["title"] in contents, f"{res['name']} is not on the Contents sheet"
    cover = " ".join(str(c.value) for row in workbook["Cover"].iter_rows() for c in row if c.value)
    assert "Illustrative data — not real survey results" in cover
    for ws in workbook.worksheets:
        assert isinstance(ws["A1"].value, str) and ws["A1"].value.strip(), f"{ws.title}: A1 has no title"
        assert not ws.merged_cells.ranges, f"{ws.title} has merged cells"
    for res in sheets:
        ws = workbook[res["name"][:31]]
        fields = res["schema"]["fields"]
        n_rows = len(read_text_csv(project / "datapackage" / res["path"]))
        assert len(ws.tables) == 1, f"{ws.title}: one table per sheet"
        ref = next(iter(ws.tables.values())).ref
        first, last = (ws[cell] for cell in ref.split(":"))
        assert first.column == 1 and last.column == len(fields) == ws.max_column, f"{ws.title}: table {ref} columns"
        assert last.row == first.row + max(n_rows, 1) == ws.max_row, f"{ws.title}: table {ref} rows"
        rows = list(ws.iter_rows(min_row=first.row, max_row=last.row, max_col=last.column))
        assert [c.value for c in rows[0]] == [f["name"] for f in fields]
        body = rows[1:] if n_rows else []
        assert all(any(c.value not in (None, "") for c in row) for row in body), f"{ws.title}: blank row in table"
        for i, field in enumerate(fields):
            cells = [row[i] for row in body]
            if field["type"] in ("integer", "number"):
                bad = [c.coordinate for c in cells if c.value is not None and c.data_type != "n"
                       and c.value not in ("[c]", "[x]", "[z]")]
                assert not bad, f"{ws.title}.{field['name']}: neither a number nor shorthand text: {bad[:5]}"
                shorthand = [c for c in cells if c.value in ("[c]", "[x]", "[z]")]
                assert all(c.data_type == "s" for c in shorthand), f"{ws.title}.{field['name']}: shorthand not text"
            else:
                bad = [c.coordinate for c in cells if c.value is not None and not isinstance(c.value, str)]
                assert not bad, f"{ws.title}.{field['name']}: text written as something else: {bad[:5]}"
            filled = [c for c in cells if c.value not in (None, "")]
            assert filled or not cells, f"{ws.title}.{field['name']}: a blank column inside the table"


# ---- pages, dictionary, stable links, embeds, press kits -----------------------------------------

def test_downloads_every_page_ends_with_cite_this_page(build):
    pages = sorted(build.rglob("*.md"))
    assert len(pages) > 20
    for page in pages:
        text = page.read_text(encoding="utf-8").rstrip()
        tail = text[text.rfind('<div class="page-cite-block"'):]
        assert tail.startswith("<div") and tail.endswith("</details>\n</div>"), f"{page}: no Cite this page at the end"
        for word in ("Publisher:", "version", "Released:", "Permanent link: ", "Licence:", "Attribution:",
                     "@misc{"):
            assert word in tail, f"{page}: the citation lacks {word}"
        link = re.search(r"Permanent link: ([^<\s]+)", tail).group(1)
        # Absolute with the site's address (SITE_URL, as the deployment gives); else relative to the page.
        assert link.startswith(os.environ["SITE_URL"].rstrip("/") + "/") if os.environ.get("SITE_URL") else "://" not in link, link


def test_downloads_data_dictionary_page_per_resource(build, resources):
    index = (build / "data" / "index.md").read_text(encoding="utf-8")
    for name, res in resources.items():
        assert f"]({name}.md)" in index, f"data/index.md does not link the {name} dictionary"
        page = (build / "data" / f"{name}.md").read_text(encoding="utf-8")
        for field in res["schema"]["fields"]:
            section = page.split(f"## `{field['name']}`:")[1].split("\n## ")[0]
            for label in ("- Type: ", "- Unit: ", "- Constraints: ", "- Example: "):
                assert label in section, f"{name}.{field['name']} lacks {label.strip()}"


def test_downloads_stable_links_versions_latest_and_archive(build, descriptor):
    data = build / "data"
    for folder in (descriptor["version"], "latest"):
        for rel in ("datapackage.json", f"{NAME}.zip", f"{NAME}.xlsx", "data/experience_results.csv"):
            assert (data / folder / rel).is_file(), f"data/{folder}/{rel} is missing"
    assert (data / ARCHIVED / f"{NAME}.zip").is_file()
    assert f"({ARCHIVED}/{NAME}.zip)" in (data / "index.md").read_text(encoding="utf-8")


def test_downloads_figure_blocks_embed_pages_and_release_ids(build):
    slugs = sorted(p.name[:-4] for p in (build / "figures").glob("*.csv"))
    for slug in slugs:
        assert re.match(r"^[a-z]+-\d{4}-", slug), f"{slug}: figure files must carry the release id"
        html = (build / "embed" / f"{slug}.html").read_text(encoding="utf-8")
        assert "<title>" in html and "Illustrative data" in html and "Source:" in html
        assert not re.search(r"<(script|iframe)\b", html), f"{slug}: the embed page must run nothing"
        links = re.findall(r"<link\b[^>]*>", html)      # only the site's own favicon, by a relative path
        assert all('rel="icon"' in link and 'href="../' in link for link in links), f"{slug}: {links}"
        assert not re.search(r'(src|srcset|href)="(https?:)?//', html.replace('target="_blank"', "")
                             .split('class="source"')[0]), f"{slug}: external file in the embed page"
    blocks = "".join(p.read_text(encoding="utf-8") for p in build.rglob("*.md"))
    snippets = re.findall(r'&lt;iframe title=&quot;[^&]+.*?src=&quot;(\S+?)&quot;', blocks)
    assert snippets and {s.rsplit("/", 1)[1][:-5] for s in snippets} <= set(slugs)


def test_downloads_press_kits_for_key_findings(build):
    declared = yaml.safe_load((REPO / "build_data/metadata/figures.yml").read_text(encoding="utf-8"))
    wanted = [fid for fid, f in declared.items() if f.get("press_kit")]
    kits = sorted((build / "press").glob("*.zip"))
    assert len(kits) == len(wanted) >= 3
    blocks = "".join(p.read_text(encoding="utf-8") for p in build.rglob("*.md"))
    for kit in kits:
        slug = kit.name[:-4]
        assert f'press/{slug}.zip" download>Press kit (ZIP, ' in blocks
        data = kit.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = {n: archive.read(n) for n in archive.namelist()}
        assert set(members) == {"headline.txt", "description.txt", f"{slug}-16x9.png", f"{slug}-1x1.png",
                                f"{slug}.csv", "citation.txt", "licence.txt"}
        assert deterministic_zip(members) == data, "the press kit zip is not deterministic"
        sizes = {n: struct.unpack(">II", members[n][16:24]) for n in members if n.endswith(".png")}
        assert sizes == {f"{slug}-16x9.png": (1920, 1080), f"{slug}-1x1.png": (1080, 1080)}
        assert members[f"{slug}.csv"] == (build / "figures" / f"{slug}.csv").read_bytes()
        assert "Illustrative data" in members["headline.txt"].decode("utf-8")
        assert "Open Government Licence" in members["licence.txt"].decode("utf-8")
