"""Package metadata in, citation text out: plain text and BibTeX for the package, a page or a figure."""
from __future__ import annotations

import re


def citation_parts(site: dict, descriptor: dict, title: str | None, url: str) -> dict:
    meta = site["package"]
    author = meta["contributors"][0]["title"]
    return {"author": author, "publisher": meta.get("publisher", author), "year": str(meta["released"])[:4],
            "package": meta["title"], "version": descriptor["version"], "date": str(meta["released"]),
            "title": title, "url": url, "licence": site["licence"]["title"],
            "licence_url": site["licence"]["path"], "attribution": site["licence"]["attribution"],
            "illustrative": " Illustrative data — not real survey results." if descriptor.get("is_illustrative") else ""}


def plain_citation(parts: dict) -> str:
    what = f"“{parts['title']}”, in " if parts["title"] else ""
    return (f"{parts['author']} ({parts['year']}). {what}{parts['package']}, data package version "
            f"{parts['version']}, released {parts['date']}. {parts['url']}. {parts['licence']}.{parts['illustrative']}")


def bibtex_citation(parts: dict) -> str:
    key = re.sub(r"[^a-z0-9]+", "", (parts["title"] or parts["package"]).lower())[:24] + parts["year"]
    title = f"{parts['title']} ({parts['package']})" if parts["title"] else parts["package"]
    return "\n".join([f"@misc{{{key},", f"  author = {{{{{parts['author']}}}}},", f"  title = {{{title}}},",
                      f"  publisher = {{{{{parts['publisher']}}}}},",
                      f"  year = {{{parts['year']}}},", f"  version = {{{parts['version']}}},",
                      f"  url = {{{parts['url']}}},", f"  note = {{{parts['licence']}.{parts['illustrative']}}}", "}"])


def licence_line(parts: dict) -> str:
    return f"Licence: {parts['licence']} ({parts['licence_url']}). {parts['attribution']}"


def citation_facts(parts: dict) -> list[tuple[str, str]]:
    """(label, value) pairs a reader needs to cite: what, who, which version, when, where, on what terms."""
    return [("Title", parts["title"] or parts["package"]), ("Publisher", parts["publisher"]),
            ("Data package", f"{parts['package']}, version {parts['version']}"),
            ("Released", parts["date"]), ("Permanent link", parts["url"]),
            ("Licence", f"{parts['licence']} ({parts['licence_url']})"), ("Attribution", parts["attribution"])]


def citation_text(parts: dict) -> str:
    """citation.txt in a press kit: the facts, plain text, BibTeX and the licence line."""
    facts = "\n".join(f"{label}: {value}" for label, value in citation_facts(parts))
    notice = f"\n{parts['illustrative'].strip()}\n" if parts["illustrative"] else ""
    return (f"How to cite\n\n{plain_citation(parts)}\n\n{facts}\n{notice}\nBibTeX\n\n{bibtex_citation(parts)}\n\n"
            f"{licence_line(parts)}\n")
