"""Prose is bound to the data: change a published value, render again, and the page's words change.

The copy's datapackage/ is edited directly: `render` reads datapackage/ only (it does not re-check
the descriptor's hash and bytes), so this is what a new release would look like to the pages. The words
before the change are the checkout's own render of the same package (`make test` renders it first).
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from support import warm_cache

REPO = Path(__file__).resolve().parents[2]
RESULTS = Path("datapackage/data/experience_results.csv")
PAGE = Path("docs/_build/findings/main-contact.md")
HOME = Path("docs/_build/index.md")
ENGLAND = "E92000001"
# The first comparison on the page: main contact, secondary breast cancer against all cancers.
SENTENCE = re.compile(r"This was (lower than|higher than|similar to) the figure for people with any\s+type of cancer")
HEADLINE = re.compile(r"Had a main contact person in the care team: secondary breast cancer (lower than|higher than|similar to) all cancers")


def render(cli, root: Path) -> str:
    result = cli(root, "render")
    assert result.returncode == 0, result.stderr
    return (root / PAGE).read_text(encoding="utf-8")


def words(page: str) -> tuple[str, str]:
    sentence, headline = SENTENCE.search(page), HEADLINE.search(page)
    assert sentence and headline, "The main contact comparison is missing from findings/main-contact.md"
    return sentence.group(1), headline.group(1)


def set_secondary_main_contact(root: Path, like_all_cancers: bool) -> None:
    """Make secondary breast cancer's latest main-contact result equal to all cancers' (with a
    large sample, so the test must say "similar"), or clearly lower."""
    path = root / RESULTS
    text = path.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    latest = max(int(r["survey_year"]) for r in rows)
    pick = lambda cohort: next(r for r in rows if int(r["survey_year"]) == latest and r["geography_code"] == ENGLAND
                               and r["question_id"] == "main_contact" and r["cohort_id"] == cohort)
    target, reference = pick("breast_secondary"), pick("all_cancers")
    if like_all_cancers:
        values = {k: reference[k] for k in ("value", "ci_lower", "ci_upper")}
    else:
        values = {"value": "50.0", "ci_lower": "49.6", "ci_upper": "50.4"}
    target.update(values, n_respondents="50000", status="ok")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_prose_changes_when_the_data_change(project_copy, cli):
    assert (project_copy / RESULTS).read_bytes() == (REPO / RESULTS).read_bytes()
    assert (REPO / PAGE).is_file(), "run `make site` first: the checkout's render is the page before the change"
    before = words((REPO / PAGE).read_text(encoding="utf-8"))
    warm_cache(project_copy)   # charts already drawn are reused: only changed ones are redrawn

    make_similar = before[0] != "similar to"
    set_secondary_main_contact(project_copy, like_all_cancers=make_similar)
    page = render(cli, project_copy)
    after = words(page)

    expected = "similar to" if make_similar else "lower than"
    assert after == (expected, expected), (
        f"After the data changed, the page still says {after} (before: {before}); expected {expected!r}")
    assert "50,000 people answered" in page, "The chart description did not follow the data"
    home = (project_copy / HOME).read_text(encoding="utf-8")
    assert re.search(rf"\*\*Had a main contact person in the care team:\*\*[^\n]*{expected}", home), (
        "The home page's key finding did not follow the data")
