"""Time until the first chart is visible on an emulated mid-range phone, served by a local gzip server.

Debian Chromium through Playwright (never `playwright install`), with the Chrome DevTools
Protocol doing the emulation: CPU 4x slower (Emulation.setCPUThrottlingRate), 1.6 Mbps down,
750 kbps up, 150 ms latency (Network.emulateNetworkConditions) and the cache disabled.

"Visible" is measured in the page: the load event of the first chart's static image (that is
laid out, i.e. not the hidden dark-scheme twin), then two animation frames so it has been painted.
The page is opened at the first figure's anchor (#fig-<id>), so the chart is in the viewport and
its lazy image loads, as when a reader follows a link to a chart. Measured in the same run:

- ours: the findings page as published; also the gzip bytes it moved in its first 5 s with no
  interaction, then the time from pressing "Explore this chart" to the interactive chart;
- static floor: a page holding only that chart's <picture> (no CSS, no script): the least any
  page showing the chart could cost;
- Vega in the browser: a page that only loads the same self-hosted Vega bundle and embeds the
  same spec (the chart is visible once Vega's SVG is in the page and painted).
"""
from __future__ import annotations

import gzip
import http.server
import json
import mimetypes
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
PHONE = {"viewport": {"width": 412, "height": 823}, "device_scale_factor": 2.625, "is_mobile": True,
         "has_touch": True,
         "user_agent": "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 "
                       "(KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36"}
NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8,
           "connectionType": "cellular4g"}
CPU_SLOWDOWN = 4
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml",
                "application/manifest+json")

PROBE = """
(() => {
  const b = window.__bench = {};
  const painted = (key) => requestAnimationFrame(() => requestAnimationFrame(() => {
    if (!b[key]) b[key] = performance.now();
  }));
  document.addEventListener('load', (e) => {
    const t = e.target;
    if (t && t.tagName === 'IMG' && t.classList.contains('chart-static') && !b.chartLoaded
        && t.naturalWidth > 0 && t.getClientRects().length) {
      b.chartLoaded = performance.now(); b.chartSrc = t.getAttribute('src'); painted('firstChart');
    }
  }, true);
  new MutationObserver(() => {
    if (!b.interactiveSeen && document.querySelector('figure.chart.is-interactive')) {
      b.interactiveSeen = performance.now(); painted('interactive');
    }
    if (!b.chartLoaded && document.querySelector('#bench-chart svg')) {
      b.chartLoaded = performance.now(); painted('firstChart');
    }
  }).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['class']});
})();
"""


class GzipHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    root: Path
    cache: dict
    log: list
    lock = threading.Lock()

    def do_GET(self):
        path = unquote(urlsplit(self.path).path)
        target = (self.root / path.lstrip("/")).resolve()
        if self.root not in target.parents and target != self.root:
            return self.send_error(404)
        if target.is_dir():
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            target = target / "index.html"
        if not target.is_file():
            return self.send_error(404)
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        data = target.read_bytes()
        encoding = None
        if ctype.startswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", ""):
            key = str(target)
            with self.lock:
                if key not in self.cache:
                    self.cache[key] = gzip.compress(data, compresslevel=6, mtime=0)
                data = self.cache[key]
            encoding = "gzip"
        self.send_response(200)
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/") else ""))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-cache")
        if encoding:
            self.send_header("Content-Encoding", encoding)
            self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(data)
        with self.lock:
            self.log.append({"path": path, "bytes": len(data), "type": ctype, "t": time.perf_counter()})

    def log_message(self, *args):
        pass


def serve(root: Path):
    handler = type("Handler", (GzipHandler,), {"root": root.resolve(), "cache": {}, "log": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, handler


def kind_of(entry: dict) -> str:
    path, ctype = entry["path"], entry["type"]
    if path.endswith("vega-embed-bundle.js") or path.endswith(".vl.json"):
        return "chart_upgrade (lazy)"
    if "search" in path or "/workers/" in path or "/lunr/" in path:
        return "search"
    if ctype == "text/html":
        return "html"
    if ctype == "text/css":
        return "css"
    if "javascript" in ctype:
        return "js"
    if ctype == "image/svg+xml":
        return "svg"
    return "other"


def write_vega_page(site: Path, spec: dict) -> str:
    """A page that only loads the site's Vega bundle and embeds the spec; returns its URL path."""
    folder = site / "_bench"
    folder.mkdir(exist_ok=True)
    (folder / "vega-first-chart.html").write_text(f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Vega in the browser</title></head>
<body><div id="bench-chart"></div>
<script src="../assets/vendor/vega-embed-bundle.js"></script>
<script>vegaEmbed("#bench-chart", {json.dumps(spec)}, {{actions: false, renderer: "svg"}});</script>
</body></html>
""", encoding="utf-8")
    return "/_bench/vega-first-chart.html"


def write_static_page(site: Path, page_rel: str) -> str:
    """A page with only the first chart's <picture> from the findings page (same files, no CSS, no
    script, nothing else): the static floor. Returns its URL path."""
    text = (site / page_rel).read_text(encoding="utf-8")
    start = text.index("<picture>")
    picture = text[start:text.index("</picture>", start) + len("</picture>")]
    folder = site / page_rel.removesuffix("index.html")
    depth = len(Path(page_rel).parts) - 1
    (site / "_bench").mkdir(exist_ok=True)
    # The chart's URLs are relative to the findings page: rebase them onto _bench/.
    prefix = "../" * depth
    picture = picture.replace(f'"{prefix}figures/', '"../figures/') if depth else picture.replace('"figures/', '"../figures/')
    del folder
    (site / "_bench" / "static-first-chart.html").write_text(f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Static chart only</title></head>
<body>{picture}</body></html>
""", encoding="utf-8")
    return "/_bench/static-first-chart.html"


EXPLORE = """() => new Promise(resolve => {
  const figure = document.querySelector('figure.chart');
  const button = figure && figure.querySelector('.chart-explore');
  if (!button || button.hidden) return resolve(null);
  const start = performance.now();
  new MutationObserver((_, observer) => {
    if (figure.classList.contains('is-interactive')) {
      observer.disconnect();
      requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - start)));
    }
  }).observe(figure, {attributes: true, attributeFilter: ['class']});
  button.click();
})"""

WINDOW_S = 5.0


def one_run(browser, url: str, handler, explore: bool) -> dict:
    context = browser.new_context(**PHONE)
    outside = []
    try:
        page = context.new_page()
        page.on("request", lambda r: outside.append(r.url)
                if urlsplit(r.url).hostname not in ("127.0.0.1", None) and not r.url.startswith("data:") else None)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", NETWORK)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        page.add_init_script(PROBE)
        with handler.lock:
            handler.log.clear()
        started = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=60_000)
        page.wait_for_function("() => window.__bench && window.__bench.firstChart", timeout=60_000, polling=100)
        time.sleep(max(0.0, WINDOW_S - (time.perf_counter() - started)))   # the 5 s with no interaction
        with handler.lock:
            in_window = sum(e["bytes"] for e in handler.log if e["t"] - started <= WINDOW_S)
        explore_ms = page.evaluate(EXPLORE) if explore else None
        bench = page.evaluate("() => window.__bench")
        paints = page.evaluate("() => Object.fromEntries(performance.getEntriesByType('paint')"
                               ".map(e => [e.name, e.startTime]))")
        nav = page.evaluate("() => { const n = performance.getEntriesByType('navigation')[0];"
                            " return n ? {dom_content_loaded: n.domContentLoadedEventEnd, load: n.loadEventEnd} : {} }")
        resources = page.evaluate("() => performance.getEntriesByType('resource').map(e => ["
                                  "new URL(e.name).pathname, Math.round(e.startTime), Math.round(e.responseEnd),"
                                  " e.initiatorType])")
        ttfb = page.evaluate("() => { const n = performance.getEntriesByType('navigation')[0];"
                             " return n ? Math.round(n.responseEnd) : null }")
    finally:
        context.close()
    with handler.lock:
        log = list(handler.log)
    by_kind: dict[str, int] = {}
    for entry in log:
        by_kind[kind_of(entry)] = by_kind.get(kind_of(entry), 0) + entry["bytes"]
    ms = lambda v: round(v) if v else None  # noqa: E731
    return {"first_chart_visible_ms": ms(bench.get("firstChart")), "chart_image_loaded_ms": ms(bench.get("chartLoaded")),
            "first_chart_src": bench.get("chartSrc"), "gzip_bytes_first_5s": in_window,
            "explore_to_interactive_ms": ms(explore_ms),
            "first_contentful_paint_ms": ms(paints.get("first-contentful-paint")),
            "dom_content_loaded_ms": ms(nav.get("dom_content_loaded")), "load_ms": ms(nav.get("load")),
            "html_received_ms": ttfb, "transferred_bytes_by_kind": by_kind, "requests": len(log),
            "non_loopback_requests": outside,
            "waterfall_ms": [{"path": r[0], "start": r[1], "end": r[2], "by": r[3]} for r in resources]}


def median_of(runs: list[dict], key: str):
    values = [r[key] for r in runs if r.get(key) is not None]
    return round(statistics.median(values)) if values else None


def first_chart(site: Path, page_rel: str, runs: int = 3) -> dict:
    """Median over `runs` fresh contexts, for the figure page, its static floor and the
    Vega-in-the-browser peer, in one run (one server, one browser)."""
    from playwright.sync_api import sync_playwright
    from peers import PageResources, site_file
    page_path = site / page_rel
    parser = PageResources()
    parser.feed(page_path.read_text(encoding="utf-8"))
    anchor = None
    text = page_path.read_text(encoding="utf-8")
    marker = 'id="fig-'
    if marker in text:
        anchor = text.split(marker, 1)[1].split('"', 1)[0]
    spec = json.loads(site_file(site, page_path, parser.specs[0]).read_text(encoding="utf-8"))
    vega_path = write_vega_page(site, spec)
    static_path = write_static_page(site, page_rel)
    url_path = "/" + page_rel.removesuffix("index.html")
    server, handler = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    result = {"emulation": {"cpu_slowdown": CPU_SLOWDOWN, **{k: NETWORK[k] for k in ("latency", "downloadThroughput",
                                                                                        "uploadThroughput")},
                            "viewport": PHONE["viewport"], "cache": "disabled"},
              "page": url_path + (f"#fig-{anchor}" if anchor else ""), "peer_page": vega_path,
              "static_floor_page": static_path, "runs": runs}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                ours = [one_run(browser, base + result["page"], handler, True) for _ in range(runs)]
                floor = [one_run(browser, base + static_path, handler, False) for _ in range(runs)]
                vega = [one_run(browser, base + vega_path, handler, False) for _ in range(runs)]
            finally:
                browser.close()
    finally:
        server.shutdown()
    for name, runs_of in (("ours", ours), ("static_floor", floor), ("vega_in_browser", vega)):
        result[name] = {"median_first_chart_visible_ms": median_of(runs_of, "first_chart_visible_ms"),
                        "median_first_contentful_paint_ms": median_of(runs_of, "first_contentful_paint_ms"),
                        "median_gzip_bytes_first_5s": median_of(runs_of, "gzip_bytes_first_5s"),
                        "runs": runs_of}
    result["ours"]["median_explore_to_interactive_ms"] = median_of(ours, "explore_to_interactive_ms")
    return result


def summary_lines(result: dict) -> list[str]:
    """The three pages side by side: first chart visible (median ms) and gzip KB in the first 5 s."""
    rows = [("findings page (ours)", result["ours"]), ("static floor (picture only)", result["static_floor"]),
            ("Vega embed in the browser", result["vega_in_browser"])]
    lines = [f"{'page':<30} {'first chart ms':>15} {'gzip KB in 5 s':>15}"]
    for name, r in rows:
        kb = r["median_gzip_bytes_first_5s"]
        lines.append(f"{name:<30} {r['median_first_chart_visible_ms'] or '-':>15} "
                     f"{(round(kb / 1024, 1) if kb else '-'):>15}")
    lines.append(f"Explore this chart -> interactive: {result['ours']['median_explore_to_interactive_ms']} ms "
                 f"(page {result['page']})")
    return lines
