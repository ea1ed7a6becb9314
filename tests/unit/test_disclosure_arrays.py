"""The array versions of find_hidden and the narrowing guards (build_data/relation_arrays.py) against the
cell-by-cell rules they replaced, kept here as the reference: on edge cases and on many random places,
groups and counts, both must hide exactly the same cells (the published package must not change)."""
from __future__ import annotations

import random
from collections import defaultdict

import numpy as np
import pytest

from build_data.disclosure import Relation, build_relations, find_hidden
from build_data.narrowing import guard_both_layers, guard_narrowing
from build_data.relation_arrays import RelationArrays

THRESHOLD = 10


# ---- the reference: the rules cell by cell, as they were before the arrays --------------------------------

def reference_find_hidden(counts: dict, hidden: set, relations: list[Relation], threshold: int,
                frozen: frozenset = frozenset(), at_least_one: bool = False, stuck: set | None = None,
                small_sums: bool = True) -> set:
    """Grow the hidden set until no hidden count (nor a small remainder) can be found by subtraction.

    frozen cells are never hidden to protect another: they are published elsewhere already (a
    response frequencies total is the scores file's n). A relation at risk with nothing left to hide
    puts its hidden cells in stuck (if given): the caller must hide more elsewhere (the scores row).
    at_least_one: every hidden count is at least 1 (a published row has respondents), so each of h
    hidden parts of a shown total T is at most T - (h - 1): that must not fall below the threshold.
    small_sums False: hidden parts that may each be 0 and add up to a small total are not at risk (none is
    narrowed to between 1 and threshold - 1); only a part that could be worked out exactly is.
    """
    hidden = set(hidden)
    # A relation's verdict depends only on which of its cells are hidden: one re-checked after that
    # last changed would do nothing, so it is skipped (same passes, same order, same result, faster).
    involved = defaultdict(list)
    for i, rel in enumerate(relations):
        for cell in (rel.parent, *rel.children):
            involved[cell].append(i)
    stale = [True] * len(relations)
    changed = True
    while changed:
        changed = False
        for i, rel in enumerate(relations):
            if not stale[i] or rel.parent not in counts:
                continue
            stale[i] = False
            present = [c for c in rel.children if c in counts]
            shown = sorted((counts[c] == 0, counts[c], c) for c in present if c not in hidden)
            n_hidden = sum(1 for c in present if c in hidden) + (rel.parent in hidden)
            hidden_total = counts[rel.parent] - sum(n for _, n, _ in shown)
            largest = hidden_total - (n_hidden - 1 if at_least_one else 0)   # the most one hidden part can be
            if rel.is_complete:
                at_risk = 0 < n_hidden < rel.min_hidden or (
                    small_sums and rel.parent not in hidden and n_hidden > 1 and 0 < hidden_total and largest < threshold)
            else:
                at_risk = n_hidden == 0 and 0 < hidden_total < threshold
            if at_risk:
                pick = next((c for *_, c in shown if c not in frozen), None)
                if pick is None and rel.parent not in frozen:
                    pick = rel.parent
                if pick is None and stuck is not None and n_hidden < rel.min_hidden:   # exactly recoverable
                    stuck.update(c for c in (rel.parent, *rel.children) if c in hidden)
                if pick is not None and pick not in hidden:
                    hidden.add(pick)
                    changed = True
                    for j in involved[pick]:
                        stale[j] = True
    return hidden



def shown_parent_totals(counts: dict, hidden: set, relations: list[Relation]):
    """(relation, its hidden children, what they add up to) for each complete relation whose total is shown."""
    for rel in relations:
        if rel.is_complete and rel.parent in counts and rel.parent not in hidden:
            present = [c for c in rel.children if c in counts]
            hid = [c for c in present if c in hidden]
            yield rel, hid, counts[rel.parent] - sum(counts[c] for c in present if c not in hidden)


def reference_caps(counts: dict, hidden: set, relations: list[Relation]) -> tuple[dict, dict]:
    """The most each hidden count can be, as an outsider works it out from the sums (a few rounds: a hidden
    total caps its hidden parts, and its parts cap it), and for each the sum that caps it."""
    cap, capped_by = defaultdict(lambda: float("inf")), {}
    for rel, hid, total in shown_parent_totals(counts, hidden, relations):
        for c in hid:
            if total < cap[c]:
                cap[c], capped_by[c] = total, rel
    for _ in range(3):
        for rel in relations:
            if not rel.is_complete or rel.parent not in hidden or rel.parent not in counts:
                continue
            present = [c for c in rel.children if c in counts]
            from_parts = sum(cap[c] if c in hidden else counts[c] for c in present)
            if from_parts < cap[rel.parent]:
                cap[rel.parent], capped_by[rel.parent] = from_parts, rel
            for c in present:
                if c in hidden and cap[rel.parent] < cap[c]:
                    cap[c], capped_by[c] = cap[rel.parent], rel
    return cap, capped_by


def reference_guard_narrowing(counts: dict, hidden: set, relations: list[Relation], threshold: int) -> set:
    """Hide more where a hidden count (of positive answers, or the rest) could be narrowed to between 1 and
    threshold - 1 by two sums at once: each hidden part is capped by the smallest total of hidden parts it
    is in; hidden parts adding up to T leave one at least T minus the others' caps, and at most its own cap."""
    hidden = set(hidden)
    while True:
        cap, capped_by = reference_caps(counts, hidden, relations)
        pick = None
        for rel, hid, total in shown_parent_totals(counts, hidden, relations):
            if len(hid) < 2 or not any(total - sum(cap[o] for o in hid if o != c) >= 1 and min(cap[c], total) < threshold
                                       for c in hid):
                continue
            # loosen: a shown part of this sum, else of a sum capping another part, else this sum's total
            for r in [rel] + [capped_by[o] for o in hid if o in capped_by and capped_by[o] is not rel]:
                shown = sorted((counts[c], c) for c in r.children if c in counts and c not in hidden and counts[c] > 0)
                if shown:
                    pick = shown[0][1]
                    break
            pick = pick or rel.parent
            break
        if pick is None:
            return hidden
        hidden.add(pick)


def reference_loosen(counts: dict, hidden: set, rel: "Relation") -> object:
    """A cell to hide to loosen a sum's cap: its smallest shown part above 0, else its total."""
    shown = sorted((counts[c], c) for c in rel.children if c in counts and c not in hidden and counts[c] > 0)
    return shown[0][1] if shown else rel.parent


def reference_guard_both_layers(positive: dict, rest: dict, hidden: set, unknown: set, relations: list, threshold: int) -> set:
    """Hide more where a hidden row's respondents n = k + (n - k) would be capped below the threshold by the
    caps on its positive answers k and on the rest (each from its own sums). unknown: rows whose k is not
    published (withheld), hidden in those layers only. The cells to hide (rows) out."""
    hidden = set(hidden)
    while True:
        cap_k, by_k = reference_caps(positive, hidden | unknown, relations)
        cap_r, by_r = reference_caps(rest, hidden | unknown, relations)
        short = sorted(c for c in hidden if c in positive and cap_k[c] + cap_r[c] < threshold)
        if not short:
            return hidden
        c = short[0]
        layer, by = (positive, by_k) if cap_k[c] <= cap_r[c] else (rest, by_r)
        pick = reference_loosen(layer, hidden | unknown, by[c])
        if pick in hidden:   # nothing left to loosen in the lower layer: try the other one
            layer, by = (rest, by_r) if layer is positive else (positive, by_k)
            pick = reference_loosen(layer, hidden | unknown, by[c]) if c in by else pick
        if pick in hidden:
            return hidden
        hidden.add(pick)


# ---- the arrays themselves ----------------------------------------------------------------------------------

def test_cells_are_numbered_in_sorted_order_and_each_knows_its_sums_in_order():
    relations = [Relation("p", ("c", "a", "b"), True), Relation("q", ("p", "d"), True), Relation("a", ("x",), False)]
    arrays = RelationArrays(relations)
    assert arrays.cells == ["a", "b", "c", "d", "p", "q", "x"]
    assert list(arrays) == relations
    assert arrays.relations_of(arrays.number["p"]).tolist() == [0, 1]   # parent of the first, child of the second
    assert arrays.relations_of(arrays.number["a"]).tolist() == [0, 2]
    assert [arrays.cells[c] for c in arrays.children_of(0)] == ["c", "a", "b"]
    entries, local = arrays.entries(np.array([2, 0]))
    assert [arrays.cells[c] for c in arrays.child[entries]] == ["x", "c", "a", "b"] and local.tolist() == [0, 1, 1, 1]


def test_counts_passed_back_as_arrays_are_not_converted_again():
    arrays = RelationArrays([Relation("p", ("a", "b"), True)])
    converted = arrays.values({"p": 5, "a": 2})
    assert converted.present.tolist() == [True, False, True] and converted.value.tolist() == [2, 0, 5]
    assert arrays.values(converted) is converted


# ---- edge cases ---------------------------------------------------------------------------------------------

def test_a_remainder_of_exactly_the_threshold_is_not_at_risk():
    relations = [Relation("all", ("breast",), False)]
    assert find_hidden({"all": 30, "breast": 30 - THRESHOLD}, set(), relations, THRESHOLD) == set()
    assert find_hidden({"all": 30, "breast": 30 - THRESHOLD + 1}, set(), relations, THRESHOLD) == {"breast"}


def test_two_hidden_parts_adding_up_to_exactly_the_threshold_stay_as_they_are():
    relations = [Relation("a", ("t1", "t2", "t3"), True)]
    counts = {"a": 40, "t1": 5, "t2": 5, "t3": 30}
    assert find_hidden(counts, {"t1", "t2"}, relations, THRESHOLD) == {"t1", "t2"}          # 10 is not below 10
    assert find_hidden(counts, {"t1", "t2"}, relations, THRESHOLD, at_least_one=True) == {"t1", "t2", "t3"}


def test_everything_suppressed_hides_nothing_more_and_leaves_nothing_stuck():
    relations = [Relation("a", ("t1", "t2"), True), Relation("t1", ("t1_p", "t1_s"), True)]
    counts = {"a": 20, "t1": 8, "t2": 12, "t1_p": 3, "t1_s": 5}
    stuck = set()
    assert find_hidden(counts, set(counts), relations, THRESHOLD, stuck=stuck) == set(counts)
    assert stuck == set()
    assert guard_narrowing(counts, set(counts), relations, THRESHOLD) == set(counts)
    assert guard_both_layers(counts, counts, set(counts), set(), relations, THRESHOLD) == set(counts)


def test_a_single_part_hidden_alone_hides_its_total_unless_the_total_is_frozen():
    relations = [Relation("breast", ("breast_secondary",), True)]
    counts = {"breast": 4, "breast_secondary": 4}
    assert find_hidden(counts, {"breast_secondary"}, relations, THRESHOLD) == {"breast", "breast_secondary"}
    stuck = set()
    assert find_hidden(counts, {"breast_secondary"}, relations, THRESHOLD, frozen=frozenset({"breast"}),
                       stuck=stuck) == {"breast_secondary"}
    assert stuck == {"breast_secondary"}


def test_a_part_equal_to_its_whole_hides_the_zero_beside_it_and_then_the_whole():
    """6 hidden alone is 6 - 0; hidden with the 0 beside it, the two add up to 6, below the threshold: the
    whole goes too."""
    relations = [Relation("alliance", ("t1", "t2"), True)]
    counts = {"alliance": 6, "t1": 6, "t2": 0}
    assert find_hidden(counts, {"t1"}, relations, THRESHOLD) == {"alliance", "t1", "t2"}
    counts = {"alliance": 16, "t1": 16, "t2": 0}
    assert find_hidden(counts, {"t1"}, relations, THRESHOLD) == {"t1", "t2"}   # 16 is not small
    assert find_hidden(counts, {"t1"}, relations, THRESHOLD) == reference_find_hidden(counts, {"t1"}, relations,
                                                                                   THRESHOLD)


def test_hidden_cells_outside_every_sum_are_kept():
    relations = [Relation("a", ("t1", "t2"), True)]
    assert find_hidden({"a": 50, "t1": 20, "t2": 30, "lone": 3}, {"lone"}, relations, THRESHOLD) == {"lone"}


# ---- the same cells hidden as the reference, on random places and groups ------------------------------------

def random_group(seed: int):
    """Places (an England of alliances of trusts) x groups (breast = primary + secondary, within all cancers),
    with counts that add up, some small, some 0; the percent scores' k and n - k; a start of hidden cells."""
    rng = random.Random(seed)
    alliances = {f"A{a}": [f"T{a}{t}" for t in range(rng.randint(1, 4))] for a in range(rng.randint(1, 3))}
    primary = {t: rng.choice([0, 1, 3, 6, 9, 10, 14, 40, 120]) for ts in alliances.values() for t in ts}
    secondary = {t: rng.choice([0, 2, 4, 8, 11, 25, 60]) for t in primary}
    counts = {}
    for t in primary:
        counts[(t, "breast_primary")], counts[(t, "breast_secondary")] = primary[t], secondary[t]
        counts[(t, "breast")] = primary[t] + secondary[t]
        counts[(t, "all_cancers")] = counts[(t, "breast")] + rng.choice([0, 3, 9, 30, 200])
    for cohort in ("breast_primary", "breast_secondary", "breast", "all_cancers"):
        for a, ts in alliances.items():
            counts[(a, cohort)] = sum(counts[(t, cohort)] for t in ts)
        counts[("E", cohort)] = sum(counts[(a, cohort)] for a in alliances)
    cohort_rels = [("breast", ("breast_primary", "breast_secondary"), True), ("all_cancers", ("breast",), False)]
    geo_children = {"E": tuple(sorted(alliances)), **{a: tuple(sorted(ts)) for a, ts in alliances.items()}}
    geos = sorted({g for g, _ in counts})
    relations = build_relations(geos, [c for c, *_ in cohort_rels] + ["breast_primary", "breast_secondary"],
                                cohort_rels, geo_children)
    relations.sort(key=lambda r: rng.random())   # any order: the order is part of the rules
    positive = {k: round(n * rng.random()) for k, n in counts.items()}
    rest = {k: counts[k] - positive[k] for k in counts}
    hidden = {k for k, n in counts.items() if 0 < n < THRESHOLD or rng.random() < 0.05}
    frozen = frozenset(k for k in counts if k not in hidden and rng.random() < 0.2)
    return counts, positive, rest, hidden, frozen, relations


@pytest.mark.parametrize("seed", range(150))
def test_find_hidden_hides_what_the_cell_by_cell_rules_hide(seed):
    counts, positive, _, hidden, frozen, relations = random_group(seed)
    arrays = RelationArrays(relations)
    for layer, options in ((counts, {"at_least_one": True}), (positive, {"small_sums": seed % 2 == 0}),
                           (counts, {"frozen": frozen})):
        stuck, reference_stuck = set(), set()
        assert find_hidden(layer, hidden, arrays, THRESHOLD, stuck=stuck, **options) == \
            reference_find_hidden(layer, hidden, relations, THRESHOLD, stuck=reference_stuck, **options)
        assert stuck == reference_stuck


@pytest.mark.parametrize("seed", range(150))
def test_the_narrowing_guards_hide_what_the_cell_by_cell_rules_hide(seed):
    counts, positive, rest, hidden, _, relations = random_group(seed)
    arrays = RelationArrays(relations)
    grown = reference_find_hidden(positive, hidden, relations, THRESHOLD)
    assert guard_narrowing(positive, grown, arrays, THRESHOLD) == \
        reference_guard_narrowing(positive, grown, relations, THRESHOLD)
    rng = random.Random(seed)
    unknown = {k for k in sorted(counts) if k not in hidden and rng.random() < 0.1}   # withheld scores
    assert guard_both_layers(positive, rest, hidden, unknown, arrays, THRESHOLD) == \
        reference_guard_both_layers(positive, rest, hidden, unknown, relations, THRESHOLD)


def test_the_random_groups_exercise_every_rule():
    """Not a vacuous comparison: across the seeds, each rule hides something."""
    grew = defaultdict(int)
    for seed in range(150):
        counts, positive, rest, hidden, _, relations = random_group(seed)
        grew["find_hidden"] += len(find_hidden(counts, hidden, relations, THRESHOLD, at_least_one=True) - hidden)
        grown = find_hidden(positive, hidden, relations, THRESHOLD)
        grew["guard_narrowing"] += len(guard_narrowing(positive, grown, relations, THRESHOLD) - grown)
        grew["guard_both_layers"] += len(guard_both_layers(positive, rest, hidden, set(), relations, THRESHOLD) - hidden)
    assert all(grew[rule] > 0 for rule in ("find_hidden", "guard_narrowing", "guard_both_layers")), dict(grew)
