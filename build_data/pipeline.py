"""Config in, the published data package out: read -> extracted -> tidy -> checked -> published."""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pandas as pd

from .audit import AUDIT_COLUMNS, tidy_audit
from .checks import check_package, check_tables
from .downloads import write_downloads
from .disclosure import suppress_audit
from .errors import ChecksumMismatch, SourceFileMissing
from .frequencies import FREQUENCY_COLUMNS, tidy_frequencies
from .frequency_checks import rounding_allowance
from .frequency_disclosure import protect_results
from .package import write_package
from .publish import staged_folder
from .readers import READERS
from .revisions import mark_revisions, previous_package
from .reference import reference_tables
from .tidy import tidy_experience
from .versioning import carry_archive, check_version
from .withdrawals import withdraw_failing

log = logging.getLogger("build_data")
FIRST_PASS = tuple(reader for reader in READERS if reader != "cpes_frequencies")   # frequencies come after scores


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
        reader = part.layout["reader"]
        if readers is None or reader in readers:
            extracted = READERS[reader](part)
            log.info("extracted %s (%s): %d rows", release.id, reader, len(extracted))
            out.append((part, extracted))
    return out


def tidy_frequencies_of(release, scores: pd.DataFrame, config) -> list[pd.DataFrame]:
    """A CPES release and its tidy scores in, its tidy response_frequencies (one per frequencies part) out."""
    parts = release.parts(config.layouts)
    allowance = max((rounding_allowance(p.layout) for p in parts if p.layout["reader"] == "cpes_scores"),
                    default=rounding_allowance({}))
    return [tidy_frequencies(extracted, part, scores, config, allowance)
            for part, extracted in extract_release(release, config, readers=("cpes_frequencies",))]


def tidy_tables(config) -> dict[str, pd.DataFrame]:
    """Config in, every tidy table out (reference tables, results with disclosure control applied).

    Response frequencies are read last: they are checked against the scores, and a broken scores
    file is reported before the (larger) frequencies files are read.
    """
    for release in config.releases:   # fail before any slow reading if a raw file changed
        verify_checksums(release)
    scores, frequencies, audit, figures = {}, [], [], []
    for release in config.releases:
        for part, extracted in extract_release(release, config, readers=FIRST_PASS):
            if release.survey == "cpes":
                scores.setdefault(release.id, []).append(tidy_experience(extracted, part, config))
            elif release.survey == "naome":
                audit.append(tidy_audit(extracted, part, config))
            else:
                figures.append(extracted.drop(columns=["_source_file"]))
    experience = pd.concat([pd.concat(frames, ignore_index=True) for frames in scores.values()], ignore_index=True)
    for release in config.releases_of("cpes"):
        frequencies += tidy_frequencies_of(release, experience[experience["release_id"] == release.id], config)
    tables = reference_tables(config)
    tables["experience_results"], tables["response_frequencies"] = protect_results(
        experience, pd.concat(frequencies, ignore_index=True) if frequencies else pd.DataFrame(columns=FREQUENCY_COLUMNS),
        config)
    tables["audit_indicators"] = suppress_audit(
        pd.concat(audit, ignore_index=True) if audit else pd.DataFrame(columns=AUDIT_COLUMNS), config)
    tables["published_figures"] = pd.concat(figures, ignore_index=True) if figures else pd.DataFrame()
    log.info("tidy: %s", ", ".join(f"{k} {len(v)}" for k, v in tables.items()))
    return tables


def build_package(config, target: Path | None = None) -> dict:
    """Build, check and atomically publish the package into target (default: <root>/datapackage)."""
    target = Path(target) if target else config.root / "datapackage"
    meta = config.site["package"]
    tables = mark_revisions(tidy_tables(config), previous_package(target, meta["version"], meta["name"]), config.root)
    check_tables(tables, config)
    with staged_folder(target) as stage:
        descriptor = write_package(tables, config, stage)
        check_package(stage, descriptor, config)
        check_version(target, stage, config.root)
        withdraw_failing(target, stage, meta["name"], config.releases)   # earlier versions held to today's rules
        write_downloads(stage, descriptor, config.site, root=config.root)
        carry_archive(target, stage, meta["name"])
    log.info("published %s (version %s)", target, descriptor["version"])
    return descriptor
