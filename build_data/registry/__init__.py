"""The metadata registry: every file in build_data/metadata/ loaded through its schema into typed,
frozen objects, and every reference between files checked both ways.

    registry = load_registry(metadata_dir)     # MetadataInvalid (or a subclass) on any mistake
    registry.questions["main_contact"].short_label

Modules: loading (files in, with line numbers), explain (validation errors in words), base and one
module of models per group of files, references (cross-file checks), tables (tables.yml).
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from ..errors import MetadataInvalid, MetadataKeyUnknown
from .explain import did_you_mean, list_of, mapping_of, refuse_unconfirmed, validate
from .loading import Located, load_csv, load_yaml
from .places import CrosswalkRow, Geography, SupportContact
from .publishing import Figure, Resource, Site
from .references import check_references
from .releases import Correction, ReleaseEntry
from .tables import Table, check_tables
from .vocabulary import Cohort, Indicator, Question

ID = re.compile(r"[a-z0-9]+(_[a-z0-9]+)*")


@dataclasses.dataclass(frozen=True)
class Registry:
    """Every metadata file as typed, frozen objects; `files` keeps each file's contents and line map."""
    releases: tuple[ReleaseEntry, ...]
    layouts: MappingProxyType
    questions: MappingProxyType
    cohorts: MappingProxyType
    indicators: MappingProxyType
    geographies: tuple[Geography, ...]
    crosswalk: tuple[CrosswalkRow, ...]
    fields: MappingProxyType
    figures: MappingProxyType
    site: Site
    corrections: tuple[Correction, ...]
    tables: MappingProxyType
    disclosure_policies: MappingProxyType
    support: tuple[SupportContact, ...]
    files: MappingProxyType

    def geography_table(self) -> pd.DataFrame:
        """geographies.csv as a table, valid_from and valid_to as whole numbers (blank valid_to: still in use)."""
        frame = pd.DataFrame([g.model_dump() for g in self.geographies], columns=list(Geography.model_fields))
        for column in ("valid_from", "valid_to"):
            frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
        return frame

    def crosswalk_table(self) -> pd.DataFrame:
        """crosswalk.csv as a table of text."""
        return pd.DataFrame([r.model_dump() for r in self.crosswalk], columns=list(CrosswalkRow.model_fields))

    def line(self, name: str, *loc) -> int | None:
        """The line of a key path in a metadata file (e.g. line("figures.yml", "main_contact_trend", "cohorts"))."""
        return self.files[name].line_of(tuple(loc))


def layouts_of(located: Located) -> dict:
    """layouts.yml's contents in, layout id -> typed Layout (build_data/readers/layout.py) out."""
    from ..readers.layout import Layout
    out = {}
    for key, value in mapping_of(located, "layout").items():
        data = {**value, "id": str(key)} if isinstance(value, dict) else value
        out[str(key)] = validate(Layout, data, located, (key,), f"The layout {key!r}")
    return out


def load_layouts(path: Path) -> dict:
    """layouts.yml in, layout id -> layout out."""
    return layouts_of(load_yaml(path))


def policies_of(located: Located) -> MappingProxyType:
    """disclosure.yml's contents in, policy id -> typed DisclosurePolicy (build_data/disclosure_policy.py) out."""
    from ..disclosure_policy import DisclosurePolicy
    out = {}
    for key, value in mapping_of(located, "disclosure policy").items():
        data = {**value, "id": str(key)} if isinstance(value, dict) else value
        out[str(key)] = validate(DisclosurePolicy, data, located, (key,), f"The disclosure policy {key!r}")
    return MappingProxyType(out)


def entries(located: Located, model, what: str) -> MappingProxyType:
    """A `<id>: {...}` file in, id -> model instance out (ids are slugs like main_contact)."""
    out = {}
    for key, value in mapping_of(located, what).items():
        if not isinstance(key, str) or not ID.fullmatch(key):
            raise MetadataInvalid(f"The {what} id {key!r} is not a slug like main_contact.", file=located.path,
                                  line=located.line_of((key,)), key=str(key),
                                  fix=f"Write the id in lower case with underscores in {located.path.name}.")
        out[key] = validate(model, value, located, (key,), f"The {what} {key!r}")
    return MappingProxyType(out)


def rows(located: Located, model, what: str) -> tuple:
    """A CSV metadata file in, one model instance per row out (its heading row checked against the model)."""
    header = located.data["header"]
    known = list(model.model_fields)
    for heading in header:
        if heading not in model.model_fields:
            raise MetadataKeyUnknown(f"{located.path.name} has the column `{heading}`.{did_you_mean(heading, known)} "
                                     f"Known columns: {', '.join(known)}.", file=located.path, row=1, column=heading,
                                     fix=f"Correct the heading in {located.path.name}.")
    out = []
    for index, row in enumerate(located.data["rows"]):
        line = located.line_of((index,))
        if None in row:
            raise MetadataInvalid(f"Row {line} has more cells than there are headings.", file=located.path, row=line,
                                  fix=f"Quote cells that contain commas in {located.path.name}.")
        out.append(validate(model, {k: v if v is not None else "" for k, v in row.items()}, located, (index,),
                            f"{what} on row {line}"))
    return tuple(out)


def load_registry(meta: Path, unconfirmed_ok: bool = False) -> Registry:
    """build_data/metadata in, a checked Registry out; the first mistake is raised as MetadataInvalid.

    A value left as CONFIRM is refused unless unconfirmed_ok (new-release, before a person has checked them)."""
    meta = Path(meta)
    files = {name: load_yaml(meta / name) for name in ("releases.yml", "layouts.yml", "questions.yml", "cohorts.yml",
                                                       "indicators.yml", "fields.yml", "figures.yml", "site.yml",
                                                       "tables.yml", "disclosure.yml")}
    files["corrections.yml"] = (load_yaml(meta / "corrections.yml") if (meta / "corrections.yml").exists()
                                else Located(meta / "corrections.yml", [], {}))
    files["geographies.csv"] = load_csv(meta / "geographies.csv")
    files["crosswalk.csv"] = load_csv(meta / "crosswalk.csv")
    files["support.csv"] = load_csv(meta / "support.csv")
    if not unconfirmed_ok:
        for located in files.values():
            refuse_unconfirmed(located)
    releases = files["releases.yml"]
    corrections = files["corrections.yml"]
    registry = Registry(
        releases=tuple(validate(ReleaseEntry, e, releases, (i,), f"Release entry {i + 1}"
                                + (f" ({e.get('id')})" if isinstance(e, dict) else ""))
                       for i, e in enumerate(list_of(releases, "release"))),
        layouts=MappingProxyType(layouts_of(files["layouts.yml"])),
        questions=entries(files["questions.yml"], Question, "question"),
        cohorts=entries(files["cohorts.yml"], Cohort, "cohort"),
        indicators=entries(files["indicators.yml"], Indicator, "indicator"),
        geographies=rows(files["geographies.csv"], Geography, "The place"),
        crosswalk=rows(files["crosswalk.csv"], CrosswalkRow, "The crosswalk row"),
        fields=entries(files["fields.yml"], Resource, "table"),
        figures=entries(files["figures.yml"], Figure, "figure"),
        site=validate(Site, files["site.yml"].data, files["site.yml"], (), "site.yml"),
        corrections=tuple(validate(Correction, e, corrections, (i,), f"Correction entry {i + 1}")
                          for i, e in enumerate(list_of(corrections, "correction"))),
        tables=entries(files["tables.yml"], Table, "table"),
        disclosure_policies=policies_of(files["disclosure.yml"]),
        support=rows(files["support.csv"], SupportContact, "The support contact"),
        files=MappingProxyType(files),
    )
    check_references(registry)
    check_tables(registry)
    return registry
