"""Tidy tables in, a Frictionless Data Package v2 folder (datapackage.json + data/*.csv) out."""
from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import numpy as np
import numpy as np
import pandas as pd

from . import progress

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
MISSING_VALUES = [
    {"value": "", "label": "blank: no value"},
    {"value": "[c]", "label": "suppressed to protect confidentiality"},
    {"value": "[x]", "label": "not available"},
    {"value": "[z]", "label": "not applicable"},
]
COUNT_LIKE = {"n_respondents", "n", "numerator", "denominator", "value", "ci_lower", "ci_upper", "percent"}


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """Spreadsheets run a cell starting with = + - @ as a formula: a leading apostrophe stops that."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def format_cell(value, field: dict, status: str | None) -> str:
    if is_blank(value):
        if field["type"] in ("integer", "number"):
            # fields.yml may declare a blank number not applicable ([z]) rather than not available
            return "[c]" if status == "suppressed" and field["name"] in COUNT_LIKE else field.get("missing", "[x]")
        return ""
    kind = field["type"]
    if kind == "boolean":
        return "true" if bool(value) else "false"
    if kind == "integer":
        return str(int(value))
    if kind == "number":
        decimals = field.get("decimals")
        return f"{float(value):.{decimals}f}" if decimals is not None else f"{float(value):.10g}"
    return neutralise_formula(str(value))


def csv_bytes(table: pd.DataFrame, spec: dict) -> bytes:
    """Fixed column order and sort, LF, UTF-8 without BOM: the same table always gives the same bytes.
    What csv.writer writes for format_cell's text of each cell, worked out a column at a time (csv_cells)."""
    fields = spec["fields"]
    names = [f["name"] for f in fields]
    table = table[names].sort_values(spec["primary_key"], kind="stable").reset_index(drop=True)
    statuses = table["status"].tolist() if "status" in table else [None] * len(table)
    if len(fields) < 2:   # csv.writer quotes a lone empty cell: a one-column table is left to it
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        writer.writerows([format_cell(v, fields[0], s)] for v, s in zip(table[names[0]].tolist(), statuses))
        return out.getvalue().encode("utf-8")
    columns = [csv_cells(table[f["name"]], f, statuses) for f in fields]
    lines = [",".join(map(csv_quoted, names)), *map(",".join, zip(*columns))]
    return ("\n".join(lines) + "\n").encode("utf-8")


def csv_quoted(text: str) -> str:
    """A cell as csv.writer writes it in a row of two or more (LF line ends): quoted, its quotes doubled, when it
    holds a comma, a quote or a line feed (a carriage return is written as it is)."""
    return '"' + text.replace('"', '""') + '"' if ("," in text or '"' in text or "\n" in text) else text


def only_text(column: pd.Series) -> bool:
    """True when every cell of an object column is text or blank (so equal values are identical)."""
    blank = column.isna()
    return pd.api.types.infer_dtype(column[~blank], skipna=False) in ("string", "empty") and \
        all(is_blank(v) for v in column[blank].tolist())


def is_blank(value) -> bool:
    """format_cell's blank: None, pd.NA or a float NaN."""
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def csv_cells(column: pd.Series, field: dict, statuses: list) -> list[str]:
    """A column in, csv_quoted(format_cell(...)) for each of its cells out (a blank cell's by its row's status).

    Each distinct value is formatted once (pd.factorize), where values factorize treats as equal always give
    the same text: not for Python objects other than text (1, 1.0 and True are equal), nor for a float column
    holding -0.0 (equal to 0.0); those are formatted cell by cell."""
    values = column.to_numpy(dtype="float64", na_value=np.nan) if pd.api.types.is_float_dtype(column.dtype) else None
    if (column.dtype == object and not only_text(column)) or \
            (values is not None and (np.signbit(values) & (values == 0)).any()):
        return [csv_quoted(format_cell(v, field, s)) for v, s in zip(column.tolist(), statuses)]
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    texts = np.array([csv_quoted(format_cell(v, field, None)) for v in uniques.tolist()] + [""], dtype=object)[codes]
    if values is not None:   # a NaN that factorize kept as a value (a nullable float's) is blank too
        codes[np.isnan(values)] = -1
    for i in np.flatnonzero(codes == -1).tolist():
        texts[i] = csv_quoted(format_cell(None, field, statuses[i]))
    return texts.tolist()


def schema_of(spec: dict) -> dict:
    fields = [{k: f[k] for k in ("name", "title", "type", "unit", "description", "constraints") if k in f}
              for f in spec["fields"]]
    schema = {"fields": fields, "missingValues": MISSING_VALUES, "primaryKey": spec["primary_key"]}
    if spec.get("foreign_keys"):
        schema["foreignKeys"] = [
            {"fields": fk["fields"], "reference": {**({"resource": fk["resource"]} if fk["resource"] else {}),
                                                   "fields": fk["reference"]}}
            for fk in spec["foreign_keys"]]
    return schema


def resource_descriptor(name: str, spec: dict, data: bytes, is_illustrative: bool) -> dict:
    description = spec["description"]
    if is_illustrative:
        description += " Contains illustrative data (not real survey results) where is_illustrative is true."
    return {"name": name, "path": f"data/{name}.csv", "title": spec["title"], "description": description,
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "bytes": len(data),
            "hash": "sha256:" + hashlib.sha256(data).hexdigest(), "schema": schema_of(spec)}


GOVERNANCE = ("statistics_status", "next_release", "contact", "revisions_policy", "release_calendar")


def governance_of(site: dict) -> dict:
    """site.yml in, the release governance written into datapackage.json out (dates as text)."""
    out = {k: site[k] for k in GOVERNANCE if k in site}
    if "release_calendar" in out:
        out["release_calendar"] = [{k: str(v) for k, v in entry.items()} for entry in out["release_calendar"]]
    return out


def package_descriptor(config, resources: list[dict]) -> dict:
    site = config.registry.site
    meta, licence = site.package, site.licence
    description = meta.description
    if config.is_illustrative:
        description = site.illustrative_notice.strip() + " " + description
    return {
        "$schema": PROFILE, "name": meta.name,
        "title": meta.title + (" (illustrative data)" if config.is_illustrative else ""),
        "description": description, "version": meta.version,
        "created": f"{meta.released.isoformat()}T00:00:00Z", **({"homepage": meta.homepage} if meta.homepage else {}),
        "keywords": list(meta.keywords), "is_illustrative": config.is_illustrative,
        "licenses": [{"name": licence.name, "title": licence.title, "path": licence.path}],
        "attribution": licence.attribution,
        "sources": [{"title": r.title + (f" — {r.publisher}" if r.publisher else ""), **({"path": r.url} if r.url else {})}
                    for r in config.releases],
        "contributors": [c.model_dump(mode="json", exclude_unset=True) for c in meta.contributors],
        "governance": governance_of(config.site),
        "resources": resources,
    }


def write_package(tables: dict[str, pd.DataFrame], config, folder: Path) -> dict:
    """Write every table named in fields.yml, then datapackage.json; return the descriptor."""
    (folder / "data").mkdir(parents=True, exist_ok=True)
    resources = []
    with progress.stage("write package", total=len(config.fields)) as advance:
        for name, spec in config.fields.items():
            data = csv_bytes(tables[name], spec)
            (folder / "data" / f"{name}.csv").write_bytes(data)
            resources.append(resource_descriptor(name, spec, data, config.is_illustrative))
            advance()
    descriptor = package_descriptor(config, resources)
    text = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
    (folder / "datapackage.json").write_text(text, encoding="utf-8", newline="\n")
    return descriptor
