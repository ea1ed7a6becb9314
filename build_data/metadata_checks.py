"""Config in, nothing out: cross-checks between metadata files, each failure naming the file to edit."""
from __future__ import annotations

from .errors import MetadataInvalid, UnknownQuestionId

COMPARABILITY = {"same", "wording_changed", "response_options_changed", "not_comparable", "new"}
MEASURES = {"percent_positive", "mean_0_10"}


def check_questions(config) -> None:
    path = config.metadata_dir / "questions.yml"
    for qid, q in config.questions.items():
        if q.get("measure") not in MEASURES:
            raise MetadataInvalid(f"Question {qid!r} has measure {q.get('measure')!r}; use one of {sorted(MEASURES)}.",
                                  file=path, fix="Correct the measure in questions.yml.")


def check_crosswalk(config) -> None:
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
    path = config.metadata_dir / "cohorts.yml"
    for cid, c in config.cohorts.items():
        for part in c.get("parts") or []:
            if part not in config.cohorts:
                raise MetadataInvalid(f"Cohort {cid!r} is made of {part!r}, which is not a cohort.",
                                      file=path, fix="Correct parts in cohorts.yml.")


def check_figures(config) -> None:
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


def check_metadata(config) -> None:
    for check in (check_questions, check_crosswalk, check_geographies, check_cohorts, check_figures):
        check(config)
