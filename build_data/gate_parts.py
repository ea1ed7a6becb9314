"""A large CSV resource validated by Frictionless in parts, at once, with the verdict it gets in one piece.

Frictionless reads a table row by row, in one process: at national scale the largest table alone is most of the
gate's time, whoever else helps. So a resource of PART_BYTES or more is cut into parts at record ends, and each
part is validated by Frictionless itself, as a resource of the same package (the same schema, so the same types,
constraints and foreign keys looked up in the same tables). What one part cannot see is checked across them:

- its dialect: Frictionless sniffs a CSV's dialect from its first PREFIX_LINES lines, so every part begins with
  the file's own first lines (the header and the first rows, validated again in each part, their keys counted
  once) and is sniffed alike;
- uniqueness (the primary key, and each field constrained unique): each part returns an 8-byte digest of every
  row's key as Frictionless parsed it, and a digest seen twice across parts sends the resource to be validated
  whole;
- the file's declared bytes and hash: compared with the file's own (the gate hashes every file anyway).

Only plain resources are cut (see parts_plan: a CSV in UTF-8 with no dialect of its own, keys of string or
integer types, no foreign key into itself). Whenever a part is invalid, or anything across parts is in doubt,
the whole resource is validated again in one piece, so every error reported is Frictionless's own, with its own
row numbers: cutting can only make a valid resource faster, never change a verdict or a message.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

PART_BYTES = 40 << 20    # a resource of twice this or more is validated in parts of about this size
PREFIX_LINES = 100       # lines Frictionless's CSV parser sniffs the dialect from (formats/csv/parser.py)
KEY_TYPES = {"string", "integer", "year"}   # parsed to str or int: equal values have equal repr
PLAIN = {"name", "type", "title", "description", "path", "scheme", "format", "mediatype", "encoding", "bytes",
         "hash", "schema", "sources", "licenses"}


def parts_plan(folder: Path, resource: dict, sha256: str | None) -> list[dict] | None:
    """One resource's descriptor in; the parts to validate it in (each a job item for validate_part), or None
    when it is validated whole: too small, not plain, or its declared bytes or hash differ from the file's
    (Frictionless then says so, in its words)."""
    path = resource.get("path")
    if not isinstance(path, str) or set(resource) - PLAIN or resource.get("format") != "csv":
        return None
    if resource.get("scheme", "file") != "file" or str(resource.get("encoding", "")).lower() not in ("utf-8", "utf8"):
        return None
    if not plain_keys(resource.get("schema"), resource["name"]):
        return None
    file = folder / path
    try:
        size = file.stat().st_size
    except OSError:
        return None
    declared_hash = resource.get("hash")
    if size < 2 * PART_BYTES or resource.get("bytes", size) != size or sha256 is None or (
            declared_hash is not None and declared_hash != f"sha256:{sha256}"):
        return None
    data = file.read_bytes()
    prefix = prefix_end(data)
    if prefix is None:
        return None
    cuts = record_ends(data, prefix, round(size / PART_BYTES))
    edges = [0] + cuts + [len(data)]
    return [{"resource": resource["name"], "part": k, "parts": len(edges) - 1, "prefix": prefix,
             "start": edges[k], "end": edges[k + 1]} for k in range(len(edges) - 1)]


def plain_keys(schema, name: str) -> bool:
    """Its keys are of types whose parsed values are equal exactly when their repr is, and no foreign key
    looks into the resource itself (a part would see only its own rows)."""
    if not isinstance(schema, dict):
        return False
    types = {f.get("name"): f.get("type", "string") for f in schema.get("fields", []) if isinstance(f, dict)}
    primary = schema.get("primaryKey") or []
    keyed = ([primary] if isinstance(primary, str) else list(primary)) + [
        f.get("name") for f in schema.get("fields", []) if isinstance(f, dict) and
        isinstance(f.get("constraints"), dict) and f["constraints"].get("unique")]
    if any(types.get(field) not in KEY_TYPES for field in keyed):
        return False
    for fk in schema.get("foreignKeys", []):
        reference = fk.get("reference") if isinstance(fk, dict) else None
        if not isinstance(reference, dict) or reference.get("resource") in (None, "", name):
            return False
    return True


def prefix_end(data: bytes) -> int | None:
    """Where the file's first PREFIX_LINES lines end, when each of them is a whole record (an even number of
    quote characters before each line end: no quoted field runs on to the next line), so that the rows a
    part skips are counted by lines; else None."""
    end = 0
    for _ in range(PREFIX_LINES):
        start, end = end, data.find(b"\n", end) + 1
        if end == 0 or data.count(b'"', start, end) % 2:
            return None
    return end


def record_ends(data: bytes, after: int, parts: int) -> list[int]:
    """Up to parts - 1 cut points, each just after a line end that is outside any quoted field (an even
    number of quote characters before it), beyond the prefix and spread evenly by bytes."""
    cuts: list[int] = []
    for k in range(1, parts):
        at = max(after, k * len(data) // parts, cuts[-1] if cuts else 0)
        while True:
            at = data.find(b"\n", at) + 1
            if at == 0 or at >= len(data):
                return cuts
            if data.count(b'"', 0, at) % 2 == 0:
                break
        cuts.append(at)
    return cuts


def digest(value) -> bytes:
    return hashlib.blake2b(repr(value).encode("utf-8"), digest_size=8).digest()


def validate_part(package, folder: Path, job: dict) -> dict:
    """One part validated by Frictionless as a resource of the package (run in a worker process); its verdict,
    first errors (Frictionless's, with the part's own row numbers: only ever used to decide), and the digests
    of its rows' keys, as validate_resources reports a resource."""
    import frictionless
    whole = package.get_resource(job["resource"])
    with open(folder / whole.path, "rb") as f:
        prefix = f.read(job["prefix"]) if job["part"] else b""
        f.seek(job["start"])
        body = f.read(job["end"] - job["start"])
    names = set(package.resource_names)
    name = next(f"{whole.name}-part-{job['part']}{'-' * n}" for n in range(len(names) + 1)
                if f"{whole.name}-part-{job['part']}{'-' * n}" not in names)
    part = frictionless.Resource(prefix + body, format="csv", encoding=whole.encoding, name=name,
                                 schema=whole.schema, datapackage_version=getattr(whole, "_datapackage_version", None))
    package.add_resource(part)
    skip = PREFIX_LINES if job["part"] else 1     # the header is row 1; the repeated prefix rows are counted once
    primary = list(whole.schema.primary_key)
    unique = [f.name for f in whole.schema.fields if f.constraints.get("unique")]
    keys, uniques = bytearray(), {field: bytearray() for field in unique}
    case = part.dialect.header_case

    def on_row(row):
        if row.row_number <= skip:
            return
        if primary:
            try:
                keys.extend(digest(part.primary_key_cells(row, case)))
            except KeyError:
                pass   # a missing label: Frictionless has already made the part invalid
        for field in unique:
            if row.get(field) is not None:
                uniques[field].extend(digest(row[field]))

    report = part.validate(on_row=on_row)
    try:
        whole.to_descriptor(validate=True)
        described = True
    except frictionless.FrictionlessException:
        described = False
    package.remove_resource(name)
    return {"resource": whole.name, "part": job["part"], "parts": job["parts"], "valid": report.valid and described,
            "errors": [], "keys": bytes(keys), "uniques": {f: bytes(v) for f, v in uniques.items()}}


def seen_twice(chunks: list[bytes]) -> bool:
    """Whether any 8-byte digest occurs twice in the chunks together."""
    import numpy as np
    values = np.concatenate([np.frombuffer(c, dtype=np.uint64) for c in chunks]) if chunks else np.zeros(0, "u8")
    return len(np.unique(values)) != len(values)


def merged(results: list[dict], validate_whole) -> list[dict]:
    """Results with parts in; one result per resource out, in first-seen order. A resource whose parts all
    passed and whose keys are unique across them passed; any other is validated whole (validate_whole(name)
    -> its result), so what is reported is Frictionless's verdict on the resource in one piece."""
    out, parts = [], {}
    for r in results:
        if "part" in r:
            if r["resource"] not in parts:
                out.append(r["resource"])
            parts.setdefault(r["resource"], []).append(r)
        else:
            out.append(r)
    for i, item in enumerate(out):
        if not isinstance(item, str):
            continue
        got = parts[item]
        cpu = sum(r.get("cpu_s", 0.0) for r in got)
        unique_fields = got[0]["uniques"].keys()
        whole_ok = (len(got) == got[0]["parts"] and all(r["valid"] for r in got)
                    and not seen_twice([r["keys"] for r in got])
                    and not any(seen_twice([r["uniques"][f] for r in got]) for f in unique_fields))
        if whole_ok:
            out[i] = {"resource": item, "valid": True, "errors": [], "cpu_s": cpu, "parts": len(got),
                      "peak_rss_mb": max(r.get("peak_rss_mb", 0.0) for r in got)}
        else:
            again = validate_whole(item)
            out[i] = dict(again, cpu_s=again.get("cpu_s", 0.0) + cpu, validated_whole_after_parts=True)
    return out

