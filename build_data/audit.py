"""Extracted audit indicator rows in, tidy audit_indicators out: stable ids, intervals, status."""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import stats
from .errors import CountsDisagree, IntervalExcludesValue, UnknownIndicatorLabel, ValueOutOfRange, YearOutOfRange
from .readers.cells import match_labels
from .tidy import check_geographies, where

AUDIT_COLUMNS = ["release_id", "period", "geography_code", "indicator_id", "numerator", "denominator",
                 "value", "ci_lower", "ci_upper", "status", "is_illustrative"]


def map_indicators(extracted: pd.DataFrame, release, config) -> pd.Series:
    """Extracted rows in, indicator ids out (via publisher_labels in indicators.yml); unknown labels are an error."""
    labels = {label: iid for iid, i in config.registry.indicators.items() for label in i.publisher_labels}
    ids = match_labels(extracted["indicator_label"], labels)
    if ids.isna().any():
        bad = extracted[ids.isna()]
        raise UnknownIndicatorLabel(f"{bad.iloc[0]['indicator_label']!r} is not a known indicator.",
                                    **where(bad, release, "indicator_label"),
                                    fix="Add the label to publisher_labels in build_data/metadata/indicators.yml.")
    return ids


def check_periods(frame: pd.DataFrame, release) -> None:
    """Audit rows in, nothing out: no diagnosis year after the release's report year."""
    bad = (frame["period"] > release.survey_year).fillna(False)
    if bad.any():
        rows = frame[bad]
        raise YearOutOfRange(f"The row is for diagnosis year {rows.iloc[0]['period']}, after the release's year "
                             f"{release.survey_year}.", **where(rows, release, "period"),
                             fix="Check the file belongs to this release, and survey_year in build_data/metadata/releases.yml.")


def check_counts(frame: pd.DataFrame, release) -> None:
    """Audit rows in, nothing out: counts not negative, numerator within denominator, percentage agreeing."""
    num, den = frame["numerator"], frame["denominator"]
    if ((num < 0) | (den < 0)).fillna(False).any():
        rows = frame[((num < 0) | (den < 0)).fillna(False)]
        column = "numerator" if rows.iloc[0]["numerator"] < 0 else "denominator"
        raise ValueOutOfRange(f"{column} is {rows.iloc[0][column]}; a count cannot be negative.",
                              **where(rows, release, column), fix="Check the publisher's file.")
    computed = 100 * num.astype("Float64") / den.astype("Float64").replace(0, pd.NA)
    # The publisher rounds to 1 decimal place: allow for that, and nothing more.
    bad = ((num > den) | ((computed - frame["percent"]).abs() > 0.1)).fillna(False)
    if bad.any():
        row = frame[bad].iloc[0]
        raise CountsDisagree(f"numerator {row['numerator']} / denominator {row['denominator']} is "
                             f"{computed[bad].iloc[0]:.1f}%, but the percentage says {row['percent']}.",
                             **where(frame[bad], release, "percent"),
                             fix="Check the publisher's file; a known publisher error is corrected in "
                                 "build_data/metadata/corrections.yml.")


def check_intervals(frame: pd.DataFrame, release) -> None:
    """Tidy audit rows (with source rows) in, nothing out: every interval contains its value."""
    bad = ((frame["ci_lower"] > frame["value"]) | (frame["value"] > frame["ci_upper"])).fillna(False)
    if bad.any():
        row = frame[bad].iloc[0]
        raise IntervalExcludesValue(f"The percentage {row['value']} is outside its 95% interval {row['ci_lower']} to "
                                    f"{row['ci_upper']}, found from numerator {row['numerator']} and denominator "
                                    f"{row['denominator']}.", **where(frame[bad], release, "percent"),
                                    fix="Check the publisher's percentage against its numerator and denominator.")


def tidy_audit(extracted: pd.DataFrame, release, config) -> pd.DataFrame:
    """One release's extracted audit rows in, its tidy audit_indicators rows out."""
    frame = extracted.assign(indicator_id=map_indicators(extracted, release, config))
    check_periods(frame, release)
    check_geographies(frame, release, config, "period")
    check_counts(frame, release)
    num = frame["numerator"].to_numpy(dtype=float, na_value=np.nan)
    den = frame["denominator"].to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        lower, upper = stats.wilson_interval(num / den, den)
    frame["value"] = frame["percent"].round(1)
    frame["ci_lower"] = pd.array(np.round(lower * 100, 1), dtype="Float64")
    frame["ci_upper"] = pd.array(np.round(upper * 100, 1), dtype="Float64")
    base = config.registry.site.low_reliability_base
    frame["status"] = np.where(frame["value"].isna(), "not_available",
                               np.where(frame["denominator"] < base, "low_reliability", "ok"))
    frame["is_illustrative"] = release.is_illustrative
    check_intervals(frame, release)
    return frame[AUDIT_COLUMNS]
