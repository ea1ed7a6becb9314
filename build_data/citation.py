"""Package metadata in, citation text out: plain text and BibTeX for the package, a page or a figure."""
from __future__ import annotations

import re


def citation_parts(site: dict, descriptor: dict, title: str | None, url: str) -> dict:
    meta = site["package"]
    return {"author": meta["contributors"][0]["title"], "year": str(meta["released"])[:4],
            "package": meta["title"], "version": descriptor["version"], "date": str(meta["released"]),
            "title": title, "url": url, "licence": site["licence"]["title"],
            "attribution": site["licence"]["attribution"],
            "illustrative": " Illustrative data — not real survey results." if descriptor.get("is_illustrative") else ""}


def plain_citation(parts: dict) -> str:
    what = f"“{parts['title']}”, in " if parts["title"] else ""
    return (f"{parts['author']} ({parts['year']}). {what}{parts['package']}, data package version "
            f"{parts['version']}, released {parts['date']}. {parts['url']}. {parts['licence']}.{parts['illustrative']}")


def bibtex_citation(parts: dict) -> str:
    key = re.sub(r"[^a-z0-9]+", "", (parts["title"] or parts["package"]).lower())[:24] + parts["year"]
    title = f"{parts['title']} ({parts['package']})" if parts["title"] else parts["package"]
    return "\n".join([f"@misc{{{key},", f"  author = {{{{{parts['author']}}}}},", f"  title = {{{title}}},",
                      f"  year = {{{parts['year']}}},", f"  version = {{{parts['version']}}},",
                      f"  url = {{{parts['url']}}},", f"  note = {{{parts['licence']}.{parts['illustrative']}}}", "}"])
