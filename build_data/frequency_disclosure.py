"""Tidy response frequencies and the scores (before and after their suppression) in, the frequencies with
small counts and everything that would give them away suppressed out.

Per release and question, the cells are the option counts of every place and group, and the totals an
attacker can subtract them from, all published in experience_results: the respondents n, or, where the
score is shown, the positive answers k (score x n) and the rest n - k. The relations are: a total's
options add up to it (a published mean rating adds a second equation over the same options, so three
hidden ratings are needed where two hidden counts would do), and, within one option, groups and places
add up as they do for the scores (disclosure.build_relations).

Hidden from the start: every option of a suppressed scores row, and every option count from 1 to the
threshold less one. (A one-option total, such as a Yes/No question's No = n - k, is never small on a
shown scores row: disclosure.suppress_experience hides a score whose k or n - k is small.) A count of 0
is not disclosive and stays shown. The totals of shown scores rows, and one-option totals, are frozen:
they are published in experience_results, so they are never hidden to protect something else.
"""
from __future__ import annotations

import itertools
from collections import defaultdict
from operator import add

import numpy as np
import pandas as pd

from .disclosure import (Relation, build_relations, cohort_relations, find_hidden, geography_children, hide_cells,
                         suppress_experience)
from .errors import SuppressionLeak
from .leak_check import PRIME, determined_numbers
from .relation_arrays import RelationArrays, as_arrays


def option_groups(options: list[dict], measure: str, is_scored: bool) -> dict[str, list[str]]:
    """A question's options in, the published totals they add up to out, named for the option slot of a total's
    cell: (geography, cohort, "#all")."""
    if measure == "percent_positive" and is_scored:
        return {"#positive": [o["id"] for o in options if o.get("is_positive")],
                "#other": [o["id"] for o in options if not o.get("is_positive")]}
    return {"#all": [o["id"] for o in options]}


def key_cells(key: tuple, given: dict, score: tuple, groups: dict, is_mean: bool, threshold: int,
              protect_answers: bool = True):
    """One place and group's option counts (None where withheld) and its scores row in; its cells,
    start-hidden, frozen and total relations out. A withheld count is a hidden cell of unknown size
    (0 stands in: hidden cells are never summed)."""
    n, is_scored, is_hidden = score
    counts = {key + (o,): c or 0 for o, c in given.items()}
    hidden = {key + (o,) for o, c in given.items() if is_hidden or c is None}
    frozen, relations = set(), []
    is_complete = None not in given.values()
    for name, members in groups.items():
        present = [key + (o,) for o in members if o in given]
        total = sum(counts[c] for c in present) if is_complete else n
        if not present or total is None:
            continue
        counts[key + (name,)] = total
        (hidden if is_hidden else frozen).add(key + (name,))
        if len(present) == 1 and not is_hidden:
            frozen.update(present)
        relations.append(Relation(key + (name,), tuple(present), True, 3 if is_mean and is_scored else 2))
    if not is_hidden and protect_answers:
        hidden |= {key + (o,) for o, c in given.items() if c and c < threshold and key + (o,) not in frozen}
    return counts, hidden, frozen, relations


def protect_question(cells: list[tuple], scores: dict, spec: dict, threshold: int, cohort_rels, geo_children,
                     protect_answers: bool = True) -> tuple[set, set]:
    """One release and question's (geography, cohort, option, count) in; the (geography, cohort, option) cells
    to hide, and the (geography, cohort) scores rows that must be suppressed because a hidden count could
    still be worked out with nothing left to hide around it (its total is published with the score), out."""
    given = defaultdict(dict)
    for g, c, o, n in cells:
        given[(g, c)][o] = n
    counts, hidden, frozen, relations = {}, set(), set(), []
    is_mean = spec["measure"] == "mean_0_10"
    for key, options in given.items():
        score = scores[key]
        groups = option_groups(spec["response_options"], spec["measure"], score[1])
        key_counts, key_hidden, key_frozen, key_relations = key_cells(key, options, score, groups, is_mean, threshold,
                                                                         protect_answers)
        counts.update(key_counts)
        hidden |= key_hidden
        frozen |= key_frozen
        relations += key_relations
    geos, cohorts = sorted({g for g, _ in given}), sorted({c for _, c in given})
    options = sorted({o for key_options in given.values() for o in key_options})   # sorted: a set's order varies
    suffixes = [(o,) for o in options]
    for rel in build_relations(geos, cohorts, cohort_rels, geo_children):   # map(add, ...): no Python frame per cell
        relations += [Relation(rel.parent + o, tuple(map(add, rel.children, itertools.repeat(o, len(rel.children)))),
                               rel.is_complete) for o in suffixes]
    ratings = {o["id"]: int(o["rating"]) for o in spec["response_options"] if o.get("rating") is not None} \
        if is_mean else {}
    rated = [key for key, score in scores.items() if key in given and ratings and score[1] and not score[2]]
    frozen = frozenset(frozen)
    relations = RelationArrays(relations)   # numbered once, used by every find_hidden below
    cell_counts = relations.values(counts)   # as arrays, once, for solvable_cells (find_hidden is given the dict:
    stuck = set()                            # a test wraps it to read counts by cell)
    hidden = find_hidden(counts, hidden, relations, threshold, frozen, stuck=stuck)
    for _ in range(MAX_ROUNDS):
        solvable = solvable_cells(hidden, relations, rated, ratings, given, counts, cell_counts)
        if not solvable:
            return hidden, {c[:2] for c in stuck if c[:2] in scores and not scores[c[:2]][2]}
        grown = hide_one_more(solvable, counts, hidden, relations, frozen)
        if grown == hidden:
            escalate = {c[:2] for c in solvable if not scores[c[:2]][2]}
            if escalate:
                return hidden, escalate
            break
        hidden = find_hidden(counts, grown, relations, threshold, frozen, stuck=stuck)
    raise SuppressionLeak(f"{len(solvable)} hidden response counts could still be recovered by subtraction, e.g. "
                          f"{sorted(solvable)[0]}, and nothing is left to hide around them.",
                          fix="This is a bug in build_data/disclosure.py or frequency_disclosure.py: report it; do not publish.")


MAX_ROUNDS = 50


def solvable_cells(hidden: set, relations, rated: list, ratings: dict, given: dict,
                   counts: dict | None = None, cell_counts=None) -> set:
    """Hidden cells that the published cells pin down, all equations taken together (local checks miss
    chains: a cell hidden with one other in each of two sums can be solved when that other is solvable).
    A shown total of 0 pins each of its hidden parts to 0 too (no count is negative); a count worked out
    as 0 gives nobody away, so it is not reported. cell_counts: the relations' values(counts), if worked out already.

    The unknowns go to leak_check.determined_numbers already numbered (the hidden cells 0, 1, ... in the
    relations' order, then any cell in no relation): the same equations as over the cells themselves, so the
    same cells are found, without numbering them again."""
    counts = counts or {}
    arrays = as_arrays(relations)
    present, value = arrays.values(counts if cell_counts is None else cell_counts)
    is_hidden, cells, parent = arrays.mask(hidden), arrays.cells, arrays.parent
    hidden_part = np.flatnonzero(is_hidden[arrays.child] & arrays.complete[arrays.owner])
    owner, child = arrays.owner[hidden_part], arrays.child[hidden_part]
    zero_total = arrays.complete & ~is_hidden[parent] & present[parent] & (value[parent] == 0)
    # the unknowns numbered for determined_numbers: the hidden cells in the relations first, then any other
    numbered = np.full(len(cells), -1, dtype=np.int64)
    in_relations = np.flatnonzero(is_hidden)
    numbered[in_relations] = np.arange(len(in_relations))
    names, minus_one = [cells[i] for i in in_relations.tolist()], PRIME - 1
    eqs = [{c: 1} for c in numbered[child[zero_total[owner]]].tolist()]
    hidden_totals = np.flatnonzero(arrays.complete & is_hidden[parent])
    by_sum = {r: {p: 1} for r, p in zip(hidden_totals.tolist(), numbered[parent[hidden_totals]].tolist())}
    for r, c in zip(owner.tolist(), numbered[child].tolist()):   # each sum's total first, its hidden parts after
        by_sum.setdefault(r, {})[c] = minus_one
    eqs += by_sum.values()
    number, others = arrays.number, {}
    for key in rated:   # a shown mean rating: sum of rating x count over the options is n x mean
        eq = {}
        for o, r in ratings.items():
            cell = key + (o,)
            if r % PRIME and o in given[key] and cell in hidden:
                u = numbered[number[cell]] if cell in number else others.setdefault(cell, len(names) + len(others))
                eq[u] = r % PRIME
        if eq:
            eqs.append(eq)
    names += others
    found = {names[u] for u in determined_numbers(eqs, len(names))} & hidden if eqs else set()
    # A count the publisher withheld ([x]) is an unknown, but not ours to protect.
    return {c for c in found if not (c[:2] in given and given[c[:2]].get(c[2], 0) is None) and counts.get(c) != 0}


def hide_one_more(solvable: set, counts: dict, hidden: set, relations, frozen: frozenset) -> set:
    """For each solvable cell, hide the smallest shown, unfrozen cell of a sum it is in."""
    grown = set(hidden)
    arrays = as_arrays(relations)
    for cell in sorted(solvable):
        number = arrays.number.get(cell)
        for i in (() if number is None else dict.fromkeys(arrays.relations_of(number).tolist())):   # in order
            rel = arrays.relations[i]
            members = (rel.parent, *rel.children)
            shown = sorted((counts.get(c, 0) == 0, counts.get(c, 0), c) for c in members
                           if c in counts and c not in grown and c not in frozen)
            if shown:
                grown.add(shown[0][2])
                break
    return grown


def as_list(values: pd.Series) -> list:
    """A column in, a list with None for missing values and plain Python numbers out (fast to loop over)."""
    return values.astype(object).where(values.notna(), None).tolist()


def score_lookup(scores: pd.DataFrame, suppressed: pd.DataFrame) -> dict:
    """{(release, question, geography, cohort): (n, is the score shown, is the row suppressed)}."""
    is_hidden = (suppressed["status"] == "suppressed").to_numpy()
    is_scored = scores["value"].notna().to_numpy() & ~is_hidden
    keys = zip(*(scores[k].tolist() for k in ("release_id", "question_id", "geography_code", "cohort_id")))
    return {k: (n, bool(s), bool(h)) for k, n, s, h in zip(keys, as_list(scores["n_respondents"]), is_scored, is_hidden)}


def protect_results(experience: pd.DataFrame, frequencies: pd.DataFrame, config,
                    suppressed: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tidy experience_results and response_frequencies in, both with disclosure control applied out. A scores
    row whose answers cannot otherwise be protected is suppressed, and both are protected again. suppressed, if
    given, is suppress_experience(experience, config) already worked out (the scores as published on their own):
    the first round starts from it instead of working it out again."""
    also_hide = set()
    for round_number in range(MAX_ROUNDS):
        scores = suppressed if round_number == 0 and suppressed is not None else \
            suppress_experience(experience, config, frozenset(also_hide))
        answers, escalate = suppress_frequencies(frequencies, experience, scores, config)
        if not escalate - also_hide:
            return scores, answers
        also_hide |= escalate
    raise SuppressionLeak(f"{len(also_hide)} scores rows were suppressed to protect answer counts and more are still "
                          "needed.", fix="This is a bug in build_data/frequency_disclosure.py: report it; do not publish.")


def suppress_frequencies(frequencies: pd.DataFrame, scores: pd.DataFrame, suppressed: pd.DataFrame,
                         config) -> tuple[pd.DataFrame, set]:
    """Primary and complementary suppression of response_frequencies, per release and question.

    scores are the tidy experience_results before suppression (their counts), suppressed the same rows
    after it (which are hidden). A withheld count ([x]) stays not_available unless its row is suppressed.
    Out: the protected frequencies, and the (release, question, geography, cohort) scores rows that must be
    suppressed too (see protect_question).
    """
    thresholds = {r.id: r.suppression_threshold for r in config.releases}
    protect_answers = {r.id: r.policy.protect_answer_counts for r in config.releases}
    escalate = set()
    cohort_rels = cohort_relations(config.cohorts, config.geographies)
    lookup = score_lookup(scores, suppressed)
    columns = [frequencies[c].tolist() for c in ("release_id", "survey_year", "question_id", "geography_code",
                                                 "cohort_id", "option_id")] + [as_list(frequencies["n_respondents"])]
    by_question = defaultdict(list)
    for i, (release_id, year, q, g, c, o, n) in enumerate(zip(*columns)):
        by_question[(release_id, year, q)].append((i, g, c, o, n))
    hide = [False] * len(frequencies)
    children = {year: geography_children(config.geographies, int(year)) for year in {y for _, y, _ in by_question}}
    for (release_id, year, q), rows in by_question.items():
        keyed = {(g, c): lookup[(release_id, q, g, c)] for _, g, c, _, _ in rows}
        found, stuck = protect_question([row[1:] for row in rows], keyed, config.questions[q], thresholds[release_id],
                                        cohort_rels, children[year], protect_answers[release_id])
        escalate |= {(release_id, q, g, c) for g, c in stuck}
        for i, g, c, o, n in rows:
            hide[i] = (g, c, o) in found and (n is not None or keyed[(g, c)][2])
    return hide_cells(frequencies, pd.Series(hide, index=frequencies.index), ["n_respondents", "percent"]), escalate
