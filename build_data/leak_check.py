"""The published CSVs in, a list of suppressed counts that can be recovered out (empty is the only pass).

Independent of disclosure.py on purpose: it reads only what a user can download, treats every
additive relation as an equation and solves what it can, feeding each recovered count back in,
so a chain of subtractions is caught as well as a single one. Response frequencies are checked
harder, by exact linear algebra over every equation at once (see determined): their options, the
scores' n and positive answers (score x n) or rating total (mean x n), and every sum across groups
and places, so any combination of equations that pins down a hidden count is found.
"""
from __future__ import annotations

import heapq
from collections import defaultdict
from pathlib import Path

import pandas as pd

from .labelled import labelled_mismatches

SUPPRESSED = "[c]"
HIDDEN = ("[c]", "[x]", "")
# Arithmetic modulo a large prime is exact, and for equations with small integer coefficients it
# has the same solutions as arithmetic over the rationals (barring a 1 in 2^31 coincidence).
PRIME = 2**31 - 1


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
    rows_with = [set() for _ in names]
    for i, row in enumerate(matrix):
        for k in row:
            rows_with[k].add(i)
    pivot_row, done, inverse, width = {}, [False] * len(matrix), {}, len(names) + 1
    queue = [(len(row), i) for i, row in enumerate(matrix)]
    heapq.heapify(queue)
    while queue:
        size, i = heapq.heappop(queue)
        if done[i]:
            continue
        row = matrix[i]
        if len(row) != size:   # shortened since it was queued: queued again at its new size
            heapq.heappush(queue, (len(row), i))
            continue
        done[i] = True
        if not size:
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
                heapq.heappush(queue, (len(matrix[j]), j))
        rows_with[pivot] = {i}
    return {names[k] for k, i in pivot_row.items() if len(matrix[i]) == 1}


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


def geography_kids(geographies: pd.DataFrame, year: int) -> dict[str, list[str]]:
    """{parent: its children valid in the year}, as equations() reads them."""
    valid = geographies[(geographies["valid_from"].astype(int) <= year) &
                        (geographies["valid_to"].replace("", "9999").astype(int) >= year)]
    kids = defaultdict(list)
    for code, parent in zip(valid["geography_code"].tolist(), valid["parent_code"].tolist()):
        if parent:
            kids[parent].append(code)
    return kids


def frequency_equations(scores: pd.DataFrame, options: pd.DataFrame, weights: dict, geographies, year: int,
                        cohort_parts: dict, kids: dict | None = None) -> tuple[dict, list[dict]]:
    """One release and question's published scores and frequencies in; its hidden cells (layer, geography, cohort)
    with their text, and every equation between cells that has a hidden one, over its hidden cells only (a
    shown cell is a known constant), out. Layers: #n (respondents), #t (positive answers, or the rating total:
    score x n) and each option (ids are slugs, so never #n or #t). The equations: a row's options add up to
    #n, and weighted, to #t; each layer adds up across places (kids: geography_kids, given or worked out) and
    groups (cohort_parts). Built from the hidden cells, so the work grows with what is hidden, not with every cell."""
    kids = geography_kids(geographies, year) if kids is None else kids
    geos, groups = scores["geography_code"].tolist(), scores["cohort_id"].tolist()
    n, value = scores["n_respondents"].tolist(), scores["value"].tolist()
    og, oc, oo, on = (options[k].tolist() for k in ("geography_code", "cohort_id", "option_id", "n_respondents"))
    cells = dict(zip(zip(["#n"] * len(n), geos, groups), n))
    cells.update(zip(zip(["#t"] * len(n), geos, groups), [x if x in HIDDEN else v for x, v in zip(n, value)]))
    cells.update(zip(zip(oo, og, oc), on))
    with_options = set(zip(og, oc))
    parents_of = defaultdict(list)
    for parent, codes in kids.items():
        for code in codes:
            parents_of[code].append(parent)
    wholes_of = defaultdict(list)
    for whole, parts in cohort_parts.items():
        for part in parts:
            wholes_of[part].append(whole)
    hidden = {k: t for k, t in cells.items() if t in HIDDEN}
    totals, parts = defaultdict(dict), defaultdict(dict)   # a sum's total first, its parts after (as a dict would)
    for layer, g, c in hidden:
        cell = (layer, g, c)
        if (g, c) in with_options:
            if layer in ("#n", "#t"):
                totals[(layer, g, c)][cell] = 1
            else:
                parts[("#n", g, c)][cell] = -1
                if weights[layer]:
                    parts[("#t", g, c)][cell] = -weights[layer]
        if g in kids:
            totals[(layer, g, c, "places")][cell] = 1
        if c in cohort_parts:
            totals[(layer, g, c, "groups")][cell] = 1
        for parent in parents_of.get(g, ()):
            if (layer, parent, c) in cells:
                parts[(layer, parent, c, "places")][cell] = -1
        for whole in wholes_of.get(c, ()):
            if (layer, g, whole) in cells:
                parts[(layer, g, whole, "groups")][cell] = -1
    eqs = [{**totals.get(k, {}), **parts.get(k, {})} for k in {**totals, **parts}]
    return hidden, eqs


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
    scores_of, kids = dict(iter(scores.groupby(["release_id", "question_id"]))), {}
    for (release, year, question), group in frequencies.groupby(["release_id", "survey_year", "question_id"]):
        answers = options[options["question_id"] == question]
        question_scores = scores_of[(release, question)]
        is_mean = (question_scores["measure"] == "mean_0_10").any()
        weights = dict(zip(answers["option_id"], answers["rating"].map(lambda r: int(r) if r.isdigit() else 0)
                           if is_mean else (answers["is_positive"] == "true").astype(int)))
        if year not in kids:
            kids[year] = geography_kids(config.geographies, int(year))
        cells, unknown = frequency_equations(question_scores, group, weights, config.geographies, int(year),
                                             cohort_parts, kids[year])
        for layer, g, c in sorted(determined(unknown)):
            withheld_count = layer == "#t" and not is_mean and cells[(layer, g, c)] == "[x]"
            if cells[(layer, g, c)] == SUPPRESSED or withheld_count:
                what = {"#n": "n_respondents", "#t": "its score"}.get(layer, f"option {layer}")
                leaks.append(f"response_frequencies {release} {question} ({g}, {c}): {what} can be worked out "
                             "from the published figures")
    return leaks
