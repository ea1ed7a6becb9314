"""tables.yml: which readers feed which published results table, in what order, through which tidy and
disclosure steps, and which columns disclosure control may blank."""
from __future__ import annotations

from pydantic import ConfigDict

from ..errors import MetadataInvalid, MetadataReferenceBroken
from .base import Entry, Slug
from .references import broken


class Table(Entry):
    """One published results table as tables.yml declares it."""
    model_config = ConfigDict(extra="forbid", frozen=True)
    readers: tuple[Slug, ...]
    after: tuple[Slug, ...] = ()
    tidy: Slug
    disclosure: Slug
    suppressible: tuple[Slug, ...] = ()


def check_tables(registry) -> None:
    """Every table is in fields.yml, is fed by known readers (each reader feeds one table), comes after tables
    declared above it, names registered steps, and may blank only its own columns."""
    from ..readers import READERS
    from ..table_steps import DISCLOSURE, TIDY
    fed = {}
    for index, (name, table) in enumerate(registry.tables.items()):
        if name not in registry.fields:
            raise broken(registry, "tables.yml", (name,), "tables.yml declares the table", name, registry.fields,
                         "fields.yml")
        for i, reader in enumerate(table.readers):
            if reader not in READERS:
                raise broken(registry, "tables.yml", (name, "readers", i), f"Table {name!r} is fed by the reader",
                             reader, READERS, "build_data/readers (READERS)")
            if reader in fed:
                raise MetadataInvalid(f"The reader {reader!r} feeds both {fed[reader]!r} and {name!r}.",
                                      file=registry.files["tables.yml"].path, key="readers",
                                      line=registry.line("tables.yml", name, "readers"),
                                      fix="Let each reader feed one table in tables.yml.")
            fed[reader] = name
        earlier = list(registry.tables)[:index]
        for i, other in enumerate(table.after):
            if other not in earlier:
                raise broken(registry, "tables.yml", (name, "after", i), f"Table {name!r} comes after", other,
                             earlier, "tables.yml above it")
        for key, steps in (("tidy", TIDY), ("disclosure", DISCLOSURE)):
            if getattr(table, key) not in steps:
                raise broken(registry, "tables.yml", (name, key), f"Table {name!r} has the {key} step",
                             getattr(table, key), steps, "build_data/table_steps.py")
        columns = {f.name for f in registry.fields[name].fields}
        for i, column in enumerate(table.suppressible):
            if column not in columns:
                raise broken(registry, "tables.yml", (name, "suppressible", i), f"Table {name!r} may blank the column",
                             column, columns, f"fields.yml ({name})")
    check_every_release_is_read(registry, fed)


def check_every_release_is_read(registry, fed: dict) -> None:
    """Every layout a release uses has a reader that feeds a table: otherwise its files would be skipped."""
    for release in registry.releases:
        for layout_id in dict.fromkeys(f.layout or release.layout for f in release.files):
            reader = registry.layouts[layout_id].reader
            if reader not in fed:
                raise MetadataReferenceBroken(
                    f"Release {release.id} uses the layout {layout_id!r}, whose reader {reader!r} feeds no table in "
                    "tables.yml, so its files would not be read.", file=registry.files["tables.yml"].path,
                    key="readers", fix=f"Add {reader!r} to the readers of the table it feeds in tables.yml.")
