"""The published CSVs in, a list of suppressed counts that can be recovered out (empty is the only pass).

Independent of disclosure.py on purpose: it reads only what a user can download, treats every
additive relation as an equation and solves what it can, feeding each recovered count back in,
so a chain of subtractions is caught as well as a single one. Response frequencies are checked
harder, by exact linear algebra over every equation at once (see determined): their options, the
scores' n and positive answers (score x n) or rating total (mean x n), and every sum across groups
and places, so any combination of equations that pins down a hidden count is found.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np
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
    groups (cohort_parts). Built from the hidden cells, so the work grows with what is hidden, not with every cell.
    frequency_leaks builds the same equations for every question at once (question_systems); this is the
    readable form, one question at a time, that tests hold question_systems to."""
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
    for (release, year, question), is_mean, size, cell, eqs in question_systems(scores, frequencies, options,
                                                                            config.geographies, cohort_parts):
        for layer, g, c, shown in sorted(map(cell, determined_numbers(eqs, size))):
            withheld_count = layer == "#t" and not is_mean and shown == "[x]"
            if shown == SUPPRESSED or withheld_count:
                what = {"#n": "n_respondents", "#t": "its score"}.get(layer, f"option {layer}")
                leaks.append(f"response_frequencies {release} {question} ({g}, {c}): {what} can be worked out "
                             "from the published figures")
    return leaks


def question_systems(scores: pd.DataFrame, frequencies: pd.DataFrame, options: pd.DataFrame, geographies,
                     cohort_parts: dict):
    """Every release and question's frequency_equations at once, with array joins instead of a Python loop per
    hidden cell: the same equations over the same hidden cells. Yields, per (release, year, question) in sorted
    order: the key, whether its scores are mean ratings, how many hidden cells it has (numbered 0, 1, ...: the
    unknowns), a function from an unknown to its cell (layer, geography_code, cohort_id, text) and its equations
    ({unknown: coefficient modulo PRIME}). Only arrays are kept between systems, each system's equations made
    as it is yielded (a Python int per term for every system at once would double the leak check's memory)."""
    keys, (first, hl, hp, hc, text, names), (code, unknowns, coefficient) = system_arrays(
        scores, frequencies, options, geographies, cohort_parts)
    layers, places, cohorts = names
    term_at = np.searchsorted(code // (3 * len(layers) * len(places) * len(cohorts)), np.arange(len(keys) + 1))

    def cell(k: int) -> tuple:
        return layers[hl[k]], places[hp[k]], cohorts[hc[k]], text[k]

    for i, (release, year, question, is_mean) in enumerate(zip(*(keys[k] for k in GROUP_KEYS + ["is_mean"]))):
        a, b = term_at[i], term_at[i + 1]
        sums = code[a:b]
        cut = np.flatnonzero(np.r_[True, sums[1:] != sums[:-1], True]).tolist() if b > a else [0]
        local, coefficients = (unknowns[a:b] - first[i]).tolist(), coefficient[a:b].tolist()
        eqs = [dict(zip(local[x:y], coefficients[x:y])) for x, y in zip(cut, cut[1:])]
        yield (release, year, question), is_mean, int(first[i + 1] - first[i]), lambda k, at=first[i]: cell(at + k), eqs


GROUP_KEYS = ["release_id", "survey_year", "question_id"]


def system_arrays(scores: pd.DataFrame, frequencies: pd.DataFrame, options: pd.DataFrame, geographies,
                  cohort_parts: dict):
    """question_systems' work, as arrays: the systems (release, year, question, is_mean); the hidden cells
    sorted by system (each system's first, their layer, place and group numbers, texts, and the names of
    those numbers); the terms (the sum's code, the unknown, its coefficient modulo PRIME), one per sum and
    unknown, sorted by sum. A cell is coded as one integer (system, layer, place, group), so finding a cell,
    a sum's total or a duplicate is integer work."""
    group_keys = GROUP_KEYS
    group, keys = codes(frequencies[group_keys])
    keys = keys.reset_index(drop=True)
    keys["is_mean"] = mean_ratings(keys, scores)
    found = scores.merge(keys[["release_id", "question_id"]].assign(group=np.arange(len(keys))),
                         on=["release_id", "question_id"])     # each system's scores: its release and question's
    n, value = found["n_respondents"], found["value"]
    layer, layers = pd.factorize(pd.concat([pd.Series(["#n", "#t"]), frequencies["option_id"]], ignore_index=True))
    place, places = pd.factorize(pd.concat([found["geography_code"], frequencies["geography_code"]], ignore_index=True))
    cohort, cohorts = pd.factorize(pd.concat([found["cohort_id"], frequencies["cohort_id"]], ignore_index=True))
    k = len(found)
    cells = pd.DataFrame({
        "group": np.concatenate([found["group"].to_numpy(), found["group"].to_numpy(), group]),
        "layer": np.concatenate([np.zeros(k, dtype=np.int64), np.ones(k, dtype=np.int64), layer[2:]]),
        "g": np.concatenate([place[:k], place[:k], place[k:]]),
        "c": np.concatenate([cohort[:k], cohort[:k], cohort[k:]]),
        "text": pd.concat([n, n.where(n.isin(HIDDEN), value), frequencies["n_respondents"]], ignore_index=True)})
    size = (len(keys), len(layers), len(places), len(cohorts))
    cell_code = cell_codes(cells["group"], cells["layer"], cells["g"], cells["c"], size)
    last = ~pd.Series(cell_code).duplicated(keep="last").to_numpy()     # as a dict keyed by cell keeps the last text
    hidden = cells[last & cells["text"].isin(HIDDEN).to_numpy()].sort_values("group", kind="stable")
    hidden = hidden.reset_index(drop=True)
    all_cells = np.sort(cell_code)
    del cells, cell_code, last, found, n, value      # what is left is about the hidden cells only
    unknown = np.arange(len(hidden))
    hg, hl, hp, hc = (hidden[k].to_numpy() for k in ("group", "layer", "g", "c"))
    terms = []     # (the sum's cell code and kind, unknown, coefficient)

    def add(kind: int, mask, unknowns, coefficient, at_place=None, at_cohort=None, at_layer=None):
        where = (hg[unknowns], hl[unknowns] if at_layer is None else at_layer, hp[unknowns] if at_place is None
                 else at_place, hc[unknowns] if at_cohort is None else at_cohort)
        code = cell_codes(*where, size) * 3 + kind
        keep = np.ones(len(unknowns), dtype=bool) if mask is None else mask
        terms.append((code[keep], unknowns[keep], np.broadcast_to(coefficient, len(unknowns))[keep]))

    with_options = np.isin(cell_codes(hg, np.zeros_like(hl), hp, hc, size),
                           cell_codes(group, np.zeros_like(group), place[k:], cohort[k:], size))
    is_total = hl < 2
    add(ROW, is_total & with_options, unknown, 1)
    answers = unknown[~is_total]
    weight = option_weights(keys, scores, options, layers)[hg[answers], hl[answers]]
    if (weight < 0).any():
        missing = answers[weight < 0][0]
        raise KeyError(f"response_frequencies: option {layers[hl[missing]]!r} of {keys.iloc[hg[missing]].tolist()} is "
                       "not in response_options.csv; the package's foreign keys should have refused it.")
    add(ROW, None, answers, -1, at_layer=np.zeros(len(answers), dtype=np.int64))
    add(ROW, weight != 0, answers, -weight, at_layer=np.ones(len(answers), dtype=np.int64))
    year_of = keys["survey_year"].to_numpy()
    for year in np.unique(year_of):
        within = np.flatnonzero(year_of[hg] == year)
        kids = geography_kids(geographies, int(year))
        pairs = [(places.get_loc(child), places.get_loc(parent)) for parent, children in kids.items()
                 for child in children if child in places and parent in places]
        add(PLACES, np.isin(hp[within], [places.get_loc(p) for p in kids if p in places]), within, 1)
        up, parent = fan_out(within, hp[within], pairs)
        add(PLACES, is_in(cell_codes(hg[up], hl[up], parent, hc[up], size), all_cells), up, -1, at_place=parent)
    pairs = [(cohorts.get_loc(part), cohorts.get_loc(whole)) for whole, parts in cohort_parts.items()
             for part in parts if whole in cohorts and part in cohorts]
    add(GROUPS, np.isin(hc, [cohorts.get_loc(w) for w in cohort_parts if w in cohorts]), unknown, 1)
    across, whole = fan_out(unknown, hc, pairs)
    add(GROUPS, is_in(cell_codes(hg[across], hl[across], hp[across], whole, size), all_cells), across, -1,
        at_cohort=whole)
    code, unknowns, coefficient = (np.concatenate(parts) for parts in zip(*terms))
    del terms, all_cells
    # one term per sum and unknown (the last, as a dict keeps it), sorted by sum
    order = np.lexsort((np.arange(len(code)), unknowns, code))
    code, unknowns, coefficient = code[order], unknowns[order], coefficient[order]
    last = np.r_[(code[1:] != code[:-1]) | (unknowns[1:] != unknowns[:-1]), True]
    code, unknowns, coefficient = code[last], unknowns[last], coefficient[last] % PRIME
    first = np.searchsorted(hg, np.arange(len(keys) + 1))
    names = (layers.tolist(), places.tolist(), cohorts.tolist())
    return keys, (first, hl, hp, hc, hidden["text"].to_numpy(), names), (code, unknowns, coefficient)


ROW, PLACES, GROUPS = 0, 1, 2     # a sum's kind: a row's answers (to #n, weighted to #t), across places, across groups


def codes(frame: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Rows in; each row's number among the distinct rows in sorted order, and those rows, out."""
    code, uniques = np.zeros(len(frame), dtype=np.int64), []
    for column in frame.columns:     # each column's codes in sorted order, so the combined code sorts as the rows
        numbers, values = pd.factorize(frame[column], sort=True)
        code, uniques = code * len(values) + numbers, uniques + [values]
    distinct, numbers = np.unique(code, return_inverse=True)
    rows = {}
    for column, values in zip(reversed(frame.columns), reversed(uniques)):
        distinct, at = np.divmod(distinct, len(values))
        rows[column] = values[at]
    return numbers, pd.DataFrame(rows)[list(frame.columns)]


def fan_out(unknowns: np.ndarray, at: np.ndarray, pairs: list[tuple]) -> tuple[np.ndarray, np.ndarray]:
    """Unknowns and a code of each (a place, a group), and (code, code above it) pairs in; each unknown once per
    pair of its code, with the code above, out (a place with two parents is in two sums)."""
    if not pairs:
        return unknowns[:0], unknowns[:0]
    below, above = (np.array(x, dtype=np.int64) for x in zip(*sorted(pairs)))
    start, stop = np.searchsorted(below, at, "left"), np.searchsorted(below, at, "right")
    count = stop - start
    each = np.repeat(np.arange(len(unknowns)), count)
    offset = np.arange(len(each)) - np.repeat(np.cumsum(count) - count, count)
    return unknowns[each], above[np.repeat(start, count) + offset]


def is_in(values: np.ndarray, sorted_values: np.ndarray) -> np.ndarray:
    at = np.searchsorted(sorted_values, values).clip(max=max(len(sorted_values) - 1, 0))
    return sorted_values[at] == values if len(sorted_values) else np.zeros(len(values), dtype=bool)


def cell_codes(group, layer, place, cohort, size: tuple) -> np.ndarray:
    """A cell (question system, layer, place, group; each a number below its size) as one integer."""
    _, layers, places, cohorts = size
    return ((np.asarray(group, dtype=np.int64) * layers + layer) * places + place) * cohorts + cohort


def mean_ratings(keys: pd.DataFrame, scores: pd.DataFrame) -> list[bool]:
    """Whether each (release, question) of keys has mean ratings for scores."""
    is_mean = (scores["measure"] == "mean_0_10").groupby([scores["release_id"], scores["question_id"]]).any()
    return [bool(is_mean.get((r, q), False)) for r, q in zip(keys["release_id"], keys["question_id"])]


def option_weights(keys: pd.DataFrame, scores: pd.DataFrame, options: pd.DataFrame, layers: pd.Index) -> np.ndarray:
    """Each question system's weight of each answer (its rating where the scores are mean ratings, else 1 for
    a positive answer and 0 for another; -1 for an answer not in response_options) as [system, layer]."""
    out = np.full((len(keys), len(layers)), -1, dtype=np.int64)
    rating = options["rating"].map(lambda r: int(r) if r.isdigit() else 0).to_numpy()
    positive = (options["is_positive"] == "true").astype(int).to_numpy()
    at = layers.get_indexer(options["option_id"])
    for i, (question, mean) in enumerate(zip(keys["question_id"], keys["is_mean"])):
        mine = np.flatnonzero((options["question_id"] == question).to_numpy() & (at >= 0))
        out[i, at[mine]] = (rating if mean else positive)[mine]     # a repeated option: the last row's, as dict() keeps
    return out
