"""The site read on a phone: Tab never lands off-screen and focus is always visible; the words
beside each figure state the year its numbers come from; Your area lists every hospital trust;
support gives routes people can act on; embeds, the data page and the methodology table behave.

The keyboard checks open every page at 375 px (the shared `mobile_visit`); the prose checks read
site/ and datapackage/ as files."""
from __future__ import annotations

import csv
import re

import pytest
from browser_support import MOBILE, REPO, SITE

from build_data.readability import main_runs, main_text

TAB_STOPS = 40
PACKAGE = REPO / "datapackage" / "data"
FINDINGS_PAGES = ["findings/main-contact/", "findings/recurrence-information/", "findings/decisions-and-support/",
                  "findings/overall-care/", "audit/", "your-area/"]
PROSE_PAGES = ["", *FINDINGS_PAGES]

# One Tab press, then where focus went: its box, whether it is drawn, and its focus ring. Before it
# returns, a transition that briefly widens the page past `width` has ended (see tab_stops).
FOCUS_STOP = """async width => {
  let el = document.activeElement;
  if (!el || el === document.body) return null;
  const focusVisible = el.matches(':focus-visible');
  // A visually hidden radio drawn by the label after it (Material's palette switch): that label shows.
  const next = el.nextElementSibling;
  if (el.tagName === 'INPUT' && el.getBoundingClientRect().width === 0 && next && next.tagName === 'LABEL'
      && next.getBoundingClientRect().width > 0) el = next;
  // Focus scrolls the page (smoothly, in Material): measure once the box has stopped moving.
  const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
  let r = el.getBoundingClientRect();
  for (let i = 0; i < 60; i++) {
    await frame(); await frame();
    const next = el.getBoundingClientRect();
    if (next.top === r.top && next.left === r.left) break;
    r = next;
  }
  // On a loaded machine the scroll that brings focus into view can land after two quiet frames: an
  // element still outside the screen is measured again after a pause (one that stays outside fails).
  const outside = b => b.bottom <= 0 || b.top >= innerHeight || b.right <= 0 || b.left >= innerWidth;
  for (let i = 0; i < 10 && outside(r); i++) {
    await new Promise(resolve => setTimeout(resolve, 100)); await frame();
    r = el.getBoundingClientRect();
  }
  const style = getComputedStyle(el);
  let hidden = false;
  for (let n = el; n; n = n.parentElement) {
    const s = getComputedStyle(n);
    if (s.visibility === 'hidden' || s.display === 'none') { hidden = true; break; }
  }
  for (let i = 0; i < 40 && innerWidth > width; i++) await new Promise(resolve => setTimeout(resolve, 50));
  return {tag: el.tagName, text: (el.innerText || el.getAttribute('aria-label') || el.title || '').trim().slice(0, 50),
          left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height,
          hidden, outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
          shadow: style.boxShadow, focusVisible,
          vw: window.innerWidth, vh: window.innerHeight};
}"""


def tab_stops(page, count: int = TAB_STOPS) -> list[dict]:
    # Instant scrolling: where focus lands does not depend on how fast a loaded machine animates the scroll.
    page.add_style_tag(content="html, body, * { scroll-behavior: auto !important; }")
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    stops = []
    for _ in range(count):
        page.keyboard.press("Tab")
        # A reader presses Tab at a reader's pace: FOCUS_STOP lets a transition that briefly widens the page
        # (Material's search closing after its field lost focus zooms a phone out for 0.3 s) end before it
        # returns, so before the next press.
        stop = page.evaluate(FOCUS_STOP, page.viewport_size["width"])
        if stop is None:          # focus left the document: every stop has been visited
            break
        stops.append(stop)
    return stops


def off_screen(stop: dict) -> bool:
    return (stop["hidden"] or stop["width"] == 0 or stop["height"] == 0 or stop["right"] <= 0
            or stop["left"] >= stop["vw"] or stop["bottom"] <= 0 or stop["top"] >= stop["vh"])


def test_tab_never_lands_off_screen_and_focus_is_visible_on_a_phone(mobile_visit, page_path):
    mobile_visit.set_view("light", MOBILE)
    page = mobile_visit.page
    stops = tab_stops(page)
    assert stops, f"/{page_path}: Tab reached nothing"
    lost = [f"{s['tag']} {s['text']!r} at x {s['left']:.0f}-{s['right']:.0f}, y {s['top']:.0f}"
            for s in stops if off_screen(s)]
    assert not lost, f"/{page_path} at 375 px: Tab lands on elements the reader cannot see: {lost[:5]}"
    unringed = [f"{s['tag']} {s['text']!r}" for s in stops
                if s["focusVisible"] and not (s["outline"] != "none" and s["outlineWidth"] >= 2)]
    assert not unringed, f"/{page_path}: focus is not visibly outlined on {unringed[:5]}"


def test_the_drawer_opens_without_javascript_and_its_links_are_then_reachable(open_page, site_url):
    visit = open_page(site_url + "findings/main-contact/", viewport=MOBILE, is_mobile=True,
                      java_script_enabled=False)
    page = visit.page
    link = page.locator(".md-sidebar--primary a.md-nav__link").first
    assert page.evaluate("el => getComputedStyle(el).visibility", link.element_handle()) == "hidden"
    page.locator("label.md-header__button[for='__drawer']").click()
    page.wait_for_timeout(400)
    assert page.evaluate("el => getComputedStyle(el).visibility", link.element_handle()) == "visible"
    box = link.bounding_box()
    assert box and box["x"] >= 0 and box["x"] < MOBILE["width"], "The open drawer's links are off-screen"


# ---- every sentence's year is the year of the numbers in it -------------------------------------

def package_values() -> dict[int, list[float]]:
    """Every published England value by year: survey results by survey year, audit results by year
    diagnosed (prose speaks for England; area results are in tables, not sentences)."""
    england = next(g["geography_code"] for g in geographies() if g["geography_type"] == "country")
    values: dict[int, list[float]] = {}
    for name, year_column in (("experience_results", "survey_year"), ("audit_indicators", "period")):
        with open(PACKAGE / f"{name}.csv", encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                if row["geography_code"] != england:
                    continue
                try:
                    values.setdefault(int(row[year_column]), []).append(float(row["value"]))
                except ValueError:
                    continue
    return values


INTERVAL = re.compile(r"\(95% confidence interval [^)]*\)")
VALUE = re.compile(r"(\d+(?:\.\d+)?)(?:%| out of 10)")
YEAR = re.compile(r"\b(20\d\d)\b")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text) if s.strip()]


def dated_sentences(text: str) -> list[str]:
    return [s for s in sentences(text) if len(set(YEAR.findall(s))) == 1 and VALUE.findall(INTERVAL.sub("", s))]


def misdated(text: str, values: dict[int, list[float]]) -> list[str]:
    """Sentences with one year and a result whose result does not exist in that year's data."""
    wrong = []
    for sentence in sentences(text):
        years = set(YEAR.findall(sentence))
        shown = VALUE.findall(INTERVAL.sub("", sentence))
        if len(years) != 1 or not shown:
            continue
        year = int(years.pop())
        for number in shown:
            decimals = len(number.split(".")[1]) if "." in number else 0
            if not any(round(v, decimals) == float(number) for v in values.get(year, [])):
                wrong.append(f"{number} in {year}: {sentence[:160]}")
    return wrong


@pytest.mark.parametrize("page", PROSE_PAGES, ids=lambda p: p.rstrip("/") or "home")
def test_each_sentence_states_the_year_its_numbers_come_from(page):
    html = (SITE / page / "index.html").read_text(encoding="utf-8")
    text = main_text(html)
    if page != "your-area/":   # its results are in tables; the others state results in sentences
        assert dated_sentences(text), f"/{page}: no sentence with a year and a result was found to check"
    wrong = misdated(text, package_values())
    assert not wrong, f"/{page}: a sentence's year is not the year of its figure: {wrong[:3]}"


def test_year_check_catches_a_value_from_another_year():
    values = {2024: [54.0], 2025: [61.0]}
    assert misdated("In 2025, 54% (95% confidence interval 50% to 58%) of people said yes.", values)
    assert not misdated("In 2024, 54% (95% confidence interval 50% to 58%) of people said yes.", values)


# ---- Your area: every hospital, A to Z, linked to its Cancer Alliance's results ---------------

def geographies() -> list[dict]:
    with open(PACKAGE / "geographies.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_find_your_hospital_lists_every_trust_a_to_z_with_a_working_link():
    html = (SITE / "your-area" / "index.html").read_text(encoding="utf-8")
    listed = re.findall(r'<tr><th scope="row">([^<]+)</th><td data-label="Cancer Alliance"><a href="#(area-[a-z0-9]+)"', html)
    trusts = [g for g in geographies() if g["geography_type"] == "trust"]
    names = [name.replace("&amp;", "&").replace("&#x27;", "'") for name, _ in listed]
    assert sorted(names) == sorted(t["geography_name"] for t in trusts), "Not every trust is listed once"
    assert names == sorted(names, key=str.lower), "Trusts are not in A to Z order"
    by_name = {t["geography_name"]: t["parent_code"] for t in trusts}
    for name, anchor in zip(names, (a for _, a in listed)):
        assert anchor == f"area-{by_name[name].lower()}", f"{name} links to the wrong Cancer Alliance"
        assert f'id="{anchor}"' in html, f"{name}'s Cancer Alliance has no results row (#{anchor})"


def test_your_area_says_the_charts_are_a_to_z_not_a_league_table():
    text = main_text((SITE / "your-area" / "index.html").read_text(encoding="utf-8"))
    assert "A to Z" in text and "not a league table" in text


def test_hospital_list_works_without_javascript(open_page, site_url):
    page = open_page(site_url + "your-area/", viewport=MOBILE, java_script_enabled=False).page
    summary = page.locator("details.hospital-list > summary")
    summary.click()
    first = page.locator("details.hospital-list a").first
    first.click()
    assert re.search(r"#area-[a-z0-9]+$", page.url), "The hospital's link did not go to its Alliance"
    assert page.locator(f"[id='{page.url.split('#')[1]}']").is_visible()


# ---- support people can act on -----------------------------------------------------------------

@pytest.mark.parametrize("page", FINDINGS_PAGES, ids=lambda p: p.rstrip("/"))
def test_every_findings_page_gives_the_nhs_routes_and_helplines(page):
    from build_data.support import read_support
    html = (SITE / page / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    for row in read_support():
        if row["phone"] and (row["group"] == "nhs" or row["group"] == "charity"):
            assert f'href="tel:{row["phone"].replace(" ", "")}"' in article, f"/{page} lacks {row['name']}"
    assert any(r.href and "getting-support/" in r.href for r in main_runs(html)), f"/{page} lacks Getting support"


# ---- small things --------------------------------------------------------------------------------

def test_embed_pages_link_the_sites_favicon():
    pages = sorted((SITE / "embed").glob("*.html"))
    assert pages, "No embed pages were built"
    for embed in pages:
        found = re.search(r'<link rel="icon" href="([^"]+)"', embed.read_text(encoding="utf-8"))
        assert found, f"{embed.name} has no favicon link"
        assert (embed.parent / found.group(1)).resolve().is_file(), f"{embed.name}: {found.group(1)} is missing"


def test_data_page_shows_the_illustrative_notice_once():
    text = main_text((SITE / "data" / "index.html").read_text(encoding="utf-8"))
    assert text.count("made up to show how the site works") == 1


def test_methodology_table_fits_a_phone(open_page, site_url):
    page = open_page(site_url + "methodology/", viewport=MOBILE, is_mobile=True).page
    table = page.locator("table.stack-table").first
    assert table.locator("caption").inner_text().strip(), "The real-figures table has no caption"
    widths = page.evaluate("el => [el.scrollWidth, el.closest('article').clientWidth]", table.element_handle())
    assert widths[0] <= widths[1], f"The real-figures table is {widths[0]} px wide in a {widths[1]} px column"


# ---- headlines on the built pages carry the question's own short label --------------------------

def test_every_question_figure_headline_starts_with_its_questions_label():
    """The headline a reporter copies is the question's label (checked against the question's
    wording in tests/unit/test_headlines.py), never an older or looser paraphrase."""
    import html as html_lib
    with open(PACKAGE / "questions.csv", encoding="utf-8", newline="") as f:
        labels = {r["question_id"]: r["short_label"] for r in csv.DictReader(f)}
    checked = 0
    for question_id, label in labels.items():
        page = (SITE / "questions" / question_id / "index.html").read_text(encoding="utf-8")
        for fid, headline in re.findall(r'<h3 id="fig-([^"]+)">([^<]+)', page):
            assert html_lib.unescape(headline).startswith(label + ":"), f"{fid}: {headline!r} is not led by {label!r}"
            checked += 1
    assert checked >= 2 * len(labels)
