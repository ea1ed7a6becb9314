"""RelationArrays built from each field of every relation at once (Relation is a named tuple) against the
relation-by-relation construction it replaced, kept here as the reference: on random relations (repeated
cells, empty sums, remainders, a second equation) both number the cells and lay out the sums the same."""
from __future__ import annotations

import random

import numpy as np
import pytest

from build_data.disclosure import Relation
from build_data.relation_arrays import RelationArrays


def reference_arrays(relations) -> dict:
    relations = list(relations)
    cells = {rel.parent for rel in relations}
    cells.update(c for rel in relations for c in rel.children)
    cells = sorted(cells)
    number = {c: i for i, c in enumerate(cells)}
    sizes = np.array([len(rel.children) for rel in relations], dtype=np.int64)
    parent = np.array([number[rel.parent] for rel in relations], dtype=np.int64)
    child = np.array([number[c] for rel in relations for c in rel.children], dtype=np.int64)
    return {"cells": cells, "number": number, "parent": parent, "child": child,
            "owner": np.repeat(np.arange(len(relations), dtype=np.int64), sizes),
            "start": np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64),
            "complete": np.array([rel.is_complete for rel in relations], dtype=bool),
            "min_hidden": np.array([rel.min_hidden for rel in relations], dtype=np.int64)}


def random_relations(seed: int) -> list[Relation]:
    rng = random.Random(seed)
    cells = [(f"g{rng.randint(0, 9)}", rng.choice("abc"), rng.choice(["o1", "o2", "#all"])) for _ in range(30)]
    return [Relation(rng.choice(cells), tuple(rng.sample(cells, rng.randint(0, 5))), rng.random() < 0.7,
                     rng.choice([2, 3])) for _ in range(rng.randint(0, 25))]


@pytest.mark.parametrize("seed", range(60))
def test_relations_laid_out_as_one_by_one(seed):
    relations = random_relations(seed)
    arrays, expected = RelationArrays(relations), reference_arrays(relations)
    assert arrays.cells == expected["cells"] and arrays.number == expected["number"]
    for field in ("parent", "child", "owner", "start", "complete", "min_hidden"):
        got = getattr(arrays, field)
        assert got.dtype == expected[field].dtype and np.array_equal(got, expected[field]), field
    child, start, parent, complete, min_hidden = arrays.lists()
    assert (child, start, parent, complete, min_hidden) == tuple(
        expected[f].tolist() for f in ("child", "start", "parent", "complete", "min_hidden"))


def test_no_relations():
    arrays = RelationArrays([])
    assert arrays.cells == [] and len(arrays) == 0 and arrays.start.tolist() == [0]
    assert arrays.parent.dtype == arrays.child.dtype == np.int64 and arrays.complete.dtype == bool
