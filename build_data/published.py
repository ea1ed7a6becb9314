"""The published package folder in, typed DataFrames out: the only data the render stage may use."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

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
