"""Browser-test fixtures: serve the built site/ on loopback and drive Debian Chromium.

The site must already be built (`make site`); these tests never build it and never skip.
Set BROWSER_TEST_SITE=/path/to/site to test a site built somewhere else.

To keep the run short, each page is opened once per viewport (the session-scoped `visit` at
1280 px in the worker's desktop tab, and `mobile_visit` at 375 px in its phone tab, loading side by side)
and every check on that page reuses them; pytest runs all the checks of one page before the next page. Each check sets the palette and viewport it needs
itself, so the order does not matter. Figure pages are also opened once with JavaScript off.

At the end of the run the terminal summary lists the heaviest pages (bytes transferred with an
empty cache, as the desktop visit loaded them; tests/conftest.py prints it, with or without
pytest-xdist workers); with BROWSER_SCREENSHOTS=1, screenshots of every view go to
tests/browser/screenshots/.

Under pytest-xdist each worker has its own browser and web server; each page's checks run on one
worker (tests/conftest.py work_group), so a page is still opened once per viewport.
"""
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser_support import (AXE, CHROMIUM, CHROMIUM_ARGS, MISSING_SITE, MOBILE, PAGE_WEIGHTS, SITE,
                             SKIPPED_DIRS, TABS, Tab, Visit, new_visit, shared_tab)

def site_pages() -> list[str]:
    """Every page of the built site, as a path relative to the site root ('' is home)."""
    if not (SITE / "index.html").is_file():
        return [MISSING_SITE]
    pages = []
    for html in sorted(SITE.rglob("index.html")):
        rel = html.relative_to(SITE)
        if rel.parts[0] in SKIPPED_DIRS:
            continue
        if 'content="mkdocs' not in html.read_text("utf-8"):   # a withdrawn version's notice, not a site page
            continue
        pages.append("" if rel.parent == Path(".") else rel.parent.as_posix() + "/")
    return pages


def figure_pages() -> list[str]:
    """The pages whose built HTML has at least one chart."""
    pages = site_pages()
    if pages == [MISSING_SITE]:
        return pages
    return [p for p in pages if 'class="chart"' in (SITE / p / "index.html").read_text("utf-8")]


# axe views: every page in both palettes and at both widths, as two views (light at 1280 px, dark at
# 375 px); the pages with every kind of block (home, a findings page, a question page, your area,
# the data page) in all four combinations.
AXE_PAIRWISE = ("light-1280px", "dark-375px")
AXE_ALL = ("light-1280px", "dark-1280px", "light-375px", "dark-375px")
AXE_FULL_PAGES = ("", "findings/main-contact/", "questions/main_contact/", "your-area/", "data/")


def axe_cases(pages: list[str]) -> list[tuple[str, str]]:
    return [(p, view) for p in pages for view in (AXE_ALL if p in AXE_FULL_PAGES else AXE_PAIRWISE)]


def pytest_generate_tests(metafunc):
    if "axe_view" in metafunc.fixturenames:
        cases = axe_cases(site_pages())
        metafunc.parametrize(["page_path", "axe_view"], cases, scope="session",
                             ids=[f"{p.rstrip('/') or 'home'}-{v}" for p, v in cases])
        return
    for name, pages in (("page_path", site_pages), ("figure_page_path", figure_pages)):
        if name in metafunc.fixturenames:
            found = pages()
            metafunc.parametrize(name, found, ids=[p.rstrip("/") or "home" for p in found],
                                 scope="session")


def pytest_sessionfinish(session):
    """On a pytest-xdist worker, hand the pages' weights to the main process, which prints them
    (tests/conftest.py pytest_terminal_summary); without workers, it reads PAGE_WEIGHTS itself."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["page_weights"] = {path: {"bytes": w["bytes"], "requests": w["requests"]}
                                        for path, w in PAGE_WEIGHTS.items()}


def _missing_site():
    pytest.fail(f"{SITE / 'index.html'} is missing: run `make site` first.", pytrace=False)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(url: str, proc: subprocess.Popen, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"The test web server exited early (code {proc.returncode}).")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"The test web server did not answer at {url} within {timeout:.0f} s.")


@pytest.fixture(scope="session")
def site_url():
    """Base URL (ending in '/') of site/ served by `python -m http.server` on loopback."""
    if not (SITE / "index.html").is_file():
        _missing_site()
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(SITE)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_serving(base, proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test-deps` (installs Debian chromium).",
                    pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        TABS.clear()


@pytest.fixture(scope="session")
def page_url(site_url, page_path):
    if page_path == MISSING_SITE:
        _missing_site()
    return site_url + page_path


@pytest.fixture(scope="session")
def axe_path():
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make test-deps` (npm ci installs axe-core).",
                    pytrace=False)
    return str(AXE)


# Each page's desktop and phone views load side by side (each in its own window, both drawn): whichever
# of `visit` and `mobile_visit` a page's first check asks for starts both, and the other takes its view
# from here. Each view opens in its tab, one per worker and view, which goes from page to page as a first visit
# would open each (nothing stored: browser_support.Tab; no HTTP cache while a route is set, so the desktop view
# transfers all a first visit does, and its weight is recorded), its renderer and axe-core staying warm: a
# fresh context per page costs a new renderer and window, about twice the CPU of the load itself.
VIEW_OPTIONS = {"desktop": {}, "phone": {"viewport": MOBILE, "is_mobile": True, "has_touch": True}}
TAKEN: set[tuple[str, str]] = set()


def view_tab(browser, view: str) -> Tab:
    return shared_tab(browser, view, axe_path=str(AXE) if AXE.is_file() else None, **VIEW_OPTIONS[view])


def _start_views(browser, url: str) -> None:
    """Start loading the page's views that were never started (the tabs leave the page before)."""
    for view in VIEW_OPTIONS:
        tab = view_tab(browser, view)
        if (url, view) not in TAKEN and (tab.visit is None or tab.visit.url != url):
            tab.open(url, wait_until="commit")


def _start_view(browser, url: str, view: str) -> Visit:
    """The view, started with the page's other view if it was not (again if it was taken before)."""
    _start_views(browser, url)
    tab = view_tab(browser, view)
    if (url, view) in TAKEN or tab.visit is None or tab.visit.url != url:
        tab.open(url, wait_until="commit")
    return tab.visit


def _take_settled(browser, url: str, view: str) -> Visit:
    """The page's view (started with its other view), opened with JavaScript on, after its `load` (the desktop
    view: after its network is idle) and its charts have finished upgrading (or failed to: `charts_error` says
    why)."""
    current = _start_view(browser, url, view)
    TAKEN.add((url, view))
    current.page.wait_for_load_state("load")
    # The desktop view's weight and requests are recorded (visit, test_page_loads_offline_without_errors), so it
    # waits for what loads after `load` too (the search worker, the sitemap); the phone view's checks read the
    # page itself, and skip that wait.
    recorded = view == "desktop"
    if recorded:
        current.page.wait_for_load_state("networkidle")
    if current.has_figures():
        try:
            current.wait_for_charts()
            if recorded:
                current.page.wait_for_load_state("networkidle")
        except Exception as error:  # reported by the chart test, not as a fixture error
            current.charts_error = f"{error.__class__.__name__}: {error}"
    return current


@pytest.fixture(scope="session")
def visit(browser, page_url, page_path):
    """The page at 1280 px, opened once (in the worker's desktop tab); its weight (empty cache) is recorded on
    arrival."""
    current = _take_settled(browser, page_url, "desktop")
    by_url = current.bytes_by_url()
    PAGE_WEIGHTS[page_path] = {"bytes": sum(by_url.values()), "requests": len(by_url), "by_url": by_url}
    return current


@pytest.fixture(scope="session")
def mobile_visit(browser, page_url):
    """The page opened once on a 375 px wide phone screen (in the worker's phone tab)."""
    return _take_settled(browser, page_url, "phone")


@pytest.fixture(scope="session")
def no_script_visit(browser, site_url, figure_page_path):
    """A page with charts, opened once with JavaScript off (in the worker's no-script tab)."""
    if figure_page_path == MISSING_SITE:
        _missing_site()
    # Opened at `load`: with JavaScript off nothing is fetched after it (lazy images load eagerly without scripts).
    return shared_tab(browser, "no-script", java_script_enabled=False).open(site_url + figure_page_path)


@pytest.fixture
def open_page(browser):
    """open_page(url, **context_options) -> Visit, in a fresh context closed after the test."""
    contexts = []

    def _open(url: str, **context_options):
        opened = new_visit(browser, url, **context_options)
        contexts.append(opened.context)
        return opened

    yield _open
    for context in contexts:
        context.close()
