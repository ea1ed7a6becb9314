"""leak_check.determined against the solver it replaced (kept here as the reference) and against exact rational
arithmetic, on random systems of sums: it must pin down exactly the same unknowns."""
from __future__ import annotations

import heapq
import random
from collections import defaultdict
from fractions import Fraction

import pytest

from build_data.leak_check import PRIME, determined


def reference_determined(rows: list[dict]) -> set:
    """leak_check.determined as it was: dict rows keyed by the cells themselves."""
    rows = [{k: v % PRIME for k, v in r.items() if v % PRIME} for r in rows]
    rows_with = defaultdict(set)
    for i, r in enumerate(rows):
        for k in r:
            rows_with[k].add(i)
    pivot_row, done, inverse = {}, set(), {}
    queue = [(len(r), i) for i, r in enumerate(rows)]
    heapq.heapify(queue)
    while queue:
        size, i = heapq.heappop(queue)
        row = rows[i]
        if i in done or len(row) != size:
            if i not in done:
                heapq.heappush(queue, (len(row), i))
            continue
        done.add(i)
        if not row:
            continue
        pivot = min(row, key=lambda k: (len(rows_with[k]), k))
        scale = inverse.get(row[pivot]) or inverse.setdefault(row[pivot], pow(row[pivot], PRIME - 2, PRIME))
        for k in row:
            row[k] = row[k] * scale % PRIME
        pivot_row[pivot] = i
        for j in list(rows_with[pivot] - {i}):
            other, factor = rows[j], rows[j][pivot]
            for k, v in row.items():
                new = (other.get(k, 0) - factor * v) % PRIME
                if new:
                    other[k] = new
                    rows_with[k].add(j)
                else:
                    other.pop(k, None)
                    rows_with[k].discard(j)
            if j not in done:
                heapq.heappush(queue, (len(other), j))
    return {k for k, i in pivot_row.items() if len(rows[i]) == 1}


def rank(rows: list[list[Fraction]]) -> int:
    rows, r = [list(x) for x in rows], 0
    for col in range(len(rows[0]) if rows else 0):
        pick = next((i for i in range(r, len(rows)) if rows[i][col]), None)
        if pick is None:
            continue
        rows[r], rows[pick] = rows[pick], rows[r]
        for i in range(len(rows)):
            if i != r and rows[i][col]:
                f = rows[i][col] / rows[r][col]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[r])]
        r += 1
    return r


def rational_determined(rows: list[dict]) -> set:
    """x is pinned down exactly when adding the equation x = known does not raise the rank."""
    names = sorted({k for r in rows for k in r})
    matrix = [[Fraction(r.get(k, 0)) for k in names] for r in rows]
    full = rank(matrix)
    return {k for i, k in enumerate(names)
            if rank(matrix + [[Fraction(int(j == i)) for j in range(len(names))]]) == full}


def random_sums(rng: random.Random, cells: int, sums: int) -> list[dict]:
    """Sums of hidden cells (total first, coefficient 1; parts -1), some weighted (as positive answers or
    ratings), some with one unknown, a few repeated."""
    names = [("#n" if i % 5 == 0 else f"o{i % 5}", f"G{i // 10}", rng.choice(["all", "men", "women"]))
             for i in range(cells)]
    rows = []
    for _ in range(sums):
        members = rng.sample(names, min(cells, rng.choice([1, 2, 2, 3, 3, 4, 6])))
        weighted = rng.random() < 0.2
        rows.append({m: (rng.randint(-10, 10) if weighted else (1 if i == 0 else -1)) for i, m in enumerate(members)})
    rows += [dict(r) for r in rng.sample(rows, min(3, len(rows)))]
    return rows


@pytest.mark.parametrize("seed", range(40))
def test_the_same_unknowns_as_the_reference_solver(seed):
    rng = random.Random(seed)
    rows = random_sums(rng, cells=rng.randint(5, 400), sums=rng.randint(3, 400))
    assert determined(rows) == reference_determined([dict(r) for r in rows])


@pytest.mark.parametrize("seed", range(25))
def test_the_same_unknowns_as_exact_rational_arithmetic(seed):
    rng = random.Random(1000 + seed)
    rows = random_sums(rng, cells=rng.randint(3, 18), sums=rng.randint(2, 16))
    found = determined(rows)
    assert found == rational_determined(rows)
    assert found == reference_determined([dict(r) for r in rows])


def test_coefficients_that_vanish_modulo_the_prime_are_left_out_and_rows_are_not_changed():
    rows = [{"a": PRIME, "b": 1}, {"a": 1, "b": 1, "c": 2 * PRIME}]
    copy = [dict(r) for r in rows]
    assert determined(rows) == {"a", "b"}
    assert rows == copy
