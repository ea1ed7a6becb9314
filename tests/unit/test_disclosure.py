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


# The causes of the leaks in issue 13, one test each.

def test_every_hidden_part_has_at_least_one_respondent():
    """23 in the alliance, 12 shown: the other four trusts have 11 between them, so each has 1 to 8."""
    counts = {"alliance": 23, "t1": 12, "t2": 3, "t3": 2, "t4": 4, "t5": 2}
    relations = [Relation("alliance", ("t1", "t2", "t3", "t4", "t5"), True)]
    start = {"t2", "t3", "t4", "t5"}
    assert find_hidden(counts, start, relations, THRESHOLD) == start          # the old rule saw 11 >= 10
    assert find_hidden(counts, start, relations, THRESHOLD, at_least_one=True) == start | {"t1"}


def test_a_count_nothing_can_protect_is_reported_stuck():
    counts = {"total": 100, "a": 5, "b": 40, "c": 55}
    relation = [Relation("total", ("a", "b", "c"), True)]
    stuck = set()
    find_hidden(counts, {"a"}, relation, THRESHOLD, frozenset({"b", "c", "total"}), stuck=stuck)
    assert stuck == {"a"}


def small_config(protect_implied: bool):
    import pandas as pd
    from types import SimpleNamespace

    from build_data.disclosure_policy import DisclosurePolicy
    policy = DisclosurePolicy(id="p", min_respondents=THRESHOLD, source="test", protect_answer_counts=True,
                              protect_implied_counts=protect_implied)
    geographies = pd.DataFrame([{"geography_code": "A", "parent_code": "", "valid_from": "2020", "valid_to": ""}] +
                               [{"geography_code": t, "parent_code": "A", "valid_from": "2020", "valid_to": ""}
                                for t in ("T1", "T2", "T3")])
    cohorts = {"breast": {"parts": ["primary", "secondary"]}, "primary": {}, "secondary": {}}
    return SimpleNamespace(releases=[SimpleNamespace(id="r", policy=policy)], cohorts=cohorts, geographies=geographies)


def scores_frame(rows):
    import pandas as pd
    frame = pd.DataFrame([{"release_id": "r", "survey_year": 2024, "question_id": "q", "measure": "percent_positive",
                           "geography_code": g, "cohort_id": c, "n_respondents": n, "value": v, "ci_lower": None,
                           "ci_upper": None, "status": "ok"} for g, c, n, v in rows])
    frame["n_respondents"] = frame["n_respondents"].astype("Int64")
    frame["value"] = frame["value"].astype("Float64")
    return frame


def hidden_rows(frame) -> set:
    return {(g, c) for g, c, s in zip(frame["geography_code"], frame["cohort_id"], frame["status"]) if s == "suppressed"}


def test_a_shown_score_needs_only_enough_respondents_unless_the_policy_says_more():
    from build_data.disclosure import suppress_experience
    rows = [("T1", "breast", 100, 97.0)]   # 3 people did not answer positively
    assert hidden_rows(suppress_experience(scores_frame(rows), small_config(False))) == set()
    assert hidden_rows(suppress_experience(scores_frame(rows), small_config(True))) == {("T1", "breast")}


def test_a_withheld_score_keeps_its_sums_and_is_not_worked_out():
    """T2's breast score is withheld: its k is unknown. Its parts' scores are shown, so k(T2 breast) =
    k(primary) + k(secondary); the alliance's k minus T1 and T3 would also give it. The protection must
    treat it as hidden in every sum (the old code dropped the sums through it) and hide a partner."""
    from build_data.disclosure import suppress_experience
    rows = [("A", "breast", 390, 80.0), ("T1", "breast", 100, 80.0), ("T2", "breast", 200, None),
            ("T3", "breast", 90, 80.0), ("T2", "primary", 120, 80.0), ("T2", "secondary", 80, 80.0)]
    hidden = hidden_rows(suppress_experience(scores_frame(rows), small_config(False)))
    assert hidden & {("T2", "primary"), ("T2", "secondary")}, "k(T2 breast) = k(primary) + k(secondary)"
    assert hidden & {("A", "breast"), ("T1", "breast"), ("T3", "breast")}, "k(T2 breast) = k(A) - k(T1) - k(T3)"
    assert ("T2", "breast") not in hidden   # its n stays published: only the publisher's figure is missing


def test_a_hidden_count_is_not_narrowed_by_two_sums_at_once():
    """Breast's 8 negative answers are primary + secondary (both hidden). The alliance's secondary group has
    4 negative answers in all, so this trust's secondary has at most 4, and its primary at least 8 - 4 = 4:
    between 4 and 8. Another part must be hidden in one of the sums."""
    from build_data.narrowing import guard_narrowing
    rest = {("T1", "breast"): 8, ("T1", "primary"): 5, ("T1", "secondary"): 3,
            ("A", "secondary"): 12, ("T2", "secondary"): 1, ("T3", "secondary"): 8}
    relations = [Relation(("T1", "breast"), (("T1", "primary"), ("T1", "secondary")), True),
                 Relation(("A", "secondary"), (("T1", "secondary"), ("T2", "secondary"), ("T3", "secondary")), True)]
    start = {("T1", "primary"), ("T1", "secondary"), ("T2", "secondary")}   # T3 shown: the others have 4
    assert find_hidden(rest, start, relations, THRESHOLD, small_sums=False) == start   # no single sum solves it
    assert guard_narrowing(rest, start, relations, THRESHOLD) == start | {("T3", "secondary")}
    rest[("T3", "secondary")] = 0   # nothing to loosen the alliance's sum with: the trust's breast total goes
    rest[("A", "secondary")] = 4
    assert guard_narrowing(rest, start, relations, THRESHOLD) == start | {("T1", "breast")}


def test_respondents_are_not_capped_by_positive_answers_plus_the_rest():
    """T1's secondary group: the alliance's secondary group has 4 positive answers in all (so T1's has at most
    4) and T1's breast group has 5 others (so at most 5): n = k + (n - k) is at most 9. Hide more."""
    from build_data.narrowing import guard_both_layers, guard_narrowing
    A, T1, T2 = ("A", "secondary"), ("T1", "secondary"), ("T2", "secondary")
    breast, primary = ("T1", "breast"), ("T1", "primary")
    positive = {A: 4, T1: 3, T2: 1, breast: 10, primary: 7}
    rest = {A: 17, T1: 3, T2: 14, breast: 5, primary: 2}
    relations = [Relation(A, (T1, T2), True), Relation(breast, (primary, T1), True)]
    start = {primary, T1, T2}
    assert guard_narrowing(positive, start, relations, THRESHOLD) == start   # each layer alone is fine
    assert guard_both_layers(positive, rest, start, set(), relations, THRESHOLD) == start | {A}
