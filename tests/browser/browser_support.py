"""Helpers shared by the browser tests: paths, browser settings, one opened page (Visit) with the
bytes it transferred, and the page-weight and screenshot records."""
import os
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

REPO = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("BROWSER_TEST_SITE") or REPO / "site").resolve()
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"  # git-ignored
# Full-page pictures for people to review are slow to take: only on request (BROWSER_SCREENSHOTS=1 make test).
SCREENSHOTS_WANTED = os.environ.get("BROWSER_SCREENSHOTS") == "1"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
MISSING_SITE = "<site not built>"
SKIPPED_DIRS = {"assets", "figures"}
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about", "chrome-error"}
# Requests to any other host are aborted in the browser (and recorded): tests stay offline and
# fast. A regex, not a Python function, so the browser only pauses the requests that match.
EXTERNAL_URL = re.compile(r"^(?!(?:https?|wss?)://(?:127\.0\.0\.1|localhost|\[::1\])[:/])[a-z]+://")
CHARTS_TIMEOUT_MS = 15_000
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 812}
NARROW = {"width": 320, "height": 640}
SCHEMES = {"light": "default", "dark": "slate"}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def is_external(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return False
    return parts.hostname not in LOOPBACK_HOSTS


class Visit:
    """One page opened in its own browser context, with everything it requested and logged."""

    def __init__(self, context, page):
        self.context = context
        self._page = page
        self.url = page.url
        self.moved_on = ""   # set when a shared Tab has gone on to another page
        self.status = None
        self.requests: list[str] = []
        self.external_requests: list[str] = []
        self.failed_responses: dict[str, int] = {}
        self.console_errors: list[str] = []
        self.charts_error = ""
        self.finished = []  # every request that completed, the page's and its workers'
        self._has_figures: bool | None = None

    @property
    def page(self):
        assert not self.moved_on, (f"This view of {self.url} was left for {self.moved_on} (its tab is shared, page "
                                   "after page): a test came back to a page after the next one had started")
        return self._page

    def bytes_by_url(self) -> dict[str, int]:
        """Bytes received for each URL: response headers plus the body as sent (encoded)."""
        sizes = {}
        for request in self.finished:
            if urlsplit(request.url).scheme in LOCAL_SCHEMES:
                continue
            measured = request.sizes()
            body = measured["responseBodySize"]
            if not body:  # a worker's own script: Chromium does not report its body size
                response = request.response()
                body = int((response.headers if response else {}).get("content-length", 0))
            sizes[request.url] = sizes.get(request.url, 0) + body + measured["responseHeadersSize"]
        return sizes

    def on_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def on_request(self, request) -> None:
        self.requests.append(request.url)
        if is_external(request.url):
            self.external_requests.append(request.url)

    def on_response(self, response) -> None:
        if response.status >= 400:
            self.failed_responses[response.url] = response.status

    def has_figures(self) -> bool:
        """Whether the page has charts (asked once per visit: the page's scripts never add or remove one)."""
        if self._has_figures is None:
            self._has_figures = self.page.locator("figure.chart").count() > 0
        return self._has_figures

    def wait_for_charts(self) -> None:
        """Wait until every chart has finished trying to upgrade (interactive or static)."""
        self.page.wait_for_function(
            """() => [...document.querySelectorAll('figure.chart')].every(
                   f => ['interactive', 'static'].includes(f.getAttribute('data-chart-state')))""",
            timeout=CHARTS_TIMEOUT_MS,
        )

    def set_view(self, palette: str = "light", viewport: dict = DESKTOP) -> None:
        """Show the page in `palette` (switched with the header toggle, as a reader would) at
        `viewport`, and let charts and tables settle."""
        page = self.page
        # Another page may be in front (each viewport is its own window): a page in the
        # background does not run its colour transitions, so axe would measure half-way colours.
        page.bring_to_front()
        if page.viewport_size != viewport:
            page.set_viewport_size(viewport)
        scheme = SCHEMES[palette]
        body = page.locator("body")
        for _ in range(len(SCHEMES)):
            if body.get_attribute("data-md-color-scheme") == scheme:
                break
            toggle = page.locator(
                "form[data-md-component='palette'] label.md-header__button:visible")
            waited = time.monotonic() + 5   # the header may still be settling after a load or a switch
            while toggle.count() != 1 and time.monotonic() < waited:
                page.wait_for_timeout(100)
            assert toggle.count() == 1, "Expected exactly one visible palette toggle"
            assert toggle.get_attribute("title"), "The palette toggle has no name"
            before = body.get_attribute("data-md-color-scheme")
            toggle.click()
            # The toggle switches the scheme attribute; Material's colour transitions start on the
            # next style update (settle) and run for a while, longer on a busy machine.
            try:
                page.wait_for_function(
                    "before => document.body.getAttribute('data-md-color-scheme') !== before", arg=before,
                    timeout=10_000)
            except PlaywrightTimeout:
                continue   # the toggle did nothing: the assertion below says so
            settle(page)
            wait_for_transitions(page)
        assert body.get_attribute("data-md-color-scheme") == scheme, (
            f"The palette toggle did not switch to the {palette} scheme")
        settle(page)
        if self.has_figures():
            self.wait_for_charts()  # charts with a dark version redraw on a palette switch


def wait_for_transitions(page) -> None:
    """Wait until no CSS transition is running, so colours are measured at their final values."""
    page.wait_for_function(
        """() => document.getAnimations().every(a => !(a instanceof CSSTransition)
                                                || a.playState !== 'running')""",
        timeout=10_000)


def settle(page) -> None:
    """Wait two frames and an idle period, so resize observers and idle callbacks have run."""
    page.evaluate(
        """() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(() =>
               (window.requestIdleCallback || setTimeout)(resolve, {timeout: 2000}))))""")


def new_visit(browser, url: str, wait_until: str = "load", **context_options) -> Visit:
    """The page at url in a fresh context (empty cache), once navigation reached wait_until."""
    context_options.setdefault("color_scheme", "light")
    context_options.setdefault("viewport", DESKTOP)
    context = browser.new_context(**context_options)
    page = context.new_page()
    visit = Visit(context, page)
    visit.url = url
    context.on("request", visit.on_request)
    context.on("response", visit.on_response)
    context.route(EXTERNAL_URL, lambda route: route.abort())
    page.on("console", visit.on_console)
    page.on("pageerror", lambda error: visit.console_errors.append(f"uncaught: {error}"))
    # A fresh context starts with an empty cache, so this is what a first visit transfers.
    context.on("requestfinished", lambda request: visit.finished.append(request))
    response = page.goto(url, wait_until=wait_until)
    visit.status = response.status if response else None
    return visit


class Tab:
    """One browser context with one page (a tab), reused page after page: each `open` navigates the tab to a
    page as a reader's first visit to the site would open it (nothing stored: no palette, no session, no
    cookies; no HTTP cache either: Playwright turns it off while a route is set, so a page transfers all a first
    visit transfers, and its weight can be measured), with a new Visit recording only that page's requests,
    responses and console messages.

    A tab's renderer process stays up, so axe-core, added to every page the tab opens (axe_path, one copy sent
    to the browser for the whole run), is compiled once and runs warm, scripts compiled once stay compiled, and
    the context and window are made once (a fresh context per page costs about twice the CPU of its load)."""

    def __init__(self, browser, axe_path: str | None = None, **context_options):
        context_options.setdefault("color_scheme", "light")
        context_options.setdefault("viewport", DESKTOP)
        self.context = browser.new_context(**context_options)
        self.context.route(EXTERNAL_URL, lambda route: route.abort())
        if axe_path:
            self.context.add_init_script(path=axe_path)
        self.page = self.context.new_page()
        self.cdp = self.context.new_cdp_session(self.page)
        self.visit: Visit | None = None
        self.origins: set[str] = set()
        self._mine: set = set()   # the current visit's requests (a late one of the page before is not its)
        self.context.on("request", self._on_request)
        self.context.on("response", self._on_response)
        self.context.on("requestfinished", self._on_finished)
        self.page.on("console", lambda message: self.visit and self.visit.on_console(message))
        self.page.on("pageerror", lambda error: self.visit and self.visit.console_errors.append(f"uncaught: {error}"))

    def _on_request(self, request) -> None:
        if self.visit is not None:
            self._mine.add(request)
            self.visit.on_request(request)

    def _on_response(self, response) -> None:
        if self.visit is not None and response.request in self._mine:
            self.visit.on_response(response)

    def _on_finished(self, request) -> None:
        if self.visit is not None and request in self._mine:
            self.visit.finished.append(request)

    def forget(self) -> None:
        """What the pages opened so far stored (the palette chosen, the session, cookies), so the next page
        opens as on a first visit. (The HTTP cache is off while the tab's route is set: every page fetches all
        it needs again.)"""
        if self.page.url.startswith("http"):
            try:   # sessionStorage belongs to the tab: only the page can clear it
                self.page.evaluate("() => { try { localStorage.clear(); sessionStorage.clear(); } catch (e) {} }")
            except PlaywrightError as error:   # a page still loading may be replaced while this runs
                if "context was destroyed" not in str(error):
                    raise
        for origin in self.origins:
            self.cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "local_storage,indexeddb,cookies"})
        self.context.clear_cookies()

    def open(self, url: str, wait_until: str = "load") -> Visit:
        """The tab navigated to url (the previous page's Visit is left behind: reading it again fails)."""
        if self.visit is not None:
            self.visit.moved_on = url
        self.forget()
        self.visit, self._mine = Visit(self.context, self.page), set()
        parts = urlsplit(url)
        self.origins.add(f"{parts.scheme}://{parts.netloc}")
        self.visit.url = url
        response = self.page.goto(url, wait_until=wait_until)
        self.visit.status = response.status if response else None
        return self.visit


TABS: dict[str, Tab] = {}   # this worker's shared tabs, by name ("phone", "no-script", "embed")


def shared_tab(browser, name: str, **context_options) -> Tab:
    """This worker's tab `name` (made on first use with context_options; the browser closes it at the end)."""
    if name not in TABS:
        TABS[name] = Tab(browser, **context_options)
    return TABS[name]


# Page weights recorded by the `visit` fixture (desktop, empty cache): printed at the end of the run.
PAGE_WEIGHTS: dict[str, dict] = {}


def page_id(page_path: str) -> str:
    """A file-name-safe id for a page path ('' is home)."""
    return page_path.strip("/").replace("/", "__") or "home"


def save_screenshot(page, page_path: str, view: str) -> Path:
    """A full-page PNG of the page as shown now, for people to review."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # Lazy images below the fold would show as gaps in a full-page picture: load them first.
    page.evaluate(
        """() => Promise.race([
               Promise.all([...document.querySelectorAll('img[loading="lazy"]')].map(img => {
                   img.loading = 'eager';
                   return img.decode().catch(() => null);
               })),
               new Promise(resolve => setTimeout(resolve, 5000))])""")
    path = SCREENSHOTS / f"{page_id(page_path)}--{view}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG's header; fails on anything that is not a PNG."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def run_axe(page, axe_path) -> list[dict]:
    """axe-core's WCAG 2.2 A/AA violations on the page as shown now (axe is added once per page load)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=axe_path)
    return page.evaluate(
        """async (tags) => {
               // Only violations are read: axe then describes one node per passed or
               // incomplete rule, not all of them (every rule still runs on every node).
               const results = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                        resultTypes: ['violations']});
               return results.violations.map(v => ({
                 id: v.id, impact: v.impact, help: v.help,
                 nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                           summary: n.failureSummary})),
               }));
           }""",
        AXE_TAGS,
    )


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:8]:
            lines.append(f"    {node['target']}")
            lines.append("      " + (node["summary"] or "").replace("\n", "\n      "))
    return "\n".join(lines)
