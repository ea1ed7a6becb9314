"""The published frequencies in, their equations out: for every release and question (a system), the hidden
cells (the unknowns) and each exact sum between cells that has a hidden one, over its hidden cells only (a
shown cell is a known constant), with coefficients modulo PRIME. leak_check.frequency_leaks solves them.

Layers: #n (respondents), #t (positive answers, or the rating total: score x n) and each option (ids are
slugs, so never #n or #t). The sums: a row's options add up to #n, and weighted, to #t; each layer adds up
across places (geography_kids) and groups (cohort_parts). Every system is built at once with array joins
(a cell is one integer code), so the work grows with what is hidden, not with a Python loop per cell;
tests/frequency_reference.py is the readable form, one question at a time, that tests hold it to.
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

HIDDEN = ("[c]", "[x]", "")
# Arithmetic modulo a large prime is exact, and for equations with small integer coefficients it
# has the same solutions as arithmetic over the rationals (barring a 1 in 2^31 coincidence).
PRIME = 2**31 - 1


def geography_kids(geographies: pd.DataFrame, year: int) -> dict[str, list[str]]:
    """{parent: its children valid in the year}, as equations() reads them."""
    valid = geographies[(geographies["valid_from"].astype(int) <= year) &
                        (geographies["valid_to"].replace("", "9999").astype(int) >= year)]
    kids = defaultdict(list)
    for code, parent in zip(valid["geography_code"].tolist(), valid["parent_code"].tolist()):
        if parent:
            kids[parent].append(code)
    return kids


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
    group, keys = codes(frequencies[GROUP_KEYS])
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
