"""Two data package versions in (folder, zip or git revision), what changed between them out."""
from __future__ import annotations

import dataclasses
import io
import json
import subprocess
import zipfile
from pathlib import Path

import pandas as pd

from .errors import BuildError


class PackageNotFound(BuildError):
    """A package to compare could not be found."""


@dataclasses.dataclass
class ResourceChange:
    name: str
    added: int = 0
    removed: int = 0
    revised: int = 0
    columns_added: tuple = ()
    columns_removed: tuple = ()
    types_changed: tuple = ()
    revised_keys: list = dataclasses.field(default_factory=list)


def read_files(source: str, root: Path) -> dict[str, bytes]:
    """datapackage.json and data/*.csv from a folder, a zip, or `git:<rev>` (the committed datapackage/)."""
    path = Path(source)
    if source.startswith("git:"):
        rev = source[4:]
        listing = subprocess.run(["git", "ls-tree", "-r", "--name-only", rev, "datapackage/"], cwd=root,
                                 capture_output=True, text=True)
        if listing.returncode:
            raise PackageNotFound(listing.stderr.strip(), fix="Name a revision that has a datapackage/ folder.")
        names = [n for n in listing.stdout.split() if n.endswith((".json", ".csv"))]
        return {n.removeprefix("datapackage/"): subprocess.run(["git", "show", f"{rev}:{n}"], cwd=root,
                capture_output=True, check=True).stdout for n in names}
    if path.is_dir():
        return {p.relative_to(path).as_posix(): p.read_bytes() for p in path.rglob("*")
                if p.suffix in (".json", ".csv") and "archive" not in p.parts}
    if path.suffix == ".zip" and path.is_file():
        with zipfile.ZipFile(path) as z:
            return {n: z.read(n) for n in z.namelist() if n.endswith((".json", ".csv"))}
    raise PackageNotFound(f"{source!r} is not a folder, a zip or git:<revision>.", fix="Check the path.")


def load(files: dict[str, bytes]) -> tuple[dict, dict[str, pd.DataFrame]]:
    descriptor = json.loads(files["datapackage.json"])
    tables = {r["name"]: pd.read_csv(io.BytesIO(files[r["path"]]), dtype=str, keep_default_na=False)
              for r in descriptor["resources"] if r["path"] in files}
    return descriptor, tables


def compare_resource(name: str, old_res: dict | None, new_res: dict | None, old: pd.DataFrame | None,
                     new: pd.DataFrame | None) -> ResourceChange:
    change = ResourceChange(name)
    if old is None or new is None:
        change.added, change.removed = (len(new) if new is not None else 0), (len(old) if old is not None else 0)
        return change
    old_types = {f["name"]: f["type"] for f in old_res["schema"]["fields"]}
    new_types = {f["name"]: f["type"] for f in new_res["schema"]["fields"]}
    change.columns_added = tuple(sorted(set(new_types) - set(old_types)))
    change.columns_removed = tuple(sorted(set(old_types) - set(new_types)))
    change.types_changed = tuple(sorted(c for c in set(old_types) & set(new_types) if old_types[c] != new_types[c]))
    key = new_res["schema"]["primaryKey"]
    shared = [c for c in new.columns if c in old.columns]
    merged = old[shared].merge(new[shared], on=key, how="outer", suffixes=("_old", "_new"), indicator=True)
    change.added = int((merged["_merge"] == "right_only").sum())
    change.removed = int((merged["_merge"] == "left_only").sum())
    both = merged[merged["_merge"] == "both"]
    values = [c for c in shared if c not in key]
    differs = pd.Series(False, index=both.index)
    for c in values:
        differs |= both[f"{c}_old"] != both[f"{c}_new"]
    change.revised = int(differs.sum())
    change.revised_keys = [" / ".join(map(str, k)) for k in both.loc[differs, key].head(50).itertuples(index=False)]
    return change


def diff_packages(old_source: str, new_source: str, root: Path) -> dict:
    old_desc, old_tables = load(read_files(old_source, root))
    new_desc, new_tables = load(read_files(new_source, root))
    old_res = {r["name"]: r for r in old_desc["resources"]}
    new_res = {r["name"]: r for r in new_desc["resources"]}
    changes = [compare_resource(n, old_res.get(n), new_res.get(n), old_tables.get(n), new_tables.get(n))
               for n in sorted(set(old_res) | set(new_res))]
    return {"old_version": old_desc["version"], "new_version": new_desc["version"],
            "resources_added": sorted(set(new_res) - set(old_res)),
            "resources_removed": sorted(set(old_res) - set(new_res)),
            "changes": changes}


def format_diff(diff: dict) -> str:
    lines = [f"Data package {diff['old_version']} → {diff['new_version']}"]
    for name in diff["resources_added"]:
        lines.append(f"  new resource: {name}")
    for name in diff["resources_removed"]:
        lines.append(f"  removed resource: {name}")
    for c in diff["changes"]:
        if any((c.added, c.removed, c.revised, c.columns_added, c.columns_removed, c.types_changed)):
            lines.append(f"  {c.name}: {c.added} rows new, {c.revised} revised, {c.removed} removed"
                         + (f"; columns added {list(c.columns_added)}" if c.columns_added else "")
                         + (f"; columns removed {list(c.columns_removed)}" if c.columns_removed else "")
                         + (f"; types changed {list(c.types_changed)}" if c.types_changed else ""))
    if len(lines) == 1:
        lines.append("  no changes")
    return "\n".join(lines)
