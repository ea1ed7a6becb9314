"""frequency_disclosure.protect_question: small answers hidden with complements within a question, across groups
and places; checked against leak_check.determined, which solves every equation at once, over the equations
frequency_systems.question_systems builds (as leak_check.frequency_leaks does) and, the same, over those of the
reference (tests/frequency_reference.py)."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from build_data.disclosure import Relation, find_hidden
from build_data.frequency_disclosure import protect_question
from build_data.frequency_systems import question_systems
from build_data.leak_check import determined, determined_numbers

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from frequency_reference import frequency_equations  # noqa: E402

THRESHOLD = 10
OPTIONS = {"very_easy": True, "quite_easy": True, "quite_difficult": False, "very_difficult": False}
CONTACT_EASE = {"measure": "percent_positive",
                "response_options": [{"id": o, "label": o, "is_positive": p} for o, p in OPTIONS.items()]}
YES_NO = {"measure": "percent_positive", "response_options": [{"id": "yes", "label": "Yes", "is_positive": True},
                                                              {"id": "no", "label": "No"}]}
RATING = {"measure": "mean_0_10", "response_options": [{"id": f"r{i}", "label": str(i), "rating": i} for i in range(11)]}
BREAST = [("breast", ("breast_primary", "breast_secondary"), True)]


def cells(counts: dict) -> list[tuple]:
    """{(geography, cohort): {option: count}} in, protect_question's (geography, cohort, option, count) rows out."""
    return [(g, c, o, n) for (g, c), options in counts.items() for o, n in options.items()]


def scored(counts: dict, hidden=(), unscored=()) -> dict:
    """Each key's scores row: its n, whether its score is shown, whether it is suppressed."""
    return {k: (sum(n for n in v.values() if n is not None), k not in hidden and k not in unscored, k in hidden)
            for k, v in counts.items()}


def protect(counts, spec, hidden=(), unscored=(), cohort_rels=(), geo_children=None) -> set:
    """The answers hidden (the totals they add up to, hidden with a suppressed scores row, left out)."""
    found, escalate = protect_question(cells(counts), scored(counts, hidden, unscored), spec, THRESHOLD,
                                       list(cohort_rels), geo_children or {})
    assert not escalate
    return {cell for cell in found if not cell[2].startswith("#")}


def places(children: dict) -> pd.DataFrame:
    rows = [(g, parent) for parent, kids in children.items() for g in kids] + [(p, "") for p in children]
    return pd.DataFrame([{"geography_code": g, "parent_code": p, "valid_from": "2021", "valid_to": ""} for g, p in rows],
                        columns=["geography_code", "parent_code", "valid_from", "valid_to"])


def recoverable(counts: dict, hidden: set, spec: dict, scores_hidden=(), unscored=(), children=None) -> set:
    """What leak_check can work out from the counts as they would be published: the answers question_systems'
    equations pin down, which must be the ones the reference's equations pin down."""
    is_mean = spec["measure"] == "mean_0_10"
    rows = [{"geography_code": g, "cohort_id": c, "option_id": o, "n_respondents": "[c]" if (g, c, o) in hidden else str(n)}
            for g, c, o, n in cells(counts)]
    score_rows = [{"geography_code": g, "cohort_id": c, "n_respondents": "[c]" if (g, c) in scores_hidden else str(n),
                   "value": "[c]" if (g, c) in scores_hidden else ("[x]" if (g, c) in unscored else "1.0")}
                  for (g, c), (n, _, _) in scored(counts).items()]
    parts, geographies = {"breast": ["breast_primary", "breast_secondary"]}, places(children or {})
    weights = {o["id"]: (o.get("rating", 0) if is_mean else int(o.get("is_positive", False)))
               for o in spec["response_options"]}
    published, eqs = frequency_equations(pd.DataFrame(score_rows), pd.DataFrame(rows), weights, geographies, 2024, parts)
    unknown = [{k: v for k, v in eq.items() if published.get(k) in ("[c]", "[x]")} for eq in eqs]
    expected = {(g, c, o) for o, g, c in determined([u for u in unknown if u]) if not o.startswith("#")}
    question = {"release_id": "r-2024", "survey_year": "2024", "question_id": "q"}
    options = pd.DataFrame([{"question_id": "q", "option_id": o["id"], "is_positive": "true" if o.get("is_positive")
                             else "false", "rating": str(o.get("rating", ""))} for o in spec["response_options"]])
    (key, _, size, cell, system), = question_systems(
        pd.DataFrame([{**question, "measure": spec["measure"], **row} for row in score_rows]),
        pd.DataFrame([{**question, **row, "percent": ""} for row in rows]), options, geographies, parts)
    found = {(g, c, o) for o, g, c, _ in map(cell, determined_numbers(system, size)) if not o.startswith("#")}
    assert found == expected
    return found


def test_small_answer_hidden_with_a_partner_in_its_own_group():
    counts = {("T1", "all"): {"very_easy": 50, "quite_easy": 30, "quite_difficult": 15, "very_difficult": 3}}
    hidden = protect(counts, CONTACT_EASE)
    # 3 alone would be n - k - 15; the positive answers are untouched (their total, k, is the published score).
    assert hidden == {("T1", "all", "very_difficult"), ("T1", "all", "quite_difficult")}
    assert recoverable(counts, hidden, CONTACT_EASE) == set()
    assert recoverable(counts, {("T1", "all", "very_difficult"), ("T1", "all", "quite_easy")},
                       CONTACT_EASE) == {("T1", "all", "very_difficult"), ("T1", "all", "quite_easy")}


def test_zero_is_not_disclosive():
    counts = {("T1", "all"): {"very_easy": 50, "quite_easy": 35, "quite_difficult": 15, "very_difficult": 0}}
    assert protect(counts, CONTACT_EASE) == set()


def test_an_answer_that_is_already_published_stays_shown():
    """A Yes/No question's No is n minus score x n: hiding 4 would protect nothing."""
    counts = {("T1", "all"): {"yes": 60, "no": 4}}
    assert protect(counts, YES_NO) == set()
    # Where the score was withheld, No is not public: it is hidden, with Yes as its complement.
    assert protect(counts, YES_NO, unscored=[("T1", "all")]) == {("T1", "all", "yes"), ("T1", "all", "no")}


def test_every_answer_of_a_suppressed_scores_row_is_hidden():
    counts = {("T1", "breast_secondary"): {"yes": 5, "no": 1}}
    assert protect(counts, YES_NO, hidden=[("T1", "breast_secondary")]) == {
        ("T1", "breast_secondary", "yes"), ("T1", "breast_secondary", "no")}


def test_complements_across_cohorts():
    """Hidden in secondary breast cancer, an answer of breast = primary + secondary needs a partner in primary."""
    counts = {("T1", "breast"): {"very_easy": 60, "quite_easy": 40, "quite_difficult": 30, "very_difficult": 20},
              ("T1", "breast_primary"): {"very_easy": 45, "quite_easy": 30, "quite_difficult": 22, "very_difficult": 16},
              ("T1", "breast_secondary"): {"very_easy": 15, "quite_easy": 10, "quite_difficult": 8, "very_difficult": 4}}
    hidden = protect(counts, CONTACT_EASE, cohort_rels=BREAST)
    assert {("T1", "breast_secondary", "very_difficult"), ("T1", "breast_secondary", "quite_difficult"),
            ("T1", "breast_primary", "very_difficult"), ("T1", "breast_primary", "quite_difficult")} <= hidden
    assert recoverable(counts, hidden, CONTACT_EASE) == set()


def test_complements_across_places():
    """Hidden in one trust, an answer of an alliance = its trusts needs a partner in another trust, and that
    trust then needs a partner within its own question."""
    counts = {("A1", "all"): {"very_easy": 90, "quite_easy": 60, "quite_difficult": 50, "very_difficult": 33},
              ("T1", "all"): {"very_easy": 30, "quite_easy": 20, "quite_difficult": 15, "very_difficult": 3},
              ("T2", "all"): {"very_easy": 30, "quite_easy": 20, "quite_difficult": 15, "very_difficult": 12},
              ("T3", "all"): {"very_easy": 30, "quite_easy": 20, "quite_difficult": 20, "very_difficult": 18}}
    children = {"A1": ("T1", "T2", "T3")}
    hidden = protect(counts, CONTACT_EASE, geo_children=children)
    assert hidden == {("T1", "all", "very_difficult"), ("T1", "all", "quite_difficult"),
                      ("T2", "all", "very_difficult"), ("T2", "all", "quite_difficult")}
    assert recoverable(counts, hidden, CONTACT_EASE, children=children) == set()
    assert recoverable(counts, {("T1", "all", "very_difficult"), ("T1", "all", "quite_difficult")}, CONTACT_EASE,
                       children=children) == {("T1", "all", "very_difficult"), ("T1", "all", "quite_difficult")}


def test_a_rating_needs_three_hidden_answers():
    """n and the published mean are two equations: two hidden ratings could be solved from them."""
    ratings = {"r10": 30, "r9": 20, "r8": 15, "r7": 12, "r6": 6}
    counts = {("T1", "all"): {f"r{i}": 0 for i in range(6)} | ratings}
    hidden = protect(counts, RATING)
    assert len(hidden) >= 3 and ("T1", "all", "r6") in hidden
    assert recoverable(counts, hidden, RATING) == set()
    assert recoverable(counts, {("T1", "all", "r6"), ("T1", "all", "r7")}, RATING) == {
        ("T1", "all", "r6"), ("T1", "all", "r7")}


def test_determined_solves_every_equation_at_once():
    # a + b = known and a + 2b = known: neither is found by one subtraction, both by two equations.
    assert determined([{"a": 1, "b": 1}, {"a": 1, "b": 2}]) == {"a", "b"}
    assert determined([{"a": 1, "b": 1, "c": 1}, {"a": 1, "b": 2, "c": 3}]) == set()
    assert determined([{"a": 1, "b": -1}, {"b": 1, "c": -1}, {"c": 1}]) == {"a", "b", "c"}


def test_find_hidden_never_picks_a_frozen_cell():
    counts = {"total": 100, "a": 5, "b": 40, "c": 55}
    relation = [Relation("total", ("a", "b", "c"), True)]
    assert find_hidden(counts, {"a"}, relation, THRESHOLD, frozenset({"b"})) == {"a", "c"}
    assert find_hidden(counts, {"a"}, relation, THRESHOLD, frozenset({"b", "c", "total"})) == {"a"}


def test_a_shown_zero_pins_its_parts_and_their_partners_are_protected():
    """Breast: nobody answered No. So No is 0 for primary and for secondary, and secondary's other hidden
    answer (2 of its 10) would be worked out: 10 - 8 - 0. Something more must be hidden."""
    counts = {("T", "breast"): {"yes": 51, "some": 16, "no": 0},
              ("T", "breast_primary"): {"yes": 43, "some": 14, "no": 0},
              ("T", "breast_secondary"): {"yes": 8, "some": 2, "no": 0}}
    spec = {"measure": "percent_positive", "response_options": [{"id": "yes", "label": "Yes", "is_positive": True},
                                                                {"id": "some", "label": "Some"}, {"id": "no", "label": "No"}]}
    hidden = protect(counts, spec, cohort_rels=BREAST)
    assert {("T", "breast_secondary", "some"), ("T", "breast_secondary", "no")} <= hidden
    # The old check solved equations only: breast's shown 0 left secondary's 2 recoverable.
    assert ("T", "breast", "no") in hidden and ("T", "breast", "some") in hidden
