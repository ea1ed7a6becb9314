"""frequency_disclosure.solvable_cells gives determined the relations' cell numbers as unknowns (and the counts
as arrays worked out once per question), where it gave the cells' tuples: the reference below is the version
with tuples. On random questions (places, groups, options, withheld counts, suppressed and unscored rows, mean
ratings) every call protect_question makes must find exactly the cells the reference finds, and the question
must come out protected the same."""
from __future__ import annotations

import random

import numpy as np
import pytest

from build_data import frequency_disclosure
from build_data.errors import SuppressionLeak
from build_data.frequency_disclosure import protect_question
from build_data.leak_check import determined
from build_data.relation_arrays import as_arrays

THRESHOLD = 10
BREAST = [("breast", ("breast_primary", "breast_secondary"), True), ("all", ("breast",), False)]
FOUR = {"measure": "percent_positive",
        "response_options": [{"id": o, "label": o, "is_positive": p}
                             for o, p in {"a": True, "b": True, "c": False, "d": False}.items()]}
YES_NO = {"measure": "percent_positive", "response_options": [{"id": "yes", "label": "Yes", "is_positive": True},
                                                              {"id": "no", "label": "No"}]}
RATING = {"measure": "mean_0_10", "response_options": [{"id": f"r{i}", "label": str(i), "rating": i} for i in range(11)]}


def reference_solvable_cells(hidden: set, relations, rated: list, ratings: dict, given: dict, counts=None) -> set:
    """solvable_cells as it was: the equations over the cells' tuples."""
    counts = counts or {}
    arrays = as_arrays(relations)
    present, value = arrays.values(counts)
    is_hidden, cells, parent = arrays.mask(hidden), arrays.cells, arrays.parent
    hidden_part = np.flatnonzero(is_hidden[arrays.child] & arrays.complete[arrays.owner])
    owner, child = arrays.owner[hidden_part], arrays.child[hidden_part]
    zero_total = arrays.complete & ~is_hidden[parent] & present[parent] & (value[parent] == 0)
    eqs = [{cells[c]: 1} for c in child[zero_total[owner]].tolist()]
    by_sum = {r: {cells[parent[r]]: 1} for r in np.flatnonzero(arrays.complete & is_hidden[parent]).tolist()}
    for r, c in zip(owner.tolist(), child.tolist()):
        by_sum.setdefault(r, {})[cells[c]] = -1
    eqs += by_sum.values()
    for key in rated:
        eq = {key + (o,): r for o, r in ratings.items() if r and o in given[key] and key + (o,) in hidden}
        if eq:
            eqs.append(eq)
    found = determined(eqs) & hidden if eqs else set()
    return {c for c in found if not (c[:2] in given and given[c[:2]].get(c[2], 0) is None) and counts.get(c) != 0}


def random_question(seed: int):
    """A question's (geography, cohort, option, count) rows, scores rows, spec and places, at random."""
    rng = random.Random(seed)
    spec = rng.choice([FOUR, YES_NO, RATING])
    regions = {f"R{r}": tuple(f"T{r}{t}" for t in range(rng.randint(1, 4))) for r in range(rng.randint(1, 3))}
    children = {"ENG": tuple(sorted(regions)), **regions}
    places = ["ENG", *regions, *(t for ts in regions.values() for t in ts)]
    groups = ["all", "breast", "breast_primary", "breast_secondary"]
    options = [o["id"] for o in spec["response_options"]]
    rows, scores = [], {}
    small = rng.choice([0.1, 0.3, 0.6])
    for g in places:
        for c in groups:
            if rng.random() < 0.08:
                continue   # no row for this place and group
            given = {}
            for o in options:
                n = rng.randint(1, THRESHOLD - 1) if rng.random() < small else rng.choice([0, rng.randint(10, 400)])
                given[o] = None if rng.random() < 0.03 else n
            rows += [(g, c, o, n) for o, n in given.items()]
            is_hidden = rng.random() < 0.1
            scores[(g, c)] = (sum(n or 0 for n in given.values()), not is_hidden and rng.random() > 0.1, is_hidden)
    return rows, scores, spec, children


def run(rows, scores, spec, children, protect_answers) -> None:
    """protect_question on a random question (whose counts need not be consistent with each other, so it may
    give up: every solvable_cells call before that is compared all the same)."""
    try:
        protect_question(rows, scores, spec, THRESHOLD, BREAST, children, protect_answers)
    except SuppressionLeak:
        pass


@pytest.mark.parametrize("seed", range(30))
def test_solvable_cells_find_what_the_tuple_version_finds(seed, monkeypatch):
    rows, scores, spec, children = random_question(seed)
    calls = []

    def both(hidden, relations, rated, ratings, given, counts=None, cell_counts=None):
        expected = reference_solvable_cells(hidden, relations, rated, ratings, given, counts)
        assert frequency_disclosure.solvable_cells.__wrapped__(hidden, relations, rated, ratings, given, counts,
                                                               cell_counts) == expected
        assert frequency_disclosure.solvable_cells.__wrapped__(hidden, relations, rated, ratings, given,
                                                               counts) == expected
        calls.append(len(expected))
        return expected

    both.__wrapped__ = frequency_disclosure.solvable_cells
    monkeypatch.setattr(frequency_disclosure, "solvable_cells", both)
    for protect_answers in (True, False):
        run(rows, scores, spec, children, protect_answers)
    assert calls


def test_the_random_questions_exercise_solvable_cells():
    """The calls compared find cells (solvable counts to hide around): the comparison is not of empty sets."""
    found = []
    for seed in range(30):
        rows, scores, spec, children = random_question(seed)
        original = frequency_disclosure.solvable_cells

        def record(*args):
            result = original(*args)
            found.append(len(result))
            return result

        frequency_disclosure.solvable_cells = record
        try:
            run(rows, scores, spec, children, True)
        finally:
            frequency_disclosure.solvable_cells = original
    assert len(found) >= 30 and sum(found) > 100
