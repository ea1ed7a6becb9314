"""The reference for build_data.frequency_systems.question_systems: one release and question's equations, a
Python loop per hidden cell, in the readable form that leak_check.frequency_leaks used before the array joins.
Nothing in build_data uses it; the tests hold question_systems to it (the same equations over the same hidden
cells, and so the same cells pinned down).
"""
from __future__ import annotations

from collections import defaultdict

import pandas as pd

from build_data.frequency_systems import HIDDEN, geography_kids


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
