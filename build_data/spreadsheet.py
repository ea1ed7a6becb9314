"""Published tables in, an accessible .xlsx out, laid out as the UK government guidance on
releasing statistics in spreadsheets asks: cover, contents and notes sheets, one table per sheet,
title in A1, no merged cells, no blank rows or columns inside a table."""
from __future__ import annotations

import datetime as dt
import io

import xlsxwriter

from .package import neutralise_formula
from .zipfiles import normalise_zip

SHORTHAND_NOTE = ("[c] suppressed to protect confidentiality; [x] not available; [z] not applicable "
                  "(a text cell left blank in the CSV files). "
                  "A status of low_reliability is shown as [u] on the website.")
NOTES = [SHORTHAND_NOTE,
         "Confidence intervals are 95% Wilson score intervals for percentages.",
         "Results are not adjusted for case mix and must not be used to rank organisations."]
# A table longer than this is in the CSV only: a sheet that long is unusable to read (and past about a
# million rows Excel cannot open it at all); the Contents sheet says where to find it.
MAX_SHEET_ROWS = 50_000
TABLE_START_ROW = 3   # 0-based: A1 title, A2 description, A3 note, table header in row 4


def cover_lines(descriptor: dict, site: dict) -> list[str]:
    licence = descriptor["licenses"][0]
    return [descriptor["title"], descriptor["description"],
            f"Statistics status: {site['statistics_status']}",
            f"Data package version: {descriptor['version']}, released {site['package']['released']}",
            f"Next release: {site.get('next_release', 'to be announced')}",
            f"Contact: {site.get('contact', 'open an issue on the project repository')}",
            f"Revisions: {' '.join(str(site.get('revisions_policy', 'corrections are listed on the What changed page.')).split())}",
            f"Licence: {licence['title']} ({licence['path']}). {descriptor.get('attribution', '')}",
            "The Contents sheet lists every table. The Notes sheet explains the shorthand used in cells."]


def write_lines(ws, lines: list[str], title_format) -> None:
    for i, text in enumerate(lines):
        ws.write_string(i, 0, text, title_format if i == 0 else None)


def cell_value(text: str, kind: str):
    """Numbers as numbers; shorthand markers and text as text, never as a formula; no blank cells."""
    if text == "":
        return "[z]"
    if text in ("[c]", "[x]", "[z]"):
        return text
    if kind not in ("integer", "number"):
        return neutralise_formula(text)
    return int(text) if kind == "integer" else float(text)


def write_table(wb, ws, name: str, header: list[str], rows: list[list]) -> None:
    ws.add_table(TABLE_START_ROW, 0, TABLE_START_ROW + max(len(rows), 1), len(header) - 1, {
        "name": f"t_{name}", "columns": [{"header": h} for h in header], "data": rows or [["[z]"] * len(header)],
        "style": "Table Style Light 1", "banded_rows": False})


def in_spreadsheet(resource: dict, row_counts: dict) -> bool:
    return row_counts[resource["name"]] <= MAX_SHEET_ROWS


def sheet_name(resource: dict, row_counts: dict) -> str:
    """The resource's sheet, or where to find it when it is too long for one."""
    if in_spreadsheet(resource, row_counts):
        return resource["name"][:31]
    return f"None: too long for a sheet, see {resource['path']} in the zip or on the Data page"


def spreadsheet_bytes(descriptor: dict, site: dict, csv_tables: dict[str, list[list[str]]],
                      row_counts: dict[str, int]) -> bytes:
    """csv_tables: each resource's header and rows (the header only for one too long for a sheet);
    row_counts: each resource's number of rows."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                      "strings_to_numbers": False, "strings_to_urls": False})
    released = dt.datetime.combine(dt.date.fromisoformat(str(site["package"]["released"])), dt.time())
    wb.set_properties({"title": descriptor["title"], "author": "build_data", "created": released})
    title = wb.add_format({"bold": True, "font_size": 14})
    cover = wb.add_worksheet("Cover")
    write_lines(cover, cover_lines(descriptor, site), title)
    cover.set_column(0, 0, 120)
    contents = wb.add_worksheet("Contents")
    write_lines(contents, ["Contents", "One table per sheet.", "The table starts in row 4."], title)
    write_table(wb, contents, "contents", ["Sheet", "Table", "Description", "Rows"],
                [[sheet_name(r, row_counts), r["title"], r["description"], row_counts[r["name"]]]
                 for r in descriptor["resources"]])
    notes = wb.add_worksheet("Notes")
    write_lines(notes, ["Notes", "Notes referred to in the tables.", "The table starts in row 4."], title)
    write_table(wb, notes, "notes", ["Note number", "Note text"], [[str(i + 1), t] for i, t in enumerate(NOTES)])
    for res in [r for r in descriptor["resources"] if in_spreadsheet(r, row_counts)]:
        ws = wb.add_worksheet(res["name"][:31])
        write_lines(ws, [res["title"], res["description"],
                         "Shorthand: see the Notes sheet (note 1). This sheet holds one table, starting in row 4."], title)
        kinds = [f["type"] for f in res["schema"]["fields"]]
        rows = [[cell_value(t, k) for t, k in zip(row, kinds)] for row in csv_tables[res["name"]][1:]]
        write_table(wb, ws, res["name"], csv_tables[res["name"]][0], rows)
    wb.close()
    return normalise_zip(buffer.getvalue())
