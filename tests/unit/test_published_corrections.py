"""Corrections are published in the package (a corrections resource) and the site reads them from there."""
from __future__ import annotations

import datetime
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from build_data.changes_page import corrections_section
from build_data.errors import PackageOutdated
from build_data.package import csv_bytes, resource_descriptor
from build_data.published import published_corrections, read_published
from build_data.reference import corrections_table

FIELDS = yaml.safe_load((Path(__file__).resolve().parents[2] / "build_data/metadata/fields.yml").read_text(encoding="utf-8"))
ENTRY = {"release_id": "cpes-2023", "file": "cpes-2023/results.csv", "row": 2, "column": "Percentage Positive (%)",
         "was": "150.0", "value": "77.0", "reason": "The publisher's erratum.", "date": datetime.date(2026, 1, 2),
         "status": "reported"}


def publish(folder: Path, entries: list[dict]) -> None:
    spec = FIELDS["corrections"]
    data = csv_bytes(corrections_table(SimpleNamespace(corrections=tuple(entries))), spec)
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "corrections.csv").write_bytes(data)
    descriptor = {"resources": [resource_descriptor("corrections", spec, data, False)]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def test_a_correction_in_corrections_yml_is_published_and_read_back(tmp_path):
    publish(tmp_path, [ENTRY])
    assert (tmp_path / "data/corrections.csv").read_text(encoding="utf-8").splitlines() == [
        "release_id,file,row,column,was,value,reason,date,status,question_id",
        "cpes-2023,cpes-2023/results.csv,2,Percentage Positive (%),150.0,77.0,The publisher's erratum.,2026-01-02,reported,"]
    _, tables = read_published(tmp_path)
    [read] = published_corrections(tmp_path, tables)
    assert (read["date"], read["row"], read["question_id"]) == ("2026-01-02", 2, "")
    page = "\n".join(corrections_section([read]))
    assert "| 2026-01-02 | cpes-2023 | cpes-2023/results.csv row 2, Percentage Positive (%): 150.0 → 77.0 |" in page


def test_no_corrections_publish_a_header_only_table(tmp_path):
    publish(tmp_path, [])
    _, tables = read_published(tmp_path)
    assert published_corrections(tmp_path, tables) == []
    assert "We have not had to correct any published number." in "\n".join(corrections_section([]))


def test_a_package_without_corrections_is_refused_with_the_fix(tmp_path):
    with pytest.raises(PackageOutdated) as error:
        published_corrections(tmp_path, {"experience_results": None})
    assert "python -m build_data build" in error.value.fix and "datapackage.json" in str(error.value.file)
