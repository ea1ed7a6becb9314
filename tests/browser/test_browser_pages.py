"""Every built page loads offline, says its data are illustrative, fits a 320 px screen, and its
charts work with and without JavaScript."""
import pytest
from browser_support import DESKTOP, NARROW

pytestmark = pytest.mark.browser

VEGA_BUNDLE = "vega-embed-bundle.js"


def test_page_loads_offline_without_errors(visit, page_url):
    assert visit.status == 200, f"{page_url} answered HTTP {visit.status}"
    assert not visit.external_requests, (
        "The page asked for files from other hosts (it must work offline and must not tell "
        "anyone else who reads it):\n" + "\n".join(sorted(set(visit.external_requests))))
    assert not visit.failed_responses, f"Requests that failed: {visit.failed_responses}"
    assert not visit.console_errors, "Console errors:\n" + "\n".join(visit.console_errors)
    if not visit.has_figures():
        assert not any(VEGA_BUNDLE in url for url in visit.requests), (
            "The Vega bundle was fetched on a page without charts")


def test_page_says_data_are_illustrative(visit, page_url):
    text = visit.page.locator("article").inner_text()
    assert "Illustrative data" in text, f"No 'Illustrative data' notice on {page_url}"


STATIC_IMAGES_DECODE = """async () => Promise.all(
    [...document.querySelectorAll('figure.chart img.chart-static')].map(async img => {
        const copy = new Image();  // a copy, so lazy loading and display:none do not matter
        copy.src = img.src;
        try { await copy.decode(); } catch (error) { return img.getAttribute('src'); }
        return copy.naturalWidth > 0 ? null : img.getAttribute('src');
    })).then(broken => broken.filter(Boolean))"""

CHART_STATES = """() => [...document.querySelectorAll('figure.chart')].map(f => ({
    spec: f.dataset.spec,
    state: f.dataset.chartState || '(never tried)',
    scheme: f.dataset.chartScheme || '',
    hasDark: f.hasAttribute('data-spec-dark'),
    ok: f.classList.contains('is-interactive') && !!f.querySelector('.chart-interactive svg'),
    staticShown: [...f.querySelectorAll('img.chart-static')]
                   .filter(img => getComputedStyle(img).display !== 'none').length,
}))"""


def test_charts_render_static_then_interactive(visit):
    page = visit.page
    if not visit.has_figures():
        return  # nothing to check on a page without charts
    broken = page.evaluate(STATIC_IMAGES_DECODE)
    assert not broken, f"Static chart images that do not load: {broken}"

    for palette in ("light", "dark"):
        visit.set_view(palette, DESKTOP)
        states = page.evaluate(CHART_STATES)
        static = [f"{s['spec']}: state={s['state']}" for s in states if not s["ok"]]
        assert not static, (
            f"Charts that did not become interactive within 15 s ({palette} palette):\n"
            + "\n".join(static) + f"\n{visit.charts_error}\nConsole errors: {visit.console_errors}")
        assert not [s for s in states if s["staticShown"]], (
            "A static image still shows next to its interactive chart")
        wrong = [s["spec"] for s in states if s["hasDark"] and s["scheme"] != palette]
        assert not wrong, f"Charts not redrawn for the {palette} palette: {wrong}"


def test_charts_work_without_javascript(open_page, page_url):
    visit = open_page(page_url, java_script_enabled=False)
    if not visit.has_figures():
        return
    result = visit.page.evaluate(
        """() => [...document.querySelectorAll('figure.chart')].map(f => {
               const shown = [...f.querySelectorAll('img.chart-static')]
                 .filter(img => getComputedStyle(img).display !== 'none');
               const img = shown[0];
               const box = f.querySelector('.chart-interactive');
               return {
                 spec: f.dataset.spec,
                 oneImageShown: shown.length === 1,
                 imgLoaded: !!img && img.complete && img.naturalWidth > 0,
                 imgHasWidth: !!img && img.getBoundingClientRect().width > 0,
                 boxHidden: !box || getComputedStyle(box).visibility === 'hidden',
               };
           })""")
    problems = [r for r in result if not all(r[k] for k in r if k != "spec")]
    assert not problems, f"Charts without JavaScript: {problems}"
    assert not any(VEGA_BUNDLE in url for url in visit.requests)


def test_page_does_not_scroll_sideways_at_320px(visit):
    visit.set_view("light", NARROW)
    overflow = visit.page.evaluate(
        """() => {
               const width = document.documentElement.clientWidth;
               return {
                 scrollWidth: document.documentElement.scrollWidth,
                 clientWidth: width,
                 culprits: [...document.querySelectorAll('body *')]
                   .filter(el => el.getBoundingClientRect().right > width + 1
                                 && !el.closest('.md-typeset__scrollwrap, .md-sidebar, .md-search'))
                   .slice(0, 5)
                   .map(el => el.tagName.toLowerCase()
                              + (typeof el.className === 'string' && el.className
                                 ? '.' + el.className.trim().split(/\\s+/).join('.') : '')),
               };
           }""")
    assert overflow["scrollWidth"] <= overflow["clientWidth"], (
        f"Page is {overflow['scrollWidth']} px wide on a 320 px screen; "
        f"elements sticking out: {overflow['culprits']}")
