"""The site's address, link previews, the Dataset JSON-LD, the Atom feed, and What changed agreeing
with itself (issue 14 items 1-4 and 9)."""
import json
import re
import types
import xml.etree.ElementTree as ET
from pathlib import Path

import jinja2
import material
import pandas as pd
import pydantic
import pytest
import yaml

from build_data.changes_page import what_changed_page
from build_data.data_pages import data_page
from build_data.dataset_jsonld import dataset_json
from build_data.errors import SiteAddressInvalid
from build_data.feed import ATOM, atom_feed
from build_data.link_previews import DEFAULT_IMAGE, page_description, preview_image, with_preview
from build_data.package_diff import ResourceChange
from build_data.registry.publishing import Package
from build_data.site_address import LOCAL_NOTE, link_to, site_address
from build_data.stable_links import PackageLinks, withdrawal_notice

REPO = Path(__file__).resolve().parents[2]
ADDRESS = "https://maintainers.github.io/sbc-data/"
NS = {"a": ATOM}
# Hosts reserved for examples and tests (RFC 2606, 6761): never a real address.
PLACEHOLDER = re.compile(r"https?://[^/\s\"']*(\.invalid|\.test|\.example|\bexample\.(com|org|net))\b")


def descriptor(withdrawn=("0.1.0",)) -> dict:
    return {"name": "pkg", "title": "A package", "description": "What it holds.", "version": "0.3.0",
            "created": "2026-12-02T00:00:00Z", "is_illustrative": True, "keywords": ["k"],
            "licenses": [{"name": "OGL-UK-3.0", "title": "Open Government Licence v3.0",
                          "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"}],
            "attribution": "Contains public sector information.",
            "contributors": [{"title": "The maintainers", "roles": ["author"]}],
            "governance": {"release_calendar": [{"date": "2026-11-26", "version": "0.2.0", "what": "Second"},
                                                {"date": "2026-12-02", "version": "0.3.0", "what": "Third"}]},
            "withdrawals": [{"version": v, "withdrawn": "2026-12-02", "replaced_by": "0.3.0", "reason": "Leaks."}
                            for v in withdrawn],
            "resources": [{"name": n, "title": n.title(), "description": "A table.", "path": f"data/{n}.csv", "bytes": 10}
                          for n in ("releases", "experience_results")]}


TABLES = {"releases": pd.DataFrame({"survey_year": [2021, 2024]}),
          "geographies": pd.DataFrame({"geography_type": ["country", "trust"], "geography_name": ["England", "T"]})}
SIZES = {"pkg.zip": 100, "pkg.xlsx": 50, "datapackage.json": 20}
CORRECTION = {"release_id": "cpes-2023", "file": "cpes-2023/x.csv", "row": 2, "column": "Score", "was": "150.0",
              "value": "50.0", "reason": "Erratum.", "date": "2026-12-01"}


# ---- 1. the site's address -------------------------------------------------------------------

def test_site_address_from_the_deployment_then_site_yml_else_none():
    site = {"package": {"homepage": "https://maintainers.github.io/other"}}
    assert site_address(site, {"SITE_URL": "https://maintainers.github.io/sbc-data"}) == ADDRESS
    assert site_address(site, {}) == "https://maintainers.github.io/other/"
    assert site_address({"package": {"homepage": ""}}, {}) == ""


def test_site_address_refuses_what_is_not_an_address():
    with pytest.raises(SiteAddressInvalid) as error:
        site_address({"package": {"homepage": ""}}, {"SITE_URL": "maintainers.github.io"})
    assert "SITE_URL" in str(error.value) and "Fix:" in str(error.value)
    with pytest.raises(pydantic.ValidationError):
        Package(name="p", title="T", description="D", version="1.0.0", released="2026-12-02", homepage="not a url")


def test_links_are_absolute_with_an_address_and_relative_without():
    assert link_to(ADDRESS, "data/0.3.0/", "findings/main-contact.md") == ADDRESS + "data/0.3.0/"
    assert link_to("", "data/0.3.0/", "findings/main-contact.md") == "../../data/0.3.0/"
    assert link_to("", "embed/x.html", "index.md") == "embed/x.html"
    assert link_to("", "what-changed/", "feed.xml") == "what-changed/"
    assert link_to("", "", "index.md") == "./"


def test_no_placeholder_host_in_metadata_or_citation():
    assert PLACEHOLDER.search("url: https://sbc." + "invalid/x/") and not PLACEHOLDER.search(ADDRESS)
    for path in ("build_data/metadata/site.yml", "CITATION.cff", "docs/overrides/main.html"):
        assert not PLACEHOLDER.search((REPO / path).read_text(encoding="utf-8")), path


def test_a_local_data_page_says_its_links_are_relative():
    links = PackageLinks(version="0.3.0", name="pkg", archived=())
    local = data_page(descriptor(), links, SIZES, {}, "")
    assert local.count(LOCAL_NOTE) == 1 and "://" not in local.split("## Stable links")[1].split("## Tables")[0]
    deployed = data_page(descriptor(), links, SIZES, {}, ADDRESS)
    assert LOCAL_NOTE not in deployed and ADDRESS + "data/0.3.0/" in deployed


# ---- 2. link previews ------------------------------------------------------------------------

def test_preview_image_is_the_key_chart_on_findings_and_question_pages_only():
    assert preview_image("findings/main-contact.md", "cpes-2024-x") == "figures/cpes-2024-x.png"
    assert preview_image("questions/main_contact.md", "cpes-2024-x") == "figures/cpes-2024-x.png"
    assert preview_image("methodology.md", "cpes-2024-x") == DEFAULT_IMAGE
    assert preview_image("findings/other.md", None) == DEFAULT_IMAGE


def test_preview_front_matter_reads_back_as_page_meta():
    body = '# Title\n\nA "quoted" [linked](x.md) first paragraph.\n\nSecond.\n'
    description = page_description(body, "fallback", is_illustrative=True)
    assert description.startswith("Illustrative data. A ") and '"' not in description and "Second" not in description
    page = with_preview(body, "findings/a.md", title="Title", description=description,
                        image="figures/a.png", image_alt="Alt", address="")
    meta = yaml.safe_load(page.split("---\n")[1])
    assert meta["preview_image"] == "../../figures/a.png" and "preview_url" not in meta
    assert page.split("---\n", 2)[2].lstrip().startswith("# Title")
    meta = yaml.safe_load(with_preview(body, "findings/a.md", title="T", description="D", image="figures/a.png",
                                       image_alt="Alt", address=ADDRESS).split("---\n")[1])
    assert meta["preview_image"] == ADDRESS + "figures/a.png" and meta["preview_url"] == ADDRESS + "findings/a/"


def extrahead(meta: dict, base_url: str = "../..") -> str:
    """main.html's extrahead block rendered as MkDocs would, over Material's templates."""
    folders = [str(REPO / "docs/overrides"), str(Path(material.__file__).parent / "templates")]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folders))
    env.filters.update({name: (lambda value, *args, **kwargs: value) for name in ("url", "script_tag", "tojson")})
    template = env.get_template("main.html")
    page = types.SimpleNamespace(meta=meta, title="Page title")
    context = template.new_context({"page": page, "base_url": base_url,
                                    "config": {"site_name": "Site", "site_description": "About"}})
    for name, block in env.get_template("base.html").blocks.items():    # what {% extends %} does at render
        context.blocks.setdefault(name, []).append(block)
    return "".join(template.blocks["extrahead"](context))


def test_template_writes_opengraph_twitter_and_feed_tags():
    head = extrahead({"preview_title": 'A "title"', "description": "D", "preview_image": ADDRESS + "figures/a.png",
                      "preview_image_alt": "Alt", "preview_url": ADDRESS + "findings/a/"})
    for tag in ('property="og:title" content="A &#34;title&#34;"', 'property="og:description" content="D"',
                f'property="og:image" content="{ADDRESS}figures/a.png"', f'property="og:url" content="{ADDRESS}findings/a/"',
                'name="twitter:card" content="summary_large_image"',
                'rel="alternate" type="application/atom+xml"', 'href="../../feed.xml"'):
        assert tag in head, tag
    bare = extrahead({})
    assert 'property="og:title" content="Page title"' in bare and "og:url" not in bare
    assert 'property="og:image" content="../../preview.png"' in bare


def test_withdrawal_notice_has_a_preview_and_the_feed():
    page = withdrawal_notice({"version": "0.1.0", "replaced_by": "0.3.0", "withdrawn": "2026-12-02", "reason": "Leaks."})
    for tag in ('property="og:title" content="Version 0.1.0 of the data was withdrawn"',
                'property="og:image" content="../../preview.png"', 'href="../../feed.xml"'):
        assert tag in page, tag


def test_built_package_has_no_placeholder_homepage():
    """datapackage.json's homepage is omitted or a real address (needs the package rebuilt from this branch)."""
    package = json.loads((REPO / "datapackage/datapackage.json").read_text(encoding="utf-8"))
    homepage = package.get("homepage")
    assert homepage is None or (homepage.startswith("https://") and not PLACEHOLDER.search(homepage))


# ---- 3. Dataset JSON-LD ----------------------------------------------------------------------

def jsonld_of(page: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">\n(.*?)\n</script>', page, re.S)
    assert found, "the data page carries no JSON-LD"
    return json.loads(found.group(1))


@pytest.mark.parametrize("address", ["", ADDRESS])
def test_data_page_carries_a_schema_org_dataset(address):
    d = descriptor()
    page = data_page(d, PackageLinks(version="0.3.0", name="pkg", archived=()), SIZES, {}, address,
                     dataset_json=dataset_json(d, SIZES, TABLES, address))
    dataset = jsonld_of(page)
    assert dataset["@context"] == "https://schema.org" and dataset["@type"] == "Dataset"
    for key in ("name", "description", "license", "creator", "temporalCoverage", "spatialCoverage", "version",
                "dateModified", "distribution"):
        assert dataset.get(key), key
    assert dataset["temporalCoverage"] == "2021/2024" and dataset["spatialCoverage"]["name"] == "England"
    assert dataset["license"].startswith("https://www.nationalarchives.gov.uk/")
    formats = [d["encodingFormat"] for d in dataset["distribution"]]
    assert formats.count("text/csv") == 2 and "application/zip" in formats and len(formats) == 4
    urls = [d["contentUrl"] for d in dataset["distribution"]]
    assert all(u.startswith(ADDRESS) for u in urls) if address else all("://" not in u for u in urls)
    assert "../data/pkg.zip" in urls or ADDRESS + "data/pkg.zip" in urls


# ---- 4. the Atom feed ------------------------------------------------------------------------

def test_feed_has_one_entry_per_release_correction_and_withdrawal():
    d = descriptor(withdrawn=("0.1.0", "0.2.0"))
    data = atom_feed(d, [CORRECTION], "")
    assert data == atom_feed(d, [CORRECTION], ""), "the feed is not deterministic"
    feed = ET.fromstring(data)
    entries = feed.findall("a:entry", NS)
    titles = [e.findtext("a:title", namespaces=NS) for e in entries]
    assert len(entries) == 2 + 1 + 2
    assert sum(t.endswith("released") for t in titles) == 2 and sum("withdrawn" in t for t in titles) == 2
    assert sum(t.startswith("Correction") for t in titles) == 1
    ids = [e.findtext("a:id", namespaces=NS) for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
    for e in entries:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", e.findtext("a:updated", namespaces=NS))
        assert e.findtext("a:summary", namespaces=NS).startswith("Illustrative data.")
    assert feed.findtext("a:updated", namespaces=NS) == "2026-12-02T00:00:00Z"
    assert feed.find("a:link[@rel='self']", NS) is None


def test_feed_ids_do_not_depend_on_the_address_and_links_do():
    local, deployed = (ET.fromstring(atom_feed(descriptor(), [CORRECTION], a)) for a in ("", ADDRESS))
    assert [e.findtext("a:id", namespaces=NS) for e in local.findall("a:entry", NS)] == \
           [e.findtext("a:id", namespaces=NS) for e in deployed.findall("a:entry", NS)]
    assert deployed.find("a:link[@rel='self']", NS).get("href") == ADDRESS + "feed.xml"
    assert all(link.get("href").startswith(ADDRESS) for link in deployed.iter(f"{{{ATOM}}}link"))


# ---- 9. What changed agrees with itself ------------------------------------------------------

def changes_page(is_revised: list[bool], revised_rows: int) -> str:
    diff = {"old_version": "0.2.0", "resources_added": [], "resources_removed": [],
            "changes": [ResourceChange(name="experience_results", revised=revised_rows)]}
    tables = {"experience_results": pd.DataFrame({"is_revised": is_revised}),
              "crosswalk": pd.DataFrame({"release_id": ["r"], "question_id": ["q"], "publisher_code": ["Q1"],
                                         "comparability": ["same"]}),
              "releases": pd.DataFrame({"release_id": ["r"], "survey_year": [2024]})}
    return what_changed_page(descriptor(), diff, [], tables, None)


def test_what_changed_never_says_nothing_changed_beside_changed_rows():
    page = changes_page([False, False], 3113)
    assert "3113 rows changed" in page
    assert not re.search(r"No number[^.]*has changed", page), "the page contradicts itself"
    assert "No number was corrected in this version" in page
    assert "No number from the last version has changed" in changes_page([False], 0)
    assert "1 number changed" in changes_page([True, False], 1)


def test_what_changed_links_the_feed():
    assert "(feed.xml)" in changes_page([False], 0)


def test_render_and_site_stages_rerun_when_the_address_changes(tmp_path, monkeypatch):
    from build_data.stage_cache import state_of
    monkeypatch.delenv("SITE_URL", raising=False)
    local = {stage: state_of(tmp_path, stage) for stage in ("build", "render", "site")}
    monkeypatch.setenv("SITE_URL", ADDRESS)
    deployed = {stage: state_of(tmp_path, stage) for stage in ("build", "render", "site")}
    assert local["render"] != deployed["render"] and local["site"] != deployed["site"]
    assert local["build"] == deployed["build"], "the package does not depend on where the site is served"
