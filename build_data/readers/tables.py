"""A raw publisher file (csv or xlsx) in, an extracted table of text cells with our column names out."""
from __future__ import annotations

import codecs
import zipfile

import pandas as pd

from ..errors import ColumnMissing, ColumnUnexpected, EncodingMismatch, SheetMissing, SourceEmpty, SourceUnreadable

SOURCE_ROW = "_source_row"   # 1-based row number in the publisher's file, for error messages
HEADINGS = "headings"        # table.attrs key: our column name -> the publisher's heading


def first_bad_line(path, encoding: str) -> tuple[int, bytes]:
    """The 1-based line number and bytes of the first line that does not decode; (0, b'') if all do."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with open(path, "rb") as f:
        for number, line in enumerate(f, start=1):
            try:
                decoder.decode(line)
            except UnicodeDecodeError:
                return number, line
    return 0, b""


def encoding_problem(path, encoding: str) -> EncodingMismatch:
    """The error for a file whose bytes are not in the declared encoding, naming the line and a likely fix."""
    line, raw = first_bad_line(path, encoding)
    guess = "cp1252"
    try:
        raw.decode("utf-8")
        guess = "utf-8"
    except UnicodeDecodeError:
        pass
    return EncodingMismatch(f"The file is declared {encoding}, but line {line} is not {encoding} "
                            f"(it reads as {raw.decode(guess, errors='replace').strip()[:80]!r} in {guess}).",
                            file=path, row=line,
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


def sheet_problem(path, sheet) -> SourceUnreadable:
    """The error for a workbook without the layout's sheet, listing the sheets it has."""
    import openpyxl
    workbook = openpyxl.load_workbook(path, read_only=True)
    names = workbook.sheetnames
    workbook.close()
    return SheetMissing(f"There is no sheet named {sheet!r}; the workbook has {names}.", file=path, sheet=sheet,
                        fix="If the publisher renamed the sheet, add a layout with the new name in "
                            "build_data/metadata/layouts.yml and name it in releases.yml.")


def read_cells(path, layout: dict, encoding: str) -> pd.DataFrame:
    """The file's cells as text, header row as column names; every failure becomes a SourceUnreadable."""
    skip = int(layout.get("header_row", 1)) - 1
    try:
        if layout["format"] == "xlsx":
            return pd.read_excel(path, sheet_name=layout["sheet"], header=skip, dtype=str,
                                 engine="openpyxl", keep_default_na=False)
        check_byte_order_mark(path, encoding)
        return pd.read_csv(path, header=skip, dtype=str, encoding=encoding,
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
        if "Worksheet" in str(e) or "sheet" in str(e).lower():
            raise sheet_problem(path, layout.get("sheet")) from None
        raise SourceUnreadable(str(e), file=path, fix="Check the file opens, and its layout in layouts.yml.") from None
    except (zipfile.BadZipFile, OSError, KeyError) as e:
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


def read_table(path, layout: dict, encoding: str) -> pd.DataFrame:
    """Read the file, check its columns against the layout, rename them, strip cells."""
    cells = read_cells(path, layout, encoding)
    cells.columns = [str(c).strip() for c in cells.columns]
    cells = cells.loc[:, [c for c in cells.columns if not c.startswith("Unnamed:")]]
    check_headings(cells, path, layout)
    header_row = int(layout.get("header_row", 1))
    table = cells.rename(columns=layout["columns"]).apply(lambda s: s.str.strip())
    table[SOURCE_ROW] = range(header_row + 1, header_row + 1 + len(table))
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
