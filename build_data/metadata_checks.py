"""Config in, nothing out: cross-checks between metadata files, each failure naming the file to edit."""
from __future__ import annotations

import re

from .errors import MetadataInvalid, UnknownQuestionId
from .readers.cells import fold_label

SLUG = re.compile(r"[a-z0-9]+(_[a-z0-9]+)*")
COMPARABILITY = {"same", "wording_changed", "response_options_changed", "not_comparable", "new"}
MEASURES = {"percent_positive", "mean_0_10"}


def check_questions(config) -> None:
    """Every question in questions.yml has a known measure."""
    path = config.metadata_dir / "questions.yml"
    for qid, q in config.questions.items():
        if q.get("measure") not in MEASURES:
            raise MetadataInvalid(f"Question {qid!r} has measure {q.get('measure')!r}; use one of {sorted(MEASURES)}.",
                                  file=path, fix="Correct the measure in questions.yml.")


def check_option(option, index: int, qid: str, measure: str, where: dict) -> None:
    """One response_options entry: a slug id, a label, is_positive a boolean, a rating (0-10) for a rating question."""
    if not isinstance(option, dict) or not isinstance(option.get("id"), str) or not SLUG.fullmatch(option["id"]):
        found = option.get("id") if isinstance(option, dict) else option
        raise MetadataInvalid(f"Option {index} of {qid} has id {found!r}; an id is a slug like yes_definitely.",
                              **where, column="id", fix='Write a slug id in questions.yml (quote "yes" and "no": '
                                                       "unquoted, YAML reads them as true and false).")
    if not isinstance(option.get("label"), str) or not option["label"].strip():
        raise MetadataInvalid(f"Option {option['id']!r} of {qid} has no label.", **where, column="label",
                              fix="Write the answer as the questionnaire words it, in quotes, in questions.yml.")
    if not isinstance(option.get("is_positive", False), bool):
        raise MetadataInvalid(f"is_positive of {qid} option {option['id']!r} is {option['is_positive']!r}.",
                              **where, column="is_positive", fix="Write true or false in questions.yml.")
    rating = option.get("rating")
    if measure == "mean_0_10" and (not isinstance(rating, int) or isinstance(rating, bool) or not 0 <= rating <= 10):
        raise MetadataInvalid(f"Option {option['id']!r} of {qid} has rating {rating!r}; a rating question's "
                              "answers each stand for a whole number from 0 to 10.", **where, column="rating",
                              fix="Give the option its rating in questions.yml.")


def check_response_options(config) -> None:
    """Each question's response_options (optional) have unique ids and labels, and agree with its measure:
    a percentage question's is_positive answers are exactly its positive_answers, a rating's are rated."""
    path = config.metadata_dir / "questions.yml"
    for qid, q in config.questions.items():
        options = q.get("response_options")
        if options is None:
            continue
        if not isinstance(options, list) or not options:
            raise MetadataInvalid(f"response_options of {qid} is not a list of answers.", file=path, row=qid,
                                  fix="List the answers under response_options (see the comments at the top).")
        ids, labels = set(), set()
        for i, option in enumerate(options, start=1):
            where = dict(file=path, row=f"{qid} option {i}")
            check_option(option, i, qid, q.get("measure"), where)
            spellings = [fold_label(s) for s in [option["label"], *option.get("publisher_labels", [])]]
            if option["id"] in ids or labels & set(spellings):
                raise MetadataInvalid(f"Option {option['id']!r} of {qid} repeats an id or label of an earlier option.",
                                      **where, fix="Give every answer of a question its own id and labels in questions.yml.")
            ids.add(option["id"])
            labels.update(spellings)
        positive = sorted(fold_label(o["label"]) for o in options if o.get("is_positive"))
        stated = sorted(fold_label(a) for a in str(q.get("positive_answers") or "").split(";") if a.strip())
        if positive != stated or (q.get("measure") == "percent_positive" and not 0 < len(positive) < len(options)):
            raise MetadataInvalid(f"{qid}'s positive_answers ({q.get('positive_answers')!r}) and the response_options "
                                  f"marked is_positive ({positive}) disagree, or leave no positive or no other answer.",
                                  file=path, row=qid, column="is_positive",
                                  fix="Mark exactly the positive_answers is_positive: true in questions.yml.")


def check_crosswalk(config) -> None:
    """Every crosswalk row names a known question, release and comparability, once per code."""
    path = config.metadata_dir / "crosswalk.csv"
    release_ids = {r.id for r in config.releases}
    for i, row in config.crosswalk.iterrows():
        where = dict(file=path, row=i + 2)
        if row["question_id"] not in config.questions:
            raise UnknownQuestionId(f"crosswalk.csv maps {row['release_id']} {row['publisher_code']} to question_id "
                                    f"{row['question_id']!r}, which is not in questions.yml.", **where,
                                    column="question_id",
                                    fix="Add the question to build_data/metadata/questions.yml, or correct the "
                                        "question_id in crosswalk.csv.")
        if row["release_id"] not in release_ids:
            raise MetadataInvalid(f"release_id {row['release_id']!r} is not in releases.yml.", **where,
                                  column="release_id", fix="Add the release to releases.yml or correct crosswalk.csv.")
        if row["comparability"] not in COMPARABILITY:
            raise MetadataInvalid(f"comparability {row['comparability']!r} is not one of {sorted(COMPARABILITY)}.",
                                  **where, column="comparability", fix="Correct crosswalk.csv.")
    dupes = config.crosswalk.duplicated(["release_id", "publisher_code"], keep=False)
    if dupes.any():
        first = config.crosswalk[dupes].iloc[0]
        raise MetadataInvalid(f"{first['release_id']} {first['publisher_code']} is mapped more than once.",
                              file=path, fix="Keep one row per release and publisher code in crosswalk.csv.")


def check_geographies(config) -> None:
    """Geography codes are unique and every parent_code is a code in the file."""
    path = config.metadata_dir / "geographies.csv"
    geo = config.geographies
    codes = set(geo["geography_code"])
    if geo["geography_code"].duplicated().any():
        dup = geo.loc[geo["geography_code"].duplicated(), "geography_code"].iloc[0]
        raise MetadataInvalid(f"Code {dup!r} appears twice.", file=path, column="geography_code",
                              fix="Keep one row per code in geographies.csv.")
    for i, row in geo.iterrows():
        if row["parent_code"] and row["parent_code"] not in codes:
            raise MetadataInvalid(f"parent_code {row['parent_code']!r} is not a code in the file.",
                                  file=path, row=i + 2, column="parent_code", fix="Correct geographies.csv.")


def check_cohorts(config) -> None:
    """Every cohort's parts are cohorts."""
    path = config.metadata_dir / "cohorts.yml"
    for cid, c in config.cohorts.items():
        for part in c.get("parts") or []:
            if part not in config.cohorts:
                raise MetadataInvalid(f"Cohort {cid!r} is made of {part!r}, which is not a cohort.",
                                      file=path, fix="Correct parts in cohorts.yml.")


def check_figures(config) -> None:
    """Every figure names questions, indicators and cohorts that exist."""
    path = config.metadata_dir / "figures.yml"
    for fid, f in config.figures.items():
        for key, known in (("question_id", config.questions), ("indicator_id", config.indicators)):
            if key in f and f[key] not in known:
                raise MetadataInvalid(f"Figure {fid!r} uses {key} {f[key]!r}, which is not defined.",
                                      file=path, fix=f"Correct the figure in figures.yml.")
        for cohort in f.get("cohorts", []) + ([f["cohort_id"]] if "cohort_id" in f else []):
            if cohort not in config.cohorts:
                raise MetadataInvalid(f"Figure {fid!r} uses cohort {cohort!r}, which is not in cohorts.yml.",
                                      file=path, fix="Correct the figure in figures.yml.")


CORRECTION_KEYS = ("release_id", "file", "row", "column", "was", "value", "reason")


def check_corrections(config) -> None:
    """Every correction names a release, one of its files, a row, a column, the old and new value and a reason."""
    path = config.metadata_dir / "corrections.yml"
    files = {r.id: {f.relative for f in r.files} for r in config.releases}
    for i, entry in enumerate(config.corrections):
        where = dict(file=path, row=f"entry {i + 1}")
        missing = [k for k in CORRECTION_KEYS if k not in entry or (entry[k] in (None, "") and k != "value")]
        if missing:
            raise MetadataInvalid(f"The correction lacks {missing}.", **where, fix="Fill in every key (see the "
                                  "comments at the top of corrections.yml).")
        if entry["release_id"] not in files or entry["file"] not in files[entry["release_id"]]:
            raise MetadataInvalid(f"{entry['release_id']} has no file {entry['file']!r}.", **where, column="file",
                                  fix="Use the release id and file path exactly as releases.yml has them.")
        if not isinstance(entry["row"], int) or entry["row"] < 1:
            raise MetadataInvalid(f"row is {entry['row']!r}; it must be the row number in the publisher's file.",
                                  **where, column="row", fix="Use the row number the build's error message gave.")


def check_metadata(config) -> None:
    """Config in, nothing out: every cross-check between metadata files, stopping at the first failure."""
    for check in (check_questions, check_response_options, check_crosswalk, check_geographies, check_cohorts, check_figures,
                  check_corrections):
        check(config)
