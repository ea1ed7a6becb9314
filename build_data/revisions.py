"""The tidy tables and the previous package version in; the tables with revised values flagged out.

A value is revised ([r]) when the previous version of the package published a different number for
the same row (same primary key). Values newly suppressed, or newly published, are not revisions:
the What changed page counts them separately. The flag belongs to the version that revised the value.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .package_diff import load, read_files
from .stable_links import archived_versions

REVISABLE = {"experience_results": ["release_id", "geography_code", "cohort_id", "question_id"],
             "audit_indicators": ["release_id", "period", "geography_code", "indicator_id"]}


def previous_package(target: Path, version: str, name: str) -> str | None:
    """The published package folder in; where the version before `version` can be read out (the folder
    itself while it still holds an older version, else the newest archived zip), or None."""
    descriptor = Path(target) / "datapackage.json"
    if descriptor.is_file() and json.loads(descriptor.read_text(encoding="utf-8"))["version"] != version:
        return str(target)
    older = archived_versions(Path(target), name, version)
    return str(Path(target) / "archive" / older[0] / f"{name}.zip") if older else None


def as_number(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.astype(str).where(~values.astype(str).isin(["", "[c]", "[x]", "[z]"])), errors="coerce")


def flag_revised(table: pd.DataFrame, previous: pd.DataFrame | None, key: list[str]) -> pd.Series:
    """A tidy table and the previous version's CSV of it (as text) in; True where the value differs."""
    if previous is None or "value" not in previous.columns:
        return pd.Series(False, index=table.index)
    old = previous[key].assign(old_value=as_number(previous["value"]).round(1))
    new = table[key].astype(str).assign(new_value=pd.to_numeric(table["value"], errors="coerce").astype(float).round(1))
    merged = new.merge(old, on=key, how="left")
    revised = merged["new_value"].notna() & merged["old_value"].notna() & (merged["new_value"] != merged["old_value"])
    return pd.Series(revised.to_numpy(), index=table.index)


def mark_revisions(tables: dict[str, pd.DataFrame], previous: str | None, root: Path) -> dict[str, pd.DataFrame]:
    """Add is_revised to every revisable table (all False when there is no previous version)."""
    old_tables = load(read_files(previous, root))[1] if previous else {}
    for name, key in REVISABLE.items():
        tables[name] = tables[name].assign(is_revised=flag_revised(tables[name], old_tables.get(name), key))
    return tables
