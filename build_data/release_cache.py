"""A release in; its tidy and protected rows from the last build that had the same inputs out (or None).

Reading, tidying and disclosure control are done per release (a release's rows depend on its own files and
metadata, and on the metadata every release shares, never on another release), so a build keeps each
release's rows under .cache/releases/ and, when a release's inputs are unchanged, uses them instead of
reading its files again: a new yearly release reads and protects only its own rows. The key is a content
hash of everything the rows depend on:

- the code (every build_data/**/*.py that runs) and the versions of Python, pandas and numpy;
- the metadata every release shares: each file in build_data/metadata/ except the ones with a part per
  release (releases.yml, crosswalk.csv, corrections.yml) and site.yml, of which only the settings are used,
  not the version and dates raised with every release (GOVERNANCE);
- the release's own entry in releases.yml (its files' sha256, verified before this cache is consulted),
  its crosswalk.csv rows and its corrections.yml entries.

Anything else changed (a question, a place, a disclosure policy, the code) builds every release again.
"""
from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import logging
import pickle
import platform
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

log = logging.getLogger("build_data")

CODE = Path(__file__).resolve().parent
PER_RELEASE = ("releases.yml", "crosswalk.csv", "corrections.yml", "site.yml")
GOVERNANCE = {"package": ("version", "released"), "": ("release_calendar", "next_release")}   # site.yml keys raised per release


@dataclasses.dataclass
class ReleaseRows:
    """One release's rows of each results table it feeds: tidy, and as published (after disclosure control)."""
    tidy: dict = dataclasses.field(default_factory=dict)
    published: dict = dataclasses.field(default_factory=dict)


def digest(*parts) -> str:
    total = hashlib.sha256()
    for part in parts:
        total.update(part if isinstance(part, bytes) else json.dumps(part, sort_keys=True, default=str).encode("utf-8"))
        total.update(b"\0")
    return total.hexdigest()


def code_digest() -> str:
    files = sorted(p for p in CODE.rglob("*.py") if "__pycache__" not in p.parts)
    return digest(*(p.relative_to(CODE).as_posix().encode("utf-8") + b"\0" + p.read_bytes() for p in files),
                  [platform.python_version(), pd.__version__, np.__version__])


def site_settings(path: Path) -> dict:
    """site.yml without the version and dates that every release raises."""
    settings = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for section, keys in GOVERNANCE.items():
        within = settings.get(section, {}) if section else settings
        for key in keys:
            within.pop(key, None)
    return settings


def shared_digest(metadata: Path) -> str:
    """The code and the metadata every release shares, as one sha256."""
    files = sorted(p for p in metadata.rglob("*") if p.is_file() and p.name not in PER_RELEASE)
    return digest(code_digest(), site_settings(metadata / "site.yml"),
                  *(p.relative_to(metadata).as_posix().encode("utf-8") + b"\0" + p.read_bytes() for p in files))


class ReleaseCache:
    """Each release's rows under <root>/.cache/releases/<release id>.pkl, with the key they were made from."""

    def __init__(self, config):
        self.folder = config.root / ".cache" / "releases"
        metadata = config.metadata_dir
        shared = shared_digest(metadata)
        entries = {e["id"]: e for e in yaml.safe_load((metadata / "releases.yml").read_text(encoding="utf-8")) or []}
        with open(metadata / "crosswalk.csv", encoding="utf-8", newline="") as f:
            crosswalk = [row for row in csv.reader(f)]
        self.keys = {r.id: digest(shared, entries.get(r.id), [row for row in crosswalk[1:] if row and row[0] == r.id],
                                  list(r.corrections)) for r in config.releases}
        self.hits = self.misses = 0

    def path(self, release_id: str) -> Path:
        return self.folder / f"{release_id}.pkl"

    def load(self, release) -> ReleaseRows | None:
        """The release's rows if they were saved from the same inputs, else None."""
        path = self.path(release.id)
        try:
            with open(path, "rb") as f:
                key, rows = pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
            key = rows = None
        if key != self.keys[release.id] or not isinstance(rows, ReleaseRows):
            self.misses += 1
            return None
        self.hits += 1
        return rows

    def save(self, release, rows: ReleaseRows) -> None:
        """Keep the release's rows (written to a temporary name first, so a stopped build leaves no half file)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.path(release.id)
        partial = path.with_suffix(".partial")
        with open(partial, "wb") as f:
            pickle.dump((self.keys[release.id], rows), f, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(path)
