"""disclosure.find_hidden: primary suppression grown until nothing hidden can be found by subtraction."""
from __future__ import annotations

from build_data.disclosure import Relation, find_hidden
from build_data.leak_check import solve

THRESHOLD = 10


def recoverable(counts: dict, hidden: set, relations: list[Relation]) -> dict:
    """What the independent leak checker can recover from the shown counts (complete relations only)."""
    cells = {k: (None if k in hidden else v) for k, v in counts.items()}
    eqs = [(r.parent, list(r.children)) for r in relations if r.is_complete]
    return {k: v for k, v in solve(cells, eqs).items() if k in hidden}


def test_find_hidden_complementary_across_complete_relation():
    counts = {"alliance": 100, "trust_a": 5, "trust_b": 40, "trust_c": 55}
    relations = [Relation("alliance", ("trust_a", "trust_b", "trust_c"), True)]
    hidden = find_hidden(counts, {"trust_a"}, relations, THRESHOLD)
    # trust_a alone could be found as 100 - 40 - 55; hiding the smallest other part prevents that.
    assert hidden == {"trust_a", "trust_b"}
    assert recoverable(counts, hidden, relations) == {}
    assert recoverable(counts, {"trust_a"}, relations) == {"trust_a": 5}


def test_find_hidden_two_small_parts_whose_sum_is_small():
    counts = {"alliance": 100, "trust_a": 3, "trust_b": 4, "trust_c": 93}
    relations = [Relation("alliance", ("trust_a", "trust_b", "trust_c"), True)]
    # Neither can be solved, but together they are 7 people: the last part must go too.
    assert find_hidden(counts, {"trust_a", "trust_b"}, relations, THRESHOLD) == {"trust_a", "trust_b", "trust_c"}


def test_find_hidden_parent_with_one_shown_child():
    counts = {"breast": 50, "breast_secondary": 50}
    relations = [Relation("breast", ("breast_secondary",), True)]
    hidden = find_hidden(counts, {"breast"}, relations, THRESHOLD)
    assert hidden == {"breast", "breast_secondary"}
    assert recoverable(counts, {"breast"}, relations) == {"breast": 50}


def test_find_hidden_parent_hidden_with_two_shown_children():
    counts = {"breast": 60, "breast_primary": 35, "breast_secondary": 25}
    relations = [Relation("breast", ("breast_primary", "breast_secondary"), True)]
    hidden = find_hidden(counts, {"breast"}, relations, THRESHOLD)
    assert hidden == {"breast", "breast_secondary"}
    assert recoverable(counts, hidden, relations) == {}


def test_find_hidden_incomplete_relation_with_small_remainder():
    """All cancers minus breast is an unpublished group: 105 - 100 would reveal 5 people."""
    counts = {"all_cancers": 105, "breast": 100}
    relations = [Relation("all_cancers", ("breast",), False)]
    assert find_hidden(counts, set(), relations, THRESHOLD) == {"breast"}


def test_find_hidden_incomplete_relation_with_large_remainder_hides_nothing():
    counts = {"all_cancers": 205, "breast": 100}
    relations = [Relation("all_cancers", ("breast",), False)]
    assert find_hidden(counts, set(), relations, THRESHOLD) == set()


def test_find_hidden_chains_across_relations():
    """Hiding a trust forces a second trust; that second trust's cohort split then needs protecting too."""
    counts = {("A", "breast"): 100, ("T1", "breast"): 4, ("T2", "breast"): 40, ("T3", "breast"): 56,
              ("T2", "breast_primary"): 25, ("T2", "breast_secondary"): 15}
    relations = [Relation(("A", "breast"), (("T1", "breast"), ("T2", "breast"), ("T3", "breast")), True),
                 Relation(("T2", "breast"), (("T2", "breast_primary"), ("T2", "breast_secondary")), True)]
    hidden = find_hidden(counts, {("T1", "breast")}, relations, THRESHOLD)
    assert ("T2", "breast") in hidden and ("T2", "breast_secondary") in hidden
    assert recoverable(counts, hidden, relations) == {}


def test_find_hidden_zero_counts_are_not_suppressed_but_are_used_last():
    counts = {"alliance": 60, "trust_a": 5, "trust_b": 0, "trust_c": 55}
    relations = [Relation("alliance", ("trust_a", "trust_b", "trust_c"), True)]
    # Hiding the 0 would protect nothing (it is known to be 0); the next smallest part goes.
    assert find_hidden(counts, {"trust_a"}, relations, THRESHOLD) == {"trust_a", "trust_c"}
