"""Release governance from site.yml reaches datapackage.json, the What changed page and the spreadsheet
cover; corrections reach the figures they touch."""
from pathlib import Path

import yaml

from build_data.changes_page import governance_section, revised_section
from build_data.package import governance_of
from build_data.pages import corrections_html
from build_data.spreadsheet import cover_lines

import pandas as pd

SITE = yaml.safe_load((Path(__file__).resolve().parents[2] / "build_data/metadata/site.yml").read_text(encoding="utf-8"))


def test_site_yml_declares_every_governance_item():
    governance = governance_of(SITE)
    assert set(governance) == {"statistics_status", "next_release", "contact", "revisions_policy", "release_calendar"}
    assert any(e["version"] == SITE["package"]["version"] for e in governance["release_calendar"]), \
        "the release calendar lists the current package version"
    assert all(isinstance(v, str) for e in governance["release_calendar"] for v in e.values())


def test_governance_on_the_what_changed_page_and_the_cover_sheet():
    governance = governance_of(SITE)
    page = "\n".join(governance_section(governance))
    for words in ("Next release", "Contact", "Status", "| Date | Version |", SITE["package"]["version"]):
        assert words in page
    descriptor = {"title": "T", "description": "D", "version": "9.9.9", "attribution": "A",
                  "licenses": [{"title": "OGL", "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"}]}
    cover = " ".join(cover_lines(descriptor, SITE))
    assert SITE["next_release"] in cover and SITE["contact"] in cover and "Revisions:" in cover


def test_revised_section_counts_is_revised():
    tables = {"experience_results": pd.DataFrame({"is_revised": [True, False, True]}),
              "questions": pd.DataFrame({"question_id": ["q"]})}
    assert "2 numbers changed" in "\n".join(revised_section(tables))
    tables["experience_results"]["is_revised"] = False
    assert "No number from the last version has changed" in "\n".join(revised_section(tables))


def test_corrected_on_note_is_escaped_and_links_to_the_log():
    html = corrections_html([{"date": "2026-01-02", "reason": "Publisher's erratum <b>"}], "..")
    assert "Corrected on 2026-01-02:" in html and "&lt;b&gt;" in html and 'href="../what-changed/#corrections"' in html
    assert corrections_html([], "..") == ""
