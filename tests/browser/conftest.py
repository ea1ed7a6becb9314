"""Browser-test fixtures: serve the built site/ on loopback and drive Debian Chromium.

The site must already be built (`make site`); these tests never build it and never skip.
Set BROWSER_TEST_SITE=/path/to/site to test a site built somewhere else.

To keep the run short, each page is opened once (the session-scoped `visit` fixture) and every
check on that page reuses it; pytest runs all the checks of one page before the next page.
Each check sets the palette and viewport it needs itself, so the order does not matter.
"""
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser_support import AXE, CHROMIUM, CHROMIUM_ARGS, MISSING_SITE, SITE, SKIPPED_DIRS, new_visit


def site_pages() -> list[str]:
    """Every page of the built site, as a path relative to the site root ('' is home)."""
    if not (SITE / "index.html").is_file():
        return [MISSING_SITE]
    pages = []
    for html in sorted(SITE.rglob("index.html")):
        rel = html.relative_to(SITE)
        if rel.parts[0] in SKIPPED_DIRS:
            continue
        pages.append("" if rel.parent == Path(".") else rel.parent.as_posix() + "/")
    return pages


def pytest_generate_tests(metafunc):
    if "page_path" in metafunc.fixturenames:
        pages = site_pages()
        metafunc.parametrize("page_path", pages, ids=[p.rstrip("/") or "home" for p in pages],
                             scope="session")


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


@pytest.fixture(scope="session")
def visit(browser, page_url):
    """The page, opened once with JavaScript on, after its network is idle and its charts have
    finished upgrading (or failed to: `charts_error` says why)."""
    current = new_visit(browser, page_url)
    current.page.wait_for_load_state("networkidle")
    if current.has_figures():
        try:
            current.wait_for_charts()
        except Exception as error:  # reported by the chart test, not as a fixture error
            current.charts_error = f"{error.__class__.__name__}: {error}"
    yield current
    current.context.close()


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
