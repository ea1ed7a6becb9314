"""A publisher's download in, the layout in layouts.yml that describes it (and its text encoding) out.

Used by new-release: a file is in a layout when the layout's header row holds exactly the layout's
headings. When none fits, the error shows the headings found and the nearest layouts' headings.
"""
from __future__ import annotations

import codecs
import csv
from pathlib import Path

from ..errors import BuildError
from .shape import SCAN_ROWS, clean, find_header, heading_hits, needed_hits
from .xlsx import read_sheet

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


def top_rows(path: Path, layout, encoding: str) -> list[list[str]]:
    """The first rows of the file as the layout would read it; none if it cannot be read that way."""
    try:
        if layout.format == "xlsx":
            return read_sheet(path, layout.sheet)[:SCAN_ROWS]
        with open(path, encoding=encoding, newline="", errors="replace") as f:
            return [row for _, row in zip(range(SCAN_ROWS), csv.reader(f))]
    except Exception:   # any failure simply means "not this layout"
        return []


def header_cells(rows: list[list[str]], layout, path: Path) -> tuple[int, list[str]]:
    """The rows and a layout in, (1-based row, its non-blank headings) of the layout's header row out."""
    try:
        index = find_header(rows, layout, file=path)
    except BuildError:
        index = max(range(len(rows)), key=lambda i: heading_hits(rows[i], layout), default=0)
    row = rows[index] if index < len(rows) else []
    return index + 1, [clean(c) for c in row if clean(c)]


def fits(headings: list[str], layout) -> bool:
    """Every heading the layout expects is there (and a wide layout's pairs), and no other."""
    pattern = layout.wide.pattern() if layout.wide else None
    expected = set(layout.expected_headings)
    if not expected <= set(headings) or (pattern and not any(pattern.match(h) for h in headings)):
        return False
    return all(h in expected or (pattern and pattern.match(h)) for h in headings)


def expected_text(layout) -> str:
    pairs = [f"columns named like {layout.wide.heading!r}"] if layout.wide else []
    return f"{[*layout.expected_headings, *pairs]}"


def guess_layout(path: Path, layouts: dict, encoding: str) -> str:
    """A file in, the id of the layout whose headings it has out; else LayoutNotRecognised."""
    path = Path(path)
    near = []
    for layout_id, layout in layouts.items():
        if path.suffix.lstrip(".").lower() != layout.format:
            continue
        rows = top_rows(path, layout, encoding)
        if not rows:
            continue
        row, headings = header_cells(rows, layout, path)
        if fits(headings, layout):
            return layout_id
        near.append((heading_hits(rows[row - 1], layout) / needed_hits(layout), layout_id, row, headings))
    raise LayoutNotRecognised(not_recognised_text(path, sorted(near, key=lambda n: -n[0])[:NEAREST], layouts),
                              file=path, fix="Add a layout describing this file to build_data/metadata/layouts.yml "
                                             "(see 'A new publisher layout, end to end' in README.md), then run "
                                             "new-release again.")


def not_recognised_text(path: Path, near: list[tuple], layouts: dict) -> str:
    """The detail of the error: the headings found and, for the nearest layouts, the headings they expect."""
    if not near:
        return f"Headings of {path.name} match no layout: no {path.suffix or 'such'} layout could read it."
    lines = [f"Headings of {path.name} match no layout."]
    _, _, row, headings = near[0]
    lines.append(f"Found in row {row}: {headings}.")
    for score, layout_id, row, _ in near:
        lines.append(f"Nearest layout {layout_id} ({score:.0%} of its headings found) expects in row {row}: "
                     f"{expected_text(layouts[layout_id])}.")
    return "\n  ".join(lines)
