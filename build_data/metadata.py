"""Metadata files (build_data/metadata/*) in, one validated Config object out.

The Config is built once at the command-line boundary and passed to every stage as an
argument; no module reads metadata on its own.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pandas as pd
import yaml

from .disclosure_policy import DisclosurePolicy, load_policies
from .errors import DuplicateReleaseId, MetadataInvalid, SourcePathOutsideSources

RELEASE_KEYS = ("id", "survey", "survey_year", "title", "publisher", "published", "url", "licence",
                "layout", "encoding", "files", "disclosure_policy", "is_illustrative", "notes")
SURVEYS = ("cpes", "naome", "published_figures")


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

    @property
    def metadata_dir(self) -> Path:
        return self.root / "build_data" / "metadata"

    @property
    def sources_dir(self) -> Path:
        return self.root / "build_data" / "sources"

    @property
    def is_illustrative(self) -> bool:
        return any(r.is_illustrative for r in self.releases)

    def releases_of(self, survey: str) -> list[Release]:
        return [r for r in self.releases if r.survey == survey]


def read_yaml(path: Path):
    """A YAML metadata file in, its contents out; a missing or malformed file is MetadataInvalid."""
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.safe_load(f)
    except FileNotFoundError:
        raise MetadataInvalid("The metadata file does not exist.", file=path,
                              fix=f"Restore {path.name} from version control.") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise MetadataInvalid(f"It is not valid YAML: {getattr(e, 'problem', e)}.", file=path,
                              row=mark.line + 1 if mark else None,
                              fix=f"Correct the YAML syntax in {path.name}.") from None


def read_metadata_csv(path: Path) -> pd.DataFrame:
    """A CSV metadata file in, its cells as text out."""
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise MetadataInvalid("The metadata file does not exist.", file=path,
                              fix=f"Restore {path.name} from version control.") from None


def parse_release(entry: dict, index: int, layouts: dict, root: Path, path: Path, policies: dict) -> Release:
    """One releases.yml entry in, a checked Release out."""
    where = dict(file=path, row=f"entry {index + 1} ({entry.get('id', '?')})")
    missing = [k for k in RELEASE_KEYS if k not in entry]
    if missing:
        raise MetadataInvalid(f"The release entry lacks {', '.join(missing)}.", **where,
                              fix="Add the missing keys to the entry in releases.yml.")
    if entry["survey"] not in SURVEYS:
        raise MetadataInvalid(f"survey is {entry['survey']!r}; it must be one of {SURVEYS}.",
                              **where, column="survey", fix="Correct the survey in releases.yml.")
    if entry["layout"] not in layouts:
        raise MetadataInvalid(f"layout {entry['layout']!r} is not in layouts.yml.", **where,
                              column="layout", fix="Name a layout from layouts.yml, or add one there.")
    sources = (root / "build_data" / "sources").resolve()
    files = []
    for item in entry["files"] or []:
        full = (sources / str(item["path"])).resolve()
        if sources not in full.parents:
            raise SourcePathOutsideSources(f"{item['path']!r} resolves to {full}.", **where,
                                           column="files", fix="Keep raw files under build_data/sources/<release id>/.")
        layout_id = str(item.get("layout") or entry["layout"])
        if layout_id not in layouts:
            raise MetadataInvalid(f"File {item['path']!r} names layout {layout_id!r}, which is not in layouts.yml.",
                                  **where, column="files", fix="Name a layout from layouts.yml, or add one there.")
        files.append(SourceFile(full, str(item["path"]), str(item.get("sha256", "")), layout_id,
                                str(item.get("encoding") or entry["encoding"])))
    if not files:
        raise MetadataInvalid("The release lists no files.", **where, column="files",
                              fix="List the release's raw files in releases.yml.")
    if entry["disclosure_policy"] not in policies:
        raise MetadataInvalid(f"disclosure_policy {entry['disclosure_policy']!r} is not in disclosure.yml.", **where,
                              column="disclosure_policy",
                              fix=f"Name one of {sorted(policies)} in releases.yml, or add the policy to disclosure.yml.")
    for key in ("survey_year",):
        if not isinstance(entry[key], int) or isinstance(entry[key], bool) or entry[key] < 0:
            raise MetadataInvalid(f"{key} is {entry[key]!r}, not a whole number.", **where, column=key,
                                  fix=f"Write {key} as a whole number (e.g. 10) in releases.yml.")
    if not isinstance(entry["is_illustrative"], bool):
        raise MetadataInvalid(f"is_illustrative is {entry['is_illustrative']!r}, not true or false.", **where,
                              column="is_illustrative", fix="Write true or false in releases.yml.")
    published = entry["published"]
    if not isinstance(published, dt.date):
        raise MetadataInvalid(f"published is {published!r}, not a date (YYYY-MM-DD).", **where,
                              column="published", fix="Write the date as YYYY-MM-DD in releases.yml.")
    return Release(
        id=str(entry["id"]), survey=entry["survey"], survey_year=int(entry["survey_year"]),
        title=str(entry["title"]), publisher=str(entry["publisher"]), published=published,
        url=str(entry["url"] or ""), licence=str(entry["licence"]), layout=layouts[entry["layout"]],
        encoding=str(entry["encoding"]), files=tuple(files),
        policy=policies[entry["disclosure_policy"]],
        is_illustrative=bool(entry["is_illustrative"]), notes=str(entry["notes"] or ""))


def read_releases(root: Path, layouts: dict) -> tuple[Release, ...]:
    """releases.yml (with disclosure.yml's policies) in, every Release out (ids unique)."""
    path = root / "build_data" / "metadata" / "releases.yml"
    policies = load_policies(path.with_name("disclosure.yml"), read_yaml(path.with_name("disclosure.yml")))
    entries = read_yaml(path) or []
    releases = tuple(parse_release(e, i, layouts, root, path, policies) for i, e in enumerate(entries))
    seen = {}
    for index, r in enumerate(releases):
        if r.id in seen:
            raise DuplicateReleaseId(f"Entries {seen[r.id] + 1} and {index + 1} both have the id {r.id!r}.",
                                     file=path, row=f"entry {index + 1}", column="id",
                                     fix="Give every release in releases.yml its own id (the id is also its "
                                         "folder under build_data/sources/).")
        seen[r.id] = index
    return releases


def read_corrections(path: Path) -> tuple:
    """corrections.yml in, its entries out (none if the file does not exist: there may be no known errors)."""
    if not path.exists():
        return ()
    entries = read_yaml(path) or []
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise MetadataInvalid("It must be a list of entries.", file=path,
                              fix="Write each correction as a '- release_id: ...' entry (see the comments at the top).")
    return tuple(entries)


def attach_corrections(releases: tuple, corrections: tuple) -> tuple:
    """Releases and corrections in, releases each carrying the corrections for their own files out."""
    return tuple(dataclasses.replace(r, corrections=tuple(c for c in corrections if c.get("release_id") == r.id))
                 for r in releases)


def load_config(root: Path) -> Config:
    """Read and cross-check every metadata file under root/build_data/metadata."""
    root = Path(root).resolve()
    meta = root / "build_data" / "metadata"
    layouts = read_yaml(meta / "layouts.yml")
    corrections = read_corrections(meta / "corrections.yml")
    config = Config(
        root=root,
        releases=attach_corrections(read_releases(root, layouts), corrections),
        questions=read_yaml(meta / "questions.yml"),
        cohorts=read_yaml(meta / "cohorts.yml"),
        indicators=read_yaml(meta / "indicators.yml"),
        geographies=read_metadata_csv(meta / "geographies.csv"),
        crosswalk=read_metadata_csv(meta / "crosswalk.csv"),
        fields=read_yaml(meta / "fields.yml"),
        site=read_yaml(meta / "site.yml"),
        figures=read_yaml(meta / "figures.yml"),
        corrections=corrections,
        layouts=layouts,
    )
    from .metadata_checks import check_metadata
    check_metadata(config)
    return config
