"""The built site is findable and shareable (issue 14): every page has link-preview tags and the feed
link, a findings or question page previews its key chart, the data page carries a Dataset JSON-LD,
the feed has one entry per release, correction and withdrawal, and no placeholder host appears
anywhere. These read site/ as files: no browser needed."""
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urljoin, urlsplit

from browser_support import SITE

ATOM = {"a": "http://www.w3.org/2005/Atom"}
PLACEHOLDER = re.compile(r"https?://[^/\s\"']*(\.invalid|\.test|\.example|\bexample\.(com|org|net))\b")
TEXT_SUFFIXES = {".html", ".xml", ".json", ".csv", ".txt", ".js", ".cff", ".md"}


def meta(html: str, key: str) -> str | None:
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    return found.group(1) if found else None


def pages():
    return sorted(p for p in SITE.rglob("*.html") if "embed" not in p.relative_to(SITE).parts)


def site_file(page, url: str):
    """The file a relative or same-site absolute link on page points at (None if elsewhere)."""
    path = urlsplit(url).path if "://" in url else urljoin("/" + page.relative_to(SITE).as_posix(), url)
    return SITE / path.lstrip("/") if "://" not in url else None


def test_site_every_page_has_preview_tags_and_the_feed_link():
    missing = []
    for page in pages():
        html = page.read_text(encoding="utf-8")
        for key in ("og:title", "og:description", "og:image", "twitter:card"):
            if not meta(html, key):
                missing.append(f"{page.relative_to(SITE)}: {key}")
        if 'type="application/atom+xml"' not in html:
            missing.append(f"{page.relative_to(SITE)}: feed link")
    assert len(pages()) > 20 and not missing, missing


def test_site_findings_and_question_pages_preview_their_key_chart():
    for page in pages():
        rel = page.relative_to(SITE).as_posix()
        html = page.read_text(encoding="utf-8")
        image = meta(html, "og:image")
        if rel.startswith(("findings/", "questions/")) and "figure-more" in html and rel != "questions/index.html":
            assert re.search(r"figures/[^/]+\.png$", image), f"{rel}: {image}"
        target = site_file(page, image)
        if target is not None:
            assert target.is_file(), f"{rel}: the preview image {image} is not in the site"


def test_site_data_page_has_a_dataset_with_every_csv():
    html = (SITE / "data" / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    dataset = json.loads(found.group(1))
    package = json.loads((SITE / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert dataset["@type"] == "Dataset" and dataset["version"] == package["version"]
    assert dataset["license"] == package["licenses"][0]["path"]
    csvs = [d for d in dataset["distribution"] if d["encodingFormat"] == "text/csv"]
    assert len(csvs) == len(package["resources"])
    assert {"application/zip", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"} <= \
        {d["encodingFormat"] for d in dataset["distribution"]}
    page = SITE / "data" / "index.html"
    for d in dataset["distribution"]:
        target = site_file(page, d["contentUrl"])
        assert target is None or target.is_file(), d["contentUrl"]


def test_site_feed_has_one_entry_per_release_correction_and_withdrawal():
    package = json.loads((SITE / "data" / "datapackage.json").read_text(encoding="utf-8"))
    entries = ET.parse(SITE / "feed.xml").getroot().findall("a:entry", ATOM)
    titles = [e.findtext("a:title", namespaces=ATOM) for e in entries]
    assert sum(t.endswith(" released") for t in titles) == len(package["governance"]["release_calendar"])
    assert sum(" withdrawn " in t for t in titles) == len(package.get("withdrawals", []))
    ids = [e.findtext("a:id", namespaces=ATOM) for e in entries]
    assert len(set(ids)) == len(ids)
    assert "feed.xml" in (SITE / "what-changed" / "index.html").read_text(encoding="utf-8")


def test_site_has_no_placeholder_host():
    found = [p.relative_to(SITE).as_posix() for p in SITE.rglob("*")
             if p.is_file() and p.suffix in TEXT_SUFFIXES and PLACEHOLDER.search(p.read_text(encoding="utf-8", errors="replace"))]
    assert not found, found


def test_site_preview_image_is_drawn_with_its_source_and_licence(tmp_path):
    """The image a pasted findings link shows is the chart's PNG with the source line and licence drawn in:
    drawing the credited spec again gives the served file's exact bytes, and that drawing holds the lines."""
    import html as html_text

    import yaml

    from build_data.figure_files import static_images
    from build_data.figures import Catalogue
    from build_data.image_credit import credit_lines, with_credit
    from build_data.metadata import load_config
    from build_data.palette import use_cohort_colours
    from build_data.published import read_published

    page = SITE / "findings" / "main-contact" / "index.html"
    served = site_file(page, meta(page.read_text(encoding="utf-8"), "og:image"))
    repo = SITE.parent
    config = load_config(repo)
    use_cohort_colours(config.registry.cohorts)
    descriptor, tables = read_published(repo / "datapackage")
    specs = yaml.safe_load((repo / "build_data/metadata/figures.yml").read_text(encoding="utf-8"))
    figure = next(f for f in (Catalogue(descriptor, tables, config.site).build(fid, spec)
                              for fid, spec in specs.items() if spec.get("key_finding"))
                  if f"figures/{f.slug}.png" in served.as_posix())
    credited = with_credit(figure.chart.to_dict(), credit_lines(figure.source, descriptor))
    svg, png = static_images(credited, tmp_path)
    assert png == served.read_bytes(), "the preview image is not the credited drawing of its chart"
    drawn = html_text.unescape(" ".join(re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)))
    assert "Source:" in drawn and "Licence: Open Government Licence" in drawn, drawn[-300:]
