"""A large resource validated in parts gets exactly the verdict, and the messages, it gets in one piece: each
case is validated both ways and the problems compared, and the parts are checked to have been used."""
import hashlib
import json

import pytest

from build_data import gate, gate_parts

MISSING = [{"value": "", "label": "blank"}, {"value": "[c]", "label": "suppressed"}]
PLACES = "code,name\n" + "".join(f"P{i},Place {i}\n" for i in range(40))


def scores_rows(n=1200) -> list[str]:
    """Rows keyed by (code, year); a note that is quoted, with commas, and now and then runs over two lines."""
    rows = []
    for i in range(n):
        note = f'"note {i}, with ""quotes"""' if i % 7 else (f'"two\nlines {i}"' if i > 150 else "plain")
        rows.append(f"P{i % 40},{2000 + i // 40},{i % 97}.5,T{i},{note}\n")
    return rows


def descriptor(scores_bytes: bytes, hash_value: str | None = None, unique_tag: bool = True) -> dict:
    tag = {"name": "tag", "type": "string", **({"constraints": {"unique": True}} if unique_tag else {})}
    scores = {"fields": [{"name": "code", "type": "string"}, {"name": "year", "type": "integer"},
                         {"name": "value", "type": "number", "constraints": {"minimum": 0, "maximum": 100}},
                         tag, {"name": "note", "type": "string"}],
              "primaryKey": ["code", "year"], "missingValues": MISSING,
              "foreignKeys": [{"fields": ["code"], "reference": {"resource": "places", "fields": ["code"]}}]}
    places = {"fields": [{"name": "code", "type": "string"}, {"name": "name", "type": "string"}],
              "primaryKey": ["code"], "missingValues": MISSING}
    return {"$schema": "https://datapackage.org/profiles/2.0/datapackage.json", "name": "parts-test",
            "resources": [{"name": "places", "path": "data/places.csv", "format": "csv", "encoding": "utf-8",
                           "schema": places},
                          {"name": "scores", "path": "data/scores.csv", "format": "csv", "encoding": "utf-8",
                           "bytes": len(scores_bytes),
                           "hash": hash_value or "sha256:" + hashlib.sha256(scores_bytes).hexdigest(),
                           "schema": scores}]}


def write(folder, rows, **options):
    data = ("code,year,value,tag,note\n" + "".join(rows)).encode("utf-8")
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "data" / "places.csv").write_text(PLACES, encoding="utf-8")
    (folder / "data" / "scores.csv").write_bytes(data)
    (folder / "datapackage.json").write_text(json.dumps(descriptor(data, **options)), encoding="utf-8")
    return folder


def both_ways(tmp_path, monkeypatch, rows, **options):
    """(problems validated in parts, problems validated whole, the parts' jobs)."""
    folder = write(tmp_path / "pkg", rows, **options)
    size = (folder / "data" / "scores.csv").stat().st_size
    monkeypatch.setattr(gate_parts, "PART_BYTES", size // 4)
    with gate.start_validation(folder) as validation:
        jobs = sorted((item for job in validation.jobs for item in job if isinstance(item, dict)),
                      key=lambda item: item["part"])
        in_parts, done = validation.finish()
    assert done["in_parts"] == ([] if in_parts else ["scores"])   # passed in parts, or validated whole again
    monkeypatch.setattr(gate_parts, "PART_BYTES", 10 * size)
    whole, _ = gate.validate_package(folder)
    return in_parts, whole, jobs


def test_a_valid_resource_passes_in_parts_that_cover_it(tmp_path, monkeypatch):
    in_parts, whole, jobs = both_ways(tmp_path, monkeypatch, scores_rows())
    assert in_parts == whole == []
    assert len(jobs) == 4 and jobs[0]["start"] == 0 and jobs[-1]["end"] == (tmp_path / "pkg/data/scores.csv").stat().st_size
    assert all(a["end"] == b["start"] for a, b in zip(jobs, jobs[1:]))


@pytest.mark.parametrize("change", ["type error late", "foreign key in a middle part", "duplicate key across parts",
                                   "duplicate after parsing", "duplicate unique field", "blank row late"])
def test_an_error_anywhere_gets_frictionless_own_report_of_the_whole(tmp_path, monkeypatch, change):
    rows = scores_rows()
    if change == "type error late":
        rows[1100] = rows[1100].replace(".5,", ".5x,", 1)
    elif change == "foreign key in a middle part":
        rows[600] = "Q9" + rows[600][rows[600].index(","):]
    elif change == "duplicate key across parts":    # row 400 is past the first lines every part repeats
        rows[1150] = rows[400].replace(",T400,", ",T1150,")
    elif change == "duplicate after parsing":     # 2010 and 02010 are the same integer to Frictionless
        rows[1150] = rows[400].replace(",2010,", ",02010,").replace(",T400,", ",T1150,")
    elif change == "duplicate unique field":
        rows[1150] = rows[1150].replace(",T1150,", ",T400,")
    else:
        rows.insert(1000, "\n")
    in_parts, whole, jobs = both_ways(tmp_path, monkeypatch, rows)
    assert len(jobs) >= 3 and whole and in_parts == whole


def test_a_part_never_starts_inside_a_quoted_line_break(tmp_path):
    data = write(tmp_path / "pkg", scores_rows()).joinpath("data", "scores.csv").read_bytes()
    prefix = gate_parts.prefix_end(data)
    cuts = gate_parts.record_ends(data, prefix, 40)
    assert len(cuts) >= 30 and cuts == sorted(set(cuts)) and cuts[0] > prefix
    for cut in cuts:
        assert data[cut - 1:cut] == b"\n" and data.count(b'"', 0, cut) % 2 == 0


def test_what_is_not_plain_is_validated_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(gate_parts, "PART_BYTES", 1000)
    folder = write(tmp_path / "pkg", scores_rows())
    desc = json.loads((folder / "datapackage.json").read_text())
    scores = desc["resources"][1]
    sha = gate.file_sha256(folder / "data" / "scores.csv")
    assert gate_parts.parts_plan(folder, scores, sha)
    assert gate_parts.parts_plan(folder, {**scores, "dialect": {"delimiter": ";"}}, sha) is None
    assert gate_parts.parts_plan(folder, {**scores, "hash": "sha256:" + "0" * 64}, sha) is None
    assert gate_parts.parts_plan(folder, {**scores, "bytes": 5}, sha) is None
    assert gate_parts.parts_plan(folder, {**scores, "encoding": "latin-1"}, sha) is None
    number_key = {**scores["schema"], "primaryKey": ["value"]}
    assert gate_parts.parts_plan(folder, {**scores, "schema": number_key}, sha) is None
    into_itself = {**scores["schema"], "foreignKeys": [{"fields": ["code"], "reference": {"fields": ["tag"]}}]}
    assert gate_parts.parts_plan(folder, {**scores, "schema": into_itself}, sha) is None
    quoted_break_early = scores_rows()
    quoted_break_early[5] = 'P5,2000,1.5,T5,"a\nb"\n'
    write(tmp_path / "other", quoted_break_early)
    data = (tmp_path / "other" / "data" / "scores.csv").read_bytes()
    assert gate_parts.prefix_end(data) is None


def test_a_wrong_declared_hash_is_reported_as_frictionless_reports_it(tmp_path, monkeypatch):
    in_parts, whole, jobs = both_ways(tmp_path, monkeypatch, scores_rows(), hash_value="sha256:" + "0" * 64)
    assert jobs == [] and whole and in_parts == whole and "hash" in " ".join(whole)


def test_a_part_lost_or_a_key_seen_twice_sends_the_resource_to_be_validated_whole():
    part = {"resource": "scores", "parts": 2, "valid": True, "keys": b"\x01" * 8, "uniques": {}}
    again = []

    def whole(name):
        again.append(name)
        return {"resource": name, "valid": False, "errors": [{"row": 3, "column": None, "message": "m"}]}

    assert gate_parts.merged([dict(part, part=0)], whole)[0]["valid"] is False and again == ["scores"]
    assert gate_parts.merged([dict(part, part=0), dict(part, part=1)], whole)[0]["valid"] is False
    other = dict(part, part=1, keys=b"\x02" * 8)
    merged = gate_parts.merged([{"resource": "places", "valid": True}, dict(part, part=0), other], whole)
    assert [r["resource"] for r in merged] == ["places", "scores"] and merged[1]["valid"] and len(again) == 2


def test_a_resource_that_passed_in_parts_is_recorded_and_skipped_next_time(tmp_path, monkeypatch):
    folder = write(tmp_path / "pkg", scores_rows())
    monkeypatch.setattr(gate_parts, "PART_BYTES", (folder / "data" / "scores.csv").stat().st_size // 3)
    record = tmp_path / "cache" / "frictionless.json"
    assert gate.validate_package(folder, record)[1]["validated"] == ["places", "scores"]
    assert gate.validate_package(folder, record)[1]["skipped"] == ["places", "scores"]
