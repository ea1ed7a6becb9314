"""A raw publisher file (csv or xlsx) in, an extracted table of text cells with our column names out."""
from __future__ import annotations

import codecs
import logging
import zipfile
import zlib
from xml.etree.ElementTree import ParseError

import pandas as pd

from ..errors import (ColumnMissing, ColumnUnexpected, CorrectionStale, EncodingMismatch, SheetMissing, SourceEmpty,
                      SourceUnreadable)
from .xlsx import SheetNotFound, read_sheet

SOURCE_ROW = "_source_row"   # 1-based row number in the publisher's file, for error messages
HEADINGS = "headings"        # table.attrs key: our column name -> the publisher's heading
log = logging.getLogger("build_data")


def first_bad_line(path, encoding: str) -> tuple[int, bytes, int]:
    """The 1-based number, bytes and bad-byte offset of the first line that does not decode; (0, b'', 0) if all do."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with open(path, "rb") as f:
        for number, line in enumerate(f, start=1):
            try:
                decoder.decode(line)
            except UnicodeDecodeError as e:
                return number, line, e.start
    return 0, b"", 0


def encoding_problem(path, encoding: str) -> EncodingMismatch:
    """The error for a file whose bytes are not in the declared encoding, naming the line and a likely fix."""
    line, raw, offset = first_bad_line(path, encoding)
    guess = "utf-8" if raw.decode("utf-8", errors="replace") == raw.decode("utf-8", errors="ignore") else "cp1252"
    context = raw[max(0, offset - 40): offset + 40].decode(guess, errors="replace").strip()
    return EncodingMismatch(f"The file is declared {encoding}, but line {line} is not {encoding}: in {guess} "
                            f"it reads ...{context}...", file=path, row=line,
                            fix=f"Set the release's encoding in build_data/metadata/releases.yml to {guess} "
                                f"(utf-8-sig if the file starts with a byte-order mark).")


def check_byte_order_mark(path, encoding: str) -> None:
    """A UTF-8 byte-order mark in a file declared in a non-UTF-8 encoding means the declaration is wrong."""
    if encoding.replace("_", "-").lower().startswith("utf-8"):
        return
    with open(path, "rb") as f:
        if f.read(3) == codecs.BOM_UTF8:
            raise EncodingMismatch(f"The file is declared {encoding} but starts with a UTF-8 byte-order mark.",
                                   file=path, row=1,
                                   fix="Set the release's encoding in build_data/metadata/releases.yml to utf-8-sig.")


def unique_headings(header: list[str]) -> list[str]:
    """Header cells in, column names out as pandas makes them: blanks 'Unnamed: i', repeats 'X.1'."""
    names, seen = [], {}
    for i, text in enumerate(header):
        name = text if text != "" else f"Unnamed: {i}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        names.append(name)
    return names


def read_workbook(path, layout: dict) -> pd.DataFrame:
    """An xlsx file in, the layout's sheet as text cells (header row as names, blank rows kept) out."""
    sheet, skip = layout["sheet"], int(layout.get("header_row", 1)) - 1
    try:
        rows = read_sheet(path, sheet)
    except SheetNotFound as e:
        raise SheetMissing(f"There is no sheet named {sheet!r}; the workbook has {e.names}.", file=path, sheet=sheet,
                           fix="If the publisher renamed the sheet, add a layout with the new name in "
                               "build_data/metadata/layouts.yml and name it in releases.yml.") from None
    if len(rows) <= skip:
        raise SourceEmpty(f"The sheet has {len(rows)} rows; the layout puts the headings in row {skip + 1}.",
                          file=path, sheet=sheet, fix="Check the right file is listed in releases.yml, and "
                                                      "header_row in build_data/metadata/layouts.yml.")
    return pd.DataFrame(rows[skip + 1:], columns=unique_headings(rows[skip]), dtype=str)


def read_cells(path, layout: dict, encoding: str) -> pd.DataFrame:
    """The file's cells as text, header row as column names; every failure becomes a SourceUnreadable."""
    try:
        if layout["format"] == "xlsx":
            return read_workbook(path, layout)
        check_byte_order_mark(path, encoding)
        return pd.read_csv(path, header=int(layout.get("header_row", 1)) - 1, dtype=str, encoding=encoding,
                           keep_default_na=False, skip_blank_lines=False)
    except UnicodeDecodeError:
        raise encoding_problem(path, encoding) from None
    except pd.errors.EmptyDataError:
        raise SourceEmpty("The file is empty.", file=path,
                          fix="Check the right file is listed in releases.yml, and download it again.") from None
    except pd.errors.ParserError as e:
        raise SourceUnreadable(f"It could not be parsed as CSV ({e}).", file=path,
                               fix="Check the file is complete and its format matches layouts.yml.") from None
    except ValueError as e:
        raise SourceUnreadable(str(e), file=path, fix="Check the file opens, and its layout in layouts.yml.") from None
    except (zipfile.BadZipFile, OSError, KeyError, ParseError, EOFError, zlib.error) as e:
        raise SourceUnreadable(f"It could not be parsed ({type(e).__name__}: {e}).", file=path,
                               fix="Check the file is complete (download it again) and its format matches "
                                   "layouts.yml.") from None


def check_headings(cells: pd.DataFrame, path, layout: dict) -> None:
    """Every heading the layout names is present, and no other."""
    mapping, sheet, row = layout["columns"], layout.get("sheet"), layout.get("header_row", 1)
    missing = [c for c in mapping if c not in cells.columns]
    if missing:
        raise ColumnMissing(f"Expected {missing}; found {list(cells.columns)}.", file=path, sheet=sheet,
                            row=row, column=missing[0],
                            fix="If the publisher renamed a column, add a new layout (or edit the mapping) in layouts.yml.")
    extra = [c for c in cells.columns if c not in mapping]
    if extra:
        raise ColumnUnexpected(f"Unexpected {extra}.", file=path, sheet=sheet, row=row,
                               column=extra[0], fix="Describe the new column in the layout in layouts.yml.")


def apply_corrections(table: pd.DataFrame, corrections, path, layout: dict) -> pd.DataFrame:
    """Text cells and corrections.yml entries in, corrected cells out; a guard that no longer holds stops the build.

    Each entry's `was` is the publisher's wrong value: if the cell says anything else, the publisher
    has changed the file and the correction must be reviewed rather than silently applied.
    """
    for c in corrections:
        column = layout["columns"].get(str(c["column"]))
        rows = table.index[table[SOURCE_ROW] == c["row"]]
        current = table.at[rows[0], column] if column and len(rows) else None
        if current != str(c["was"]).strip():
            raise CorrectionStale(f"The correction of row {c['row']}, column {c['column']!r} expects {c['was']!r}; "
                                  f"the file has {current!r}.", file=path, row=c["row"], column=c["column"],
                                  fix="The publisher may have fixed or reissued the file: check it, then update or "
                                      "remove the entry in build_data/metadata/corrections.yml.")
        table.loc[rows, column] = str(c["value"]).strip()
        log.info("corrected %s row %s, %s: %r -> %r (%s)", path.name if hasattr(path, "name") else path,
                 c["row"], c["column"], c["was"], c["value"], c["reason"])
    return table


def read_table(path, layout: dict, encoding: str, corrections=()) -> pd.DataFrame:
    """Read the file, check its columns against the layout, rename them, strip cells, apply corrections."""
    cells = read_cells(path, layout, encoding)
    cells.columns = [str(c).strip() for c in cells.columns]
    cells = cells.loc[:, [c for c in cells.columns if not c.startswith("Unnamed:")]]
    check_headings(cells, path, layout)
    header_row = int(layout.get("header_row", 1))
    table = cells.rename(columns=layout["columns"]).apply(lambda s: s.str.strip())
    table[SOURCE_ROW] = range(header_row + 1, header_row + 1 + len(table))
    table = apply_corrections(table, corrections, path, layout)
    table = table[(table.drop(columns=SOURCE_ROW) != "").any(axis=1)]
    if table.empty:
        raise SourceEmpty("It has a header row but no data rows.", file=path, sheet=layout.get("sheet"),
                          fix="Check the right file is listed in releases.yml.")
    table = table.reset_index(drop=True)
    table.attrs[HEADINGS] = {ours: theirs for theirs, ours in layout["columns"].items()}
    return table


def heading(table: pd.DataFrame, column: str) -> str:
    """The publisher's heading for one of our column names, for messages ('Respondents (n_respondents)')."""
    theirs = table.attrs.get(HEADINGS, {}).get(column)
    return f"{theirs} ({column})" if theirs and theirs != column else column
