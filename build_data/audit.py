"""Extracted audit indicator rows in, tidy audit_indicators out: stable ids, intervals, status."""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import stats
from .errors import UnknownIndicatorLabel, ValueOutOfRange
from .readers.cells import match_labels
from .tidy import check_geographies, where

AUDIT_COLUMNS = ["release_id", "period", "geography_code", "indicator_id", "numerator", "denominator",
                 "value", "ci_lower", "ci_upper", "status", "is_illustrative"]


def map_indicators(extracted: pd.DataFrame, release, config) -> pd.Series:
    labels = {label: iid for iid, i in config.indicators.items() for label in i["publisher_labels"]}
    ids = match_labels(extracted["indicator_label"], labels)
    if ids.isna().any():
        bad = extracted[ids.isna()]
        raise UnknownIndicatorLabel(f"{bad.iloc[0]['indicator_label']!r} is not a known indicator.",
                                    **where(bad, release, "indicator_label"),
                                    fix="Add the label to publisher_labels in build_data/metadata/indicators.yml.")
    return ids


def check_counts(frame: pd.DataFrame, release) -> None:
    num, den = frame["numerator"], frame["denominator"]
    bad = (num < 0) | (den < 0) | (num > den)
    computed = 100 * num.astype("Float64") / den.astype("Float64").replace(0, pd.NA)
    bad |= (computed - frame["percent"]).abs() > 0.1
    bad = bad.fillna(False)
    if bad.any():
        row = frame[bad]
        raise ValueOutOfRange(f"numerator {row.iloc[0]['numerator']}, denominator {row.iloc[0]['denominator']} "
                              f"and percentage {row.iloc[0]['percent']} do not agree.",
                              **where(row, release, "numerator"),
                              fix="Correct the publisher's value through build_data/metadata/corrections.yml.")


def tidy_audit(extracted: pd.DataFrame, release, config) -> pd.DataFrame:
    frame = extracted.assign(indicator_id=map_indicators(extracted, release, config))
    check_geographies(frame, release, config, "period")
    check_counts(frame, release)
    num = frame["numerator"].to_numpy(dtype=float, na_value=np.nan)
    den = frame["denominator"].to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        lower, upper = stats.wilson_interval(num / den, den)
    frame["value"] = frame["percent"].round(1)
    frame["ci_lower"] = pd.array(np.round(lower * 100, 1), dtype="Float64")
    frame["ci_upper"] = pd.array(np.round(upper * 100, 1), dtype="Float64")
    base = int(config.site["low_reliability_base"])
    frame["status"] = np.where(frame["value"].isna(), "not_available",
                               np.where(frame["denominator"] < base, "low_reliability", "ok"))
    frame["is_illustrative"] = release.is_illustrative
    return frame[AUDIT_COLUMNS]
