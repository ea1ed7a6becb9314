"""Charts on a phone, for every page of the built site that has one (findings, question and area
pages, found in site/, never listed here): at 375 px in Chromium

- the smallest chart text on screen is at least 12 CSS px (each SVG <text> measured: its computed
  font size times the scale the picture is drawn at), and no two texts of a chart overlap;
- the page moves at most 150 KB gzip in its first 5 s with no interaction (every request started
  in that time, idle fetches and workers included; each body counted as gzip level 6, as a server
  compressing text would send it; images as they are);
- each chart has at most 3 Tab stops (Explore, the data table, "Download, cite or embed");

and at 1280 px the desktop picture's smallest text is at least 12 CSS px too. Pages are opened a
few at a time, each in a fresh context (empty cache), once; every check reads that one visit.
A findings page, your area, a question page and getting support open in the phone's palette, light
and dark; with BROWSER_SCREENSHOTS=1 their pictures at 375 px go to tests/browser/screenshots/
(git-ignored) for people to look at.
"""
import gzip
import json
import time

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from browser_support import DESKTOP, MOBILE, SCREENSHOTS, SCREENSHOTS_WANTED, SITE, Tab, save_screenshot

pytestmark = pytest.mark.browser

MIN_TEXT_PX = 12
BUDGET_GZIP_BYTES = 150 * 1024
WINDOW_S = 5.0
MAX_TAB_STOPS = 3
BATCH = 4
IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp", "image/gif", "font/woff2")
SCREENSHOT_PAGES = ("findings/main-contact/", "your-area/", "questions/main_contact/", "getting-support/")

# For every chart: the picture the browser chose, drawn into an off-screen box at the width the
# picture has on screen, so each <text> can be measured as it is shown.
CHART_TEXT = """async () => {
  const out = [];
  const timeout = new Promise(resolve => setTimeout(resolve, 10000));
  for (const figure of document.querySelectorAll('figure.chart')) {
    const img = [...figure.querySelectorAll('img.chart-static')].find(i => i.getClientRects().length);
    if (!img) { out.push({id: figure.dataset.spec, error: 'no picture shown'}); continue; }
    img.loading = 'eager';   // as if scrolled to: lazy pictures below the fold load now
    await Promise.race([img.decode().catch(() => null), timeout]);
    if (!img.currentSrc) { out.push({id: figure.dataset.spec, error: 'picture did not load'}); continue; }
    const shownWidth = img.getBoundingClientRect().width;
    const source = await (await fetch(img.currentSrc)).text();
    const svg = new DOMParser().parseFromString(source, 'image/svg+xml').documentElement;
    const box = document.createElement('div');
    box.style.cssText = `position:absolute;left:-10000px;top:0;width:${shownWidth}px`;
    const drawn = document.importNode(svg, true);
    const viewWidth = drawn.viewBox.baseVal.width || parseFloat(drawn.getAttribute('width'));
    drawn.setAttribute('width', shownWidth);
    drawn.removeAttribute('height');
    drawn.style.cssText = 'display:block;width:100%;height:auto';
    box.appendChild(drawn);
    document.body.appendChild(box);
    const scale = drawn.getBoundingClientRect().width / viewWidth;
    const texts = [...drawn.querySelectorAll('text')].filter(t => t.textContent.trim());
    const sizes = texts.map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
    const rects = texts.map(t => t.getBoundingClientRect());
    const overlaps = [];
    for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) {
      const a = rects[i], b = rects[j];
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      const halo = texts[i].textContent === texts[j].textContent
                   && Math.abs(a.left - b.left) < 1 && Math.abs(a.top - b.top) < 1;  // a text and its halo
      if (w > 1 && h > 1 && !halo) overlaps.push([texts[i].textContent.trim(), texts[j].textContent.trim()]);
    }
    box.remove();
    const smallest = Math.min(...sizes);
    const at = sizes.indexOf(smallest);
    out.push({id: img.currentSrc.split('/').pop(), smallest, smallestText: at >= 0 ? texts[at].textContent : '',
              shownWidth, overlaps});
  }
  return out;
}"""

# Sequential Tab stops inside each figure block: what a keyboard user passes to get by a chart.
TAB_STOPS = """() => [...document.querySelectorAll('.figure-block')].map(block => {
  const candidates = block.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [tabindex], iframe');
  const stops = [...candidates].filter(el => {
    if (el.disabled || el.hidden || el.tabIndex < 0) return false;
    if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') return false;
    // Hidden inside a closed <details> (any level up), unless it is that details' own summary.
    for (let d = el.parentElement && el.parentElement.closest('details'); d;
         d = d.parentElement && d.parentElement.closest('details')) {
      const ownSummary = el.tagName === 'SUMMARY' && el.parentElement === d;
      if (!d.open && !ownSummary) return false;
    }
    return true;
  });
  const heading = block.previousElementSibling;
  return {figure: heading ? heading.id : '', stops: stops.map(el => el.tagName.toLowerCase()
          + (el.className ? '.' + String(el.className).split(' ')[0] : '') + ' ' + el.textContent.trim().slice(0, 30))};
})"""


# Every chart picture shown has taken the file its <picture> chooses at the window's width now (the choice is
# made again, a moment later, when the width changes).
PICTURES_CHOSEN = """() => [...document.querySelectorAll('figure.chart img.chart-static')]
  .filter(img => img.getClientRects().length)
  .every(img => {
    const picture = img.parentElement.tagName === 'PICTURE' ? img.parentElement : null;
    const source = picture && [...picture.querySelectorAll('source')].find(s => !s.media || matchMedia(s.media).matches);
    const chosen = source ? source.getAttribute('srcset').trim().split(/\\s+/)[0] : img.getAttribute('src');
    return img.currentSrc === new URL(chosen, document.baseURI).href;
  })"""


def gzip_size(body: bytes, content_type: str) -> int:
    return len(body) if content_type.startswith(IMAGE_TYPES) else len(gzip.compress(body, compresslevel=6))


# What each file of the site weighs (gzip), read from the browser and compressed once for all pages: the test
# server sends the same bytes for a URL to every page (a static folder), and most files (the theme's style sheets
# and scripts, the fonts) are on every page.
SIZES: dict[str, int] = {}


def sent_size(response) -> int:
    """The gzip size of a response's body (a redirect or an aborted request counts as an empty body)."""
    if response.url not in SIZES:
        try:
            body = response.body()
        except Exception:  # a redirect or an aborted request has no body
            return gzip_size(b"", response.headers.get("content-type", ""))
        SIZES[response.url] = gzip_size(body, response.headers.get("content-type", ""))
    return SIZES[response.url]


class PhoneVisit:
    """One page opened at 375 px in a fresh context; the requests it started in its first 5 s."""

    def __init__(self, browser, url: str):
        self.browser, self.url = browser, url
        self.started: list = []   # (seconds since navigation started, request)

    def open(self):
        context = self.browser.new_context(viewport=MOBILE, is_mobile=True, has_touch=True, color_scheme="light")
        self.context, self.page = context, context.new_page()
        self.t0 = time.monotonic()
        context.on("request", lambda r: self.started.append((time.monotonic() - self.t0, r)))
        self.page.goto(self.url, wait_until="commit")

    def finish_window(self):
        left = WINDOW_S - (time.monotonic() - self.t0)
        if left > 0:
            self.page.wait_for_timeout(left * 1000)
        in_window = [r for t, r in self.started if t <= WINDOW_S]
        self.page.wait_for_load_state("networkidle")
        self.bytes_by_url = {}
        for request in in_window:
            if request.url.startswith("data:"):
                continue
            response = request.response()
            if response is None:
                continue
            self.bytes_by_url[request.url] = sent_size(response)
        self.tab_stops = self.page.evaluate(TAB_STOPS)
        self.phone_text = self.page.evaluate(CHART_TEXT)
        self.page.set_viewport_size(DESKTOP)
        try:   # CHART_TEXT waits for each picture to load, once the browser has chosen the desktop one
            self.page.wait_for_function(PICTURES_CHOSEN, timeout=15_000)
        except PlaywrightTimeout:
            raise AssertionError(f"{self.url}: at 1280 px the charts did not switch to their desktop pictures "
                                 "within 15 s") from None
        self.desktop_text = self.page.evaluate(CHART_TEXT)
        self.page.set_viewport_size(MOBILE)

    @property
    def gzip_bytes(self) -> int:
        return sum(self.bytes_by_url.values())


def chart_pages() -> list[str]:
    if not (SITE / "index.html").is_file():
        return []
    return [("" if p.parent == SITE else p.parent.relative_to(SITE).as_posix() + "/")
            for p in sorted(SITE.rglob("index.html"))
            if p.relative_to(SITE).parts[0] not in {"assets", "figures", "embed"}
            and 'class="chart"' in p.read_text("utf-8")]


REPORT: dict = {}


@pytest.fixture(scope="module")
def phone_visits(browser, site_url):
    pages = chart_pages()
    assert pages, f"No page with a chart in {SITE}: run `make site` first."
    visits = {}
    for start in range(0, len(pages), BATCH):
        batch = {p: PhoneVisit(browser, site_url + p) for p in pages[start:start + BATCH]}
        for v in batch.values():
            v.open()
        for v in batch.values():
            v.finish_window()
        visits.update(batch)
    yield visits
    for path, v in visits.items():
        REPORT[path] = {"gzip_kb_5s": round(v.gzip_bytes / 1024, 1),
                        "smallest_text_px_375": round(min(c.get("smallest", 0) for c in v.phone_text), 1),
                        "smallest_text_px_1280": round(min(c.get("smallest", 0) for c in v.desktop_text), 1),
                        "max_tab_stops_per_chart": max(len(b["stops"]) for b in v.tab_stops)}
        v.context.close()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "phone-charts.json").write_text(json.dumps(REPORT, indent=1), encoding="utf-8")


def pages_ids():
    found = chart_pages()
    return found or ["<site not built>"]


@pytest.fixture(params=pages_ids(), ids=lambda p: p.rstrip("/") or "home")
def phone_visit(request, phone_visits):
    assert request.param in phone_visits, f"{SITE} has no pages with charts: run `make site` first."
    return phone_visits[request.param]


def test_every_page_type_has_charts_checked():
    pages = chart_pages()
    kinds = {p.split("/")[0] for p in pages}
    assert {"findings", "questions", "your-area"} <= kinds, f"Pages with charts found: {pages}"


def test_chart_text_is_at_least_12px_at_375_and_1280(phone_visit):
    for width, charts in (("375 px", phone_visit.phone_text), ("1280 px", phone_visit.desktop_text)):
        assert charts, f"No chart measured on {phone_visit.url} at {width}"
        broken = [c for c in charts if "error" in c]
        assert not broken, f"Charts without a shown picture at {width}: {broken}"
        small = [f"{c['id']}: {c['smallest']:.1f} px ('{c['smallestText']}', picture {c['shownWidth']:.0f} px wide)"
                 for c in charts if c["smallest"] < MIN_TEXT_PX]
        assert not small, f"Chart text under {MIN_TEXT_PX} CSS px on {phone_visit.url} at {width}:\n" + "\n".join(small)


def test_chart_texts_never_overlap(phone_visit):
    for width, charts in (("375 px", phone_visit.phone_text), ("1280 px", phone_visit.desktop_text)):
        clashes = [f"{c['id']}: {c['overlaps'][:3]}" for c in charts if c.get("overlaps")]
        assert not clashes, f"Overlapping chart text on {phone_visit.url} at {width}:\n" + "\n".join(clashes)


def test_page_moves_at_most_150_kb_gzip_in_5_s(phone_visit):
    heaviest = sorted(phone_visit.bytes_by_url.items(), key=lambda item: -item[1])[:6]
    detail = "\n".join(f"  {size / 1024:7.1f} KB  {url}" for url, size in heaviest)
    assert phone_visit.gzip_bytes <= BUDGET_GZIP_BYTES, (
        f"{phone_visit.url} moved {phone_visit.gzip_bytes / 1024:.1f} KB gzip in its first {WINDOW_S:.0f} s "
        f"with no interaction (budget {BUDGET_GZIP_BYTES / 1024:.0f} KB). Heaviest:\n{detail}")
    assert not [u for u in phone_visit.bytes_by_url if "vega-embed-bundle" in u or u.endswith(".vl.json")], (
        "The interactive chart was loaded without the reader asking")


def test_at_most_3_tab_stops_per_chart(phone_visit):
    assert phone_visit.tab_stops, f"No figure block on {phone_visit.url}"
    busy = [b for b in phone_visit.tab_stops if len(b["stops"]) > MAX_TAB_STOPS]
    assert not busy, f"Charts with more than {MAX_TAB_STOPS} Tab stops on {phone_visit.url}: {busy}"
    offered = [b for b in phone_visit.tab_stops if any("chart-explore" in s for s in b["stops"])]
    assert len(offered) == phone_visit.page.locator("figure.chart").count(), (
        "Every drawn chart offers 'Explore this chart'")


def test_explore_loads_the_interactive_chart_on_request(phone_visits):
    """Pressing Explore (and only that) fetches the bundle and draws the chart; pressing again
    goes back to the picture."""
    visit = phone_visits["findings/main-contact/"] if "findings/main-contact/" in phone_visits \
        else next(iter(phone_visits.values()))
    page, figure = visit.page, visit.page.locator("figure.chart").first
    with page.expect_request(lambda r: "vega-embed-bundle" in r.url, timeout=15_000):
        figure.locator(".chart-explore").click()
    page.wait_for_function("f => f.dataset.chartState === 'interactive'", arg=figure.element_handle(),
                           timeout=15_000)
    assert figure.locator(".chart-interactive svg").count() == 1
    assert figure.locator(".chart-explore").get_attribute("aria-pressed") == "true"
    spec = [u for u in visit.started if u[1].url.endswith(".vl.json")]
    assert spec and spec[-1][1].url.endswith("-phone.vl.json"), "At 375 px Explore draws the phone layout"
    figure.locator(".chart-explore").click()
    assert figure.get_attribute("data-chart-state") == "static"
    assert figure.locator("img.chart-static").first.is_visible()


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_phone_pages_open_in_the_readers_palette(browser, site_url, palette):
    """On a phone set to light or dark, the pages open in that palette (with BROWSER_SCREENSHOTS=1, a
    full-page picture of each goes to tests/browser/screenshots/ for people to look at)."""
    for path in SCREENSHOT_PAGES:
        assert (SITE / path / "index.html").is_file(), f"{path} is not in the built site"
    # One phone tab set to the reader's palette, opening the pages one after another, each as a first visit
    # (browser_support.Tab: nothing stored from the page before, so no palette chosen on it either).
    tab = Tab(browser, viewport=MOBILE, is_mobile=True, has_touch=True, color_scheme=palette)
    try:
        expected = "slate" if palette == "dark" else "default"
        # The theme's scripts run once the page has painted, and a window behind the others does not paint: the
        # tab is brought to the front, then each page is given up to 10 s to show the reader's palette.
        tab.page.bring_to_front()
        for path in SCREENSHOT_PAGES:
            current = tab.open(site_url + path, wait_until="load")
            try:
                current.page.wait_for_function(
                    "scheme => document.body.getAttribute('data-md-color-scheme') === scheme", arg=expected,
                    timeout=10_000)
            except PlaywrightTimeout:
                pass   # the assertion below says which palette it opened in
            scheme = current.page.locator("body").get_attribute("data-md-color-scheme")
            assert scheme == expected, f"{path} opened in {scheme}"
            if SCREENSHOTS_WANTED:
                current.page.wait_for_load_state("networkidle")
                shot = save_screenshot(current.page, path, f"phone-{palette}")
                assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
                assert shot.stat().st_size > 10_000, f"{shot} is nearly empty"
    finally:
        tab.context.close()
