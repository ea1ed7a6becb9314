"""Made-up (ILLUSTRATIVE) CPES response frequencies, consistent with the scores the generator made.

Each atomic cell of the scores simulation (trust x year x patient group x question) has n people
answering and, for a percentage question, k positive answers. Here the k positive answers are split
among the question's positive options and the n - k others among the rest; the 0-10 rating is spread
over 0..10 so that the ratings add up to the cell's rating total (rounded to a whole number). The
cells are then summed into published cohorts and levels exactly as the scores are, so every
published key's options add up to its respondents and its positive options to its positive count.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

# Publisher labels of each percentage question's options, with each option's share of its group:
# the first list holds the positive answers (they add up to k), the second the others (n - k).
RESPONSE_OPTIONS = {
    "main_contact": ([("Yes", 1.0)], [("No", 1.0)]),
    "contact_ease": ([("Very easy", 0.55), ("Quite easy", 0.45)],
                     [("Quite difficult", 0.7), ("Very difficult", 0.3)]),
    "recurrence_info": ([("Yes, definitely", 1.0)], [("Yes, to some extent", 0.7), ("No", 0.3)]),
    "involved_decisions": ([("Yes, definitely", 1.0)], [("Yes, to some extent", 0.8), ("No", 0.2)]),
    "needs_discussion": ([("Yes", 1.0)], [("No", 1.0)]),
    "side_effects_explained": ([("Yes, definitely", 1.0)], [("Yes, to some extent", 0.75), ("No", 0.25)]),
    "gp_support": ([("Yes, definitely", 1.0)], [("Yes, to some extent", 0.6), ("No", 0.4)]),
    "someone_at_diagnosis": ([("Yes", 1.0)], [("No", 1.0)]),
    "confidence_trust": ([("Yes, in all of the team", 1.0)],
                         [("Yes, in some of the team", 0.85), ("No, in none of the team", 0.15)]),
}
RATING_LABELS = ["0 - Very poor", *(str(i) for i in range(1, 10)), "10 - Very good"]
HEADER = ["Question No.", "Org Code", "Org Level", "Tumour Group", "Response Option", "Count",
          "Percentage (%)"]


def option_labels(question: str, year: int) -> list[str]:
    """The options in publisher order; the 2021 and 2022 files write them in title case."""
    if question in RESPONSE_OPTIONS:
        positive, rest = RESPONSE_OPTIONS[question]
        labels = [label for label, _ in positive + rest]
    else:
        labels = RATING_LABELS
    return [label.title() for label in labels] if year <= 2022 else labels


def split_answers(n: int, k: int, question: str, rng: np.random.Generator) -> np.ndarray:
    """n answers of which k positive in, counts per option (positive options first) out."""
    positive, rest = RESPONSE_OPTIONS[question]
    return np.concatenate([rng.multinomial(k, [share for _, share in positive]),
                           rng.multinomial(n - k, [share for _, share in rest])])


def spread_ratings(n: int, total: float, rng: np.random.Generator) -> np.ndarray:
    """n ratings of 0..10 adding up to round(total): beta-binomial draws, nudged a point at a time."""
    target = int(round(total))
    if n == 0:
        return np.zeros(11, dtype=int)
    p = min(max(target / (10 * n), 0.01), 0.99)
    ratings = rng.binomial(10, rng.beta(4 * p, 4 * (1 - p), n))
    diff = target - int(ratings.sum())
    while diff:
        step = 1 if diff > 0 else -1
        movable = np.flatnonzero(ratings < 10 if step > 0 else ratings > 0)
        pick = rng.choice(movable, size=min(abs(diff), len(movable)), replace=False)
        ratings[pick] += step
        diff -= step * len(pick)
    return np.bincount(ratings, minlength=11)


def simulate_frequencies(atomic: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Atomic rows (n, and k or the rating total) in, counts per option of each atomic cell out."""
    rows = []
    for year, trust, alliance, group, question, n, total in atomic.itertuples(index=False):
        if question in RESPONSE_OPTIONS:
            counts = split_answers(int(n), int(total), question, rng)
        else:
            counts = spread_ratings(int(n), float(total), rng)
        rows += [(year, trust, alliance, group, question, i, int(c)) for i, c in enumerate(counts)]
    return pd.DataFrame(rows, columns=["year", "trust", "alliance", "group", "question", "option", "count"])


def aggregate_frequencies(freq: pd.DataFrame, group_cohorts: dict, england: str) -> dict[tuple, np.ndarray]:
    """Atomic option counts in, {(year, question, cohort, code): counts in option order} out."""
    df = freq.assign(cohort=freq.group.map(group_cohorts)).explode("cohort")
    df["national"] = england
    out = {}
    for column in ("national", "alliance", "trust"):
        summed = df.groupby(["year", "question", "cohort", column, "option"])["count"].sum()
        for (year, question, cohort, code), counts in summed.groupby(level=[0, 1, 2, 3]):
            out[(year, question, cohort, code)] = counts.to_numpy()
    return out


def frequency_rows(scores: pd.DataFrame, counts: dict, year: int, levels: dict, cohorts: dict) -> list[list]:
    """One year's scores rows (with the publisher's quirks) in, its frequency rows out.

    Where the scores file shows `*` for too few respondents the frequencies do too; where it
    withheld a score for another reason the frequencies are left blank.
    """
    rows = []
    for row in scores.itertuples():
        options = counts[(year, row.question, row.cohort, row.code)]
        assert options.sum() == row.n, (year, row.question, row.cohort, row.code)
        for label, count in zip(option_labels(row.question, year), options):
            if row.suppressed:
                cells = ["*", "*"]
            elif row.withheld:
                cells = ["", ""]
            else:
                cells = [f"{int(count):,}", f"{100 * count / row.n:.1f}"]
            rows.append([f"Q{row.qnum}", row.code, levels[row.level], cohorts[row.cohort], label, *cells])
    return rows
