"""The published package folder in, typed DataFrames out: the only data the render stage may use."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .errors import PackageOutdated

MARKERS = ["[c]", "[x]", "[z]"]


def read_descriptor(folder: Path) -> dict:
    return json.loads((Path(folder) / "datapackage.json").read_text(encoding="utf-8"))


def read_resource(folder: Path, resource: dict) -> pd.DataFrame:
    """Typed columns; cells holding a shorthand marker keep it in a <name>_marker column."""
    raw = pd.read_csv(Path(folder) / resource["path"], dtype=str, keep_default_na=False)
    typed = {}
    for field in resource["schema"]["fields"]:
        name, kind = field["name"], field["type"]
        text = raw[name]
        if kind in ("integer", "number"):
            values = pd.to_numeric(text.where(~text.isin(MARKERS + [""])), errors="raise")
            typed[name] = values.astype("Int64" if kind == "integer" else "Float64")
            typed[name + "_marker"] = text.where(text.isin(MARKERS), "")
        elif kind == "boolean":
            typed[name] = text.eq("true")
        else:
            typed[name] = text
    return pd.DataFrame(typed)


def read_published(folder: Path) -> tuple[dict, dict[str, pd.DataFrame]]:
    descriptor = read_descriptor(folder)
    return descriptor, {r["name"]: read_resource(folder, r) for r in descriptor["resources"]}


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
