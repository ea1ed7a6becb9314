"""Hidden counts and the sums they are in, in; more cells to hide out, wherever sums taken together would
narrow a hidden count (of positive answers, or the rest) to between 1 and the threshold less one.

disclosure.find_hidden looks at one sum at a time; here each hidden count is capped by the sums it is in
(and through hidden totals, by their parts' caps), and a sum whose other hidden parts are capped so low
that this one must be at least 1, and at most threshold - 1, needs another part hidden.
"""
from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .disclosure import Relation


def shown_parent_totals(counts: dict, hidden: set, relations: list[Relation]):
    """(relation, its hidden children, what they add up to) for each complete relation whose total is shown."""
    for rel in relations:
        if rel.is_complete and rel.parent in counts and rel.parent not in hidden:
            present = [c for c in rel.children if c in counts]
            hid = [c for c in present if c in hidden]
            yield rel, hid, counts[rel.parent] - sum(counts[c] for c in present if c not in hidden)


def caps(counts: dict, hidden: set, relations: list[Relation]) -> tuple[dict, dict]:
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


def guard_narrowing(counts: dict, hidden: set, relations: list[Relation], threshold: int) -> set:
    """Hide more where a hidden count (of positive answers, or the rest) could be narrowed to between 1 and
    threshold - 1 by two sums at once: each hidden part is capped by the smallest total of hidden parts it
    is in; hidden parts adding up to T leave one at least T minus the others' caps, and at most its own cap."""
    hidden = set(hidden)
    while True:
        cap, capped_by = caps(counts, hidden, relations)
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


def loosen(counts: dict, hidden: set, rel: "Relation") -> object:
    """A cell to hide to loosen a sum's cap: its smallest shown part above 0, else its total."""
    shown = sorted((counts[c], c) for c in rel.children if c in counts and c not in hidden and counts[c] > 0)
    return shown[0][1] if shown else rel.parent


def guard_both_layers(positive: dict, rest: dict, hidden: set, unknown: set, relations: list, threshold: int) -> set:
    """Hide more where a hidden row's respondents n = k + (n - k) would be capped below the threshold by the
    caps on its positive answers k and on the rest (each from its own sums). unknown: rows whose k is not
    published (withheld), hidden in those layers only. The cells to hide (rows) out."""
    hidden = set(hidden)
    while True:
        cap_k, by_k = caps(positive, hidden | unknown, relations)
        cap_r, by_r = caps(rest, hidden | unknown, relations)
        short = sorted(c for c in hidden if c in positive and cap_k[c] + cap_r[c] < threshold)
        if not short:
            return hidden
        c = short[0]
        layer, by = (positive, by_k) if cap_k[c] <= cap_r[c] else (rest, by_r)
        pick = loosen(layer, hidden | unknown, by[c])
        if pick in hidden:   # nothing left to loosen in the lower layer: try the other one
            layer, by = (rest, by_r) if layer is positive else (positive, by_k)
            pick = loosen(layer, hidden | unknown, by[c]) if c in by else pick
        if pick in hidden:
            return hidden
        hidden.add(pick)
