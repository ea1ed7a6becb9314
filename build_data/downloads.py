"""The written package folder in, its whole-package downloads out: a zip (with README.txt and
CHANGELOG.md) and an .xlsx."""
from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path

from .errors import BuildError
from .spreadsheet import MAX_SHEET_ROWS, spreadsheet_bytes
from .zipfiles import Deflated, deflate, deterministic_zip

README = """{title}
Version {version}, released {released}.

{notice}{description}

Files
  datapackage.json  describes every table and column (Frictionless Data Package v2)
  data/*.csv        the tables (UTF-8, comma-separated)
  {name}.xlsx  the tables as an accessible spreadsheet (a table too long for a sheet,
                    such as response_frequencies, is in its CSV only)
  CHANGELOG.md      what changed in each version of the package

Shorthand in number columns
  [c]  suppressed to protect confidentiality (too few people, or so that a hidden number
       cannot be worked out by subtraction)
  [x]  not available
  [z]  not applicable
  A status of low_reliability means fewer than {base} people answered ([u] on the website).

Caveats
  Results are not adjusted for case mix and must not be used to rank organisations.
  CPES results from 2021 onwards must not be compared with 2019 or earlier (the survey was
  redesigned). Question numbers change between years: use question_id.

How to cite
  {citation}

Licence
  {licence} ({licence_path})
  {attribution}
"""


def readme_text(descriptor: dict, site: dict) -> str:
    meta = site["package"]
    notice = (site["illustrative_notice"].strip() + "\n\n") if descriptor.get("is_illustrative") else ""
    return README.format(
        title=descriptor["title"], version=descriptor["version"], released=meta["released"], notice=notice,
        description=meta["description"].strip(), name=meta["name"], base=site["low_reliability_base"],
        citation=site["citation"].format(year=str(meta["released"])[:4], version=descriptor["version"]).strip(),
        licence=descriptor["licenses"][0]["title"], licence_path=descriptor["licenses"][0]["path"],
        attribution=descriptor.get("attribution", ""))


CHECKOUT = Path(__file__).resolve().parents[1]


class ChangelogMissing(BuildError):
    """The package zip must carry CHANGELOG.md, and there is none."""


def changelog_bytes(root: Path | None) -> bytes:
    """CHANGELOG.md from the project root (or, when no root is given, this checkout)."""
    for candidate in ([Path(root) / "CHANGELOG.md"] if root else []) + [CHECKOUT / "CHANGELOG.md"]:
        if candidate.is_file():
            return candidate.read_bytes()
    raise ChangelogMissing("No CHANGELOG.md beside build_data/.", file=(Path(root) if root else CHECKOUT) / "CHANGELOG.md",
                           fix="Restore CHANGELOG.md at the project root (it records every package version).")


def sheet_rows(data: bytes) -> tuple[list[list[str]], int]:
    """A CSV file's bytes in; its header and rows (only the header when it is too long for a sheet) and its
    number of rows out. A long table is counted as it is read, never held as lists of cells (the build's peak
    memory: response_frequencies alone would take about 1 GB as Python strings)."""
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="\n"))
    header = next(reader, [])
    rows = list(itertools.islice(reader, MAX_SHEET_ROWS + 1))
    if len(rows) <= MAX_SHEET_ROWS:
        return [header, *rows], len(rows)
    return [header], len(rows) + sum(1 for _ in reader)


def prepared_downloads(folder: Path, descriptor: dict, site: dict, root: Path | None = None) -> dict:
    """The written package folder in; everything of its downloads but the zip's datapackage.json out: the .xlsx
    ("xlsx": its bytes) and every other member of the zip, in the zip's order, already deflated ("members").

    Only the tables' CSV files, the descriptor write_package returned and CHANGELOG.md are read, none of which
    the gate or the withdrawals change (the withdrawals rewrite datapackage.json alone): `build` prepares them
    beside the gate (downloads_ahead.py). Each CSV file is let go once deflated and counted (peak memory)."""
    name = site["package"]["name"]
    csv_tables, row_counts, members = {}, {}, {}
    for res in descriptor["resources"]:
        data = (folder / res["path"]).read_bytes()
        members[res["path"]] = deflate(data)
        csv_tables[res["name"]], row_counts[res["name"]] = sheet_rows(data)
        del data
    xlsx = spreadsheet_bytes(descriptor, site, csv_tables, row_counts)
    members[f"{name}.xlsx"] = deflate(xlsx)
    members["README.txt"] = deflate(readme_text(descriptor, site).encode("utf-8"))
    members["CHANGELOG.md"] = deflate(changelog_bytes(root))
    return {"xlsx": xlsx, "members": members}


def write_downloads(folder: Path, descriptor: dict, site: dict, root: Path | None = None,
                    prepared: dict | None = None) -> dict[str, Path]:
    """Write <name>.zip and <name>.xlsx beside datapackage.json (as it is now: after the withdrawals); return
    their paths. prepared: prepared_downloads' result for this folder, if it was made already."""
    name = site["package"]["name"]
    if prepared is None:
        prepared = prepared_downloads(folder, descriptor, site, root)
    members: dict[str, bytes | Deflated] = {"datapackage.json": (folder / "datapackage.json").read_bytes(),
                                            **prepared["members"]}
    paths = {"xlsx": folder / f"{name}.xlsx", "zip": folder / f"{name}.zip"}
    paths["xlsx"].write_bytes(prepared["xlsx"])
    paths["zip"].write_bytes(deterministic_zip(members))
    return paths
