"""Config in, the package's reference tables out: releases, questions, response options, crosswalk, cohorts,
geographies, indicators, corrections (from the registry's typed metadata)."""
from __future__ import annotations

import pandas as pd


def releases_table(config) -> pd.DataFrame:
    return pd.DataFrame([{
        "release_id": r.id, "survey": r.survey, "survey_year": r.survey_year, "title": r.title,
        "publisher": r.publisher, "published_date": r.published.isoformat(), "source_url": r.url,
        "licence": r.licence, "suppression_threshold": r.suppression_threshold,
        "is_illustrative": r.is_illustrative, "notes": r.notes} for r in config.releases])


def questions_table(config) -> pd.DataFrame:
    return pd.DataFrame([{"question_id": qid, **{k: getattr(q, k) for k in
                          ("topic", "short_label", "measure", "positive_answers", "explanation")}}
                         for qid, q in config.registry.questions.items()])


def response_options_table(config) -> pd.DataFrame:
    rows = [{"question_id": qid, "option_id": o.id, "option_order": i, "label": o.label,
             "is_positive": o.is_positive, "rating": o.rating}
            for qid, q in config.registry.questions.items() for i, o in enumerate(q.response_options or (), start=1)]
    table = pd.DataFrame(rows, columns=["question_id", "option_id", "option_order", "label", "is_positive", "rating"])
    table["rating"] = pd.array(table["rating"], dtype="Int64")
    return table


def cohorts_table(config) -> pd.DataFrame:
    return pd.DataFrame([{"cohort_id": cid, "label": c.label, "description": c.description,
                          "parts": " ".join(c.parts)} for cid, c in config.registry.cohorts.items()])


def indicators_table(config) -> pd.DataFrame:
    return pd.DataFrame([{"indicator_id": iid, "label": i.label, "description": i.description}
                         for iid, i in config.registry.indicators.items()])


CORRECTION_COLUMNS = ["release_id", "file", "row", "column", "was", "value", "reason", "date", "status", "question_id"]


def corrections_table(config) -> pd.DataFrame:
    """corrections.yml in, the published corrections table out (so the site's corrections log reads the package)."""
    rows = [{k: ("" if c.get(k) is None else str(c[k]) if k == "date" else c.get(k)) for k in CORRECTION_COLUMNS}
            for c in config.corrections]
    table = pd.DataFrame(rows, columns=CORRECTION_COLUMNS)
    table["row"] = pd.array(table["row"], dtype="Int64")
    return table


def reference_tables(config) -> dict[str, pd.DataFrame]:
    return {
        "releases": releases_table(config),
        "questions": questions_table(config),
        "response_options": response_options_table(config),
        "crosswalk": config.registry.crosswalk_table(),
        "cohorts": cohorts_table(config),
        "geographies": config.registry.geography_table(),
        "indicators": indicators_table(config),
        "corrections": corrections_table(config),
    }
