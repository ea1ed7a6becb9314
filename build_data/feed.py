"""datapackage.json (release calendar, withdrawals), the published corrections and the site address in;
feed.xml out: an Atom feed with one entry per release, correction and withdrawal, so people can
subscribe to them. Deterministic: every date comes from the metadata, never from the clock."""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

from .site_address import link_to

ATOM = "http://www.w3.org/2005/Atom"
FEED_PATH = "feed.xml"
CHANGES_PATH = "what-changed/"


def stable_id(package: str, *parts: str) -> str:
    """An id that never changes for the same thing, whatever the site's address: urn:uuid (RFC 4122, v5)."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join((package, *parts))))


def release_entries(descriptor: dict, prefix: str, changes: str) -> list[dict]:
    return [{"kind": "release", "id": stable_id(descriptor["name"], "release", e["version"]), "updated": str(e["date"]),
             "title": f"Version {e['version']} released", "summary": prefix + str(e["what"]), "link": changes}
            for e in (descriptor.get("governance") or {}).get("release_calendar", [])]


def correction_entries(descriptor: dict, corrections, prefix: str, changes: str) -> list[dict]:
    entries = []
    for c in corrections:
        where = f"{c.get('file', '')} row {c.get('row', '')}, {c.get('column', '')}"
        entries.append({"kind": "correction", "id": stable_id(descriptor["name"], "correction", str(c.get("release_id", "")), where),
                        "updated": str(c.get("date") or descriptor["created"][:10]),
                        "title": f"Correction to {c.get('release_id', '')}: {where}",
                        "summary": f"{prefix}{c.get('was', '')} → {c.get('value', '')}. {c.get('reason', '')}".strip(),
                        "link": changes})
    return entries


def withdrawal_entries(descriptor: dict, prefix: str, address: str) -> list[dict]:
    return [{"kind": "withdrawal", "id": stable_id(descriptor["name"], "withdrawal", w["version"]),
             "updated": str(w["withdrawn"]), "title": f"Version {w['version']} withdrawn (use {w['replaced_by']})",
             "summary": prefix + str(w["reason"]), "link": link_to(address, f"data/{w['version']}/", FEED_PATH)}
            for w in descriptor.get("withdrawals") or []]


ORDER = {"release": 0, "correction": 1, "withdrawal": 2}


def feed_entries(descriptor: dict, corrections, address: str) -> list[dict]:
    """Each release, correction and withdrawal as {kind, id, updated, title, summary, link}, newest first."""
    prefix = "Illustrative data. " if descriptor.get("is_illustrative") else ""
    changes = link_to(address, CHANGES_PATH, FEED_PATH)
    entries = (release_entries(descriptor, prefix, changes) + correction_entries(descriptor, corrections, prefix, changes)
               + withdrawal_entries(descriptor, prefix, address))
    return sorted(entries, key=lambda e: (e["updated"], ORDER[e["kind"]], e["id"]), reverse=True)


def _text(parent, tag: str, text: str, **attrs) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = text
    return element


def atom_feed(descriptor: dict, corrections, address: str) -> bytes:
    """feed.xml's bytes."""
    ET.register_namespace("", ATOM)
    entries = feed_entries(descriptor, corrections, address)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", stable_id(descriptor["name"], "feed"))
    _text(feed, "title", f"{descriptor['title']}: releases, corrections and withdrawals")
    if descriptor.get("is_illustrative"):
        _text(feed, "subtitle", "Illustrative data — not real survey results.")
    _text(feed, "updated", max([e["updated"] for e in entries] + [descriptor["created"][:10]]) + "T00:00:00Z")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", (descriptor.get("contributors") or [{"title": descriptor["title"]}])[0]["title"])
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html",
                                            "href": link_to(address, CHANGES_PATH, FEED_PATH)})
    if address:
        ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "type": "application/atom+xml", "href": address + FEED_PATH})
    for e in entries:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", e["id"])
        _text(entry, "title", e["title"])
        _text(entry, "updated", e["updated"] + "T00:00:00Z")
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": e["link"]})
        _text(entry, "summary", e["summary"])
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
