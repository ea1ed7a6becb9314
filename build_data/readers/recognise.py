"""A publisher's download in, the layout in layouts.yml that describes it (and its text encoding) out.

Used by new-release: a file is in a layout when the layout's header row holds exactly the layout's
headings. When none fits, the error shows the headings found and the nearest layouts' headings.
"""
from __future__ import annotations

import codecs
import csv
import zipfile
from pathlib import Path

from ..errors import BuildError
from .shape import SCAN_ROWS, clean, find_header, heading_hits, needed_hits
from .xlsx import read_sheet, sheet_paths

NEAREST = 2     # how many near layouts the error describes


class LayoutNotRecognised(BuildError):
    """No layout in layouts.yml matches the file's column headings."""


def detect_encoding(path: Path) -> str:
    """A file in, the encoding to declare for it out: utf-8-sig with a byte-order mark, utf-8 if it decodes,
    else cp1252 (Windows). Workbooks are zipped XML: their declared encoding is not used."""
    data = Path(path).read_bytes()
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def sheets_of(path: Path, layout, encoding: str) -> dict:
    """{sheet name or position: its first rows} for the file; for a workbook every sheet, so a renamed
    sheet still shows its headings. Empty if the file cannot be read this way."""
    try:
        if layout.format == "xlsx":
            with zipfile.ZipFile(path) as book:
                names = list(sheet_paths(book))
            return {name: read_sheet(path, name)[:SCAN_ROWS] for name in names}
        with open(path, encoding=encoding, newline="", errors="replace") as f:
            return {"": [row for _, row in zip(range(SCAN_ROWS), csv.reader(f))]}
    except Exception:   # any failure simply means "not this layout"
        return {}


def own_sheet(sheets: dict, layout):
    """The key in sheets of the layout's own sheet (by name, spaces ignored, or position); None if absent."""
    names = list(sheets)
    if layout.format != "xlsx":
        return names[0] if names else None
    if isinstance(layout.sheet, int):
        return names[layout.sheet - 1] if layout.sheet <= len(names) else None
    return next((n for n in names if n.strip() == layout.sheet.strip()), None)


def header_cells(rows: list[list[str]], layout, path: Path) -> tuple[int, list[str]]:
    """The rows and a layout in, (1-based row, its non-blank headings) of the layout's header row out."""
    try:
        index = find_header(rows, layout, file=path)
    except BuildError:
        index = max(range(len(rows)), key=lambda i: heading_hits(rows[i], layout), default=0)
    row = rows[index] if index < len(rows) else []
    return index + 1, [clean(c) for c in row if clean(c)]


def share_found(rows: list[list[str]], row: int, layout) -> float:
    """The share of the layout's headings in the given 1-based row (0 if the rows end before it)."""
    return heading_hits(rows[row - 1], layout) / needed_hits(layout) if 0 < row <= len(rows) else 0.0


def fits(headings: list[str], layout) -> bool:
    """Every heading the layout expects is there (and a wide layout's pairs), and no other."""
    pattern = layout.wide.pattern() if layout.wide else None
    expected = set(layout.expected_headings)
    if not expected <= set(headings) or (pattern and not any(pattern.match(h) for h in headings)):
        return False
    return all(h in expected or (pattern and pattern.match(h)) for h in headings)


def expected_text(layout) -> str:
    pairs = [f"columns named like {layout.wide.heading!r}"] if layout.wide else []
    where = f"sheet {layout.sheet!r}, " if layout.format == "xlsx" else ""
    row = "the first row with them all" if layout.header_row == "auto" else f"row {layout.header_row}"
    return f"{where}{row}: {[*layout.expected_headings, *pairs]}"


def fullest_row(rows: list[list[str]]) -> tuple[int, list[str]]:
    """The row with the most non-blank cells (likely the header, when no layout knows it), 1-based."""
    index = max(range(len(rows)), key=lambda i: sum(bool(clean(c)) for c in rows[i]), default=0)
    return index + 1, [clean(c) for c in (rows[index] if rows else []) if clean(c)]


def guess_layout(path: Path, layouts: dict, encoding: str) -> str:
    """A file in, the id of the layout whose headings it has out; else LayoutNotRecognised."""
    path = Path(path)
    near, sheets = [], {}
    for layout_id, layout in layouts.items():
        if path.suffix.lstrip(".").lower() != layout.format:
            continue
        sheets = sheets_of(path, layout, encoding) or sheets
        mine = own_sheet(sheets, layout)
        if mine is not None and fits(header_cells(sheets[mine], layout, path)[1], layout):
            return layout_id
        for sheet, rows in sheets.items():     # nearness: the row anywhere near the top with most of its headings
            best = max(range(len(rows)), key=lambda i: heading_hits(rows[i], layout), default=0)
            near.append((share_found(rows, best + 1, layout), layout_id, sheet, best + 1,
                         [clean(c) for c in (rows[best] if rows else []) if clean(c)]))
    near = sorted(near, key=lambda n: -n[0])
    raise LayoutNotRecognised(not_recognised_text(path, near, sheets, layouts), file=path,
                              fix="Add a layout describing this file to build_data/metadata/layouts.yml "
                                  "(see 'A new publisher layout, end to end' in README.md), then run "
                                  "new-release again.")


def not_recognised_text(path: Path, near: list[tuple], sheets: dict, layouts: dict) -> str:
    """The detail of the error: the headings found and, for the nearest layouts, the headings they expect."""
    lines = [f"Headings of {path.name} match no layout."]
    if near and near[0][0] > 0:
        _, _, sheet, row, headings = near[0]
    elif sheets:
        sheet = max(sheets, key=lambda name: len(fullest_row(sheets[name])[1]))
        row, headings = fullest_row(sheets[sheet])
    else:
        return lines[0] + f" No {path.suffix or 'such'} layout could read it."
    lines.append(f"Found in {f'sheet {sheet!r}, ' if sheet else ''}row {row}: {headings}.")
    if sheets and list(sheets) != [""]:
        lines.append(f"The workbook's sheets: {list(sheets)}.")
    shown = []
    for score, layout_id, *_ in near:
        if layout_id not in shown and len(shown) < NEAREST:
            shown.append(layout_id)
            lines.append(f"Nearest layout {layout_id} ({score:.0%} of its headings found) expects "
                         f"{expected_text(layouts[layout_id])}.")
    return "\n  ".join(lines)
