"""Config in, the published data package out: read -> extracted -> tidy -> checked -> published."""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pandas as pd

from .audit import AUDIT_COLUMNS, tidy_audit
from .checks import check_package, check_tables
from .downloads import write_downloads
from .disclosure import suppress_audit, suppress_experience
from .errors import ChecksumMismatch, SourceFileMissing
from .package import write_package
from .publish import staged_folder
from .readers import READERS
from .reference import reference_tables
from .tidy import tidy_experience

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


def extract_release(release) -> pd.DataFrame:
    """A release in, its extracted rows out (checksums verified first)."""
    verify_checksums(release)
    reader = READERS[release.layout["reader"]]
    extracted = reader(release)
    log.info("extracted %s: %d rows", release.id, len(extracted))
    return extracted


def tidy_tables(config) -> dict[str, pd.DataFrame]:
    """Config in, every tidy table out (reference tables, results with disclosure control applied)."""
    for release in config.releases:   # fail before any slow reading if a raw file changed
        verify_checksums(release)
    experience, audit, figures = [], [], []
    for release in config.releases:
        extracted = extract_release(release)
        if release.survey == "cpes":
            experience.append(tidy_experience(extracted, release, config))
        elif release.survey == "naome":
            audit.append(tidy_audit(extracted, release, config))
        else:
            figures.append(extracted.drop(columns=["_source_file"]))
    tables = reference_tables(config)
    tables["experience_results"] = suppress_experience(pd.concat(experience, ignore_index=True), config)
    tables["audit_indicators"] = suppress_audit(
        pd.concat(audit, ignore_index=True) if audit else pd.DataFrame(columns=AUDIT_COLUMNS), config)
    tables["published_figures"] = pd.concat(figures, ignore_index=True) if figures else pd.DataFrame()
    log.info("tidy: %s", ", ".join(f"{k} {len(v)}" for k, v in tables.items()))
    return tables


def build_package(config, target: Path | None = None) -> dict:
    """Build, check and atomically publish the package into target (default: <root>/datapackage)."""
    target = Path(target) if target else config.root / "datapackage"
    tables = tidy_tables(config)
    check_tables(tables, config)
    with staged_folder(target) as stage:
        descriptor = write_package(tables, config, stage)
        check_package(stage, descriptor, config)
        write_downloads(stage, descriptor, config.site)
    log.info("published %s (version %s)", target, descriptor["version"])
    return descriptor
