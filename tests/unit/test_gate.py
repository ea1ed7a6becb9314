"""The gate: a resource is re-validated unless its bytes and description are exactly those validated last;
the rest are validated in parallel, and the merged report still names resource, row and column."""
import copy
import json

import frictionless
import pytest

from build_data import checks, gate
from build_data.errors import PackageInvalid

MISSING = [{"value": "", "label": "blank"}, {"value": "[c]", "label": "suppressed"}]
PLACES = "code,name\nA1,Alpha\nB2,Beta\nC3,Gamma\n"
SCORES = "code,year,value\nA1,2024,81.5\nB2,2024,[c]\nC3,2024,77.0\nA1,2025,80.1\n"


def descriptor(places_schema=None) -> dict:
    places = places_schema or {"fields": [{"name": "code", "type": "string"}, {"name": "name", "type": "string"}],
                               "primaryKey": ["code"], "missingValues": MISSING}
    scores = {"fields": [{"name": "code", "type": "string"}, {"name": "year", "type": "integer"},
                         {"name": "value", "type": "number", "constraints": {"minimum": 0, "maximum": 100}}],
              "primaryKey": ["code", "year"], "missingValues": MISSING,
              "foreignKeys": [{"fields": ["code"], "reference": {"resource": "places", "fields": ["code"]}}]}
    return {"$schema": "https://datapackage.org/profiles/2.0/datapackage.json", "name": "gate-test",
            "resources": [{"name": "places", "path": "data/places.csv", "format": "csv", "encoding": "utf-8",
                           "schema": places},
                          {"name": "scores", "path": "data/scores.csv", "format": "csv", "encoding": "utf-8",
                           "schema": scores}]}


def write(folder, places=PLACES, scores=SCORES, desc=None):
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "data" / "places.csv").write_text(places, encoding="utf-8")
    (folder / "data" / "scores.csv").write_text(scores, encoding="utf-8")
    (folder / "datapackage.json").write_text(json.dumps(desc or descriptor(), indent=1), encoding="utf-8")
    return folder


@pytest.fixture
def package(tmp_path):
    return write(tmp_path / "pkg"), tmp_path / "cache" / "frictionless.json"


def test_same_bytes_and_schema_are_skipped(package):
    folder, record = package
    problems, done = gate.validate_package(folder, record)
    assert problems == [] and sorted(done["validated"]) == ["places", "scores"] and done["skipped"] == []
    problems, done = gate.validate_package(folder, record)
    assert problems == [] and done["validated"] == [] and sorted(done["skipped"]) == ["places", "scores"]


def test_a_changed_byte_revalidates_the_resource_and_those_that_look_it_up(package):
    folder, record = package
    gate.validate_package(folder, record)
    write(folder, scores=SCORES.replace("81.5", "81.7"))
    _, done = gate.validate_package(folder, record)
    assert done["validated"] == ["scores"] and done["skipped"] == ["places"]
    # places is looked up by scores' foreign key: a change to it re-validates both
    write(folder, places=PLACES.replace("Gamma", "Gamma Vale"), scores=SCORES.replace("81.5", "81.7"))
    _, done = gate.validate_package(folder, record)
    assert sorted(done["validated"]) == ["places", "scores"] and done["skipped"] == []


def test_a_changed_schema_revalidates_even_with_the_same_bytes(package):
    folder, record = package
    gate.validate_package(folder, record)
    stricter = copy.deepcopy(descriptor())
    stricter["resources"][1]["schema"]["fields"][2]["constraints"]["maximum"] = 81
    write(folder, desc=stricter)
    problems, done = gate.validate_package(folder, record)
    assert done["validated"] == ["scores"]
    assert problems == ["scores row 2 column value: " + problems[0].split(": ", 1)[1]]
    assert "81.5" in problems[0] and "81" in problems[0]


def test_a_failing_resource_names_row_and_column_and_is_not_recorded(package):
    folder, record = package
    write(folder, scores=SCORES.replace("77.0", "seventy"))
    with pytest.raises(PackageInvalid) as caught:
        checks.validate_frictionless(folder, record=record)
    text = caught.value.message()
    assert "scores row 4 column value:" in text and "seventy" in text
    # places passed and is recorded; the failing scores is not, so it is validated again next time
    problems, done = gate.validate_package(folder, record)
    assert done["validated"] == ["scores"] and done["skipped"] == ["places"] and problems


def test_the_merged_parallel_report_matches_frictionless_own(package, monkeypatch):
    folder, record = package
    write(folder, places=PLACES + "B2,Beta again\n",                               # duplicate primary key
          scores=SCORES.replace("77.0", "177.0").replace("A1,2025", "Z9,2025"))    # out of range; unknown place
    monkeypatch.setattr(gate, "pool_size", lambda jobs: 2)                         # two workers even on one core
    monkeypatch.setattr(gate, "SMALL", 0)                                          # one job per resource
    monkeypatch.setattr(gate, "PARALLEL_FROM", 0)                                  # worker processes, however small
    problems, done = gate.validate_package(folder, record)
    theirs = frictionless.validate(str(folder / "datapackage.json"))
    expected = [t.name + (f" row {e.row_number}" if getattr(e, "row_number", None) else "")
                + (f" column {gate.column_of(e)}" if gate.column_of(e) else "") + f": {e.message}"
                for t in theirs.tasks for e in t.errors[:gate.ERRORS_PER_RESOURCE]]
    assert problems == expected
    assert [p.split(" row ")[0] for p in problems] == ["places", "scores", "scores"]
    assert problems[0].startswith("places row 5: ") and problems[1].startswith("scores row 4 column value: ")
    assert problems[2].startswith("scores row 5 column code: ")
    assert not record.exists() or json.loads(record.read_text()) == {}


def test_broken_package_metadata_is_reported_as_the_package(package):
    folder, record = package
    broken = descriptor()
    broken["resources"][0]["schema"]["fields"][0]["type"] = "no-such-type"
    write(folder, desc=broken)
    problems, done = gate.validate_package(folder, record)
    assert problems and all(p.startswith("package: ") for p in problems) and done["validated"] == []


def test_big_resources_get_a_job_each_largest_first_and_small_ones_share_one():
    sizes = {"a": 10, "b": 5 << 20, "c": 20, "d": 9 << 20}
    assert gate.batches(["a", "b", "c", "d"], sizes) == [["d"], ["b"], ["a", "c"]]
    assert gate.batches(["a"], sizes) == [["a"]]


def test_a_missing_data_file_is_reported_not_a_crash(package):
    folder, record = package
    (folder / "data" / "scores.csv").unlink()
    problems, done = gate.validate_package(folder, record)
    assert any(p.startswith("scores: ") for p in problems), problems


def test_without_worker_processes_it_validates_one_at_a_time(package, monkeypatch, caplog):
    folder, record = package
    write(folder, scores=SCORES.replace("77.0", "seventy"))
    monkeypatch.setattr(gate, "SMALL", 0)
    monkeypatch.setattr(gate, "PARALLEL_FROM", 0)
    monkeypatch.setattr(gate, "pool_size", lambda jobs: 2)

    def no_processes(*args):
        raise OSError("no semaphores here")
    monkeypatch.setattr(gate, "worker_pool", no_processes)
    problems, done = gate.validate_package(folder, record)
    assert sorted(done["validated"]) == ["places", "scores"]
    assert len(problems) == 1 and problems[0].startswith("scores row 4 column value: ")
    assert "one resource at a time (no semaphores here)" in caplog.text


def test_a_small_package_is_validated_in_this_process(package, monkeypatch):
    folder, record = package
    monkeypatch.setattr(gate, "SMALL", 0)

    def no_pool(*args):
        raise AssertionError("worker processes started for a small package")
    monkeypatch.setattr(gate, "worker_pool", no_pool)
    problems, done = gate.validate_package(folder, record)
    assert problems == [] and sorted(done["validated"]) == ["places", "scores"]
