"""A raw publisher file (csv or xlsx) in, an extracted table of text cells with our column names out."""
from __future__ import annotations

import codecs
import csv
import logging
import zipfile
import zlib
from xml.etree.ElementTree import ParseError

import numpy as np
import pandas as pd

from ..errors import (ColumnMissing, ColumnUnexpected, CorrectionStale, EncodingMismatch, SheetMissing, SourceEmpty,
                      SourceUnreadable)
from .shape import SOURCE_ROW, body_rows, find_header, reshape
from .xlsx import SheetNotFound, read_sheet

HEADINGS = "headings"        # table.attrs key: our column name -> the publisher's heading
MISSING = "missing"          # table.attrs key: cell texts that mean "no value" in this layout
THOUSANDS = "thousands"      # table.attrs key: the layout's thousands separator
log = logging.getLogger("build_data")


def distinct_values(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """A column in; each row's code and the distinct values (a missing value among them, as with
    pd.factorize(values, use_na_sentinel=False)) out. Text is factorized as an object array of str, about twice
    as cheap as the str dtype's own factorize."""
    if not (values.dtype == object or pd.api.types.is_string_dtype(values.dtype)):
        codes, distinct = pd.factorize(values, use_na_sentinel=False)
        return codes, pd.Series(distinct, dtype=values.dtype)
    array = values.to_numpy(dtype=object)
    codes, uniques = pd.factorize(array, use_na_sentinel=True)
    distinct = uniques.tolist()
    missing = codes < 0
    if missing.any():
        distinct.append(array[int(missing.argmax())])
        codes = np.where(missing, len(distinct) - 1, codes)
    return codes, pd.Series(distinct, dtype=values.dtype)


def per_distinct(values: pd.Series, transform) -> pd.Series:
    """A column and a vectorised function of a column in, the function's result out, worked out once per distinct
    value (a publisher column repeats few values over many rows) and spread back to every row."""
    codes, distinct = distinct_values(values)
    done = transform(distinct)
    return pd.Series(done.array.take(codes), index=values.index, name=values.name)


def strip_text(values: pd.Series) -> pd.Series:
    """Text cells in, without surrounding spaces out (values.str.strip(), once per distinct value)."""
    return per_distinct(values, lambda distinct: distinct.str.strip())


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


def frame_from_rows(rows: list[list[str]], layout, *, file, sheet=None) -> tuple[pd.DataFrame, int]:
    """Raw rows in, (text cells with the header row as names, the header's 1-based row) out."""
    header = find_header(rows, layout, file=file, sheet=sheet)
    if len(rows) <= header:
        raise SourceEmpty(f"The {'sheet' if sheet else 'file'} has {len(rows)} rows; the layout puts the headings "
                          f"in row {header + 1}.", file=file, sheet=sheet,
                          fix="Check the right file is listed in releases.yml, and header_row in "
                              "build_data/metadata/layouts.yml.")
    frame = pd.DataFrame(body_rows(rows, header, layout), columns=unique_headings(rows[header]), dtype=str)
    return frame, header + 1


def read_workbook(path, layout) -> tuple[pd.DataFrame, int]:
    """An xlsx file in, the layout's sheet as text cells (header row as names, blank rows kept) out."""
    try:
        rows = read_sheet(path, layout.sheet)
    except SheetNotFound as e:
        raise SheetMissing(f"There is no sheet {layout.sheet!r}; the workbook has {e.names}.", file=path,
                           sheet=layout.sheet,
                           fix="If the publisher renamed the sheet, add a layout with the new name (or the sheet's "
                               "position, 1 for the first) in build_data/metadata/layouts.yml and name it in "
                               "releases.yml.") from None
    return frame_from_rows(rows, layout, file=path, sheet=layout.sheet)


def needs_raw_rows(layout) -> bool:
    """Notes of any width above the header, or a footer, are beyond pandas' CSV parser: read rows instead."""
    return layout.header_row == "auto" or bool(layout.footer_starts_with) or layout.stop_at_blank_row


def read_csv_rows(path, layout, encoding: str) -> tuple[pd.DataFrame, int]:
    """A CSV with notes above its header or a footer in, its text cells and header row out."""
    with open(path, encoding=encoding, newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        raise pd.errors.EmptyDataError("no rows")
    return frame_from_rows(rows, layout, file=path)


def read_cells_and_header(path, layout, encoding: str) -> tuple[pd.DataFrame, int]:
    """The file's cells as text and the header's 1-based row; every failure becomes a SourceUnreadable."""
    try:
        if layout.format == "xlsx":
            return read_workbook(path, layout)
        check_byte_order_mark(path, encoding)
        if needs_raw_rows(layout):
            return read_csv_rows(path, layout, encoding)
        return pd.read_csv(path, header=int(layout.header_row) - 1, dtype=str, encoding=encoding,
                           keep_default_na=False, skip_blank_lines=False), int(layout.header_row)
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


def read_cells(path, layout, encoding: str) -> pd.DataFrame:
    """The file's cells as text, header row as column names."""
    return read_cells_and_header(path, layout, encoding)[0]


def check_headings(cells: pd.DataFrame, path, layout, row: int) -> None:
    """Every heading the layout names is present (and a wide layout's column pairs), and no other."""
    expected, sheet = layout.expected_headings, layout.sheet
    pattern = layout.wide.pattern() if layout.wide else None
    missing = [c for c in expected if c not in cells.columns]
    if pattern and not any(pattern.match(c) for c in cells.columns):
        missing.append(f"columns named like {layout.wide.heading!r}")
    if missing:
        raise ColumnMissing(f"Expected {missing}; found {list(cells.columns)}.", file=path, sheet=sheet,
                            row=row, column=missing[0],
                            fix="If the publisher renamed a column, add a new layout (or edit the mapping) in layouts.yml.")
    extra = [c for c in cells.columns if c not in expected and not (pattern and pattern.match(c))]
    if extra:
        raise ColumnUnexpected(f"Unexpected {extra}.", file=path, sheet=sheet, row=row,
                               column=extra[0], fix="Describe the new column in the layout in layouts.yml.")


def apply_corrections(table: pd.DataFrame, corrections, path, layout) -> pd.DataFrame:
    """Text cells and corrections.yml entries in, corrected cells out; a guard that no longer holds stops the build.

    Each entry's `was` is the publisher's wrong value: if the cell says anything else, the publisher
    has changed the file and the correction must be reviewed rather than silently applied.
    """
    for c in corrections:
        column = layout.columns.get(str(c["column"]), str(c["column"]) if str(c["column"]) in table else None)
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


def our_headings(layout) -> dict[str, str]:
    """Our column name -> the publisher heading(s) it comes from, for messages."""
    theirs = {ours: heading for heading, ours in layout.columns.items()}
    if layout.cohort_from:
        theirs["cohort_label"] = " + ".join(layout.cohort_from.columns)
    if layout.wide:
        theirs.update({ours: layout.wide.heading.replace("{value}", value) for value, ours in layout.wide.values.items()})
    return theirs


def read_table(path, layout, encoding: str, corrections=()) -> pd.DataFrame:
    """Read the file, check its columns against the layout, rename them, strip cells, apply corrections, then
    reshape it as the layout declares (cohort over columns, wide pairs, constants, codes left out)."""
    cells, header_row = read_cells_and_header(path, layout, encoding)
    cells.columns = [str(c).strip() for c in cells.columns]
    cells = cells.loc[:, [c for c in cells.columns if not c.startswith("Unnamed:")]]
    check_headings(cells, path, layout, header_row)
    renamed = cells.rename(columns=layout.columns)
    table = pd.concat([strip_text(renamed.iloc[:, i]) for i in range(renamed.shape[1])], axis=1) \
        if renamed.shape[1] else renamed
    table.columns = renamed.columns
    table[SOURCE_ROW] = range(header_row + 1, header_row + 1 + len(table))
    table = apply_corrections(table, corrections, path, layout)
    table = table[(table.drop(columns=SOURCE_ROW).to_numpy(dtype=object) != "").any(axis=1)]   # blank rows dropped
    if table.empty:
        raise SourceEmpty("It has a header row but no data rows.", file=path, sheet=layout.sheet,
                          fix="Check the right file is listed in releases.yml.")
    table = reshape(table.reset_index(drop=True), layout, file=path, sheet=layout.sheet)
    table.attrs[HEADINGS] = our_headings(layout)
    table.attrs[MISSING] = layout.missing_symbols
    table.attrs[THOUSANDS] = layout.thousands_separator
    return table


def heading(table: pd.DataFrame, column: str) -> str:
    """The publisher's heading for one of our column names, for messages ('Respondents (n_respondents)')."""
    theirs = table.attrs.get(HEADINGS, {}).get(column)
    return f"{theirs} ({column})" if theirs and theirs != column else column
