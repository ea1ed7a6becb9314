"""Every download on every page works: each a[download] and each link into data/, press/ and
embed/ answers 200 with a body of the right kind (CSV text, PNG, SVG, JSON, ZIP, XLSX, HTML), and
a download's link text gives its type and exact size. Each "Embed this chart" snippet points at a
chart-only page that loads nothing from elsewhere, names itself and passes axe."""
import contextlib
import csv
import fcntl
import io
import json
import os
import re
import zipfile
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from browser_support import describe_violations, is_external, run_axe, shared_tab

pytestmark = pytest.mark.browser

# The site's public address the build was given (SITE_URL, as the deployment does), or none: a local
# build links relatively (build_data/site_address.py).
ADDRESS = os.environ.get("SITE_URL", "").strip().rstrip("/") + "/" if os.environ.get("SITE_URL", "").strip() else ""
FOLLOWED_DIRS = ("data/", "press/", "embed/", "figures/")
SIZE_IN_TEXT = re.compile(r"(\d+\.\d) (KB|MB)\)$")
LINKS = """() => [...document.querySelectorAll('article a[href]')].map(a => ({
    href: a.href, text: a.textContent.trim(), download: a.hasAttribute('download')}))"""
EMBED_SNIPPETS = """() => [...document.querySelectorAll('details.figure-embed code')].map(c => c.textContent)"""
FETCHED: dict[str, tuple[int, str, bytes]] = {}   # url -> (status, content type, body), across pages


def human_size(n: int) -> str:
    return f"{n / 1024:.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def fetch(request, url: str) -> tuple[int, str, bytes]:
    if url not in FETCHED:
        response = request.get(url)
        FETCHED[url] = (response.status, response.headers.get("content-type", ""), response.body())
    return FETCHED[url]


def kind_problem(path: str, content_type: str, body: bytes) -> str | None:
    """Why the body is not what its extension says, or None."""
    if not body:
        return "empty body"
    if path.endswith(".csv"):
        text = body.decode("utf-8")
        rows = list(csv.reader(io.StringIO(text)))
        return None if "text/csv" in content_type and rows and len(rows[0]) >= 1 else "not CSV text"   # a header alone: an empty table
    if path.endswith(".png"):
        return None if body[:8] == b"\x89PNG\r\n\x1a\n" else "no PNG signature"
    if path.endswith(".svg"):
        return None if b"<svg" in body[:1000] and "svg" in content_type else "not an SVG"
    if path.endswith(".json"):
        json.loads(body)
        return None
    if path.endswith(".zip"):
        return None if body[:2] == b"PK" and zipfile.ZipFile(io.BytesIO(body)).testzip() is None else "not a ZIP"
    if path.endswith(".xlsx"):
        ok = body[:2] == b"PK" and "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(body)).namelist()
        return None if ok else "not an XLSX"
    if path.endswith(".txt"):
        return None if "text/plain" in content_type and body.decode("utf-8").strip() else "not plain text"
    if path.endswith((".html", "/")):
        return None if "text/html" in content_type and b"<html" in body[:2000].lower() else "not HTML"
    return f"unexpected kind of file ({content_type})"


def test_downloads_every_link_answers_with_the_right_kind_of_file(visit, site_url):
    links = visit.page.evaluate(LINKS)
    followed = [link for link in links if link["href"].startswith(site_url) and (
        link["download"] or urlsplit(link["href"]).path.lstrip("/").startswith(FOLLOWED_DIRS))]
    problems = []
    for link in followed:
        url = link["href"].split("#")[0]
        status, content_type, body = fetch(visit.page.request, url)
        path = urlsplit(url).path
        if status != 200:
            problems.append(f"{path}: HTTP {status}")
            continue
        problem = kind_problem(path, content_type, body)
        if problem:
            problems.append(f"{path}: {problem}")
        if link["download"]:
            size = SIZE_IN_TEXT.search(link["text"])
            if not size:
                problems.append(f"{path}: link text {link['text']!r} gives no type and size")
            elif f"{size.group(1)} {size.group(2)}" != human_size(len(body)):
                problems.append(f"{path}: link says {size.group(0)[:-1]}, file is {human_size(len(body))}")
    pngs = sorted({link["href"] for link in followed if link["href"].endswith(".png")})
    broken = visit.page.evaluate("""async urls => (await Promise.all(urls.map(async url => {
        const img = new Image(); img.src = url;
        try { await img.decode(); } catch (error) { return url; }
        return img.naturalWidth > 0 ? null : url; }))).filter(Boolean)""", pngs)
    problems += [f"{urlsplit(url).path}: the browser cannot draw this PNG" for url in broken]
    assert not problems, "Downloads that do not work:\n" + "\n".join(problems)
    if visit.has_figures():
        kinds = {urlsplit(link["href"]).path.rsplit(".", 1)[-1] for link in followed if link["download"]}
        assert {"csv", "png", "svg", "json"} <= kinds, f"a figure page lacks some downloads: {kinds}"


# Each embed page is opened and checked once per run, however many pages' snippets point at it and whichever
# pytest-xdist worker's pages they are: what is wrong with it is written to a file every worker reads
# (embed_checks), under a lock per embed page, so a worker waits for an embed page another is checking.
EMBED_PAGES: dict[str, dict] = {}   # url -> {"title": its <title>, "problems": what is wrong with it}
EMBED_IMAGES_DRAWN = "() => [...document.images].every(i => i.complete && i.naturalWidth > 0)"


@pytest.fixture(scope="session")
def embed_tab(browser, axe_path):
    """The worker's tab for embed pages (each opened in turn; axe-core added to each)."""
    return shared_tab(browser, "embed", axe_path=axe_path)


@pytest.fixture(scope="session")
def embed_checks(tmp_path_factory) -> Path:
    """The folder of the embed pages' checks, shared by this run's workers (its own temporary folder)."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "embed-pages"
    folder.mkdir(exist_ok=True)
    return folder


def record_name(site_url: str, url: str) -> str:
    """The file name of an embed page's check: its path in the site (each worker serves it on its own port)."""
    return re.sub(r"[^A-Za-z0-9.-]", "_", url[len(site_url):] if url.startswith(site_url) else url)


@contextlib.contextmanager
def locked(folder: Path, names: list[str]):
    """Hold each name's lock (taken in sorted order, so two workers never wait for each other)."""
    with contextlib.ExitStack() as held:
        for name in sorted(set(names)):
            handle = held.enter_context(open(folder / f"{name}.lock", "w"))
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def check_embed_pages(tab, urls: list[str], axe_path: str, site_url: str, folder: Path) -> None:
    """Record what is wrong with each embed page in EMBED_PAGES: read from its shared check, or, for those no
    worker has checked yet, opened one after another in the worker's embed tab (conftest.shared_tab: each
    opened as on a first visit, axe-core already in it), checked and written there."""
    urls = [url for url in dict.fromkeys(urls) if url not in EMBED_PAGES]
    names = {url: record_name(site_url, url) for url in urls}
    with locked(folder, list(names.values())):
        for url in urls:
            if (folder / f"{names[url]}.json").is_file():
                EMBED_PAGES[url] = json.loads((folder / f"{names[url]}.json").read_text(encoding="utf-8"))
            else:
                EMBED_PAGES[url] = check_embed_page(tab.open(url, wait_until="load"), axe_path)
                (folder / f"{names[url]}.json").write_text(json.dumps(EMBED_PAGES[url]), encoding="utf-8")


def check_embed_page(embed, axe_path: str) -> dict:
    """What is wrong with an opened embed page (its Visit, after `load`: every image and style sheet of the
    page has arrived), and its title."""
    page = embed.page
    if page.locator("script").count():   # a script may fetch more after load: wait until it stops
        page.wait_for_load_state("networkidle")
    problems = []
    if embed.status != 200:
        problems.append(f"HTTP {embed.status}")
    if embed.external_requests or [u for u in embed.requests if is_external(u)]:
        problems.append(f"the embed page loads from elsewhere: {embed.external_requests}")
    if embed.failed_responses:
        problems.append(f"requests that failed: {embed.failed_responses}")
    if embed.console_errors:
        problems.append(f"console errors: {embed.console_errors}")
    if not page.evaluate(EMBED_IMAGES_DRAWN):
        problems.append("an image did not load")
    text = page.locator("body").inner_text()
    for words in ("Illustrative data", "Source:"):
        if words not in text:
            problems.append(f"no {words!r} in its text")
    violations = run_axe(page, axe_path)
    if violations:
        problems.append(f"axe-core found WCAG 2.2 A/AA violations:\n{describe_violations(violations)}")
    return {"title": page.title(), "problems": problems}


def test_downloads_embed_snippets_show_a_self_contained_chart_page(visit, site_url, embed_tab, axe_path, embed_checks):
    snippets = visit.page.evaluate(EMBED_SNIPPETS)
    assert len(snippets) == visit.page.locator("figure.chart").count(), "every chart needs an embed snippet"
    embeds = []   # (snippet, its iframe title, the embed page's URL)
    for snippet in snippets:
        title = re.search(r'<iframe title="([^"]+)"', snippet)
        src = re.search(r'src="([^"]+)"', snippet)
        assert title and src, f"not an iframe snippet: {snippet}"
        if ADDRESS:
            assert src.group(1).startswith(ADDRESS), f"the snippet does not use the site's address: {snippet}"
            url = urljoin(site_url, src.group(1)[len(ADDRESS):])
        else:
            assert "://" not in src.group(1), f"a build without an address links relatively: {snippet}"
            url = urljoin(visit.page.url, src.group(1))
        embeds.append((snippet, title.group(1), url))
    check_embed_pages(embed_tab, [url for _, _, url in embeds], axe_path, site_url, embed_checks)
    for snippet, title, url in embeds:
        checked = EMBED_PAGES[url]
        assert not checked["problems"], f"{url} (embedded by {snippet}):\n" + "\n".join(checked["problems"])
        assert checked["title"] == title.replace("&amp;", "&").replace("&quot;", '"'), (
            f"{url} is titled {checked['title']!r}, its snippet's iframe {title!r}")


def test_downloads_every_page_ends_with_cite_this_page(visit):
    cite = visit.page.locator("article details.page-cite")
    assert cite.count() == 1, "every page ends with one Cite this page block"
    assert cite.evaluate("d => d.closest('article').lastElementChild.contains(d)"), "Cite this page is not last"
    text = cite.evaluate("d => { d.open = true; return d.innerText; }")
    for words in ("Publisher:", "Released:", "Permanent link: ", "Licence:", "Attribution:", "@misc{"):
        assert words in text, f"Cite this page lacks {words}"
    link = re.search(r"Permanent link: (\S+)", text).group(1)
    if ADDRESS:
        assert link.startswith(ADDRESS), f"the permanent link does not use the site's address: {link}"
    else:   # a local build links relatively, to this very page
        assert "://" not in link and urlsplit(urljoin(visit.page.url, link)).path == urlsplit(visit.page.url).path, link
