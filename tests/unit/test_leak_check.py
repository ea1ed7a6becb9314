"""leak_check.solve: the independent attacker, solving every sum with one unknown until nothing changes."""
from __future__ import annotations

from build_data.leak_check import solve


def test_solve_recovers_a_chained_subtraction():
    # England = two alliances; alliance 2 = two trusts. A2 is found first, then T2 from it.
    cells = {"E": 100, "A1": 60, "A2": None, "T1": 15, "T2": None}
    eqs = [("A2", ["T1", "T2"]), ("E", ["A1", "A2"])]      # order must not matter
    assert solve(cells, eqs) == {"A2": 40, "T2": 25}


def test_solve_recovers_a_hidden_total_from_its_parts():
    assert solve({"total": None, "a": 3, "b": 4}, [("total", ["a", "b"])]) == {"total": 7}


def test_solve_cannot_recover_two_unknowns_in_one_sum():
    assert solve({"E": 100, "A1": None, "A2": None}, [("E", ["A1", "A2"])]) == {}


def test_solve_treats_unpublished_parts_as_absent():
    # Conservative on purpose: a part with no published row is taken as no people, so the
    # checker reports more as recoverable, never less.
    assert solve({"E": 100, "A1": None}, [("E", ["A1", "A_missing"])]) == {"A1": 100}
