"""Config in, the published data package out: read -> extracted -> tidy -> protected -> checked -> published.

The results tables and their order are declared in build_data/metadata/tables.yml; this is a loop over them."""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pandas as pd

from .checks import check_no_leaks, check_package, check_tables
from .downloads import write_downloads
from .downloads_ahead import DownloadsAhead
from .errors import ChecksumMismatch, PackageInvalid, SourceFileMissing
from .labelled import NAME as LABELLED, labelled_results
from .package import write_package
from .publish import staged_folder
from .readers import READERS
from .revisions import mark_revisions, previous_package
from .reference import reference_tables
from .release_cache import ReleaseCache, ReleaseRows
from .release_workers import rows_in_parallel, worth_a_pool
from .table_steps import DISCLOSURE, TIDY, Earlier
from .versioning import VersionBumpMissing, carry_archive, check_version
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


def tidy_release(release, name: str, config, rows: ReleaseRows) -> None:
    """One release and one results table it feeds in: its tidy rows of that table added to the release's rows
    (a table declared after others gets the release's own rows of those)."""
    table = config.registry.tables[name]
    step, frames = TIDY[table.tidy], []
    earlier = Earlier(tidy={t: rows.tidy.get(t, empty_tidy(t, config)) for t in table.after},
                      parts={t: parts_for(release, config.registry.tables[t], config) for t in table.after})
    for part, extracted in extract_release(release, config, readers=table.readers):
        frames.append(step.run(extracted, part, config, earlier))
    rows.tidy[name] = pd.concat(frames, ignore_index=True)


def protect_release(name: str, config, rows: ReleaseRows) -> None:
    """One release's tidy rows of a table in: its published rows (disclosure control applied) added.

    Disclosure control works within a release (its policy, its places and groups), so a release is protected
    on its own. A step may publish an earlier table again (the scores, after the answers' protection): only
    a table the release feeds is kept."""
    table = config.registry.tables[name]
    earlier = Earlier(tidy={t: rows.tidy.get(t, empty_tidy(t, config)) for t in table.after},
                      published={t: rows.published.get(t, empty_tidy(t, config)) for t in table.after})
    for target, published in DISCLOSURE[table.disclosure](rows.tidy[name], config, earlier).items():
        if (target or name) in rows.tidy:
            rows.published[target or name] = published


def empty_tidy(name: str, config) -> pd.DataFrame:
    return pd.DataFrame(columns=TIDY[config.registry.tables[name].tidy].columns)


def release_rows(config) -> list[ReleaseRows]:
    """Config in, each release's tidy and published rows out, in releases.yml's order: a release whose inputs
    are unchanged since the last build comes from .cache/releases (release_cache.py); the others are read,
    tidied and protected, table by table in tables.yml's order (so a broken scores file is reported before the
    larger frequencies files are read), each release on its own: in worker processes side by side when they
    are enough work for them (release_workers.py, which reports the same first error), else here."""
    cache = ReleaseCache(config)
    rows = {release.id: cache.load(release) for release in config.releases}
    todo = [release for release in config.releases if rows[release.id] is None]
    if worth_a_pool(todo):
        rows.update(rows_in_parallel(todo, config, cache))
    else:
        rows_one_by_one(todo, config, cache, rows)
    log.info("release cache: %d release(s) reused, %d read and protected (%s)", len(config.releases) - len(todo),
             len(todo), ", ".join(r.id for r in todo) or "none")
    return [rows[release.id] for release in config.releases]


def rows_one_by_one(todo: list, config, cache: ReleaseCache, rows: dict) -> None:
    """The releases to read in; each one's rows added to rows (and kept in the release cache), in this process."""
    for release in todo:
        rows[release.id] = ReleaseRows()
    for name, table in config.registry.tables.items():
        fed = [release for release in todo if parts_for(release, table, config)]
        for release in fed:
            tidy_release(release, name, config, rows[release.id])
        for release in fed:
            protect_release(name, config, rows[release.id])
    for release in todo:
        for name in rows[release.id].tidy:
            check_suppressible(name, config.registry.tables[name], rows[release.id].tidy[name],
                               rows[release.id].published[name], config)
        cache.save(release, rows[release.id])


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
    by_release = release_rows(config)
    unfed = [name for name in config.registry.tables if not any(name in rows.tidy for rows in by_release)]
    for rows in by_release:   # tidy rows are needed from here on only by a table no release feeds
        rows.tidy = {name: frame for name, frame in rows.tidy.items()
                     if any(name in config.registry.tables[u].after for u in unfed)}
    published = {}
    for name, table in config.registry.tables.items():
        if name not in unfed:   # each release's rows, let go as they are joined (peak memory)
            published[name] = pd.concat([rows.published.pop(name) for rows in by_release if name in rows.published],
                                        ignore_index=True)
            continue
        tidy = {t: pd.concat([rows.tidy[t] for rows in by_release if t in rows.tidy], ignore_index=True)
                for t in table.after if t not in unfed}
        tidy[name] = empty_tidy(name, config)   # no release feeds it: protected as before, on no rows
        earlier = Earlier(tidy={t: tidy.get(t, empty_tidy(t, config)) for t in table.after},
                          published={t: published[t] for t in table.after})
        for target, rows in DISCLOSURE[table.disclosure](tidy[name], config, earlier).items():
            published[target or name] = rows
        for done in (name, *table.after):
            check_suppressible(done, config.registry.tables[done], tidy.get(done, empty_tidy(done, config)),
                               published[done], config)
    tables = {**reference_tables(config), **published}
    log.info("tidy: %s", ", ".join(f"{k} {len(v)}" for k, v in tables.items()))
    return tables


def check_package_and_version(target: Path, stage: Path, descriptor: dict, config) -> None:
    """The gate (checks.check_package) and the version check, the version first: a build refused for a missing
    bump does not pay for Frictionless, only for the leak check (a count that can be recovered is reported
    before a missing bump). Any other failure of the version check (the diff reading files the gate has yet
    to pass) is raised after the gate, which reports such files more clearly."""
    try:
        check_version(target, stage, config.root)
        version_failure = None
    except Exception as error:
        version_failure = error
    if isinstance(version_failure, VersionBumpMissing):
        check_no_leaks(stage, config)
        raise version_failure
    check_package(stage, descriptor, config)
    if version_failure is not None:
        raise version_failure


def build_package(config, target: Path | None = None) -> dict:
    """Build, check and atomically publish the package into target (default: <root>/datapackage)."""
    target = Path(target) if target else config.root / "datapackage"
    meta = config.registry.site.package
    tables = mark_revisions(tidy_tables(config), previous_package(target, meta.version, meta.name), config.root)
    tables[LABELLED] = labelled_results(tables)   # a copy of the published figures, made after disclosure and revisions
    check_tables(tables, config)
    with staged_folder(target) as stage:
        descriptor = write_package(tables, config, stage)
        # From here on everything reads the written files: the tables are let go before the gate and the
        # downloads parse those files (the build's peak memory is there, not in the tables).
        del tables
        # The downloads are prepared beside the gate (downloads_ahead.py); a refused build stops that first.
        with DownloadsAhead(stage, descriptor, config.site, root=config.root) as downloads:
            check_package_and_version(target, stage, descriptor, config)
            withdraw_failing(target, stage, meta.name, config.releases)   # earlier versions held to today's rules
            write_downloads(stage, descriptor, config.site, root=config.root, prepared=downloads.prepared())
        carry_archive(target, stage, meta.name)
    log.info("published %s (version %s)", target, descriptor["version"])
    return descriptor
