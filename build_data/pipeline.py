"""Config in, the published data package out: read -> extracted -> tidy -> protected -> checked -> published.

The results tables and their order are declared in build_data/metadata/tables.yml; this is a loop over them."""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pandas as pd

from .checks import check_package, check_tables
from .downloads import write_downloads
from .errors import ChecksumMismatch, PackageInvalid, SourceFileMissing
from .labelled import NAME as LABELLED, labelled_results
from .package import write_package
from .publish import staged_folder
from .readers import READERS
from .revisions import mark_revisions, previous_package
from .reference import reference_tables
from .table_steps import DISCLOSURE, TIDY, Earlier
from .versioning import carry_archive, check_version
from .withdrawals import withdraw_failing

log = logging.getLogger("build_data")


def verify_checksums(release) -> None:
    """A release in, nothing out: every raw file exists and has the sha256 recorded in releases.yml."""
    for source in release.files:
        if not source.path.is_file():
            raise SourceFileMissing(f"Release {release.id} lists {source.relative}.", file=source.path,
                                    fix="Add the file under build_data/sources/, or correct files in releases.yml.")
        digest = hashlib.sha256(source.path.read_bytes()).hexdigest()
        if digest != source.sha256:
            raise ChecksumMismatch(f"Recorded {source.sha256}, found {digest}.", file=source.path,
                                   fix="If the publisher reissued the file on purpose, record the new sha256 in "
                                       "build_data/metadata/releases.yml; otherwise restore the original file.")


def extract_release(release, config, readers: tuple[str, ...] | None = None) -> list[tuple]:
    """A release in, (part, extracted rows) for each part out: a part is the release's files in one layout.

    Checksums are verified first; readers, if given, limits the parts read to those layouts' readers.
    """
    verify_checksums(release)
    out = []
    for part in release.parts(config.layouts):
        reader = part.layout.reader
        if readers is None or reader in readers:
            extracted = READERS[reader](part)
            log.info("extracted %s (%s): %d rows", release.id, reader, len(extracted))
            out.append((part, extracted))
    return out


def parts_for(release, table, config) -> list:
    """A release and a tables.yml entry in, the release's parts read by one of the table's readers out."""
    return [p for p in release.parts(config.layouts) if p.layout.reader in table.readers]


def tidy_table(table, config, tidy: dict) -> pd.DataFrame:
    """One declared table in, its tidy rows from every release out; tidy holds the tables built before it."""
    step, frames = TIDY[table.tidy], []
    for release in config.releases:
        if not parts_for(release, table, config):
            continue
        earlier = Earlier(tidy={t: tidy[t][tidy[t]["release_id"] == release.id] for t in table.after},
                          parts={t: parts_for(release, config.registry.tables[t], config) for t in table.after})
        for part, extracted in extract_release(release, config, readers=table.readers):
            frames.append(step.run(extracted, part, config, earlier))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=step.columns)


def check_suppressible(name: str, table, before: pd.DataFrame, after: pd.DataFrame, config) -> None:
    """Disclosure control blanked only the columns tables.yml lets it blank."""
    for column in before.columns.intersection(after.columns).difference(table.suppressible):
        if after[column].isna().sum() > before[column].isna().sum():
            raise PackageInvalid(f"Disclosure control blanked cells of {name}.{column}, which tables.yml does not "
                                 "list as suppressible.", file=config.registry.files["tables.yml"].path,
                                 key=f"{name}.suppressible", fix="A disclosure-control bug: do not publish; report "
                                 "it (or, if the column may be blanked, add it to suppressible in tables.yml).")


def tidy_tables(config) -> dict[str, pd.DataFrame]:
    """Config in, every tidy table out (reference tables, results with disclosure control applied).

    The results tables are built in the order tables.yml declares them: response frequencies come after
    the scores they are checked against, so a broken scores file is reported before the (larger)
    frequencies files are read.
    """
    for release in config.releases:   # fail before any slow reading if a raw file changed
        verify_checksums(release)
    tidy, published = {}, {}
    for name, table in config.registry.tables.items():
        tidy[name] = tidy_table(table, config, tidy)
        earlier = Earlier(tidy={t: tidy[t] for t in table.after}, published={t: published[t] for t in table.after})
        for target, rows in DISCLOSURE[table.disclosure](tidy[name], config, earlier).items():
            published[target or name] = rows
        for done in (name, *table.after):
            check_suppressible(done, config.registry.tables[done], tidy[done], published[done], config)
    tables = {**reference_tables(config), **published}
    log.info("tidy: %s", ", ".join(f"{k} {len(v)}" for k, v in tables.items()))
    return tables


def build_package(config, target: Path | None = None) -> dict:
    """Build, check and atomically publish the package into target (default: <root>/datapackage)."""
    target = Path(target) if target else config.root / "datapackage"
    meta = config.registry.site.package
    tables = mark_revisions(tidy_tables(config), previous_package(target, meta.version, meta.name), config.root)
    tables[LABELLED] = labelled_results(tables)   # a copy of the published figures, made after disclosure and revisions
    check_tables(tables, config)
    with staged_folder(target) as stage:
        descriptor = write_package(tables, config, stage)
        check_package(stage, descriptor, config)
        check_version(target, stage, config.root)
        withdraw_failing(target, stage, meta.name, config.releases)   # earlier versions held to today's rules
        write_downloads(stage, descriptor, config.site, root=config.root)
        carry_archive(target, stage, meta.name)
    log.info("published %s (version %s)", target, descriptor["version"])
    return descriptor
