"""Every built page loads offline, says its data are illustrative, fits a 320 px screen, is not
too heavy, and its charts work with and without JavaScript."""
import pytest
from browser_support import DESKTOP, NARROW, PAGE_WEIGHTS

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


def test_charts_render_static_then_interactive_on_request(visit):
    """Static pictures first; nothing more until the reader presses "Explore this chart", which
    draws the interactive chart (redrawn for the palette)."""
    page = visit.page
    if not visit.has_figures():
        return  # nothing to check on a page without charts
    broken = page.evaluate(STATIC_IMAGES_DECODE)
    assert not broken, f"Static chart images that do not load: {broken}"
    assert not any(VEGA_BUNDLE in url for url in visit.requests), "The Vega bundle loaded before anyone asked"
    buttons = page.locator("figure.chart .chart-explore")
    assert buttons.count() == page.locator("figure.chart").count(), "Every chart offers 'Explore this chart'"
    for i in range(buttons.count()):
        if page.locator("figure.chart").nth(i).get_attribute("data-chart-state") == "static":
            buttons.nth(i).click()
    visit.wait_for_charts()

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


NO_SCRIPT_FIGURES = """() => [...document.querySelectorAll('figure.chart')].map(f => {
    const block = f.closest('.figure-block');
    const shown = [...f.querySelectorAll('img.chart-static')]
      .filter(img => getComputedStyle(img).display !== 'none');
    const img = shown[0];
    const box = img ? img.getBoundingClientRect() : {width: 0, height: 0};
    const description = block && block.querySelector('.figure-description');
    const table = block && block.querySelector('details.figure-table');
    const isVisible = el => !!el && el.getClientRects().length > 0
                            && getComputedStyle(el).visibility !== 'hidden';
    const interactive = f.querySelector('.chart-interactive');
    return {
      spec: f.dataset.spec,
      oneStaticImageShown: shown.length === 1,
      imageIsSvg: !!img && /\\.svg$/.test(img.getAttribute('src') || ''),
      imageLoaded: !!img && img.complete && img.naturalWidth > 0,
      imageVisible: isVisible(img) && box.width > 0 && box.height > 0,
      interactiveBoxHidden: !interactive || getComputedStyle(interactive).visibility === 'hidden',
      descriptionVisible: isVisible(description) && description.textContent.trim().length > 20,
      tableHasRows: !!table && table.querySelectorAll('tbody tr').length > 0,
      tableSummaryVisible: !!table && isVisible(table.querySelector('summary')),
    };
})"""


def test_charts_work_without_javascript(no_script_visit, figure_page_path):
    """With JavaScript off, every chart shows its static SVG, its description and its table."""
    page = no_script_visit.page
    result = page.evaluate(NO_SCRIPT_FIGURES)
    assert result, f"/{figure_page_path} has no chart with JavaScript off"
    problems = [r for r in result if not all(r[k] for k in r if k != "spec")]
    assert not problems, f"Charts without JavaScript on /{figure_page_path}: {problems}"
    # The data table opens without JavaScript (a native <details>) and its rows show.
    summaries = page.locator("details.figure-table > summary")
    for i in range(summaries.count()):
        summaries.nth(i).click()
    hidden_rows = page.evaluate(
        """() => [...document.querySelectorAll('details.figure-table')].filter(d =>
               !d.open || !d.querySelector('tbody tr').getClientRects().length).length""")
    assert not hidden_rows, f"{hidden_rows} data table(s) did not open without JavaScript"
    assert not any(VEGA_BUNDLE in url for url in no_script_visit.requests), (
        "The Vega bundle was fetched with JavaScript off")


def test_page_does_not_scroll_sideways_at_320px(mobile_visit):
    mobile_visit.set_view("light", NARROW)
    overflow = mobile_visit.page.evaluate(
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


# Budgets for one page view with an empty cache (raw bytes; the phone test checks gzip). The Vega
# bundle (~0.9 MB) is fetched only on request, never on arrival.
BUDGET_WITHOUT_CHARTS = 1_000_000
BUDGET_WITH_CHARTS = 2_500_000


def test_page_weight_is_recorded_and_within_budget(visit, page_path):
    weight = PAGE_WEIGHTS.get(page_path)
    assert weight and weight["bytes"] > 0, f"No bytes were recorded for /{page_path}"
    heaviest = sorted(weight["by_url"].items(), key=lambda item: -item[1])[:5]
    detail = "\n".join(f"  {size:>9,} B  {url}" for url, size in heaviest)
    has_charts = visit.has_figures()
    budget = BUDGET_WITH_CHARTS if has_charts else BUDGET_WITHOUT_CHARTS
    assert weight["bytes"] <= budget, (
        f"/{page_path} transferred {weight['bytes']:,} B with an empty cache "
        f"(budget {budget:,} B for a page {'with' if has_charts else 'without'} charts). "
        f"Heaviest files:\n{detail}")
    fetched_bundle = any(VEGA_BUNDLE in url for url in weight["by_url"])
    assert not fetched_bundle, (
        f"The Vega bundle loads only when a reader presses 'Explore this chart' (/{page_path}: "
        f"charts={has_charts}, bundle fetched on arrival)")
