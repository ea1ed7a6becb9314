"""Response frequencies in a clean build: keys, sums within rounding, suppression across options, cohorts and
places, and a leak check that finds (and a build that refuses) a frequency recoverable by subtraction."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from build_data import frequency_disclosure
from build_data.errors import SuppressionLeak
from build_data.leak_check import find_recoverable
from build_data.metadata import load_config
from build_data.pipeline import build_package
from support import tree_digest, without_frictionless

REPO = Path(__file__).resolve().parents[2]
KEY = ["release_id", "geography_code", "cohort_id", "question_id"]
MARKERS = ("[c]", "[x]", "")


def published(root: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(root / "datapackage" / "data" / f"{name}.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def frequencies(built_project) -> pd.DataFrame:
    """The published frequencies with each row's scores row (n, value, status) beside it."""
    scores = published(built_project, "experience_results")[KEY + ["n_respondents", "value", "status"]]
    joined = published(built_project, "response_frequencies").merge(
        scores.rename(columns={"n_respondents": "score_n", "status": "score_status"}), on=KEY, how="left",
        validate="many_to_one")
    assert joined["score_status"].notna().all(), "every frequency has its scores row"
    return joined


def shown_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of keys whose every option has a count and a percentage shown."""
    hidden = frame["n_respondents"].isin(MARKERS) | frame["percent"].isin(MARKERS)
    return frame[~hidden.groupby([frame[k] for k in KEY]).transform("any")]


def test_frequencies_resources_declared_with_keys(built_project):
    descriptor = json.loads((built_project / "datapackage" / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    schema = resources["response_frequencies"]["schema"]
    assert schema["primaryKey"] == KEY[:1] + ["geography_code", "cohort_id", "question_id", "option_id"]
    references = {tuple(fk["fields"]): fk["reference"]["resource"] for fk in schema["foreignKeys"]}
    assert references[("question_id", "option_id")] == "response_options"
    assert references[tuple(KEY)] == "experience_results"
    assert resources["response_options"]["schema"]["primaryKey"] == ["question_id", "option_id"]


def test_frequencies_percentages_sum_to_100_within_rounding(frequencies):
    rows = shown_keys(frequencies)
    grouped = rows.assign(percent=rows["percent"].astype(float)).groupby(KEY)["percent"]
    total, size = grouped.sum(), grouped.size()
    assert len(total) > 5000
    assert ((total - 100).abs() <= size * 0.05 + 1e-9).all(), total[(total - 100).abs() > size * 0.05].head()


def test_frequencies_counts_add_up_to_respondents(frequencies):
    rows = shown_keys(frequencies)
    sums = rows.assign(n=rows["n_respondents"].astype(int)).groupby(KEY).agg(n=("n", "sum"), score_n=("score_n", "first"))
    assert (sums["n"] == sums["score_n"].astype(int)).all()


def test_frequencies_positive_answers_match_the_score(frequencies, built_project):
    options = published(built_project, "response_options")
    positive = set(zip(options["question_id"][options["is_positive"] == "true"],
                       options["option_id"][options["is_positive"] == "true"]))
    rows = shown_keys(frequencies)
    is_positive = pd.Series([k in positive for k in zip(rows["question_id"], rows["option_id"])], index=rows.index)
    rows = rows[is_positive & ~rows["value"].isin(MARKERS)]
    share = rows.assign(k=rows["n_respondents"].astype(int)).groupby(KEY).agg(
        k=("k", "sum"), n=("score_n", "first"), value=("value", "first"))
    assert len(share) > 3000
    assert ((100 * share["k"] / share["n"].astype(int) - share["value"].astype(float)).abs() <= 0.05 + 1e-9).all()


def test_frequencies_of_a_suppressed_scores_row_are_all_suppressed(frequencies):
    rows = frequencies[frequencies["score_status"] == "suppressed"]
    assert len(rows) > 10000
    assert set(rows["status"]) == {"suppressed"}
    assert set(rows["n_respondents"]) == {"[c]"} and set(rows["percent"]) == {"[c]"}


def test_frequencies_small_counts_suppressed_with_complements(frequencies, built_project):
    """Below the threshold only an answer that is a published total on its own may show (a Yes/No question's
    No is n minus score x n); hidden answers of a shown scores row never stand alone in their group."""
    options = published(built_project, "response_options")
    group_size = options.groupby(["question_id", "is_positive"])["option_id"].transform("size")
    alone = set(zip(options["question_id"][group_size == 1], options["option_id"][group_size == 1]))
    shown = frequencies[~frequencies["n_respondents"].isin(MARKERS)]
    small = shown[shown["n_respondents"].astype(int).between(1, 9)]
    assert all(k in alone for k in zip(small["question_id"], small["option_id"]))
    assert (~small["value"].isin(MARKERS)).all()
    in_shown_row = frequencies[(frequencies["score_status"] != "suppressed") & (frequencies["status"] == "suppressed")]
    assert len(in_shown_row) > 1000, "the illustrative data should exercise suppression across options"
    rated = options.set_index(["question_id", "option_id"])["is_positive"]
    groups = in_shown_row.assign(positive=[rated[k] for k in zip(in_shown_row["question_id"], in_shown_row["option_id"])])
    per_group = groups.groupby(KEY + ["positive"]).size()
    ratings = per_group.xs("overall_rating", level="question_id")
    assert (per_group >= 2).all() and (ratings >= 3).all()


def test_frequencies_zero_counts_are_published(frequencies):
    assert (frequencies["n_respondents"] == "0").sum() > 100


def test_leak_check_passes_on_the_build_and_finds_a_planted_value(tiny_build, tmp_path):
    """On the tiny build (conftest.tiny_build: the same code and metadata, few places; the illustrative build's own
    leak check is its gate, test_build.py). A revealed answer of a shown row gives its partner away."""
    built_project, first = tiny_build
    assert first.returncode == 0, first.stderr
    config = load_config(built_project)
    assert find_recoverable(built_project / "datapackage", config) == []
    planted = tmp_path / "datapackage"
    shutil.copytree(built_project / "datapackage", planted)
    rows = published(built_project, "response_frequencies")
    scores = published(built_project, "experience_results").set_index(KEY)["status"]
    score_shown = pd.Series([scores[tuple(k)] != "suppressed" for k in rows[KEY].itertuples(index=False)],
                            index=rows.index)
    hidden = rows[(rows["status"] == "suppressed") & (rows["question_id"] == "contact_ease") & score_shown]
    first = hidden.index[0]           # reveal one hidden answer of a shown row: its partner is then known
    rows.loc[first, ["n_respondents", "percent", "status"]] = ["12", "9.9", "ok"]
    rows.to_csv(planted / "data" / "response_frequencies.csv", index=False, lineterminator="\n")
    leaks = find_recoverable(planted, config)
    key = hidden.loc[first]
    assert any(f"response_frequencies {key['release_id']} contact_ease" in leak for leak in leaks), leaks


def test_build_refuses_a_recoverable_frequency(tmp_path, monkeypatch, tiny_build):
    """A disclosure bug that shows one question's complementary cells: the independent leak check stops the build
    (the complements are not small, so only the leak check can tell). Built from a copy of the tiny build
    (conftest.tiny_build: the same code and metadata, few places) with no .cache: a release cache would hand back
    rows protected by the real code (and must never keep rows from the bug)."""
    built, first = tiny_build
    assert first.returncode == 0, first.stderr
    project_copy = Path(shutil.copytree(built, tmp_path / "tiny", ignore=shutil.ignore_patterns(".cache")))
    real = frequency_disclosure.find_hidden
    dropped = []

    def leaky(counts, hidden, relations, threshold, frozen=frozenset(), **options):
        found = real(counts, hidden, relations, threshold, frozen, **options)
        if not dropped:
            dropped.extend(c for c in found - set(hidden) if counts[c] >= threshold)
            found = found - set(dropped)
        return found
    monkeypatch.setattr(frequency_disclosure, "find_hidden", leaky)
    monkeypatch.setattr(frequency_disclosure, "solvable_cells", lambda *args: set())   # and its whole-system check
    # Frictionless validation is not what is under test here, and is the slowest stage before the leak check.
    monkeypatch.setattr("build_data.checks.validate_frictionless", without_frictionless)
    target = tmp_path / "datapackage"
    target.mkdir()
    (target / "keep.txt").write_text("the previous package\n", encoding="utf-8")
    before = tree_digest(target)
    with pytest.raises(SuppressionLeak, match="can be recovered by subtraction") as caught:
        build_package(load_config(project_copy), target)
    assert dropped and "response_frequencies" in caught.value.detail
    assert tree_digest(target) == before
