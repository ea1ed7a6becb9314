"""The published package folder in, its downloadable copies under the site's data/ out:

data/                      this version (the links the site has always used)
data/<version>/            this version, at a link that never changes
data/latest/               this version, at a link that always means the newest
data/<old version>/<name>.zip   each earlier version kept in datapackage/archive/<version>/
data/<withdrawn version>/index.html   a notice: withdrawn when, why, and which version replaces it
"""
from __future__ import annotations

import dataclasses
import html
import json
import re
import shutil
from pathlib import Path

LATEST = "latest"
VERSION = re.compile(r"^\d+\.\d+\.\d+$")


@dataclasses.dataclass(frozen=True)
class PackageLinks:
    version: str
    name: str
    archived: tuple[str, ...]      # earlier versions with a zip, newest first (not withdrawn ones)
    withdrawn: tuple[str, ...] = ()   # earlier versions withdrawn: a notice is served in their place


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def package_files(package: Path) -> list[str]:
    """Paths, relative to the package folder, of everything one version publishes (not the archive)."""
    return sorted(p.relative_to(package).as_posix() for p in package.rglob("*")
                  if p.is_file() and p.relative_to(package).parts[0] != "archive"
                  and not any(part.startswith(".") for part in p.relative_to(package).parts))


def archived_versions(package: Path, name: str, current: str) -> tuple[str, ...]:
    archive = package / "archive"
    if not archive.is_dir():
        return ()
    descriptor = package / "datapackage.json"
    withdrawn = {w["version"] for w in json.loads(descriptor.read_text(encoding="utf-8")).get("withdrawals", [])} \
        if descriptor.is_file() else set()
    found = [p.name for p in archive.iterdir() if VERSION.match(p.name) and p.name != current
             and p.name not in withdrawn and (p / f"{name}.zip").is_file()]
    return tuple(sorted(found, key=version_key, reverse=True))


def publish_links(package: Path, data: Path, descriptor: dict, name: str) -> PackageLinks:
    """Copy the package to data/, data/<version>/ and data/latest/, and archived zips to data/<version>/."""
    version = descriptor["version"]
    files = package_files(package)
    for folder in (data, data / version, data / LATEST):
        for rel in files:
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(package / rel, folder / rel)
    archived = archived_versions(package, name, version)
    for old in archived:
        (data / old).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(package / "archive" / old / f"{name}.zip", data / old / f"{name}.zip")
    for record in descriptor.get("withdrawals", []):
        (data / record["version"]).mkdir(parents=True, exist_ok=True)
        (data / record["version"] / "index.html").write_text(withdrawal_notice(record), encoding="utf-8")
    return PackageLinks(version, name, archived, tuple(w["version"] for w in descriptor.get("withdrawals", [])))


def notice_preview(version: str, new: str) -> str:
    """Link-preview tags and the feed link for a notice served at data/<version>/ (two folders down)."""
    title, text = f"Version {version} of the data was withdrawn", f"Use version {new} instead."
    return (f"<meta name=\"description\" content=\"{text}\">"
            f"<link rel=\"alternate\" type=\"application/atom+xml\" href=\"../../feed.xml\">"
            + "".join(f"<meta property=\"og:{k}\" content=\"{v}\">" for k, v in
                      (("type", "website"), ("title", title), ("description", text), ("image", "../../preview.png")))
            + "<meta name=\"twitter:card\" content=\"summary_large_image\">")


def withdrawal_notice(record: dict) -> str:
    """A withdrawal record in, the short page served at the withdrawn version's stable link out."""
    v, new = html.escape(record["version"]), html.escape(record["replaced_by"])
    return (f"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>Version {v} of the data was withdrawn</title>{notice_preview(v, new)}</head><body><main>"
            f"<h1>Version {v} of the data was withdrawn</h1>"
            f"<p>We withdrew version {v} on {html.escape(record['withdrawn'])}. {html.escape(record['reason'])}</p>"
            f"<p>Use <a href=\"../{new}/\">version {new}</a> instead, or <a href=\"../latest/\">the latest version</a>. "
            f"The withdrawal is listed on the What changed page.</p></main></body></html>\n")
