"""Tidy tables in, a Frictionless Data Package v2 folder (datapackage.json + data/*.csv) out."""
from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

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
    What csv.writer writes for format_cell's text of each cell, worked out a column at a time (csv_cells) on the
    rows as given, then put in the primary key's order (sorted_positions). Each column of text, integers or
    booleans is factorized once (factorized), for both."""
    fields = spec["fields"]
    names = [f["name"] for f in fields]
    table = table[names]
    coded = {name: factorized(table[name]) for name in names}
    order = sorted_positions(table, spec["primary_key"], coded)
    statuses = Statuses(table["status"] if "status" in table else None, len(table), coded.get("status"))
    if len(fields) < 2:   # csv.writer quotes a lone empty cell: a one-column table is left to it
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        cells, status = table[names[0]].tolist(), statuses.each()
        writer.writerows([format_cell(cells[i], fields[0], status[i])] for i in order.tolist())
        return out.getvalue().encode("utf-8")
    columns = [csv_cells(table[f["name"]], f, statuses, coded[f["name"]])[order].tolist() for f in fields]
    lines = [",".join(map(csv_quoted, names)), *map(",".join, zip(*columns))]
    return ("\n".join(lines) + "\n").encode("utf-8")


def factorized(column: pd.Series) -> tuple[np.ndarray, object] | None:
    """pd.factorize(column, sort=True) (missing values -1) for a column of text, integers or booleans, whose equal
    values factorize as one (text as an object array of str: cheaper to hash than the str dtype's own factorize);
    None for any other column (floats, Python objects other than text)."""
    if pd.api.types.is_string_dtype(column.dtype) and (column.dtype != object or only_text(column)):
        values = column.to_numpy(dtype=object)
    elif pd.api.types.is_integer_dtype(column.dtype) or pd.api.types.is_bool_dtype(column.dtype):
        values = column.array if column.hasnans else column.to_numpy()
    else:
        return None
    return pd.factorize(values, sort=True, use_na_sentinel=True)


def sorted_positions(table: pd.DataFrame, keys: list[str], coded: dict | None = None) -> np.ndarray:
    """The row positions in the order table.sort_values(keys, kind="stable") puts them (missing values last).

    The keys' sorted codes (factorized; coded holds those already made) are combined into one integer per row,
    much cheaper to sort stably than the columns; a key that is not factorized, or a combination too large for
    one integer, is left to pandas."""
    combined, span = np.zeros(len(table), dtype=np.int64), 1
    for key in keys:
        done = coded[key] if coded is not None and key in coded else factorized(table[key])
        if done is None:
            return positions_by_pandas(table, keys)
        codes, uniques = done
        size = len(uniques) + 1     # a missing value (code -1) sorts after every value
        if span > np.iinfo(np.int64).max // size:
            return positions_by_pandas(table, keys)
        combined = combined * size + np.where(codes < 0, len(uniques), codes)
        span *= size
    return np.argsort(combined, kind="stable")


def positions_by_pandas(table: pd.DataFrame, keys: list[str]) -> np.ndarray:
    return table[keys].reset_index(drop=True).sort_values(keys, kind="stable").index.to_numpy()


class Statuses:
    """A table's status column (or none) as codes and distinct values: a blank cell's text depends on its status."""

    def __init__(self, column: pd.Series | None, rows: int, coded: tuple | None = None):
        if column is None:
            self.codes, self.values = np.zeros(rows, dtype=np.intp), [None]
            return
        codes, uniques = coded if coded is not None else pd.factorize(column.to_numpy(dtype=object))
        self.values = [*uniques.tolist(), None]      # a missing status (code -1) is the last
        self.codes = np.where(codes < 0, len(self.values) - 1, codes)

    def each(self) -> list:
        """Each row's status."""
        return [self.values[code] for code in self.codes.tolist()]

    def blank_texts(self, field: dict) -> np.ndarray:
        """csv_quoted(format_cell(<blank>, field, status)) for each distinct status, in codes' order."""
        return np.array([csv_quoted(format_cell(None, field, s)) for s in self.values], dtype=object)


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


def csv_cells(column: pd.Series, field: dict, statuses: Statuses, coded: tuple | None = None) -> np.ndarray:
    """A column in, csv_quoted(format_cell(...)) for each of its cells out, as an object array in the column's
    order (a blank cell's by its row's status). coded: the column factorized, if it was.

    Each distinct value is formatted once (pd.factorize), where values factorize treats as equal always give
    the same text: not for Python objects other than text (1, 1.0 and True are equal), nor for a float column
    holding -0.0 (equal to 0.0); those are formatted cell by cell."""
    values = column.to_numpy(dtype="float64", na_value=np.nan) if pd.api.types.is_float_dtype(column.dtype) else None
    if coded is None and ((column.dtype == object and not only_text(column)) or
                          (values is not None and (np.signbit(values) & (values == 0)).any())):
        texts = np.empty(len(column), dtype=object)
        texts[:] = [csv_quoted(format_cell(v, field, s)) for v, s in zip(column.tolist(), statuses.each())]
        return texts
    codes, uniques = coded if coded is not None else pd.factorize(column, use_na_sentinel=True)
    texts = np.array([csv_quoted(format_cell(v, field, None)) for v in uniques.tolist()] + [""], dtype=object)[codes]
    if values is not None:   # a NaN that factorize kept as a value (a nullable float's) is blank too
        codes = np.where(np.isnan(values), -1, codes)
    blank = codes == -1
    if blank.any():
        texts[blank] = statuses.blank_texts(field)[statuses.codes[blank]]
    return texts


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
