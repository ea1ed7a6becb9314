"""The staged package and every earlier version in; the versions that today's protection would be undone
by, withdrawn, out.

An earlier version passes only if every number it shows, the new version shows too (a corrected value
counts as shown): then together they tell an outsider no more about what is hidden than the new version
alone, which passed the leak check. A version that fails is withdrawn: recorded (version, date, reason, replacement) in the new
datapackage.json's `withdrawals`, carried on from version to version, its zip kept in the archive as
the record, but no longer served (the site serves a notice at its stable link instead).
"""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pandas as pd

HIDDEN = {"[c]", "[x]", "[z]", ""}
SHOWN = {"experience_results": (["release_id", "question_id", "geography_code", "cohort_id"], ["n_respondents", "value"]),
         "response_frequencies": (["release_id", "question_id", "geography_code", "cohort_id", "option_id"],
                                  ["n_respondents", "percent"]),
         "audit_indicators": (["release_id", "period", "geography_code", "indicator_id"], ["numerator", "denominator"])}


def read_tables(source: Path) -> dict[str, pd.DataFrame]:
    """A package folder or zip in, the tables whose numbers protect people out (as text)."""
    out = {}
    for name in SHOWN:
        if source.suffix == ".zip":
            with zipfile.ZipFile(source) as z:
                if f"data/{name}.csv" in z.namelist():
                    out[name] = pd.read_csv(io.BytesIO(z.read(f"data/{name}.csv")), dtype=str, keep_default_na=False)
        elif (source / "data" / f"{name}.csv").exists():
            out[name] = pd.read_csv(source / "data" / f"{name}.csv", dtype=str, keep_default_na=False)
    return out


def shown(table: pd.DataFrame, key: list[str], columns: list[str]) -> set:
    """Every (key..., column, number) a table shows."""
    cells = set()
    for col in columns:
        if col in table.columns:
            part = table[~table[col].isin(HIDDEN)]
            cells |= {(*k, col, float(v)) for *k, v in zip(*(part[c] for c in key), part[col])}
    return cells


def extra_cells(old: dict, new: dict) -> tuple[int, str]:
    """How many numbers the old version shows where the new one shows none (hidden, or the row is gone), and
    one example. A number the new version corrected is not one: it is shown in both."""
    count, example = 0, ""
    for name, (key, columns) in SHOWN.items():
        if name not in old:
            continue
        now = {cell[:-1] for cell in shown(new[name], key, columns)} if name in new else set()
        more = {cell for cell in shown(old[name], key, columns) if cell[:-1] not in now}
        if more and not example:
            *where, column, _ = sorted(more)[0]   # where, never the number: the notice must not give it away
            example = f"{name} {' '.join(where)} {column}"
        count += len(more)
    return count, example


def check_archive(candidates: dict[str, Path], staged: Path, version: str, date: str) -> list[dict]:
    """{version: its package (folder or zip)} in, a withdrawal record for each that fails today's rules out.
    With no earlier version (a first build) the staged tables are not read."""
    if not candidates:
        return []
    new = read_tables(staged)
    records = []
    for old_version, source in sorted(candidates.items()):
        count, example = extra_cells(read_tables(source), new)
        if count:
            records.append({"version": old_version, "withdrawn": date, "replaced_by": version,
                            "reason": f"It shows {count:,} numbers that version {version} keeps hidden under the "
                                      f"disclosure policy (for example the cell {example}); together with version {version} "
                                      "they could give away how many people gave an answer where that is protected."})
    return records


def declared_policies(releases) -> dict:
    """Releases in, {policy id: the policy's settings, its plain words and the releases under it} out."""
    out = {}
    for r in releases:
        entry = out.setdefault(r.policy.id, {**r.policy.model_dump(exclude={"id"}), "plain_words": r.policy.plain_words(),
                                             "releases": []})
        entry["releases"].append(r.id)
    return out


def withdraw_failing(published: Path, staged: Path, name: str, releases=()) -> list[dict]:
    """Check every earlier version (archived, and the one being replaced) against the staged package; record
    the failures, with those withdrawn before, in the staged datapackage.json (with the disclosure policy of
    each release, so the package says which rules it was protected by). The withdrawal records out."""
    descriptor_path = staged / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    if releases:
        descriptor["disclosure_policies"] = declared_policies(releases)
    before = []
    if (published / "datapackage.json").exists():
        before = json.loads((published / "datapackage.json").read_text(encoding="utf-8")).get("withdrawals", [])
    done = {w["version"] for w in before}
    candidates = {p.parent.name: p for p in (published / "archive").glob(f"*/{name}.zip")} \
        if (published / "archive").is_dir() else {}
    if (published / "datapackage.json").exists() and (published / f"{name}.zip").exists():
        old = json.loads((published / "datapackage.json").read_text(encoding="utf-8"))["version"]
        if old != descriptor["version"]:
            candidates[old] = published / f"{name}.zip"
    candidates = {v: p for v, p in candidates.items() if v not in done}
    new = check_archive(candidates, staged, descriptor["version"], descriptor.get("created", "")[:10])
    records = before + new
    if records:
        descriptor["withdrawals"] = records
    if records or releases:
        descriptor_path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return records


def withdrawn_versions(descriptor: dict) -> dict[str, dict]:
    return {w["version"]: w for w in descriptor.get("withdrawals", [])}
