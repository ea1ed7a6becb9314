"""The published CSVs in, a list of suppressed counts that can be recovered out (empty is the only pass).

Independent of disclosure.py on purpose: it reads only what a user can download, treats every
additive relation as an equation and solves what it can, feeding each recovered count back in,
so a chain of subtractions is caught as well as a single one.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pandas as pd

SUPPRESSED = "[c]"


def read_published(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / "data" / f"{name}.csv", dtype=str, keep_default_na=False)


def equations(keys: set, geographies: pd.DataFrame, year: int, cohort_parts: dict) -> list[tuple]:
    """(total, parts) for every exact sum among the keys (geography, group)."""
    valid = geographies[(geographies["valid_from"].astype(int) <= year) &
                        (geographies["valid_to"].replace("", "9999").astype(int) >= year)]
    kids = defaultdict(list)
    for code, parent in zip(valid["geography_code"], valid["parent_code"]):
        if parent:
            kids[parent].append(code)
    geos = {g for g, _ in keys}
    groups = {c for _, c in keys}
    eqs = [((p, c), [(k, c) for k in ks]) for p, ks in kids.items() for c in groups]
    eqs += [((g, total), [(g, part) for part in parts]) for g in geos for total, parts in cohort_parts.items()]
    return eqs


def solve(cells: dict, eqs: list[tuple]) -> dict:
    """Repeatedly solve any equation with exactly one unknown; return the recovered values."""
    known = {k: v for k, v in cells.items() if v is not None}
    recovered = {}
    progress = True
    while progress:
        progress = False
        for total, parts in eqs:
            terms = [total] + parts
            unknown = [t for t in terms if t in cells and t not in known]
            if len(unknown) != 1 or total not in cells:
                continue
            u = unknown[0]
            rest = sum(known[p] for p in parts if p in known)
            known[u] = (known[total] - rest) if u != total else rest
            recovered[u] = known[u]
            progress = True
    return recovered


def find_recoverable(folder: Path, config) -> list[str]:
    leaks = []
    cohort_parts = {cid: c["parts"] for cid, c in config.cohorts.items() if c.get("parts")}
    results = read_published(folder, "experience_results")
    for (release, year, question), group in results.groupby(["release_id", "survey_year", "question_id"]):
        cells = {(g, c): (None if n == SUPPRESSED else int(n)) for g, c, n in
                 zip(group["geography_code"], group["cohort_id"], group["n_respondents"]) if n != "[x]"}
        eqs = equations(set(cells), config.geographies, int(year), cohort_parts)
        for key, value in solve(cells, eqs).items():
            if cells.get(key, 0) is None:
                leaks.append(f"experience_results {release} {question} {key}: n_respondents = {value}")
    audit = read_published(folder, "audit_indicators")
    for (release, period, indicator), group in audit.groupby(["release_id", "period", "indicator_id"]):
        cells = {(g, "all"): (None if n == SUPPRESSED else int(n)) for g, n in
                 zip(group["geography_code"], group["numerator"]) if n != "[x]"}
        eqs = equations(set(cells), config.geographies, int(period), {})
        for key, value in solve(cells, eqs).items():
            if cells.get(key, 0) is None:
                leaks.append(f"audit_indicators {release} {period} {indicator} {key}: numerator = {value}")
    return leaks
