"""The published package folder in, typed DataFrames out: the only data the render stage may use."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import PackageOutdated

MARKERS = ["[c]", "[x]", "[z]"]


def read_descriptor(folder: Path) -> dict:
    return json.loads((Path(folder) / "datapackage.json").read_text(encoding="utf-8"))


def read_text(folder: Path, resource: dict) -> pd.DataFrame:
    """A published CSV exactly as written: every cell as text, shorthand markers kept."""
    return pd.read_csv(Path(folder) / resource["path"], dtype=str, keep_default_na=False)


def numbers(text: pd.Series, missing: pd.Series, kind: str) -> pd.Series:
    """The column's numbers as Int64 or Float64 (kind "integer" or "number"), NA where `missing`: each cell read by
    Python's float (correctly rounded, as pandas' to_numeric reads these cells, in a third of its time); a column
    of integers reaching beyond float's exact range is read by to_numeric, as before. ValueError for a cell that is not a number."""
    present = ~missing.to_numpy()
    values = np.full(len(text), np.nan)
    values[present] = np.array(text.to_numpy(dtype=object)[present], dtype=np.float64)
    parsed = pd.Series(values, index=text.index)
    if kind == "integer" and (np.abs(values[present]) >= 2 ** 53).any():
        parsed = pd.to_numeric(text.where(~missing), errors="raise")
    return parsed.astype("Int64" if kind == "integer" else "Float64")


def typed_resource(raw: pd.DataFrame, resource: dict) -> pd.DataFrame:
    """A resource's text (read_text) as typed columns; cells holding a shorthand marker keep it in a <name>_marker
    column."""
    typed = {}
    for field in resource["schema"]["fields"]:
        name, kind = field["name"], field["type"]
        text = raw[name]
        if kind in ("integer", "number"):
            is_marker = text.isin(MARKERS)
            typed[name] = numbers(text, is_marker | text.eq(""), kind)
            typed[name + "_marker"] = text.where(is_marker, "")
        elif kind == "boolean":
            typed[name] = text.eq("true")
        else:
            typed[name] = text
    return pd.DataFrame(typed)


def read_resource(folder: Path, resource: dict) -> pd.DataFrame:
    """Typed columns; cells holding a shorthand marker keep it in a <name>_marker column."""
    return typed_resource(read_text(folder, resource), resource)


def read_published(folder: Path, texts: dict | None = None) -> tuple[dict, dict[str, pd.DataFrame]]:
    """The descriptor and every resource typed (read_resource). texts: a dict that keeps each resource's text
    (read_text) by name, for a caller that needs it as well: each CSV is then read once."""
    descriptor = read_descriptor(folder)
    texts = {} if texts is None else texts
    for resource in descriptor["resources"]:
        if resource["name"] not in texts:
            texts[resource["name"]] = read_text(folder, resource)
    return descriptor, {r["name"]: typed_resource(texts[r["name"]], r) for r in descriptor["resources"]}


def published_corrections(folder: Path, tables: dict[str, pd.DataFrame]) -> list[dict]:
    """The package's corrections resource in, its rows as dicts out (blank cells as ""): the site's corrections
    log and "Corrected on" notes come from the published package, not from corrections.yml."""
    if "corrections" not in tables:
        raise PackageOutdated("datapackage.json has no corrections resource (a package built before corrections "
                              "were published).", file=Path(folder) / "datapackage.json",
                              fix="Rebuild the package: python -m build_data build (corrections come from "
                                  "build_data/metadata/corrections.yml).")
    table = tables["corrections"]
    return [{k: ("" if v is pd.NA else v) for k, v in row.items() if not k.endswith("_marker")}
            for row in table.to_dict("records")]
