"""Metadata files (build_data/metadata/*) in, one validated Config object out.

The Config is built once at the command-line boundary and passed to every stage as an
argument; no module reads metadata on its own. Every file is loaded and checked by the registry
(build_data/registry); `config.registry` holds the typed objects, and the dict-valued attributes
(questions, cohorts, site ...) stay for the stages not yet moved to them.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pandas as pd

from .disclosure_policy import DisclosurePolicy
from .errors import SourcePathOutsideSources
from .registry import Registry, load_registry
from .registry.loading import load_yaml
from .registry.releases import ReleaseEntry


@dataclasses.dataclass(frozen=True)
class SourceFile:
    path: Path          # absolute
    relative: str       # as written in releases.yml
    sha256: str
    layout_id: str = ""     # the file's layout in layouts.yml (its own, else the release's)
    encoding: str = ""      # the file's encoding (its own, else the release's)


@dataclasses.dataclass(frozen=True)
class Release:
    id: str
    survey: str
    survey_year: int
    title: str
    publisher: str
    published: dt.date
    url: str
    licence: str
    layout: dict
    encoding: str
    files: tuple[SourceFile, ...]
    policy: DisclosurePolicy    # disclosure.yml entry named by the release's disclosure_policy
    is_illustrative: bool
    notes: str
    corrections: tuple = ()     # entries of corrections.yml for this release's files

    @property
    def suppression_threshold(self) -> int:
        return self.policy.min_respondents

    def corrections_for(self, source: SourceFile) -> list[dict]:
        """One of the release's files in, the corrections.yml entries for that file out."""
        return [c for c in self.corrections if c["file"] == source.relative]

    def parts(self, layouts: dict) -> list["Release"]:
        """The release split by file layout (and encoding), in file order: one Release per part, each
        with only its files and their layout, so a reader sees a release in one format."""
        groups: dict[tuple, list[SourceFile]] = {}
        for f in self.files:
            groups.setdefault((f.layout_id, f.encoding), []).append(f)
        return [dataclasses.replace(self, layout=layouts[layout_id], encoding=encoding, files=tuple(files))
                for (layout_id, encoding), files in groups.items()]


@dataclasses.dataclass(frozen=True)
class Config:
    root: Path
    releases: tuple[Release, ...]
    questions: dict
    cohorts: dict
    indicators: dict
    geographies: pd.DataFrame
    crosswalk: pd.DataFrame
    fields: dict
    site: dict
    figures: dict
    corrections: tuple = ()     # every entry of corrections.yml, as written
    layouts: dict = dataclasses.field(default_factory=dict)   # layouts.yml, for files with their own layout
    registry: Registry | None = None    # the same metadata as typed, frozen objects (stages move to these)

    @property
    def metadata_dir(self) -> Path:
        return self.root / "build_data" / "metadata"

    @property
    def sources_dir(self) -> Path:
        return self.root / "build_data" / "sources"

    @property
    def is_illustrative(self) -> bool:
        return any(r.is_illustrative for r in self.releases)


def read_yaml(path: Path):
    """A YAML metadata file in, its contents out; a missing or malformed file is MetadataInvalid."""
    return load_yaml(path).data


def read_metadata_csv(path: Path) -> pd.DataFrame:
    """A CSV metadata file in, its cells as text out (for the stages that join on them)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def to_release(entry: ReleaseEntry, index: int, layouts, policies, root: Path, path: Path) -> Release:
    """One checked releases.yml entry in, a Release with its files resolved under build_data/sources/ out."""
    sources = (root / "build_data" / "sources").resolve()
    files = []
    for item in entry.files:
        full = (sources / item.path).resolve()
        if sources not in full.parents:
            raise SourcePathOutsideSources(f"{item.path!r} resolves to {full}.", file=path,
                                           row=f"entry {index + 1} ({entry.id})", column="files",
                                           fix="Keep raw files under build_data/sources/<release id>/.")
        files.append(SourceFile(full, item.path, item.sha256, item.layout or entry.layout,
                                item.encoding or entry.encoding))
    return Release(
        id=entry.id, survey=entry.survey, survey_year=entry.survey_year, title=entry.title,
        publisher=entry.publisher, published=entry.published, url=entry.url or "", licence=entry.licence,
        layout=layouts[entry.layout], encoding=entry.encoding, files=tuple(files),
        policy=policies[entry.disclosure_policy], is_illustrative=entry.is_illustrative,
        notes=entry.notes or "")


def attach_corrections(releases: tuple, corrections: tuple) -> tuple:
    """Releases and corrections in, releases each carrying the corrections for their own files out."""
    return tuple(dataclasses.replace(r, corrections=tuple(c for c in corrections if c.get("release_id") == r.id))
                 for r in releases)


def load_config(root: Path, unconfirmed_ok: bool = False) -> Config:
    """Read every metadata file under root/build_data/metadata through the registry (typed, cross-checked).

    unconfirmed_ok: accept values still marked CONFIRM (only for proposing crosswalk rows after new-release)."""
    root = Path(root).resolve()
    meta = root / "build_data" / "metadata"
    registry = load_registry(meta, unconfirmed_ok)
    layouts = dict(registry.layouts)
    path = registry.files["releases.yml"].path
    releases = tuple(to_release(e, i, layouts, registry.disclosure_policies, root, path)
                     for i, e in enumerate(registry.releases))
    corrections = tuple(registry.files["corrections.yml"].data or ())
    return Config(
        root=root,
        releases=attach_corrections(releases, corrections),
        questions=registry.files["questions.yml"].data,
        cohorts=registry.files["cohorts.yml"].data,
        indicators=registry.files["indicators.yml"].data,
        geographies=read_metadata_csv(meta / "geographies.csv"),
        crosswalk=read_metadata_csv(meta / "crosswalk.csv"),
        fields=registry.files["fields.yml"].data,
        site=registry.files["site.yml"].data,
        figures=registry.files["figures.yml"].data,
        corrections=corrections,
        layouts=layouts,
        registry=registry,
    )
