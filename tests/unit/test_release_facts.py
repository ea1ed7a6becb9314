"""Release facts (published, next release, statistics status, version, What changed) on every findings page."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from build_data.errors import PackageOutdated
from build_data.markers import MarkerResolver
from build_data.question_pages import question_page
from build_data.release_facts import release_facts_html

ROOT = Path(__file__).resolve().parents[2]
DESCRIPTOR = {"version": "0.4.0", "created": "2026-12-02T00:00:00Z",
              "governance": {"statistics_status": "Illustrative data; not official statistics",
                             "next_release": "To be announced: <after> the summer", "contact": "Us"}}


def test_the_facts_come_from_the_package_as_a_definition_list():
    facts = release_facts_html(DESCRIPTOR, "../..")
    assert facts.startswith('<dl class="release-facts"') and facts.endswith("</dl>")
    for pair in ("<dt>Published</dt><dd>2 December 2026</dd>",
                 "<dt>Next release</dt><dd>To be announced: &lt;after&gt; the summer</dd>",
                 "<dt>Statistics status</dt><dd>Illustrative data; not official statistics</dd>",
                 '<dt>Version</dt><dd>0.4.0 (<a href="../../what-changed/">What changed</a>)</dd>'):
        assert pair in facts


def test_a_package_without_governance_is_refused_with_the_metadata_file_to_edit():
    with pytest.raises(PackageOutdated) as error:
        release_facts_html({**DESCRIPTOR, "governance": {"statistics_status": "x"}}, ".")
    assert "next_release" in error.value.detail and "site.yml" in error.value.fix


def test_the_marker_links_what_changed_relative_to_the_page():
    resolver = MarkerResolver(SimpleNamespace(descriptor=DESCRIPTOR, tables={}), figure_html=None)
    page = resolver.resolve("# Title\n\n{{ release_facts }}\n", "findings/main-contact.md", "main-contact.md")
    assert '<a href="../../what-changed/">What changed</a>' in page and "{{" not in page


@pytest.mark.parametrize("page", sorted((ROOT / "docs/pages/findings").glob("*.md")), ids=lambda p: p.name)
def test_every_findings_page_shows_the_release_facts_under_its_title(page):
    lines = page.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# ") and "{{ release_facts }}" in lines[1:4]


def test_a_question_page_shows_the_release_facts_under_its_title():
    tables = {"crosswalk": pd.DataFrame(columns=["release_id", "publisher_code", "question_id", "wording", "comparability"]),
              "releases": pd.DataFrame(columns=["release_id", "survey_year"])}
    q = {"short_label": "Felt heard", "explanation": "Whether people felt heard.", "measure": "percent_positive",
         "positive_answers": "Yes"}
    facts = release_facts_html(DESCRIPTOR, "../..")
    page = question_page("felt_heard", q, tables, lambda fid, page: f"<figure {fid}>", facts)
    assert page.startswith("# Felt heard\n\n" + facts + "\n\nWhether people felt heard.")
