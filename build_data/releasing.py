"""Raw files for a new release in; the files copied under sources/, a releases.yml entry with their
sha256, layout and encoding, and proposed crosswalk rows out — for a person to confirm.

All or nothing: the files are staged in a temporary folder and read with their layout before
anything is moved into place, and releases.yml is replaced in one step, so a failure leaves the
project as it was and the same command can simply be run again.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path

from .errors import BuildError, MetadataInvalid
from .readers.recognise import LayoutNotRecognised, detect_encoding, guess_layout   # noqa: F401 (re-exported)
from .metadata import Release, SourceFile

RELEASE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class ReleaseExists(BuildError):
    """A release with this id is already in releases.yml."""


class ReleaseFileMissing(BuildError):
    """A file given to new-release is not there."""


class ReleaseIdInvalid(BuildError):
    """A new release's id is not a lower-case slug ending in its survey year, like cpes-2025."""


@dataclasses.dataclass(frozen=True)
class NewFile:
    name: str           # file name under build_data/sources/<release id>/
    layout_id: str
    encoding: str
    sha256: str


def survey_year_of(release_id: str) -> int:
    """cpes-2025 in, 2025 out; an id without a year, or not a slug, is refused."""
    years = re.findall(r"(?<!\d)(\d{4})(?!\d)", release_id)
    if not RELEASE_ID.match(release_id) or not years:
        raise ReleaseIdInvalid(f"{release_id!r} is not a slug with a year.",
                               fix="Name the release like cpes-2025: lower-case words and its survey year, "
                                   "joined by hyphens.")
    return int(years[-1])


def check_new(config, release_id: str, files: list[Path]) -> None:
    """Refuse before any work: the id already used, a file that is not there, or a leftover folder of other files."""
    if any(r.id == release_id for r in config.releases):
        raise ReleaseExists(f"{release_id!r} is already listed.", file=config.metadata_dir / "releases.yml",
                            fix="Choose a new release id, or edit the existing entry.")
    for f in files:
        if not Path(f).is_file():
            raise ReleaseFileMissing(f"{f} is not a file.", file=f, fix="Give the path of the publisher's download.")
    target = config.sources_dir / release_id
    strangers = sorted(p.name for p in target.iterdir() if p.name not in {Path(f).name for f in files}) \
        if target.is_dir() else []
    if strangers:
        raise ReleaseExists(f"build_data/sources/{release_id}/ already holds {strangers}, and releases.yml does "
                            f"not list {release_id!r}.", file=target,
                            fix="Move that folder away if it is left over, or choose a new release id.")


def stage_files(files: list[Path], stage: Path, config) -> list[NewFile]:
    """Copy the files into the staging folder; guess each one's encoding and layout."""
    staged = []
    for f in files:
        encoding = detect_encoding(f)
        layout_id = guess_layout(f, config.layouts, encoding)
        if config.layouts[layout_id].format != "csv":     # a workbook's text encoding is its own
            encoding = "utf-8"
        copy = stage / Path(f).name
        shutil.copyfile(f, copy)
        staged.append(NewFile(copy.name, layout_id, encoding, hashlib.sha256(copy.read_bytes()).hexdigest()))
    return staged


def staged_release(config, release_id: str, year: int, survey: str, staged: list[NewFile], stage: Path) -> Release:
    """The new release as the build will see it, its files still in the staging folder."""
    first = staged[0]
    files = tuple(SourceFile(stage / f.name, f"{release_id}/{f.name}", f.sha256, f.layout_id, f.encoding)
                  for f in staged)
    return Release(release_id, survey, year, "new release", "", None, "", "", config.layouts[first.layout_id],
                   first.encoding, files, 0, False, "")


def read_staged(release: Release, config) -> list[tuple]:
    """Read every staged file with its layout, as the build will (a file that does not read stops here)."""
    from .readers import READERS
    return [(part, READERS[part.layout.reader](part)) for part in release.parts(config.layouts)]


def entry_text(release_id: str, year: int, survey: str, staged: list[NewFile], policy: str) -> str:
    """The releases.yml entry, every value a person must check marked CONFIRM."""
    first = staged[0]
    listed = []
    for f in staged:
        lines = [f"    - path: {release_id}/{f.name}", f"      sha256: {f.sha256}"]
        if f.layout_id != first.layout_id:
            lines.append(f"      layout: {f.layout_id}")
        if f.encoding != first.encoding:
            lines.append(f"      encoding: {f.encoding}   # CONFIRM (detected)")
        listed.append("\n".join(lines))
    listed_text = "\n".join(listed)
    return f"""- id: {release_id}   # added by new-release: CONFIRM every value below
  survey: {survey}
  survey_year: {year}
  title: CONFIRM title of the release
  publisher: CONFIRM publisher
  published: {year + 1}-07-01   # CONFIRM the publication date
  url: ""   # CONFIRM the publisher's page
  licence: OGL-UK-3.0   # CONFIRM
  layout: {first.layout_id}
  encoding: {first.encoding}   # CONFIRM (detected; utf-8-sig for a BOM, cp1252 for Windows files)
  files:
{listed_text}
  disclosure_policy: {policy}   # CONFIRM (disclosure.yml): its minimum respondents must be the publisher's rule
  is_illustrative: false   # CONFIRM
  notes: ""
"""


def policy_of(config, survey: str) -> str:
    """The disclosure policy of the latest release of the same survey (to be confirmed), else a CONFIRM value."""
    same = sorted((r for r in config.releases if r.survey == survey), key=lambda r: r.survey_year)
    return same[-1].policy.id if same else "CONFIRM a policy id from disclosure.yml"


def survey_of(config, layout_id: str) -> str:
    survey = config.layouts[layout_id].survey
    if not survey:
        raise MetadataInvalid(f"Layout {layout_id!r} does not say which survey its releases belong to.",
                         file=config.metadata_dir / "layouts.yml", row=layout_id, column="survey",
                         fix="Add survey: (as in releases.yml) to the layout in build_data/metadata/layouts.yml.")
    return survey


def publish_staged(config, release_id: str, stage: Path, entry: str) -> None:
    """Move the staged folder into place and replace releases.yml in one step; undo the move if that fails."""
    releases = config.metadata_dir / "releases.yml"
    text = releases.read_text(encoding="utf-8").rstrip("\n") + "\n" + entry
    fd, temp_name = tempfile.mkstemp(prefix=".releases-", suffix=".yml", dir=releases.parent)
    target = config.sources_dir / release_id
    leftover = target.is_dir()
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        if leftover:            # the same files, left by an earlier version of this command: replace them
            shutil.rmtree(target)
        os.replace(stage, target)
        try:
            os.replace(temp_name, releases)
        except BaseException:
            os.replace(target, stage)
            raise
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)


def add_release(config, release_id: str, files: list[Path]) -> dict:
    """Stage and read the files, then copy them in and append a releases.yml entry, or change nothing.

    Returns what was decided, for the person to confirm, and the proposed crosswalk rows."""
    from .crosswalk import suggest_for_release
    year = survey_year_of(release_id)
    check_new(config, release_id, files)
    config.sources_dir.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".new-release-{release_id}-", dir=config.sources_dir))
    try:
        staged = stage_files(files, stage, config)
        survey = survey_of(config, staged[0].layout_id)
        release = staged_release(config, release_id, year, survey, staged, stage)
        suggestions = suggest_for_release(config, release, read_staged(release, config))
        publish_staged(config, release_id, stage, entry_text(release_id, year, survey, staged, policy_of(config, survey)))
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return {"layouts": sorted({f.layout_id for f in staged}), "files": staged, "survey_year": year,
            "survey": survey, "suggestions": suggestions}
