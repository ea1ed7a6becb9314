"""A raw publisher file (csv or xlsx) in, an extracted table of text cells with our column names out."""
from __future__ import annotations

import zipfile

import pandas as pd

from ..errors import ColumnMissing, ColumnUnexpected, SourceUnreadable

SOURCE_ROW = "_source_row"   # 1-based row number in the publisher's file, for error messages


def read_cells(path, layout: dict, encoding: str) -> pd.DataFrame:
    skip = int(layout.get("header_row", 1)) - 1
    try:
        if layout["format"] == "xlsx":
            return pd.read_excel(path, sheet_name=layout["sheet"], header=skip, dtype=str,
                                 engine="openpyxl", keep_default_na=False)
        return pd.read_csv(path, header=skip, dtype=str, encoding=encoding,
                           keep_default_na=False, skip_blank_lines=False)
    except UnicodeDecodeError as e:
        raise SourceUnreadable(f"The bytes are not {encoding} (byte {e.start}).", file=path,
                               fix="Set the release's encoding in releases.yml (e.g. cp1252 or utf-8-sig).") from None
    except ValueError as e:
        if "Worksheet" in str(e) or "sheet" in str(e).lower():
            raise SourceUnreadable(f"There is no sheet named {layout.get('sheet')!r}.", file=path,
                                   sheet=layout.get("sheet"), fix="Correct the sheet name in layouts.yml.") from None
        raise SourceUnreadable(str(e), file=path, fix="Check the file opens, and its layout in layouts.yml.") from None
    except (zipfile.BadZipFile, OSError, KeyError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise SourceUnreadable(f"It could not be parsed ({type(e).__name__}: {e}).", file=path,
                               fix="Check the file is complete and its format matches layouts.yml.") from None


def read_table(path, layout: dict, encoding: str) -> pd.DataFrame:
    """Read the file, check its columns against the layout, rename them, strip cells."""
    cells = read_cells(path, layout, encoding)
    cells.columns = [str(c).strip() for c in cells.columns]
    cells = cells.loc[:, [c for c in cells.columns if not c.startswith("Unnamed:")]]
    mapping = layout["columns"]
    sheet = layout.get("sheet")
    missing = [c for c in mapping if c not in cells.columns]
    if missing:
        raise ColumnMissing(f"Expected {missing}; found {list(cells.columns)}.", file=path, sheet=sheet,
                            row=layout.get("header_row", 1), column=missing[0],
                            fix="If the publisher renamed a column, add a new layout (or edit the mapping) in layouts.yml.")
    extra = [c for c in cells.columns if c not in mapping]
    if extra:
        raise ColumnUnexpected(f"Unexpected {extra}.", file=path, sheet=sheet, row=layout.get("header_row", 1),
                               column=extra[0], fix="Describe the new column in the layout in layouts.yml.")
    table = cells.rename(columns=mapping).apply(lambda s: s.str.strip())
    table[SOURCE_ROW] = range(int(layout.get("header_row", 1)) + 1, int(layout.get("header_row", 1)) + 1 + len(table))
    table = table[(table.drop(columns=SOURCE_ROW) != "").any(axis=1)]
    if table.empty:
        raise SourceUnreadable("It has no data rows.", file=path, sheet=sheet,
                               fix="Check the right file is listed in releases.yml.")
    return table.reset_index(drop=True)
