"""The deployment (SITE_URL) or site.yml package.homepage in; the site's public address, or none, out.

With an address every link a reader may copy (Cite this, embed snippets, stable links, the feed,
link previews) is absolute. A local build without one uses links relative to the page they are on,
and the data page says so once (LOCAL_NOTE)."""
from __future__ import annotations

import os
import re

from .errors import SiteAddressInvalid

ENV_KEY = "SITE_URL"
LOCAL_NOTE = "This copy of the site does not know its public address; links are relative."
_ADDRESS = re.compile(r"^https?://[^\s/?#]+(/[^\s?#]*)?$")


def site_address(site: dict, environ=None) -> str:
    """'https://host/path/' (always ending in '/'), or '' when neither the deployment nor site.yml gives one."""
    environ = os.environ if environ is None else environ
    from_env = (environ.get(ENV_KEY) or "").strip()
    address = from_env or (site["package"].get("homepage") or "").strip()
    if not address:
        return ""
    if not _ADDRESS.match(address):
        where = f"the {ENV_KEY} environment variable" if from_env else "build_data/metadata/site.yml"
        raise SiteAddressInvalid(f"{address!r} is not an http(s) address.", file=where, key=None if from_env else "package.homepage",
                                 fix=f"Give the full public address, e.g. https://<owner>.github.io/<repository>/, in {where}, or leave it empty.")
    return address.rstrip("/") + "/"


def page_dir(page: str) -> str:
    """The folder a page is served from: 'findings/main-contact.md' -> 'findings/main-contact/', 'index.md' -> '';
    any other file is served from its own folder: 'feed.xml' -> '', 'embed/x.html' -> 'embed/'."""
    if not page.endswith(".md"):
        return page.rsplit("/", 1)[0] + "/" if "/" in page else ""
    stem = page[:-3]
    return stem.removesuffix("index") if stem == "index" or stem.endswith("/index") else stem + "/"


def link_to(address: str, path: str, from_page: str) -> str:
    """A link to a site path ('data/0.3.0/', 'figures/x.png'): absolute with an address, else relative to from_page."""
    if address:
        return address + path
    return ("../" * page_dir(from_page).count("/") + path) or "./"
