"""Tidy results in, the same results with small counts and their complements suppressed out.

Primary suppression hides every count below the release's threshold, including the counts a
published score gives away (score x respondents). Complementary suppression
then hides more cells wherever a hidden count could be recovered by subtraction: a total that is
the sum of published parts (breast = primary + secondary; an alliance = its trusts; England =
its alliances), or a total with an unpublished remainder (all cancers minus breast).
"""
from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

import numpy as np
import pandas as pd

from .narrowing import guard_both_layers, guard_narrowing
from .relation_arrays import NONE, RelationArrays, as_arrays, rank_cells, smallest

SUPPRESSED = "suppressed"


class Relation(NamedTuple):
    """A sum of cells. A named tuple, not a dataclass: a national build makes about a million of them, and a
    tuple is made several times faster."""
    parent: tuple
    children: tuple
    is_complete: bool   # True: children add up to the parent exactly; False: a remainder is unpublished
    min_hidden: int = 2  # fewer hidden cells than this (but some) can be solved: 3 where a published mean
                         # gives a second equation over the same children


def find_hidden(counts, hidden: set, relations, threshold: int,
                frozen: frozenset = frozenset(), at_least_one: bool = False, stuck: set | None = None,
                small_sums: bool = True) -> set:
    """Grow the hidden set until no hidden count (nor a small remainder) can be found by subtraction.

    frozen cells are never hidden to protect another: they are published elsewhere already (a
    response frequencies total is the scores file's n). A relation at risk with nothing left to hide
    puts its hidden cells in stuck (if given): the caller must hide more elsewhere (the scores row).
    at_least_one: every hidden count is at least 1 (a published row has respondents), so each of h
    hidden parts of a shown total T is at most T - (h - 1): that must not fall below the threshold.
    small_sums False: hidden parts that may each be 0 and add up to a small total are not at risk (none is
    narrowed to between 1 and threshold - 1); only a part that could be worked out exactly is.
    relations may be given as RelationArrays, and counts as their values(counts), when reused: converted once.
    """
    arrays = as_arrays(relations)
    present, value = arrays.values(counts)
    is_hidden, is_frozen = arrays.mask(hidden), arrays.mask(frozen)
    was_hidden = is_hidden.copy()
    order, rank = rank_cells(value, zero_last=True)   # a sum's shown parts, zeros last, smallest first
    size = len(arrays)
    at_risk, pick, n_hidden = np.zeros(size, dtype=bool), np.full(size, NONE), np.zeros(size, dtype=np.int64)

    def judge(rels: np.ndarray) -> None:
        """Whether each of rels is at risk, and the cell it would hide, from which of its cells are hidden now."""
        entries, local = arrays.entries(rels)
        child, parent = arrays.child[entries], arrays.parent[rels]
        child_present, child_hidden = present[child], is_hidden[child]
        count = np.bincount(local, weights=child_present & child_hidden, minlength=len(rels)).astype(np.int64) \
            + is_hidden[parent]
        shown = child_present & ~child_hidden
        hidden_total = value[parent] - np.bincount(local, weights=np.where(shown, value[child], 0),
                                                   minlength=len(rels)).astype(np.int64)
        largest = hidden_total - (count - 1 if at_least_one else 0)   # the most one hidden part can be
        complete = ((0 < count) & (count < arrays.min_hidden[rels])) | (
            small_sums & ~is_hidden[parent] & (count > 1) & (0 < hidden_total) & (largest < threshold))
        remainder = (count == 0) & (0 < hidden_total) & (hidden_total < threshold)
        at_risk[rels] = present[parent] & np.where(arrays.complete[rels], complete, remainder)
        chosen = smallest(local, child, shown & ~is_frozen[child], rank, order, len(rels))
        pick[rels] = np.where((chosen == NONE) & ~is_frozen[parent], parent, chosen)
        n_hidden[rels] = count

    child_of, start, parent_of, complete_of, min_hidden_of = arrays.lists()
    present_of, value_of, rank_of, frozen_of = present.tolist(), value.tolist(), rank.tolist(), is_frozen.tolist()
    hidden_of, unranked = is_hidden.tolist(), len(rank_of)

    def judge_few(rels: list) -> None:
        """judge, one relation at a time in plain Python: the same verdicts, faster for the few sums a cell is in."""
        for r in rels:
            p = parent_of[r]
            count, shown_total, best, chosen = int(hidden_of[p]), 0, unranked, NONE
            for c in child_of[start[r]:start[r + 1]]:
                if present_of[c]:
                    if hidden_of[c]:
                        count += 1
                    else:
                        shown_total += value_of[c]
                        if not frozen_of[c] and rank_of[c] < best:
                            best, chosen = rank_of[c], c
            hidden_total = value_of[p] - shown_total
            if complete_of[r]:
                largest = hidden_total - (count - 1 if at_least_one else 0)
                risk = 0 < count < min_hidden_of[r] or (small_sums and not hidden_of[p] and count > 1 and
                                                         0 < hidden_total and largest < threshold)
            else:
                risk = count == 0 and 0 < hidden_total < threshold
            at_risk[r] = risk = present_of[p] and risk
            pick[r] = chosen = p if chosen == NONE and not frozen_of[p] else chosen
            n_hidden[r] = count
            acting[r] = risk and chosen != NONE and not hidden_of[chosen]

    # Passes over the relations in order, each hiding the pick of any at risk, until a pass changes nothing:
    # the next relation to act is the first at risk, after the last one that acted, whose pick is still shown.
    # Hiding a cell changes only the verdicts of the relations it is in (a relation's pick is one of its own
    # cells), so which relations act is kept up to date there, not worked out again for them all.
    judge(np.arange(size))
    acting = at_risk & (pick != NONE) & ~is_hidden[np.maximum(pick, 0)]
    position = 0
    while True:
        i = position + int(acting[position:].argmax()) if position < size else size   # argmax: the first True
        if i < size and acting[i]:
            cell = int(pick[i])
            is_hidden[cell] = hidden_of[cell] = True
            judge_few(arrays.relations_of(cell).tolist())
            position = i + 1
        elif position == 0:
            break
        else:
            position = 0
    if stuck is not None:   # at risk with nothing left to hide: exactly recoverable
        for i in np.flatnonzero(at_risk & (pick == NONE) & (n_hidden < arrays.min_hidden)):
            cells = np.concatenate([[arrays.parent[i]], arrays.children_of(i)])
            stuck.update(arrays.cells[c] for c in cells[is_hidden[cells]])
    return set(hidden).union(map(arrays.cells.__getitem__, np.flatnonzero(is_hidden & ~was_hidden).tolist()))


def cohort_relations(cohorts: dict, geographies) -> list[tuple]:
    """(parent cohort, children, is_complete) from cohorts.yml."""
    out = []
    for cid, c in cohorts.items():
        if c.get("parts"):
            out.append((cid, tuple(c["parts"]), True))
        if c.get("includes"):
            out.append((cid, tuple(c["includes"]), False))
    return out


def geography_children(geographies: pd.DataFrame, year: int) -> dict[str, tuple]:
    valid = geographies[(geographies["valid_from"].astype(int) <= year) &
                        ((geographies["valid_to"] == "") | (geographies["valid_to"].replace("", "0").astype(int) >= year))]
    children = defaultdict(list)
    for code, parent in zip(valid["geography_code"], valid["parent_code"]):
        if parent:
            children[parent].append(code)
    return {p: tuple(sorted(c)) for p, c in children.items()}


def build_relations(geos: list[str], cohorts: list[str], cohort_rels, geo_children) -> list[Relation]:
    rels = []
    for g in geos:
        for parent, parts, complete in cohort_rels:
            rels.append(Relation((g, parent), tuple((g, p) for p in parts), complete))
    for c in cohorts:
        for parent, kids in geo_children.items():
            rels.append(Relation((parent, c), tuple((k, c) for k in kids), True))
    return rels


def hide_cells(frame: pd.DataFrame, mask: pd.Series, columns: list[str]) -> pd.DataFrame:
    frame = frame.copy()
    for col in columns:
        frame[col] = frame[col].mask(mask)
    frame.loc[mask, "status"] = SUPPRESSED
    return frame


class ScoreColumns(NamedTuple):
    """What suppression reads of experience_results, per row, worked out once for the whole table (not per
    release and question): slicing these by a group's rows is far cheaper than pandas work on each group."""
    keys: np.ndarray        # (geography, cohort), an object array of tuples
    geography: np.ndarray
    cohort: np.ndarray
    has_n: np.ndarray       # n_respondents given
    n: np.ndarray           # n_respondents, 0 where not given
    has_k: np.ndarray       # a percentage score with n: its implied counts are known
    k: np.ndarray           # positive answers, score x n (0 where not known)
    is_percent: np.ndarray  # the row's measure is a percentage score


def implied_counts(results: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Rows in; which rows imply a count, and the positive answers k (score x n, as an attacker would work it
    out from the published score and n) out; the rest is n - k. Only rows with both a percentage score and n
    imply counts: a mean rating gives away no count."""
    has_k = (results["n_respondents"].notna() & results["value"].notna() &
             (results["measure"] == "percent_positive")).to_numpy(dtype=bool)
    n = results["n_respondents"][has_k].astype(int).to_numpy()
    k = np.zeros(len(results), dtype=np.int64)
    k[has_k] = (results["value"][has_k].astype(float).to_numpy() * n / 100).round().astype(int)
    return has_k, k


def score_columns(results: pd.DataFrame) -> ScoreColumns:
    geography = results["geography_code"].to_numpy(dtype=object)
    cohort = results["cohort_id"].to_numpy(dtype=object)
    keys = np.fromiter(zip(geography.tolist(), cohort.tolist()), dtype=object, count=len(results))
    has_n = results["n_respondents"].notna().to_numpy(dtype=bool)
    n = np.zeros(len(results), dtype=np.int64)
    n[has_n] = results["n_respondents"][has_n].astype(int).to_numpy()
    has_k, k = implied_counts(results)
    return ScoreColumns(keys, geography, cohort, has_n, n, has_k, k,
                        (results["measure"] == "percent_positive").to_numpy(dtype=bool))


def by_release_question(rows: frozenset) -> dict[tuple, set]:
    """(release, question, geography, cohort) rows in; {(release, question): {(geography, cohort)}} out."""
    out = defaultdict(set)
    for release_id, question, geography, cohort in rows:
        out[release_id, question].add((geography, cohort))
    return out


def is_small(count: int, threshold: int) -> bool:
    return 0 < count < threshold


def withheld_scores(counts: dict, positive: dict, is_percent: bool) -> set:
    """Rows with respondents but no score (the publisher withheld it, [x]): their k is an unknown that
    must not be worked out, like a suppressed one, so every sum through them keeps its equation."""
    return {key for key in counts if key not in positive} if is_percent else set()


def policy_of(config) -> dict:
    return {r.id: r.policy for r in config.releases}


def suppress_experience(results: pd.DataFrame, config, also_hide: frozenset = frozenset()) -> pd.DataFrame:
    """Primary and complementary suppression of experience_results, per release and question.

    Primary, by the release's disclosure policy: fewer respondents than its minimum, and, only if the
    policy protects counts implied by a shown score, a score whose positive answers k = score x n, or the
    rest n - k, are above 0 and below it. also_hide: (release, question, geography, cohort) rows that the
    response frequencies' protection needs hidden. Complementary: until nothing changes, whatever lets a
    hidden n, k or n - k (or a withheld score's k) be found by subtraction across groups and places, or
    narrowed below the minimum (each published row has at least one respondent).
    """
    policies = policy_of(config)
    cohort_rels = cohort_relations(config.cohorts, config.geographies)
    table, extra = score_columns(results), by_release_question(also_hide)
    hidden_rows, children, relations = np.zeros(len(results), dtype=bool), {}, {}
    groups = results.groupby(["release_id", "survey_year", "question_id"], sort=False).indices
    for (release_id, year, q), rows in groups.items():
        policy = policies[release_id]
        threshold = policy.min_respondents
        keys, has_n, has_k = table.keys[rows], table.has_n[rows], table.has_k[rows]
        counts = dict(zip(keys[has_n].tolist(), table.n[rows][has_n].tolist()))
        scored, positives = keys[has_k].tolist(), table.k[rows][has_k]
        positive = dict(zip(scored, positives.tolist()))
        rest = dict(zip(scored, (table.n[rows][has_k] - positives).tolist()))
        withheld = withheld_scores(counts, positive, table.is_percent[rows].all())
        positive.update(dict.fromkeys(withheld, 0))
        rest.update(dict.fromkeys(withheld, 0))
        hidden = {k for k, n in counts.items() if n < threshold}
        hidden |= extra.get((release_id, q), set())
        if policy.protect_implied_counts:
            hidden |= {k for k in positive if k not in withheld and
                       (is_small(positive[k], threshold) or is_small(rest[k], threshold))}
        if year not in children:
            children[year] = geography_children(config.geographies, int(year))
        # the sums of a release's places and groups: the same for most of its questions, so made once for them
        shape = (year, tuple(sorted(set(table.geography[rows].tolist()))), tuple(sorted(set(table.cohort[rows].tolist()))))
        if shape not in relations:
            relations[shape] = RelationArrays(build_relations(list(shape[1]), list(shape[2]), cohort_rels, children[year]))
        rels = relations[shape]
        n, k, n_less_k = (rels.values(layer) for layer in (counts, positive, rest))   # converted once per group
        while True:
            before = len(hidden)
            hidden = find_hidden(n, hidden, rels, threshold, at_least_one=True)
            for implied in (k, n_less_k):
                grown = find_hidden(implied, hidden | withheld, rels, threshold, small_sums=policy.protect_implied_counts)
                hidden |= guard_narrowing(implied, grown, rels, threshold) - withheld
            hidden = guard_both_layers(k, n_less_k, hidden, withheld - hidden, rels, threshold)
            if len(hidden) == before:
                break
        hidden_rows[rows] = np.fromiter(map(hidden.__contains__, keys.tolist()), dtype=bool, count=len(rows))
    hidden_rows = pd.Series(hidden_rows, index=results.index)
    return hide_cells(results, hidden_rows, ["n_respondents", "value", "ci_lower", "ci_upper"])


def suppress_audit(results: pd.DataFrame, config) -> pd.DataFrame:
    """Hide small numerators, small complements (denominator - numerator) and small denominators."""
    thresholds = {r.id: r.suppression_threshold for r in config.releases}
    t = results["release_id"].map(thresholds)
    num, den = results["numerator"], results["denominator"]
    small_den = den < t
    small_num = ((num > 0) & (num < t)) | (((den - num) > 0) & ((den - num) < t))
    hidden = pd.Series(False, index=results.index)
    for (release_id, period, _i), group in results.groupby(["release_id", "period", "indicator_id"], sort=False):
        threshold = thresholds[release_id]
        keys = list(zip(group["geography_code"], ["all"] * len(group)))
        counts = dict(zip(keys, group["numerator"].fillna(0).astype(int)))
        start = {k for k, is_small in zip(keys, (small_num | small_den).loc[group.index]) if is_small}
        rels = build_relations([], ["all"], [], geography_children(config.geographies, int(period)))
        found = find_hidden(counts, start, rels, threshold)
        hidden.loc[group.index] = [k in found for k in keys]
    out = hide_cells(results, hidden.fillna(False).astype(bool), ["numerator", "value", "ci_lower", "ci_upper"])
    out["denominator"] = out["denominator"].mask(small_den.fillna(False).astype(bool))
    return out
