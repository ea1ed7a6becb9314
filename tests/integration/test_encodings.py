"""Raw CSVs saved as Windows-1252 (Excel on Windows) or UTF-8 with a byte-order mark build as declared.

Run on the tiny project (conftest.tiny_project: the same code, metadata and publisher layout, few places; its
last CPES year starts with a byte-order mark, as the repository's does): how a file is decoded does not depend on
the data's size."""
from __future__ import annotations

import re

from support import first_row, read_rows, set_cell, set_release_field, source_path, tree_digest, write_rows


def test_build_reads_cp1252_and_byte_order_mark_csvs(tiny_project, cli):
    published = tree_digest(tiny_project / "datapackage")   # the tiny project's first build, from its raw files
    rows = read_rows(tiny_project, "cpes-2023")
    set_cell(rows, first_row(rows, {"Org Code": "ZZT001"}), "Org Name",
             "Korvelley Café and St Mary’s Hospitals Trust (illustrative)")
    set_release_field(tiny_project, "cpes-2023", "encoding", "cp1252")
    write_rows(tiny_project, "cpes-2023", rows, encoding="cp1252")
    assert b"Caf\xe9 and St Mary\x92s" in source_path(tiny_project, "cpes-2023").read_bytes()
    # The 2024 file starts with a byte-order mark; declared plain utf-8, the mark must not become a heading.
    set_release_field(tiny_project, "cpes-2024", "encoding", "utf-8")
    assert source_path(tiny_project, "cpes-2024").read_bytes().startswith(b"\xef\xbb\xbf")

    result = cli(tiny_project, "build")

    assert result.returncode == 0, result.stderr
    # Both edited releases were read from their files again, not taken from the release cache.
    read = re.search(r"release cache: \d+ release\(s\) reused, \d+ read and protected \(([^)]*)\)", result.stderr)
    assert read and {"cpes-2023", "cpes-2024"} <= set(read.group(1).split(", ")), result.stderr
    # Names are published from geographies.csv, so the package is exactly the one built before the edits.
    assert tree_digest(tiny_project / "datapackage") == published
