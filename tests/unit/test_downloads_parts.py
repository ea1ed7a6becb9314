"""Downloads, citations and stable links, unit by unit: figure CSVs, CITATION.cff, press-kit canvases,
spreadsheet cells, the package at stable links, and data pages that show text as text."""
from __future__ import annotations

import dataclasses
import io
import json
import struct
import zipfile
from pathlib import Path

import altair as alt
import pandas as pd
import pytest
import yaml

from build_data import data_pages, pages
from build_data.citation import bibtex_citation, citation_parts, citation_text, plain_citation
from build_data.downloads import changelog_bytes, write_downloads
from build_data.figure_files import figure_csv
from build_data.press_kit import SHAPES, press_spec
from build_data.render import page_path
from build_data.spreadsheet import cell_value
from build_data.stable_links import publish_links
from build_data.zipfiles import deterministic_zip

REPO = Path(__file__).resolve().parents[2]
SITE = yaml.safe_load((REPO / "build_data" / "metadata" / "site.yml").read_text(encoding="utf-8"))
PUBLISHED_COLUMNS = ["release_id", "survey_year", "geography_code", "cohort_id", "question_id", "measure",
                     "n_respondents", "value", "ci_lower", "ci_upper", "ci_method", "status", "is_illustrative"]
KEY = ["release_id", "geography_code", "cohort_id", "question_id"]


@dataclasses.dataclass
class StubFigure:
    id: str
    data: pd.DataFrame
    resource: str = "experience_results"


def published_text() -> pd.DataFrame:
    rows = [["cpes-2024", "2024", "ZCA01", "breast_secondary", "main_contact", "percent_positive", "[c]", "[c]",
             "[c]", "[c]", "wilson", "suppressed", "true"],
            ["cpes-2024", "2024", "ZCA02", "breast_secondary", "main_contact", "percent_positive", "120", "80.0",
             "72.0", "86.1", "wilson", "ok", "true"]]
    return pd.DataFrame(rows, columns=PUBLISHED_COLUMNS)


def test_figure_csv_keeps_resource_columns_order_and_shorthand_then_label():
    plotted = pd.DataFrame({"release_id": ["cpes-2024"] * 2, "geography_code": ["ZCA02", "ZCA01"],
                            "cohort_id": ["breast_secondary"] * 2, "question_id": ["main_contact"] * 2,
                            "value": [80.0, None], "label": ["=HYPERLINK(\"x\")", "Zed Alliance"]})
    text = figure_csv(StubFigure("f", plotted), published_text(), KEY).decode("utf-8")
    table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert list(table.columns) == PUBLISHED_COLUMNS + ["label"]
    assert list(table["geography_code"]) == ["ZCA02", "ZCA01"], "rows must stay in plotted order"
    assert table.loc[1, "n_respondents"] == "[c]" and table.loc[1, "value"] == "[c]"
    assert table.loc[0, "value"] == "80.0" and table.loc[0, "n_respondents"] == "120"
    assert table.loc[0, "label"] == "'=HYPERLINK(\"x\")"
    assert text.endswith("\n") and "\r" not in text


def test_figure_csv_refuses_rows_the_package_lacks():
    plotted = pd.DataFrame({"release_id": ["cpes-2024"], "geography_code": ["NOPE"], "cohort_id": ["breast"],
                            "question_id": ["main_contact"], "label": ["x"]})
    with pytest.raises(Exception, match="does not have"):
        figure_csv(StubFigure("f", plotted), published_text(), KEY)


def test_citation_cff_is_valid_and_matches_site_yml():
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    for key in ("cff-version", "message", "title", "authors"):
        assert cff.get(key), f"CITATION.cff lacks {key}"
    assert cff["cff-version"] == "1.2.0"
    assert all(a.get("name") or a.get("family-names") for a in cff["authors"])
    meta = SITE["package"]
    assert cff["title"] == meta["title"]
    assert str(cff["version"]) == str(meta["version"]), "bump CITATION.cff version with site.yml"
    assert str(cff["date-released"]) == str(meta["released"])
    assert cff["license"] == SITE["licence"]["name"]
    assert cff.get("type") == "dataset"


def test_citation_plain_and_bibtex_name_version_date_url_licence():
    descriptor = {"version": "9.8.7", "is_illustrative": True}
    parts = citation_parts(SITE, descriptor, "A page", "https://maintainers.github.io/sbc-data/x/")
    for text in (plain_citation(parts), bibtex_citation(parts), citation_text(parts)):
        assert "9.8.7" in text and "https://maintainers.github.io/sbc-data/x/" in text and "Open Government Licence" in text
        assert "Illustrative data" in text
    assert str(SITE["package"]["released"]) in citation_text(parts)
    assert SITE["licence"]["attribution"] in citation_text(parts)


def test_page_cite_block_escapes_and_ends_the_page():
    parts = citation_parts(SITE, {"version": "1.0.0"}, "<script>alert(1)</script>", "https://maintainers.github.io/sbc-data/")
    page = pages.with_page_cite("# Title\n\nBody\n", parts)
    assert page.rstrip().endswith("</div>") and 'class="page-cite"' in page
    assert "<script>alert" not in page
    assert pages.page_title("# Data &amp; more\n\ntext") == "Data & more"


@pytest.mark.parametrize("page, path", [("index.md", ""), ("questions/index.md", "questions/"),
                                        ("findings/main-contact.md", "findings/main-contact/"),
                                        ("data/experience_results.md", "data/experience_results/")])
def test_page_path_matches_directory_urls(page, path):
    assert page_path(page) == path


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_press_spec_fills_each_canvas_exactly():
    import vl_convert as vlc
    data = pd.DataFrame({"label": ["A group", "Another group"], "value": [40.0, 60.0]})
    chart = alt.layer(alt.Chart(data).mark_bar(height=18).encode(y="label:N", x="value:Q")).properties(
        width=560, height=60, title=alt.TitleParams("A long headline " * 8, subtitle=["A subtitle"]))
    for _, width, height in SHAPES:
        spec = press_spec(chart.to_dict(), width, height, "cohorts_latest")
        assert png_size(vlc.vegalite_to_png(spec, scale=2)) == (2 * width, 2 * height)
        assert len(spec["title"]["text"]) > 1, "a long headline must wrap, not run off the canvas"
        assert spec["layer"][0]["mark"]["height"] == {"band": 0.6}


@pytest.mark.parametrize("text, kind, expected", [("=1+1", "string", "'=1+1"), ("+44 20", "string", "'+44 20"),
                                                  ("-x", "string", "'-x"), ("@SUM(A1)", "string", "'@SUM(A1)"),
                                                  ("[c]", "integer", "[c]"), ("12", "integer", 12),
                                                  ("-1.5", "number", -1.5), ("Brindlecombe", "string", "Brindlecombe"),
                                                  ("", "string", "[z]")])
def test_spreadsheet_cell_value_numbers_numeric_text_never_formula(text, kind, expected):
    assert cell_value(text, kind) == expected


def tiny_package(folder: Path, version: str) -> dict:
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "t.csv").write_text("a\n1\n", encoding="utf-8")
    descriptor = {"name": "pkg", "version": version,
                  "resources": [{"name": "t", "path": "data/t.csv", "schema": {"fields": [{"name": "a"}]}}]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    for ext in ("zip", "xlsx"):
        (folder / f"pkg.{ext}").write_bytes(b"PK" + version.encode())
    return descriptor


def test_stable_links_publish_version_latest_and_archived_zips(tmp_path):
    package = tmp_path / "datapackage"
    descriptor = tiny_package(package, "1.2.0")
    for old in ("1.0.0", "1.1.0"):
        (package / "archive" / old).mkdir(parents=True)
        (package / "archive" / old / "pkg.zip").write_bytes(b"PK" + old.encode())
    (package / "archive" / "notes").mkdir()   # not a version: ignored
    links = publish_links(package, tmp_path / "data", descriptor, "pkg")
    assert links.archived == ("1.1.0", "1.0.0")
    for folder in ("", "1.2.0/", "latest/"):
        for rel in ("datapackage.json", "data/t.csv", "pkg.zip", "pkg.xlsx"):
            assert (tmp_path / "data" / f"{folder}{rel}").read_bytes() == (package / rel).read_bytes()
    assert (tmp_path / "data" / "1.0.0" / "pkg.zip").read_bytes() == b"PK1.0.0"
    assert not (tmp_path / "data" / "archive").exists()


def test_stable_links_without_archive(tmp_path):
    package = tmp_path / "datapackage"
    links = publish_links(package, tmp_path / "data", tiny_package(package, "0.1.0"), "pkg")
    assert links.archived == () and (tmp_path / "data" / "latest" / "pkg.zip").is_file()


def test_data_pages_show_text_as_text():
    shown = data_pages.md_text("<script>alert(1)</script> *x* _y_ [z](w) |")
    assert "<" not in shown and "*" not in shown and "_" not in shown and "[" not in shown and "|" not in shown
    assert data_pages.example_value(pd.Series(["", "[c]", "[x]", "42"])) == "42"
    assert data_pages.example_value(pd.Series(["", "[z]"])) is None
    words = data_pages.constraint_words({"constraints": {"required": True, "enum": ["a_b"], "minimum": 0}})
    assert words.startswith("Always filled in") and "at least 0" in words


def test_downloads_zip_carries_changelog_and_readme(tmp_path):
    descriptor = json.loads((REPO / "datapackage" / "datapackage.json").read_text(encoding="utf-8"))
    folder = tmp_path / "pkg"
    folder.mkdir()
    small = {**descriptor, "resources": [r for r in descriptor["resources"] if r["name"] in ("cohorts", "questions")]}
    (folder / "data").mkdir()
    for res in small["resources"]:
        (folder / res["path"]).write_bytes((REPO / "datapackage" / res["path"]).read_bytes())
    (folder / "datapackage.json").write_text(json.dumps(small), encoding="utf-8")
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n\n## 9.9.9\n", encoding="utf-8")
    paths = write_downloads(folder, small, SITE, root=tmp_path)
    with zipfile.ZipFile(paths["zip"]) as archive:
        names = archive.namelist()
        assert archive.read("CHANGELOG.md") == b"# Changelog\n\n## 9.9.9\n"
        assert "CHANGELOG.md" in archive.read("README.txt").decode("utf-8")
        members = {n: archive.read(n) for n in names}
    assert {"datapackage.json", "README.txt", "CHANGELOG.md", "data/cohorts.csv"} <= set(names)
    assert deterministic_zip(members) == paths["zip"].read_bytes(), "the zip must be deterministic"
    assert changelog_bytes(None) == (REPO / "CHANGELOG.md").read_bytes()


def test_sheet_rows_keeps_a_short_table_and_only_counts_a_long_one(monkeypatch):
    from build_data import downloads
    monkeypatch.setattr(downloads, "MAX_SHEET_ROWS", 3)
    short = b'a,b\n1,"x\ny"\n2,z\n'
    assert downloads.sheet_rows(short) == ([["a", "b"], ["1", "x\ny"], ["2", "z"]], 2)
    long = b"a,b\n" + b"".join(f"{i},v\n".encode() for i in range(10))
    assert downloads.sheet_rows(long) == ([["a", "b"]], 10)
    assert downloads.sheet_rows(b"a,b\n1,v\n2,v\n3,v\n") == ([["a", "b"], ["1", "v"], ["2", "v"], ["3", "v"]], 3)
