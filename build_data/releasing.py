"""Raw files for a new release in; the files copied under sources/, a releases.yml entry with their
sha256 and a guessed layout, and proposed crosswalk rows out — for a person to confirm."""
from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pandas as pd

from .errors import BuildError
from .metadata import read_yaml


class ReleaseExists(BuildError):
    """A release with this id is already in releases.yml."""


class LayoutNotRecognised(BuildError):
    """No layout in layouts.yml matches the file's column headings."""


def headings(path: Path, layout: dict) -> list[str]:
    skip = int(layout.get("header_row", 1)) - 1
    try:
        if layout["format"] == "xlsx":
            frame = pd.read_excel(path, sheet_name=layout["sheet"], header=skip, nrows=0, engine="openpyxl")
        else:
            frame = pd.read_csv(path, header=skip, nrows=0, encoding="utf-8-sig", encoding_errors="replace")
    except Exception:   # any failure simply means "not this layout"
        return []
    return [str(c).strip() for c in frame.columns]


def guess_layout(path: Path, layouts: dict) -> str:
    for name, layout in layouts.items():
        if path.suffix.lstrip(".").lower() != layout["format"]:
            continue
        found = headings(path, layout)
        if found and set(layout["columns"]) == set(found):
            return name
    raise LayoutNotRecognised(f"Headings of {path.name} match no layout.", file=path,
                              fix="Add a layout describing this file to build_data/metadata/layouts.yml, then run again.")


def entry_text(release_id: str, year: int, layout: str, files: list[tuple[str, str]], survey: str) -> str:
    listed = "\n".join(f"    - path: {rel}\n      sha256: {digest}" for rel, digest in files)
    return f"""- id: {release_id}   # added by new-release: CONFIRM every value below
  survey: {survey}
  survey_year: {year}
  title: CONFIRM title of the release
  publisher: CONFIRM publisher
  published: {year + 1}-07-01   # CONFIRM the publication date
  url: ""   # CONFIRM the publisher's page
  licence: OGL-UK-3.0   # CONFIRM
  layout: {layout}
  encoding: utf-8   # CONFIRM (utf-8-sig for a BOM, cp1252 for Windows files)
  files:
{listed}
  disclosure_policy: cpes-publisher-10   # CONFIRM (disclosure.yml) against the Technical Document
  is_illustrative: false   # CONFIRM
  notes: ""
"""


def add_release(root: Path, release_id: str, files: list[Path]) -> dict:
    """Copy files, append a releases.yml entry; return what was decided for the person to confirm."""
    meta = root / "build_data" / "metadata"
    releases_path = meta / "releases.yml"
    if any(r["id"] == release_id for r in read_yaml(releases_path) or []):
        raise ReleaseExists(f"{release_id!r} is already listed.", file=releases_path,
                            fix="Choose a new release id, or edit the existing entry.")
    layouts = read_yaml(meta / "layouts.yml")
    layout = guess_layout(Path(files[0]), layouts)
    target = root / "build_data" / "sources" / release_id
    target.mkdir(parents=True, exist_ok=True)
    recorded = []
    for f in files:
        shutil.copyfile(f, target / Path(f).name)
        digest = hashlib.sha256((target / Path(f).name).read_bytes()).hexdigest()
        recorded.append((f"{release_id}/{Path(f).name}", digest))
    year = int(re.findall(r"(\d{4})", release_id)[-1]) if re.findall(r"(\d{4})", release_id) else 0
    survey = "naome" if layouts[layout]["reader"] == "audit_indicators" else "cpes"
    text = releases_path.read_text(encoding="utf-8").rstrip("\n") + "\n" + entry_text(release_id, year, layout, recorded, survey)
    releases_path.write_text(text, encoding="utf-8")
    return {"layout": layout, "files": recorded, "survey_year": year, "survey": survey}
