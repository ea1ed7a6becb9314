"""The published package and the staged one in; a refusal when the version bump is too small, and the archive carried over.

SemVer on the data: MAJOR for a removed resource or column or a type change, MINOR for new data
(a new release, resource, column or rows), PATCH for revised or removed values (corrections) and a new row in the corrections log.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from .errors import BuildError
from .package_diff import diff_packages

LEVELS = {"none": 0, "patch": 1, "minor": 2, "major": 3}
# Resources that log corrections rather than hold data: a new row there is a correction (PATCH), not new data.
CORRECTION_LOGS = ("corrections",)


class VersionBumpMissing(BuildError):
    """The data changed more than the package version says."""


def required_bump(diff: dict) -> str:
    changes = diff["changes"]
    if diff["resources_removed"] or any(c.columns_removed or c.types_changed for c in changes):
        return "major"
    if diff["resources_added"] or any(c.columns_added or (c.added and c.name not in CORRECTION_LOGS) for c in changes):
        return "minor"
    if any(c.revised or c.removed or c.added for c in changes):
        return "patch"
    return "none"


def bump_between(old: str, new: str) -> str:
    o, n = (tuple(int(p) for p in v.split(".")[:3]) for v in (old, new))
    if n[0] > o[0]:
        return "major"
    if n[:1] == o[:1] and n[1] > o[1]:
        return "minor"
    if n[:2] == o[:2] and n[2] > o[2]:
        return "patch"
    return "none"


def check_version(published: Path, staged: Path, root: Path) -> dict | None:
    """Compare the staged package with the one already published; None when nothing was published."""
    if not (published / "datapackage.json").exists():
        return None
    diff = diff_packages(str(published), str(staged), root)
    need, have = required_bump(diff), bump_between(diff["old_version"], diff["new_version"])
    if LEVELS[have] < LEVELS[need]:
        raise VersionBumpMissing(
            f"These changes need at least a {need.upper()} version bump, but the version went "
            f"{diff['old_version']} → {diff['new_version']}.",
            file="build_data/metadata/site.yml", column="package.version",
            fix=f"Raise package.version in site.yml ({need}: see CHANGELOG.md for the rules) and add a CHANGELOG.md entry.")
    return diff


def carry_archive(published: Path, staged: Path, name: str) -> None:
    """Keep every earlier version's zip under archive/<version>/, adding the one being replaced."""
    if (published / "archive").exists():
        shutil.copytree(published / "archive", staged / "archive", dirs_exist_ok=True)
    if not (published / "datapackage.json").exists():
        return
    old_version = json.loads((published / "datapackage.json").read_text(encoding="utf-8"))["version"]
    new_version = json.loads((staged / "datapackage.json").read_text(encoding="utf-8"))["version"]
    old_zip = published / f"{name}.zip"
    if old_version != new_version and old_zip.exists():
        (staged / "archive" / old_version).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(old_zip, staged / "archive" / old_version / f"{name}.zip")
