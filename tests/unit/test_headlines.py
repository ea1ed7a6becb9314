"""Headlines and key findings true to the question: every content word of a question's short label
comes from the question's wording in every survey year (crosswalk.csv) or from its positive
answers, and the scoring (which answers count) is named, so '54%' cannot be read as '46% not told'."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml

from build_data import describe

META = Path(__file__).resolve().parents[2] / "build_data" / "metadata"
QUESTIONS = yaml.safe_load((META / "questions.yml").read_text(encoding="utf-8"))
FIGURES = yaml.safe_load((META / "figures.yml").read_text(encoding="utf-8"))
with open(META / "crosswalk.csv", encoding="utf-8", newline="") as f:
    WORDINGS = [r for r in csv.DictReader(f)]
# Words that carry no claim about what was asked.
CONNECTIVES = {"a", "an", "the", "of", "in", "on", "to", "or", "and", "for", "with", "from", "by", "as", "at",
               "it", "its", "they", "their", "them", "had", "has", "have", "got", "found", "who", "that",
               "when", "been", "be", "is", "was", "were", "yes", "no"}
SUFFIXES = ("ing", "ed", "ly", "es", "s", "e")


def words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]+", text.lower()) if w not in CONNECTIVES]


def stem(word: str) -> str:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def same_word(a: str, b: str) -> bool:
    a, b = stem(a), stem(b)
    return a == b or (min(len(a), len(b)) >= 5 and a[:5] == b[:5])


def unfounded_words(label: str, question_id: str) -> list[str]:
    """Label words found neither in every year's wording of the question nor in its positive answers."""
    answers = words(QUESTIONS[question_id].get("positive_answers") or "")
    wordings = [words(r["wording"]) for r in WORDINGS if r["question_id"] == question_id]
    assert wordings, f"{question_id} has no wording in crosswalk.csv"
    return [w for w in words(label)
            if not any(same_word(w, a) for a in answers)
            and not all(any(same_word(w, x) for x in wording) for wording in wordings)]


def scoring_missing(label: str, question_id: str) -> list[str]:
    """Words of the positive answers (beyond yes/no) that the label does not carry."""
    label_words = words(label)
    return [w for w in words(QUESTIONS[question_id].get("positive_answers") or "")
            if not any(same_word(w, x) for x in label_words)]


@pytest.mark.parametrize("question_id", sorted(QUESTIONS))
def test_short_label_paraphrases_the_question_and_its_scoring(question_id):
    label = QUESTIONS[question_id]["short_label"]
    assert not unfounded_words(label, question_id), (
        f"questions.yml {question_id}.short_label {label!r} uses words the question does not: "
        f"{unfounded_words(label, question_id)}")
    assert not scoring_missing(label, question_id), (
        f"questions.yml {question_id}.short_label {label!r} does not say which answers count: "
        f"{scoring_missing(label, question_id)}")


def test_check_catches_the_misleading_label_from_issue_12():
    old = "Told what to look out for if the cancer came back or spread"
    assert unfounded_words(old, "recurrence_info")            # 'told', 'look', 'came' are not the question's
    assert scoring_missing(old, "recurrence_info") == ["definitely"]


KEY_FINDINGS = [(fid, spec) for fid, spec in FIGURES.items() if spec.get("key_finding")]


def test_key_findings_are_declared_in_figures_yml():
    assert KEY_FINDINGS, "figures.yml marks no figure key_finding: true"


@pytest.mark.parametrize("fid, spec", KEY_FINDINGS, ids=[f for f, _ in KEY_FINDINGS])
def test_key_finding_and_headline_are_worded_from_the_question(fid, spec):
    q = QUESTIONS[spec["question_id"]]
    measure = q["measure"]
    a = {"value": 54.0, "ci_lower": 50.0, "ci_upper": 58.0, "measure": measure, "n": 600}
    b = {"value": 63.0, "ci_lower": 62.6, "ci_upper": 63.4, "measure": measure, "n": 50000}
    finding = describe.key_finding(q["short_label"], q["positive_answers"], a, b, "Group A", "Group B", 2024)
    label = re.match(r"\*\*(.+?):\*\*", finding).group(1)
    assert not unfounded_words(label, spec["question_id"])
    if measure == "percent_positive":
        for answer in q["positive_answers"].split(";"):
            assert f"\u201c{answer.strip()}\u201d" in finding, f"{fid}: the key finding does not name {answer!r}"
    headline = describe.cohorts_headline(q["short_label"], a, b, "Group A", "Group B", 2024)
    assert headline.startswith(q["short_label"])
