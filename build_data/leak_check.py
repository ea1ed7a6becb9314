"""The published CSVs in, a list of suppressed counts that can be recovered out (empty is the only pass).

Independent of disclosure.py on purpose: it reads only what a user can download, treats every
additive relation as an equation and solves what it can, feeding each recovered count back in,
so a chain of subtractions is caught as well as a single one. Response frequencies are checked
harder, by exact linear algebra over every equation at once (see determined): their options, the
scores' n and positive answers (score x n) or rating total (mean x n), and every sum across groups
and places, so any combination of equations that pins down a hidden count is found.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .frequency_systems import PRIME, geography_kids, question_systems
from .labelled import labelled_mismatches

SUPPRESSED = "[c]"


def read_published(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / "data" / f"{name}.csv", dtype=str, keep_default_na=False)


def equations(keys: set, geographies: pd.DataFrame, year: int, cohort_parts: dict) -> list[tuple]:
    """(total, parts) for every exact sum among the keys (geography, group)."""
    kids = geography_kids(geographies, year)
    geos = sorted({g for g, _ in keys})     # sorted: the leaks are listed in the same order every run
    groups = sorted({c for _, c in keys})
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
    """The labelled flat table adds no equations (it repeats the normalised cells), so it is held to being an
    exact copy: any cell that differs from its normalised table's is reported as a leak."""
    leaks = frequency_leaks(folder, config) if (folder / "data" / "response_frequencies.csv").exists() else []
    leaks += labelled_mismatches(folder)
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


def determined(rows: list[dict]) -> set:
    """Equations over unknowns ({unknown: integer coefficient} = a known constant) in, the unknowns they
    pin down out. Sparse Gauss-Jordan elimination modulo PRIME, shortest rows first: an unknown is
    determined exactly when its row in the reduced echelon form has no other unknown left. The unknowns
    are numbered first (integers hash and compare faster than the cells' tuples), and each pivot is the
    row's unknown in the fewest rows."""
    names, matrix = numbered(rows)
    return {names[k] for k in determined_numbers(matrix, len(names))}


def determined_numbers(matrix: list[dict], size: int) -> set[int]:
    """determined over unknowns already numbered 0 .. size - 1 (coefficients modulo PRIME, no zeros); the
    numbers of those pinned down out. The rows are reduced in place. The rows waiting are filed by their
    length (a list per length, not a heap: lengths are small integers), and filed again when they change."""
    rows_with = [set() for _ in range(size)]
    for i, row in enumerate(matrix):
        for k in row:
            rows_with[k].add(i)
    pivot_row, done, inverse, width = {}, [False] * len(matrix), {}, size + 1
    waiting = [[] for _ in range(max(map(len, matrix), default=0) + 1)]
    for i, row in enumerate(matrix):
        waiting[len(row)].append(i)
    shortest = 0
    while shortest < len(waiting):
        if not waiting[shortest]:
            shortest += 1
            continue
        i = waiting[shortest].pop()
        row = matrix[i]
        if done[i] or len(row) != shortest:   # done, or filed again at its new length
            continue
        done[i] = True
        if not row:
            continue
        pivot = min(row, key=lambda k: len(rows_with[k]) * width + k)
        if row[pivot] != 1:
            scale = inverse.get(row[pivot]) or inverse.setdefault(row[pivot], pow(row[pivot], PRIME - 2, PRIME))
            for k in row:
                row[k] = row[k] * scale % PRIME
        pivot_row[pivot] = i
        others = rows_with[pivot]
        others.discard(i)
        rest = [(k, v, rows_with[k]) for k, v in row.items() if k != pivot]
        for j in others:
            eliminate(matrix[j], j, pivot, rest)
            if not done[j]:
                length = len(matrix[j])
                if length >= len(waiting):
                    waiting.extend([] for _ in range(length + 1 - len(waiting)))
                waiting[length].append(j)
                shortest = min(shortest, length)
        rows_with[pivot] = {i}
    return {k for k, i in pivot_row.items() if len(matrix[i]) == 1}


def numbered(rows: list[dict]) -> tuple[list, list[dict]]:
    """Equations over named unknowns in; the names, and the equations over their numbers (coefficients modulo
    PRIME, zeros left out) out."""
    number, matrix = {}, []
    for row in rows:
        out = {}
        for name, coefficient in row.items():
            coefficient %= PRIME
            if coefficient:
                k = number.get(name)
                if k is None:
                    k = number[name] = len(number)
                out[k] = coefficient
        matrix.append(out)
    return list(number), matrix


def eliminate(other: dict, j: int, pivot: int, rest: list) -> None:
    """Row j (other) less its pivot coefficient times the pivot row (1 x pivot + rest: (unknown, coefficient,
    the rows it is in)), keeping those row sets up to date."""
    factor = other.pop(pivot)
    for k, v, holders in rest:
        old = other.get(k)
        if old is None:
            other[k] = -factor * v % PRIME
            holders.add(j)
        else:
            new = (old - factor * v) % PRIME
            if new:
                other[k] = new
            else:
                del other[k]
                holders.discard(j)


def frequency_leaks(folder: Path, config) -> list[str]:
    """Suppressed frequencies (and the scores' n and positive answers) that the published figures pin down.

    A withheld answer count ([x]) is unknown too, but recovering it is not reported; a withheld score's
    positive answers are (the disclosure policy protects withheld scores like suppressed ones; a withheld
    mean rating is not a count of people, and its answers are the publisher's to show). A cell with
    no published row counts as 0 (conservative)."""
    leaks = []
    cohort_parts = {cid: c["parts"] for cid, c in config.cohorts.items() if c.get("parts")}
    scores = read_published(folder, "experience_results")
    frequencies = read_published(folder, "response_frequencies")
    options = read_published(folder, "response_options")
    shown_percent = frequencies[(frequencies["n_respondents"] == SUPPRESSED) & (frequencies["percent"] != SUPPRESSED)]
    for _, row in shown_percent.head(10).iterrows():
        leaks.append(f"response_frequencies {row['release_id']} {row['question_id']} {row['geography_code']} "
                     f"{row['cohort_id']} {row['option_id']}: percent {row['percent']} shown for a suppressed count")
    for (release, year, question), is_mean, size, cell, eqs in question_systems(scores, frequencies, options,
                                                                            config.geographies, cohort_parts):
        for layer, g, c, shown in sorted(map(cell, determined_numbers(eqs, size))):
            withheld_count = layer == "#t" and not is_mean and shown == "[x]"
            if shown == SUPPRESSED or withheld_count:
                what = {"#n": "n_respondents", "#t": "its score"}.get(layer, f"option {layer}")
                leaks.append(f"response_frequencies {release} {question} ({g}, {c}): {what} can be worked out "
                             "from the published figures")
    return leaks
