"""A release's raw file and the earlier crosswalk rows in, proposed crosswalk.csv rows out (nothing written).

Publisher question numbers move every year. For each code in the raw file without a crosswalk row,
the question wording is matched against the wording earlier releases used for each stable question
(difflib ratio); a person confirms the proposal and pastes it into crosswalk.csv.
"""
from __future__ import annotations

import csv
import dataclasses
import difflib
import io

import pandas as pd

from .errors import ReleaseUnknown

MATCH_AT_LEAST = 0.6    # below this, no earlier question is proposed: it is probably new


@dataclasses.dataclass(frozen=True)
class Suggestion:
    release_id: str
    publisher_code: str
    question_id: str        # "" when no earlier question matches well enough
    wording: str
    comparability: str
    confidence: float
    matched: str            # which earlier release and code the wording matched, for the comment


def find_release(config, release_id: str):
    """Config and an id in, the Release out; an unknown id is an error listing the known ones."""
    for release in config.releases:
        if release.id == release_id:
            return release
    known = [r.id for r in config.releases]
    raise ReleaseUnknown(f"{release_id!r} is not a release; the releases are {known}.",
                         file=config.metadata_dir / "releases.yml",
                         fix="Add the release to build_data/metadata/releases.yml first, or check the id.")


def latest_wordings(config, release) -> pd.DataFrame:
    """Config and a release in, each question's most recent wording from earlier releases out."""
    years = {r.id: r.survey_year for r in config.releases}
    cw = config.crosswalk.assign(year=config.crosswalk["release_id"].map(years))
    earlier = cw[(cw["release_id"] != release.id) & (cw["year"] < release.survey_year)]
    if earlier.empty:
        earlier = cw[cw["release_id"] != release.id]
    return earlier.sort_values(["year", "release_id"]).groupby("question_id", sort=True).tail(1)


def score_wording(wording: str, candidates: pd.DataFrame) -> tuple[float, pd.Series | None]:
    """A question's wording and candidate crosswalk rows in, the best (ratio, row) out."""
    best, best_row = 0.0, None
    for _, row in candidates.iterrows():
        ratio = difflib.SequenceMatcher(None, wording.casefold().strip(), row["wording"].casefold().strip()).ratio()
        if ratio > best:
            best, best_row = ratio, row
    return best, best_row


def propose_row(release, code: str, wording: str, candidates: pd.DataFrame) -> Suggestion:
    """One unmapped publisher code in, one proposed crosswalk row out."""
    ratio, row = score_wording(wording, candidates)
    if row is None or ratio < MATCH_AT_LEAST:
        return Suggestion(release.id, code, "", wording, "new", round(ratio, 2), "no earlier question")
    comparability = "same" if ratio == 1.0 else "wording_changed"
    return Suggestion(release.id, code, row["question_id"], wording, comparability, round(ratio, 2),
                      f"{row['release_id']} {row['publisher_code']} {row['question_id']}")


def code_order(code: str) -> tuple:
    """Q9 before Q10: publisher codes in, a sort key out."""
    digits = "".join(ch for ch in code if ch.isdigit())
    return (int(digits) if digits else 0, code)


def suggest_crosswalk(config, release_id: str) -> list[Suggestion]:
    """Config and a release id in, a proposal for every publisher code with no crosswalk row out."""
    from .pipeline import extract_release
    release = find_release(config, release_id)
    parts = extract_release(release, config, readers=("cpes_scores",))
    if not parts:
        return []
    extracted = pd.concat([x for _, x in parts], ignore_index=True)
    mapped = set(config.crosswalk.loc[config.crosswalk["release_id"] == release.id, "publisher_code"])
    questions = extracted.drop_duplicates("publisher_code")[["publisher_code", "question_text"]]
    candidates = latest_wordings(config, release)
    return [propose_row(release, code, text, candidates)
            for code, text in sorted(zip(questions["publisher_code"], questions["question_text"]),
                                     key=lambda pair: code_order(pair[0]))
            if code not in mapped]


def format_suggestions(suggestions: list[Suggestion], release_id: str) -> str:
    """Proposals in, CSV lines for crosswalk.csv with a '# confidence' comment above each out."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if not suggestions:
        return f"# Every publisher code in {release_id} already has a row in crosswalk.csv.\n"
    out.write(f"# Proposed crosswalk.csv rows for {release_id}: check each, then paste into "
              "build_data/metadata/crosswalk.csv.\n# release_id,publisher_code,question_id,wording,comparability\n")
    taken = pd.Series([s.question_id for s in suggestions])
    for s in suggestions:
        note = f"# confidence {s.confidence:.2f}: matches {s.matched}"
        if not s.question_id:
            note += "; add a new question to questions.yml and fill in its question_id"
        elif (taken == s.question_id).sum() > 1:
            note += f"; {s.question_id} is proposed for more than one code: decide which"
        out.write(note + "\n")
        writer.writerow([s.release_id, s.publisher_code, s.question_id, s.wording, s.comparability])
    return out.getvalue()
