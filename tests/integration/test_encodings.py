"""Raw CSVs saved as Windows-1252 (Excel on Windows) or UTF-8 with a byte-order mark build as declared."""
from __future__ import annotations

import re
from pathlib import Path

from support import first_row, read_rows, set_cell, set_release_field, source_path, tree_digest, warm_cache, write_rows

REPO = Path(__file__).resolve().parents[2]


def test_build_reads_cp1252_and_byte_order_mark_csvs(project_copy, cli):
    warm_cache(project_copy)   # the releases not edited here come from the release cache
    rows = read_rows(project_copy, "cpes-2023")
    set_cell(rows, first_row(rows, {"Org Code": "ZZT001"}), "Org Name",
             "Korvelley Café and St Mary’s Hospitals Trust (illustrative)")
    set_release_field(project_copy, "cpes-2023", "encoding", "cp1252")
    write_rows(project_copy, "cpes-2023", rows, encoding="cp1252")
    assert b"Caf\xe9 and St Mary\x92s" in source_path(project_copy, "cpes-2023").read_bytes()
    # The 2024 file starts with a byte-order mark; declared plain utf-8, the mark must not become a heading.
    set_release_field(project_copy, "cpes-2024", "encoding", "utf-8")
    assert source_path(project_copy, "cpes-2024").read_bytes().startswith(b"\xef\xbb\xbf")

    result = cli(project_copy, "build")

    assert result.returncode == 0, result.stderr
    # Both edited releases were read from their files again, not taken from the release cache.
    read = re.search(r"release cache: \d+ release\(s\) reused, \d+ read and protected \(([^)]*)\)", result.stderr)
    assert read and {"cpes-2023", "cpes-2024"} <= set(read.group(1).split(", ")), result.stderr
    # Names are published from geographies.csv, so the package is exactly the committed one.
    assert tree_digest(project_copy / "datapackage") == tree_digest(REPO / "datapackage")
