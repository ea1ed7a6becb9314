"""The built pages read as plain English, link glossary terms, keep numbers bound to the data,
and signpost support. These read site/ and docs/pages/ as files: no browser needed."""
import re
from pathlib import Path

import pytest
import yaml
from browser_support import REPO, SITE

from build_data.readability import main_runs, main_text, reading_ease

PAGES_SOURCE = REPO / "docs" / "pages"
MIN_READING_EASE = 60
# Reference pages, written for people who work with data: not held to the plain-English score.
REFERENCE_PAGES = {"methodology/", "accessibility/"}
REFERENCE_PREFIXES = ("data/",)

# Glossary terms that must be linked at their first use in a page's main text (headings and note
# titles aside: a link inside a heading is confusing). anchor -> pattern (case-insensitive).
GLOSSARY_TERMS = {
    "secondary-breast-cancer": r"\bsecondary breast cancers?\b",
    "metastatic": r"(?<!audit of )\bmetastatic\b",
    "primary-breast-cancer": r"\bprimary breast cancers?\b",
    "de-novo": r"\bde novo\b",
    "recurrence": r"\brecurrences?\b",
    "multidisciplinary-team": r"\bmultidisciplinary teams?\b",
    "clinical-nurse-specialist": r"\bclinical nurse specialists?\b",
    "main-contact-person": r"\bmain contact person\b",
    "palliative-care": r"\bpalliative care\b",
    "cancer-alliance": r"\bcancer alliances?\b",
    "confidence-interval": r"\bconfidence intervals?\b",
    "statistically-significant": r"\bstatistically significant\b",
    "case-mix-adjustment": r"\bcase-mix adjust(?:ment|ed)\b",
    "suppressed": r"\bsuppress(?:ed|ion)\b",
}
# Numbers that may be written by hand in docs/pages: they describe the survey design, the scales
# and the site, not results. Everything else comes from a {{ marker }}.
HAND_WRITTEN_NUMBERS = {
    "0", "10",           # the 0 to 10 rating scale
    "100",               # "close to 0% or 100%" (the percentage scale)
    "4",                 # "stage 4"
    "95",                # 95% confidence intervals
    "16",                # the survey asks adults aged 16 and over
    "2019", "2021",      # the 2021 survey redesign: no comparison with 2019 or earlier
    "2.2", "320", "400", "1280", "375",  # WCAG 2.2, screen widths and zoom on the accessibility page
    "60",                # the reading-ease score the accessibility page promises
}
CHARITIES = ["Breast Cancer Now", "Macmillan Cancer Support", "Maggie's", "Marie Curie"]
NEW_PAGES = ["secondary-breast-cancer.md", "glossary.md", "getting-support.md", "your-area.md",
             "findings/decisions-and-support.md"]


def built_pages() -> list[str]:
    pages = []
    for html in sorted(SITE.rglob("index.html")):
        rel = html.relative_to(SITE)
        if rel.parts[0] in {"assets", "figures"}:
            continue
        pages.append("" if rel.parent == Path(".") else rel.parent.as_posix() + "/")
    return pages or ["<site not built>"]


def public_pages() -> list[str]:
    return [p for p in built_pages()
            if p not in REFERENCE_PAGES and not p.startswith(REFERENCE_PREFIXES)]


def hand_written_pages() -> list[str]:
    """docs/pages/*.md as site paths, except the glossary itself."""
    paths = []
    for md in sorted(PAGES_SOURCE.rglob("*.md")):
        rel = md.relative_to(PAGES_SOURCE).as_posix()[:-3]
        if rel == "glossary":
            continue
        paths.append("" if rel == "index" else rel.removesuffix("/index") + "/")
    return paths


def read_built(page: str) -> str:
    html = SITE / page / "index.html"
    if not html.is_file():
        pytest.fail(f"{html} is missing: run `make site` first.", pytrace=False)
    return html.read_text(encoding="utf-8")


@pytest.mark.parametrize("page", public_pages(), ids=lambda p: p.rstrip("/") or "home")
def test_page_reads_as_plain_english(page):
    text = main_text(read_built(page))
    assert len(text.split()) > 30, f"/{page} has almost no main text: {text!r}"
    score = reading_ease(text)
    assert score >= MIN_READING_EASE, (
        f"/{page} scores {score:.1f} for Flesch reading ease (needs {MIN_READING_EASE}): use shorter "
        "sentences and shorter words.")


def test_reading_ease_tells_hard_from_plain_text():
    hard = ("Notwithstanding considerable methodological heterogeneity, multidisciplinary "
            "organisational arrangements demonstrably facilitated comprehensive "
            "individualised therapeutic decision-making processes.")
    plain = "Most people had a nurse to call. They said it helped. Some did not have one."
    assert reading_ease(hard) < MIN_READING_EASE <= reading_ease(plain)


def first_unlinked_terms(html: str) -> list[str]:
    """Glossary terms whose first use in the main text is not a link to their glossary entry."""
    runs = [r for r in main_runs(html) if not r.is_title]
    text, spans, position = "", [], 0
    for run in runs:
        spans.append((position, position + len(run.text), run.href))
        text += run.text
        position += len(run.text)
    problems = []
    for anchor, pattern in GLOSSARY_TERMS.items():
        match = re.search(pattern, text, flags=re.IGNORECASE)
        if not match:
            continue
        href = next((h for start, end, h in spans if start <= match.start() and match.end() <= end), None)
        if not href or not re.search(rf"glossary/(?:index\.html)?#{re.escape(anchor)}$", href):
            context = text[max(0, match.start() - 40):match.end() + 20]
            problems.append(f"{match.group(0)!r} (…{context}…) links to {href!r}, not glossary/#{anchor}")
    return problems


@pytest.mark.parametrize("page", hand_written_pages(), ids=lambda p: p.rstrip("/") or "home")
def test_glossary_terms_are_linked_at_first_use(page):
    problems = first_unlinked_terms(read_built(page))
    assert not problems, (f"On /{page}, the first use of these glossary terms is not a link to the "
                          "glossary:\n  " + "\n  ".join(problems))


def test_glossary_link_check_catches_an_unlinked_term():
    html = ('<article><p>A <a href="../glossary/#recurrence">recurrence</a> then a confidence '
            'interval, then a <a href="../glossary/#confidence-interval">confidence interval</a>.'
            '</p></article>')
    problems = first_unlinked_terms(html)
    assert len(problems) == 1 and "confidence interval" in problems[0]


def test_glossary_has_an_entry_for_every_linked_term():
    html = read_built("glossary/")
    ids = set(re.findall(r'<h2 id="([^"]+)"', html))
    assert set(GLOSSARY_TERMS) <= ids, f"Glossary entries missing: {set(GLOSSARY_TERMS) - ids}"


def numbers_written_by_hand(markdown: str) -> set[str]:
    text = re.sub(r"\{\{.*?\}\}", " ", markdown, flags=re.DOTALL)   # markers: bound to the data
    text = re.sub(r"\]\([^)]*\)", "]", text)                        # link targets
    text = re.sub(r"\{#[^}]*\}", " ", text)                          # heading ids
    text = re.sub(r"`[^`]*`", " ", text)                            # code
    text = re.sub(r"(?m)^\s*\d+\.\s", " ", text)                      # numbered list items
    return {n.rstrip(".,") for n in re.findall(r"\d[\d,.]*", text)}


@pytest.mark.parametrize("source", sorted(p.relative_to(PAGES_SOURCE).as_posix()
                                          for p in PAGES_SOURCE.rglob("*.md")))
def test_numbers_in_pages_come_from_markers(source):
    found = numbers_written_by_hand((PAGES_SOURCE / source).read_text(encoding="utf-8"))
    stray = found - HAND_WRITTEN_NUMBERS
    assert not stray, (f"docs/pages/{source} has numbers written by hand: {sorted(stray)}. Use a "
                       "{{ marker }} (build_data/markers.py) so the text follows the data.")


def test_number_check_catches_a_hand_written_result():
    assert numbers_written_by_hand("In {{ latest_year }}, 89% of people said yes.") == {"89"}


def nav_files(items) -> list[str]:
    files = []
    for item in items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        files += nav_files(value) if isinstance(value, list) else [value]
    return files


def test_every_hand_written_page_is_in_the_nav():
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    in_nav = set(nav_files(config["nav"]))
    pages = {p.relative_to(PAGES_SOURCE).as_posix() for p in PAGES_SOURCE.rglob("*.md")}
    assert pages <= in_nav, f"Pages missing from the nav in mkdocs.yml: {sorted(pages - in_nav)}"


def test_home_links_to_every_section():
    hrefs = {r.href.split("#")[0] for r in main_runs(read_built("")) if r.href}
    wanted = {md[:-3] + "/" for md in NEW_PAGES}
    assert wanted <= hrefs, f"The home page does not link to: {sorted(wanted - hrefs)}"


def test_support_page_gives_routes_and_contact_details_from_metadata():
    """Every NHS route and charity in build_data/metadata/support.csv, with its phone number and
    website as links the reader can use; nothing hand-typed."""
    from build_data.support import read_support
    html = read_built("getting-support/")
    article = html[html.index("<article"):html.index("</article>")]
    text = main_text(html)
    missing = [name for name in CHARITIES if name not in text]
    assert not missing, f"Getting support does not name: {missing}"
    assert "specialist nurse" in text and "GP" in text
    for row in read_support():
        assert row["name"] in text, f"Getting support does not name {row['name']}"
        if row["phone"]:
            assert f'href="tel:{row["phone"].replace(" ", "")}"' in article, f"No phone link for {row['name']}"
        if row["website"]:
            assert f'href="{row["website"]}"' in article, f"No website link for {row['name']}"
    for number in ("111", "999"):
        assert f'href="tel:{number}"' in article, f"Getting support does not give {number}"
