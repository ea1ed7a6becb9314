"""Hidden counts and the sums they are in, in; more cells to hide out, wherever sums taken together would
narrow a hidden count (of positive answers, or the rest) to between 1 and the threshold less one.

disclosure.find_hidden looks at one sum at a time; here each hidden count is capped by the sums it is in
(and through hidden totals, by their parts' caps), and a sum whose other hidden parts are capped so low
that this one must be at least 1, and at most threshold - 1, needs another part hidden.
"""
from __future__ import annotations

import numpy as np

from .relation_arrays import NONE, RelationArrays, as_arrays, first_of, rank_cells


def caps(arrays: RelationArrays, present: np.ndarray, value: np.ndarray, hidden: np.ndarray):
    """The most each hidden count can be, as an outsider works it out from the sums (a few rounds: a hidden
    total caps its hidden parts, and its parts cap it), and for each the sum that caps it (NONE: no cap, inf).
    Cells are the arrays' numbers; present says which have a count."""
    cap, capped_by = np.full(len(arrays.cells), np.inf), np.full(len(arrays.cells), NONE)
    qualify, child_hidden, total = arrays.totals_of_shown_parents(present, value, hidden)
    entries = np.flatnonzero(qualify[arrays.owner] & child_hidden)
    if len(entries):   # each hidden part: the smallest shown total it is in, the first such sum
        child, owner = arrays.child[entries], arrays.owner[entries]
        order = np.lexsort((owner, total[owner], child))
        first = order[np.r_[True, child[order][1:] != child[order][:-1]]]
        cap[child[first]], capped_by[child[first]] = total[owner[first]], owner[first]
    rels = np.flatnonzero(arrays.complete & present[arrays.parent] & hidden[arrays.parent])
    hidden_totals = []
    if len(rels):   # each such sum's present children, in order (one pass over their entries, not one per sum)
        entries, local = arrays.entries(rels)
        keep = present[arrays.child[entries]]
        children, local = arrays.child[entries][keep], local[keep]
        ends = np.searchsorted(local, np.arange(1, len(rels) + 1)).tolist()
        children, flags, starts = children.tolist(), hidden[children].tolist(), [0] + ends[:-1]
        hidden_totals = [(rel, parent, children[a:b], flags[a:b]) for rel, parent, a, b in
                         zip(rels.tolist(), arrays.parent[rels].tolist(), starts, ends)]
    if hidden_totals:   # in order: a sum's cap can tighten the next one's within a round (plain lists: short sums)
        cap, capped_by, value = cap.tolist(), capped_by.tolist(), value.tolist()
        for _ in range(3):
            before = list(cap)
            for rel, parent, children, is_hidden in hidden_totals:
                from_parts = sum(cap[c] if h else value[c] for c, h in zip(children, is_hidden))
                if from_parts < cap[parent]:
                    cap[parent], capped_by[parent] = from_parts, rel
                for c, h in zip(children, is_hidden):
                    if h and cap[parent] < cap[c]:
                        cap[c], capped_by[c] = cap[parent], rel
            if cap == before:   # a round that changes nothing: so would the rest
                break
        cap, capped_by = np.array(cap, dtype=float), np.array(capped_by, dtype=np.int64)
    return cap, capped_by


def loosen(arrays: RelationArrays, present: np.ndarray, value: np.ndarray, rank: np.ndarray, hidden: np.ndarray,
           rel: int) -> int:
    """A cell to hide to loosen a sum's cap: its smallest shown part above 0, else its total."""
    children = arrays.children_of(rel)
    pick = first_of(children, present[children] & ~hidden[children] & (value[children] > 0), rank)
    return int(arrays.parent[rel]) if pick == NONE else pick


def narrowed(arrays: RelationArrays, present: np.ndarray, value: np.ndarray, hidden: np.ndarray, cap: np.ndarray,
             threshold: int) -> np.ndarray:
    """Per relation: a shown total of two or more hidden parts, one of which the others' caps narrow to at least 1
    while its own cap (or the total) keeps it below the threshold."""
    qualify, child_hidden, total = arrays.totals_of_shown_parents(present, value, hidden)
    owner = arrays.owner
    part = qualify[owner] & child_hidden
    part_cap = cap[arrays.child]
    unbounded = part & np.isinf(part_cap)
    others_unbounded = np.bincount(owner, weights=unbounded, minlength=len(arrays))[owner] - unbounded
    others = np.bincount(owner, weights=np.where(part & ~unbounded, part_cap, 0), minlength=len(arrays))[owner] \
        - np.where(part & ~unbounded, part_cap, 0)
    others = np.where(others_unbounded > 0, np.inf, others)
    with np.errstate(invalid="ignore"):
        at_risk = part & (total[owner] - others >= 1) & (np.minimum(part_cap, total[owner]) < threshold)
    parts = np.bincount(owner, weights=part, minlength=len(arrays))
    return qualify & (parts >= 2) & (np.bincount(owner, weights=at_risk, minlength=len(arrays)) > 0)


def guard_narrowing(counts: dict, hidden: set, relations, threshold: int) -> set:
    """Hide more where a hidden count (of positive answers, or the rest) could be narrowed to between 1 and
    threshold - 1 by two sums at once: each hidden part is capped by the smallest total of hidden parts it
    is in; hidden parts adding up to T leave one at least T minus the others' caps, and at most its own cap."""
    arrays = as_arrays(relations)
    present, value = arrays.values(counts)
    is_hidden = arrays.mask(hidden)
    _, rank = rank_cells(value, zero_last=False)
    while True:
        cap, capped_by = caps(arrays, present, value, is_hidden)
        at_risk = np.flatnonzero(narrowed(arrays, present, value, is_hidden, cap, threshold))
        if not len(at_risk):
            return set(hidden) | arrays.named(is_hidden)
        rel = int(at_risk[0])
        children = arrays.children_of(rel)
        parts = children[present[children] & is_hidden[children]]
        # loosen: a shown part of this sum, else of a sum capping another part, else this sum's total
        pick = NONE
        for r in [rel] + [int(capped_by[o]) for o in parts if capped_by[o] not in (NONE, rel)]:
            children = arrays.children_of(r)
            pick = first_of(children, present[children] & ~is_hidden[children] & (value[children] > 0), rank)
            if pick != NONE:
                break
        is_hidden[arrays.parent[rel] if pick == NONE else pick] = True


def guard_both_layers(positive: dict, rest: dict, hidden: set, unknown: set, relations, threshold: int) -> set:
    """Hide more where a hidden row's respondents n = k + (n - k) would be capped below the threshold by the
    caps on its positive answers k and on the rest (each from its own sums). unknown: rows whose k is not
    published (withheld), hidden in those layers only. The cells to hide (rows) out."""
    arrays = as_arrays(relations)
    layers = []
    for counts in (positive, rest):
        present, value = arrays.values(counts)
        layers.append((present, value, rank_cells(value, zero_last=False)[1]))
    is_hidden, is_unknown = arrays.mask(hidden), arrays.mask(unknown)
    while True:
        either = is_hidden | is_unknown
        (cap_k, by_k), (cap_r, by_r) = (caps(arrays, present, value, either) for present, value, _ in layers)
        short = np.flatnonzero(is_hidden & layers[0][0] & (cap_k + cap_r < threshold))
        if not len(short):
            return set(hidden) | arrays.named(is_hidden)
        c = short[0]
        first, second = ((layers[0], by_k), (layers[1], by_r)) if cap_k[c] <= cap_r[c] else \
            ((layers[1], by_r), (layers[0], by_k))
        pick = loosen(arrays, *first[0], either, first[1][c])
        if is_hidden[pick] and second[1][c] != NONE:   # nothing left to loosen in the lower layer: try the other one
            pick = loosen(arrays, *second[0], either, second[1][c])
        if is_hidden[pick]:
            return set(hidden) | arrays.named(is_hidden)
        is_hidden[pick] = True
