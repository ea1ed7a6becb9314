"""axe-core finds no WCAG 2.2 A/AA violation on any page: light and dark palette, at 1280 px and on
a 375 px phone (each page in both palettes and at both widths; five key pages in all four
combinations), with every data table opened. With BROWSER_SCREENSHOTS=1 each view is also saved as a
screenshot for review.
The keyboard reaches every control, each with a name, and the main content."""
import re

import pytest
from browser_support import (DESKTOP, MOBILE, SCREENSHOTS_WANTED, describe_violations, png_size, run_axe,
                             save_screenshot, settle, wait_for_transitions)

pytestmark = pytest.mark.browser

# name -> (palette, viewport, fixture): each viewport is its own page load
VIEWS = {
    "light-1280px": ("light", DESKTOP, "visit"),
    "dark-1280px": ("dark", DESKTOP, "visit"),
    "light-375px": ("light", MOBILE, "mobile_visit"),
    "dark-375px": ("dark", MOBILE, "mobile_visit"),
}
# Pages whose keyboard order is walked: the home page and a page with several charts.
KEYBOARD_PAGES = ["", "findings/main-contact/"]
MAX_TABS = 600


def open_disclosures(page, settled: bool = True) -> int:
    """Open every closed <details> (the data tables under charts) so axe checks what is inside;
    returns how many were opened, marked so close_disclosures can put them back. settled=False: the
    caller settles the page and waits for colour transitions itself (set_view does both)."""
    opened = page.evaluate(
        """() => { let n = 0;
                   document.querySelectorAll('article details:not([open])').forEach(d => {
                       d.open = true; d.dataset.openedByTest = ''; n += 1; });
                   return n; }""")
    if settled:
        settle(page)  # wide tables become focusable scroll regions
        # Content that was hidden when the palette changed starts its colour transition only now.
        wait_for_transitions(page)
    return opened


def close_disclosures(page) -> None:
    page.evaluate(
        """() => document.querySelectorAll('details[data-opened-by-test]').forEach(d => {
               d.open = false; delete d.dataset.openedByTest; })""")


def test_page_has_no_axe_violations(request, page_url, page_path, axe_path, axe_view):
    """axe_view: conftest.axe_cases (each page in both palettes and both widths; key pages in all four)."""
    view = axe_view
    palette, viewport, fixture = VIEWS[view]
    visit = request.getfixturevalue(fixture)
    page = visit.page
    # The tables are opened first and the view set after: set_view settles the page once for both (wide tables
    # become focusable scroll regions), and colour transitions are waited for once, including those of content
    # that was hidden when the palette last changed, which start only when it is shown.
    open_disclosures(page, settled=False)
    try:
        visit.set_view(palette, viewport)
        wait_for_transitions(page)
        assert page.evaluate("() => window.innerWidth") == viewport["width"]
        if SCREENSHOTS_WANTED:   # full-page pictures for people to review (tables closed): slow, so on request
            close_disclosures(page)
            shot = save_screenshot(page, page_path, view)
            assert png_size(shot)[0] == viewport["width"], f"{shot} is not {viewport['width']} px wide"
            open_disclosures(page)
        violations = run_axe(page, axe_path)
    finally:
        close_disclosures(page)
    assert not violations, (
        f"axe-core found {len(violations)} WCAG 2.2 A/AA violation(s) on {page_url} "
        f"({view}):\n{describe_violations(violations)}")


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_search_has_no_axe_violations(open_page, site_url, axe_path, palette):
    visit = open_page(site_url)
    visit.page.wait_for_load_state("networkidle")
    visit.set_view(palette, DESKTOP)
    visit.page.keyboard.press("/")  # Material's shortcut: focus the search box
    visit.page.keyboard.type("nurse")  # Material ignores page.fill()
    visit.page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    wait_for_transitions(visit.page)  # the dialog and its results fade in: measure colours once they have
    violations = run_axe(visit.page, axe_path)
    assert not violations, (
        f"axe-core found {len(violations)} WCAG 2.2 A/AA violation(s) in the search dialog "
        f"({palette}):\n{describe_violations(violations)}")


FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const box = el.getBoundingClientRect();
    return {
        tag: el.tagName.toLowerCase(),
        id: el.id, cls: typeof el.className === 'string' ? el.className : '',
        href: el.getAttribute('href') || '',
        text: (el.textContent || '').trim().slice(0, 60),
        inMain: !!el.closest('article.md-content__inner'),
        // A visually hidden input may show its focus on a label: Material's palette toggle
        // outlines the label right after the focused radio button (.md-option + label).
        visible: (box.width > 0 && box.height > 0)
                 || [...(el.labels || []), el.nextElementSibling].some(l =>
                        !!l && l.tagName === 'LABEL' && l.getBoundingClientRect().width > 0),
        path: (() => { const parts = []; let node = el;
                       while (node && node.nodeType === 1 && parts.length < 12) {
                           const i = node.parentNode ? [...node.parentNode.children].indexOf(node) : 0;
                           parts.unshift(node.tagName + ':' + i); node = node.parentNode; }
                       return parts.join('/'); })(),
    };
}"""


def accessible_name(cdp) -> str:
    """The focused element's accessible name, as Chromium computes it for screen readers."""
    handle = cdp.send("Runtime.evaluate", {"expression": "document.activeElement"})
    nodes = cdp.send("Accessibility.getPartialAXTree",
                     {"objectId": handle["result"]["objectId"], "fetchRelatives": False})["nodes"]
    node = next((n for n in nodes if not n.get("ignored")), nodes[0] if nodes else {})
    return str(node.get("name", {}).get("value", "")).strip()


@pytest.mark.parametrize("path", KEYBOARD_PAGES, ids=lambda p: p.rstrip("/") or "home")
def test_keyboard_reaches_named_controls_and_main_content(open_page, site_url, path):
    visit = open_page(site_url + path)
    page = visit.page
    page.wait_for_load_state("networkidle")
    if visit.has_figures():
        visit.wait_for_charts()
    settle(page)
    cdp = visit.context.new_cdp_session(page)
    cdp.send("Accessibility.enable")

    reached, unnamed, hidden = [], [], []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue  # focus left the document (past the last control)
        if reached and focused["path"] == reached[0]["path"]:
            break  # wrapped round to the first control
        reached.append(focused)
        if not re.search(r"[A-Za-z0-9]", accessible_name(cdp)):  # not empty, not just "¶"
            unnamed.append(focused)
        if not focused["visible"]:
            hidden.append(focused)
    else:
        pytest.fail(f"Tab did not come back to the first control within {MAX_TABS} presses")

    assert len(reached) > 5, f"Tab reached only {len(reached)} controls on /{path}"
    first = reached[0]
    assert first["href"] == "#__skip" or "skip" in first["cls"] + first["text"].lower(), (
        f"The first Tab stop should be the 'Skip to content' link, not {first}")
    assert any(r["inMain"] for r in reached), "Tab never reached the main content"
    assert not unnamed, (
        "Controls reached by Tab with no accessible name:\n"
        + "\n".join(f"  <{u['tag']} class='{u['cls']}' href='{u['href']}'> {u['text']!r}" for u in unnamed))
    assert not hidden, (
        "Tab stops with no size on screen (focus disappears):\n"
        + "\n".join(f"  <{h['tag']} class='{h['cls']}' href='{h['href']}'> {h['text']!r}" for h in hidden))


def test_skip_link_moves_focus_to_main_content(open_page, site_url):
    visit = open_page(site_url + "findings/main-contact/")
    page = visit.page
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused and focused["inMain"], (
        f"After following 'Skip to content', Tab should land in the main content, not {focused}")
