"""Tables and the staged package in; nothing out but an exception naming the first problem.

The gate: our own rules on the tidy tables, Frictionless validation of the written package,
metadata lint, and an independent attempt to recover every suppressed count from the CSVs.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .errors import IntervalExcludesValue, MetadataInvalid, PackageInvalid, SuppressionLeak

FIELDS_FILE = "build_data/metadata/fields.yml"


def check_columns_described(tables: dict[str, pd.DataFrame], config) -> None:
    """Both ways: every produced column is in fields.yml, and every fields.yml entry is produced."""
    for name in set(tables) | set(config.fields):
        produced = set(tables[name].columns) if name in tables else set()
        described = {f["name"] for f in config.fields.get(name, {}).get("fields", [])}
        if produced != described:
            raise MetadataInvalid(
                f"Resource {name!r}: produced but not described {sorted(produced - described)}; "
                f"described but not produced {sorted(described - produced)}.",
                file=FIELDS_FILE, fix="Describe every published column in fields.yml, and remove entries for columns that are gone.")


def check_intervals(tables: dict[str, pd.DataFrame]) -> None:
    """The last gate on intervals (the stages check their own rows first, naming the raw file)."""
    for name in ("experience_results", "audit_indicators"):
        t = tables[name]
        bad = ((t["ci_lower"] > t["value"]) | (t["value"] > t["ci_upper"])).fillna(False)
        if bad.any():
            row = t[bad].iloc[0]
            raise IntervalExcludesValue(f"In {name}, the interval {row['ci_lower']} to {row['ci_upper']} does not "
                                        f"contain the value {row['value']} ({row['release_id']}, {row['geography_code']}).",
                                        file=FIELDS_FILE.replace("fields.yml", "releases.yml"),
                                        fix="Check the publisher's interval, or correct the value in corrections.yml.")


def check_no_small_counts(tables: dict[str, pd.DataFrame], config) -> None:
    """Tidy tables in, nothing out: no shown count is above 0 and below its release's threshold."""
    thresholds = {r.id: r.suppression_threshold for r in config.releases}
    for name, columns in (("experience_results", ["n_respondents"]), ("audit_indicators", ["numerator", "denominator"])):
        t = tables[name]
        limit = t["release_id"].map(thresholds)
        for col in columns:
            small = ((t[col] > 0) & (t[col] < limit)).fillna(False)
            if small.any():
                row = t[small].iloc[0]
                raise SuppressionLeak(f"{name}.{col} publishes {row[col]} (threshold {limit[small].iloc[0]}) "
                                      f"for {row['release_id']}, {row['geography_code']}.",
                                      fix="This is a bug in build_data/disclosure.py: report it; do not publish.")


def check_no_implied_small_counts(tables: dict[str, pd.DataFrame], config) -> None:
    """Tidy tables in, nothing out: no shown percentage score gives away a count above 0 and below the
    threshold (its positive answers, score x n, or the rest)."""
    t = tables["experience_results"]
    strict = {r.id for r in config.releases if r.policy.protect_implied_counts}
    t = t[(t["measure"] == "percent_positive") & t["value"].notna() & t["n_respondents"].notna() & t["release_id"].isin(strict)]
    limit = t["release_id"].map({r.id: r.suppression_threshold for r in config.releases})
    k = (t["value"].astype(float) * t["n_respondents"].astype(float) / 100).round()
    rest = t["n_respondents"].astype(float) - k
    small = (((k > 0) & (k < limit)) | ((rest > 0) & (rest < limit))).fillna(False)
    if small.any():
        row = t[small].iloc[0]
        raise SuppressionLeak(f"experience_results shows {row['value']}% of {row['n_respondents']} for {row['release_id']}, "
                              f"{row['question_id']}, {row['geography_code']}, {row['cohort_id']}: that gives away a count "
                              f"below the threshold ({int(limit[small].iloc[0])}).",
                              fix="This is a bug in build_data/disclosure.py: report it; do not publish.")


def value_codes(column) -> tuple[np.ndarray, list]:
    """A column (Series or array) in; its values as codes, and the distinct values they stand for (a missing value
    the last, as NaN), out: pd.factorize of an object array, much cheaper than of the str dtype itself."""
    values = column.to_numpy(dtype=object) if isinstance(column, pd.Series) else column
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return np.where(codes < 0, len(uniques), codes), [*uniques.tolist(), np.nan]


def matching_rows(left: pd.DataFrame, right: pd.DataFrame, key: list[str]) -> np.ndarray | None:
    """For each row of left, the position of the row of right with the same key (-1 if none), as a left merge on
    key finds it (missing values match each other); None when right's keys are not unique (a merge would
    repeat left's rows). Each key column is coded once over both tables and the codes combined."""
    combined, span = np.zeros(len(left) + len(right), np.int64), 1
    for column in key:
        codes, values = value_codes(np.concatenate([left[column].to_numpy(dtype=object),
                                                    right[column].to_numpy(dtype=object)]))
        if span > np.iinfo(np.int64).max // len(values):
            return None
        combined, span = combined * len(values) + codes, span * len(values)
    index = pd.Index(combined[len(left):])
    return index.get_indexer(combined[:len(left)]) if index.is_unique else None


def implied_by_score(rows: pd.DataFrame, config) -> np.ndarray:
    """True for an answer whose count its question's percentage score gives away when shown: the only positive
    answer (k) or the only other answer (n - k) of a question (distinct question and answer pairs looked up once)."""
    alone = set()
    for qid, q in config.questions.items():
        options = q.get("response_options") or []
        if q.get("measure") == "percent_positive":
            for flag in (True, False):
                group = [o["id"] for o in options if bool(o.get("is_positive")) == flag]
                if len(group) == 1:
                    alone.add((qid, group[0]))
    questions, question_values = value_codes(rows["question_id"])
    options, option_values = value_codes(rows["option_id"])
    pairs, distinct = pd.factorize(questions * len(option_values) + options)
    return np.array([(question_values[pair // len(option_values)], option_values[pair % len(option_values)]) in alone
                     for pair in distinct.tolist()], dtype=bool)[pairs]


def check_frequency_disclosure(tables: dict[str, pd.DataFrame], config) -> None:
    """Tidy tables in, nothing out: response frequencies of a suppressed scores row are suppressed, and, where
    the release's policy protects answer counts, no shown count is above 0 and below the threshold (unless
    the shown score already publishes it and the policy leaves such counts unprotected)."""
    freq, scores = tables.get("response_frequencies"), tables["experience_results"]
    if freq is None or freq.empty:
        return
    key = ["release_id", "geography_code", "cohort_id", "question_id"]
    rows, score_status, score_value_shown = scores_of_frequencies(freq, scores, key)
    shown = rows["status"].to_numpy(dtype=object) != "suppressed"
    releases, release_ids = value_codes(rows["release_id"])
    policy = {r.id: r for r in config.releases}
    limit = np.array([policy[i].suppression_threshold if i in policy else np.nan for i in release_ids])[releases]
    protected = np.array([i in policy and bool(policy[i].policy.protect_answer_counts) for i in release_ids])[releases]
    lenient = np.array([i in policy and not policy[i].policy.protect_implied_counts for i in release_ids])[releases]
    count = rows["n_respondents"]
    # a count the shown score publishes anyway, in a release whose policy leaves such counts unprotected, is allowed
    small = shown & protected & ~(implied_by_score(rows, config) & lenient & score_value_shown) & \
        ((count > 0) & (count < limit)).fillna(False).to_numpy(dtype=bool)
    problems = {"a suppressed scores row": shown & (score_status == "suppressed"),
                "a count below the threshold": small}
    for what, bad in problems.items():
        if bad.any():
            row = rows[bad].iloc[0]
            raise SuppressionLeak(f"response_frequencies publishes {row['n_respondents']} for {row['option_id']} "
                                  f"({row['release_id']}, {row['question_id']}, {row['geography_code']}, "
                                  f"{row['cohort_id']}): {what}.",
                                  fix="This is a bug in build_data/frequency_disclosure.py: report it; do not publish.")


def scores_of_frequencies(freq: pd.DataFrame, scores: pd.DataFrame, key: list[str]) -> tuple:
    """The frequency rows (as a left merge with the scores on key gives them), and each one's score's status and
    whether its value is shown, as arrays."""
    position = matching_rows(freq, scores, key)
    if position is None:   # scores not unique on key: the merge itself
        rows = freq.merge(scores[key + ["status", "value"]].rename(columns={"status": "score_status"}), on=key,
                          how="left")
        return rows, rows["score_status"].to_numpy(dtype=object), rows["value"].notna().to_numpy()
    found = position >= 0
    status = np.where(found, scores["status"].to_numpy(dtype=object)[position], np.nan)
    return freq.reset_index(drop=True), status, found & scores["value"].notna().to_numpy()[position]


def validate_frictionless(folder: Path, record: Path | None = None, meanwhile=None):
    """The staged package folder in, nothing out: Frictionless validation of data and metadata, each resource
    in parallel; with a record (.cache/gate/frictionless.json), a resource whose bytes and description are
    exactly those last validated is skipped (build_data/gate.py).

    meanwhile: a function run in this process while worker processes validate (see gate.start_validation);
    what it returns, or the exception it raised, is handed back only once Frictionless found nothing, so
    Frictionless's report always comes first. Returns (meanwhile's result, its exception or None)."""
    import logging

    from .gate import start_validation
    result = failure = None
    with start_validation(folder, record, beside_other_work=meanwhile is not None) as validation:
        if meanwhile is not None:
            try:
                result = meanwhile()
            except Exception as error:    # raised after Frictionless's verdict, as if run after it
                failure = error
        problems, done = validation.finish()
    logging.getLogger("build_data").info("gate: frictionless validated %d resource(s) (%.1f CPU s), skipped %d "
                                         "unchanged", len(done["validated"]), done["cpu_s"], len(done["skipped"]))
    if problems:
        raise PackageInvalid("Frictionless found:\n    " + "\n    ".join(problems[:10]),
                             file=folder / "datapackage.json",
                             fix="Fix the input or metadata named above; fields.yml defines each column's type and constraints.")
    return result, failure


def lint_metadata(descriptor: dict) -> None:
    """What Frictionless does not check: the spec's recommended metadata."""
    missing = [k for k in ("title", "description", "version", "licenses", "sources", "contributors") if not descriptor.get(k)]
    for res in descriptor["resources"]:
        missing += [f"{res['name']}.{k}" for k in ("title", "description", "bytes", "hash") if not res.get(k)]
        missing += [f"{res['name']}.{f['name']}.{k}" for f in res["schema"]["fields"]
                    for k in ("title", "description") if not f.get(k)]
    if missing:
        raise MetadataInvalid(f"The package lacks {missing[:10]}.", file=FIELDS_FILE,
                              fix="Add the missing titles and descriptions (fields.yml) or package metadata (site.yml).")


def check_tables(tables: dict[str, pd.DataFrame], config) -> None:
    """Tidy tables in, nothing out: our own rules, run before anything is written."""
    check_columns_described(tables, config)
    check_intervals(tables)
    check_no_small_counts(tables, config)
    check_no_implied_small_counts(tables, config)
    check_frequency_disclosure(tables, config)


def check_package(folder: Path, descriptor: dict, config) -> None:
    """The staged package in, nothing out: Frictionless, metadata lint and the independent leak check, reported
    in that order. The leak check reads the same files while Frictionless validates them in worker processes."""
    from . import leak_check
    leaks, failure = validate_frictionless(folder, record=config.root / ".cache" / "gate" / "frictionless.json",
                                           meanwhile=lambda: leak_check.find_recoverable(folder, config))
    lint_metadata(descriptor)
    if failure is not None:
        raise failure
    raise_leaks(leaks, folder)


def raise_leaks(leaks: list[str], folder: Path) -> None:
    if leaks:
        raise SuppressionLeak(f"{len(leaks)} suppressed counts can be recovered by subtraction, e.g. {leaks[0]}.",
                              file=folder / "data", fix="This is a bug in build_data/disclosure.py: report it; do not publish.")


def check_no_leaks(folder: Path, config) -> None:
    """The leak check alone, for a build refused for its version before the gate (pipeline.build_package): a
    recoverable count is reported first, as the gate would have; a leak check that fails on files the gate has
    not passed reports nothing here (the gate reports them once the version is right)."""
    from . import leak_check
    try:
        leaks = leak_check.find_recoverable(folder, config)
    except Exception:   # not this check's to report: the gate runs first next time
        return
    raise_leaks(leaks, folder)
