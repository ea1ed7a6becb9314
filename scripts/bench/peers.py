"""Peers measured from outside the pipeline: `frictionless validate`, a bare `mkdocs build`, page weight."""
from __future__ import annotations

import gzip
import html.parser
import posixpath
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from measure import run_child

GZIP_LEVEL = 6   # a common server default; the same level is used for both sides of every comparison


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))


# ---- frictionless validate (the command) ----------------------------------------------------------

def frictionless_cli(root: Path, env: dict, log: Path) -> dict:
    exe = Path(sys.executable).with_name("frictionless")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "frictionless"]
    result = run_child(cmd + ["validate", str(root / "datapackage" / "datapackage.json")],
                       cwd=root, env=env, log=log)
    result["command"] = " ".join(cmd[-1:] + ["validate", "datapackage/datapackage.json"])
    return result


def frictionless_runs(runs: list[dict]) -> dict:
    """The command's runs on the same output, at different moments of one benchmark, as one peer: the mean wall and
    CPU seconds (this machine's speed drifts by +-15% within the hour; one run would carry that drift into every
    ratio against it), with each run and the spread kept beside them."""
    done = [r for r in runs if r.get("returncode") == 0]
    if not done:
        return dict(runs[-1], runs=runs)
    mean = lambda key: round(sum(r[key] for r in done) / len(done), 3)  # noqa: E731
    walls = [r["wall_s"] for r in done]
    return dict(done[0], wall_s=mean("wall_s"), cpu_s=mean("cpu_s"), runs=runs,
                spread=round(max(walls) / min(walls), 3), summary=f"mean of {len(done)} runs")


# ---- bare MkDocs: the same Markdown without figures -----------------------------------------------

FIGURE_BLOCK = re.compile(r'(?:^#{2,4} [^\n]*\{#fig-[^}\n]*\}\n\s*\n)?<div class="figure-block".*?\n</div>\n',
                          re.S | re.M)
FIGURE_ELEMENT = re.compile(r'<figure class="chart".*?</figure>\n?', re.S)


def strip_figures(text: str) -> tuple[str, int]:
    text, n = FIGURE_BLOCK.subn("", text)
    text, m = FIGURE_ELEMENT.subn("", text)
    return text, n + m


def bare_mkdocs(root: Path, env: dict, log: Path) -> dict:
    """Copy docs/_build without figure blocks or figure files, and time a plain `mkdocs build` of it."""
    bare = root / ".bench-bare"
    shutil.rmtree(bare, ignore_errors=True)
    shutil.copytree(root / "docs" / "_build", bare / "docs" / "_build",
                    ignore=lambda d, names: ["figures"] if Path(d) == root / "docs" / "_build" else [])
    if (root / "docs" / "overrides").exists():
        shutil.copytree(root / "docs" / "overrides", bare / "docs" / "overrides")
    shutil.copy2(root / "mkdocs.yml", bare / "mkdocs.yml")
    stripped = 0
    for page in (bare / "docs" / "_build").rglob("*.md"):
        text, n = strip_figures(page.read_text(encoding="utf-8"))
        if n:
            page.write_text(text, encoding="utf-8")
            stripped += n
    base = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(bare / "mkdocs.yml"),
            "--site-dir", str(bare / "site")]
    result = run_child(base + ["--strict"], cwd=bare, env=env, log=log)
    result["strict"] = True
    if result["returncode"] != 0:   # stripping a figure can orphan an anchor: fall back to non-strict
        result = run_child(base + ["--no-strict"], cwd=bare, env=env, log=log)
        result["strict"] = False
    result["figure_blocks_stripped"] = stripped
    shutil.rmtree(bare, ignore_errors=True)
    return result


# ---- what a reader downloads for a figure page ----------------------------------------------------

class PageResources(html.parser.HTMLParser):
    """Stylesheets, scripts, icons and chart images a page requests as it loads."""

    def __init__(self):
        super().__init__()
        self.css, self.js, self.icons, self.svg_light, self.svg_dark, self.specs = [], [], [], [], [], []
        self.figures = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("href"):
            rel = (a.get("rel") or "").split()
            if "stylesheet" in rel:
                self.css.append(a["href"])
            elif "icon" in rel:
                self.icons.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.js.append(a["src"])
        elif tag == "img" and "chart-static" in (a.get("class") or ""):
            (self.svg_dark if "chart-static--dark" in a["class"] else self.svg_light).append(a["src"])
        elif tag == "figure" and "chart" in (a.get("class") or "").split():
            self.figures.append(a)
            if a.get("data-spec"):
                self.specs.append(a["data-spec"])


def site_file(site: Path, page: Path, url: str) -> Path | None:
    url = urldefrag(url)[0]
    if urlsplit(url).scheme or url.startswith("//"):
        return None
    rel = posixpath.normpath(posixpath.join(page.parent.relative_to(site).as_posix(), url))
    path = site / rel
    if path.is_dir():
        path = path / "index.html"
    return path if path.is_file() else None


def page_weight(site: Path, page: Path) -> dict:
    """gzip bytes of the HTML, CSS, JS, favicon and light-scheme chart SVGs a page loads before any
    interaction (an upper bound: lazy images below the fold are counted). The Vega bundle and the
    chart specs, fetched later by charts.js when the browser is idle, are listed apart."""
    parser = PageResources()
    text = page.read_bytes()
    parser.feed(text.decode("utf-8"))
    parts = {"html": gz(text)}
    for kind, urls in (("css", parser.css), ("js", parser.js), ("icon", parser.icons), ("svg", parser.svg_light)):
        total = 0
        for url in dict.fromkeys(urls):
            path = site_file(site, page, url)
            if path is not None:
                total += len(path.read_bytes()) if kind == "icon" else gz(path.read_bytes())
        parts[kind] = total
    lazy = {"vega_bundle": 0, "specs": 0}
    bundles = {f.get("data-vega") for f in parser.figures if f.get("data-vega")}
    for url in bundles:
        path = site_file(site, page, url)
        lazy["vega_bundle"] += gz(path.read_bytes()) if path else 0
    for url in parser.specs:
        path = site_file(site, page, url)
        lazy["specs"] += gz(path.read_bytes()) if path else 0
    return {"page": page.relative_to(site).as_posix(), "figures": len(parser.figures),
            "before_interaction_gzip_bytes": sum(parts.values()), "parts_gzip_bytes": parts,
            "lazy_gzip_bytes": lazy, "spec_urls": parser.specs}


def figure_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("index.html") if b'<figure class="chart"' in p.read_bytes())


def standalone_html_bytes(site: Path, page: Path, spec_url: str) -> dict:
    """The same chart as one self-contained Altair-style HTML file with Vega inlined (vl-convert)."""
    import json
    import vl_convert as vlc
    spec = json.loads(site_file(site, page, spec_url).read_text(encoding="utf-8"))
    doc = vlc.vegalite_to_html(spec, bundle=True).encode("utf-8")
    return {"raw_bytes": len(doc), "gzip_bytes": gz(doc)}


def weights(site: Path, preferred: str = "findings/main-contact/index.html") -> dict:
    pages = figure_pages(site)
    if not pages:
        return {"error": "no page with a figure"}
    all_weights = [page_weight(site, p) for p in pages]
    chosen = next((w for w in all_weights if w["page"] == preferred), all_weights[0])
    heaviest = max(all_weights, key=lambda w: w["before_interaction_gzip_bytes"])
    page = site / chosen["page"]
    standalone = [standalone_html_bytes(site, page, url) for url in chosen["spec_urls"]]
    question = next((w for w in all_weights if w["page"].startswith("questions/")), None)
    sizes = sorted(w["before_interaction_gzip_bytes"] for w in all_weights)
    return {"figure_pages": len(all_weights), "chosen": chosen, "heaviest": heaviest, "question_page": question,
            "median_gzip_bytes": sizes[len(sizes) // 2], "max_gzip_bytes": sizes[-1],
            "standalone_first_chart": standalone[0] if standalone else None,
            "standalone_all_charts_gzip_bytes": sum(s["gzip_bytes"] for s in standalone),
            "gzip_level": GZIP_LEVEL}
