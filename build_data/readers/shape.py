"""The layout vocabulary that reshapes a publisher's table: where its header and its last row are, and the
columns it does not have as such (constants, a cohort over several columns, wide column pairs, codes left out).

Raw rows (lists of text) or a table of text cells with the publisher's headings go in; rows in our long
shape, with our column names, come out. Every step is declared by a key in layouts.yml.
"""
from __future__ import annotations

import pandas as pd

from ..errors import ColumnMissing, UnknownCohortLabel
from . import cells   # (module import: cells imports tables, which imports this)

SOURCE_ROW = "_source_row"   # 1-based row number in the publisher's file, for error messages
SCAN_ROWS = 60               # header_row: auto looks this far down for the headings


def clean(cell) -> str:
    return str(cell).strip()


def heading_hits(row: list[str], layout) -> int:
    """How many of the layout's headings a row holds (a wide layout's column pairs count as one)."""
    texts = {clean(c) for c in row}
    hits = sum(h in texts for h in layout.expected_headings)
    if layout.wide:
        hits += any(layout.wide.pattern().match(c) for c in texts)
    return hits


def needed_hits(layout) -> int:
    return len(layout.expected_headings) + (1 if layout.wide else 0)


def find_header(rows: list[list[str]], layout, *, file, sheet=None) -> int:
    """Raw rows in, the 0-based index of the header row out: the declared row, or with header_row: auto the
    first row holding every heading the layout expects."""
    if layout.header_row != "auto":
        return int(layout.header_row) - 1
    scanned = rows[:SCAN_ROWS]
    for index, row in enumerate(scanned):
        if heading_hits(row, layout) == needed_hits(layout):
            return index
    best = max(range(len(scanned)), key=lambda i: heading_hits(scanned[i], layout), default=0)
    found = [clean(c) for c in scanned[best] if clean(c)] if scanned else []
    missing = [h for h in layout.expected_headings if h not in found]
    raise ColumnMissing(f"No row among the first {SCAN_ROWS} holds every heading the layout expects; row {best + 1} "
                        f"comes nearest with {found}, missing {missing or ['a column pair like ' + layout.wide.heading]}.",
                        file=file, sheet=sheet, row=best + 1, column=(missing or [""])[0],
                        fix=f"Correct the headings of layout {layout.id!r} in build_data/metadata/layouts.yml, "
                            "or give its header_row as a number.")


def is_footer(row: list[str], layout) -> bool:
    """A row that ends the table: blank (with stop_at_blank_row), or starting with a declared footer text."""
    texts = [clean(c) for c in row]
    first = next((c for c in texts if c), "")
    if not first:
        return layout.stop_at_blank_row
    return any(first.casefold().startswith(f.strip().casefold()) for f in layout.footer_starts_with)


def body_rows(rows: list[list[str]], header_index: int, layout) -> list[list[str]]:
    """Raw rows and the header's index in, the data rows out: stopped at the footer, each as wide as the header."""
    width = len(rows[header_index])
    body = []
    for row in rows[header_index + 1:]:
        if is_footer(row, layout):
            break
        body.append((list(row) + [""] * width)[:width])
    return body


def add_constants(table: pd.DataFrame, layout) -> pd.DataFrame:
    """Columns the file does not have because they are the same for every row (e.g. level: National)."""
    return table.assign(**{column: clean(value) for column, value in layout.constants.items()})


def add_cohort_from(table: pd.DataFrame, layout, *, file, sheet=None) -> pd.DataFrame:
    """Two or more publisher columns in, one cohort_label out, through the layout's cohort_from map; a
    combination mapped to null is left out, one not in the map is an error."""
    spec = layout.cohort_from
    if spec is None:
        return table
    folded = {"|".join(cells.fold_label(p) for p in key.split("|")): value for key, value in spec.map.items()}
    joined = table[list(spec.columns)].apply(lambda row: "|".join(cells.fold_label(c) for c in row), axis=1)
    unknown = ~joined.isin(folded.keys())
    if unknown.any():
        i = unknown.idxmax()
        found = "|".join(table.loc[i, list(spec.columns)])
        raise UnknownCohortLabel(f"The combination {found!r} of {list(spec.columns)} is not in the layout's "
                                 f"cohort_from map.", file=file, sheet=sheet, row=int(table.at[i, SOURCE_ROW]),
                                 column=spec.columns[0],
                                 fix=f"Add {found!r} to cohort_from.map of layout {layout.id!r} in "
                                     "build_data/metadata/layouts.yml (null leaves such rows out).")
    labels = joined.map(folded)
    keep = labels.notna()
    return table[keep].drop(columns=list(spec.columns)).assign(cohort_label=labels[keep])


def melt_wide(table: pd.DataFrame, layout) -> pd.DataFrame:
    """One column per (key, value) pair in, one row per key out, in file row order then heading order.

    A key whose cells are all blank in a row was not published there and gives no row."""
    spec = layout.wide
    if spec is None:
        return table
    pattern, pairs = spec.pattern(), {}
    for heading in table.columns:
        match = pattern.match(heading)
        if match:
            pairs.setdefault(match["key"].strip(), {})[spec.values[match["value"]]] = heading
    fixed = [c for c in table.columns if not any(c in cols.values() for cols in pairs.values())]
    frames = []
    for key, columns in pairs.items():
        frame = table[fixed].copy()
        for ours in spec.values.values():
            frame[ours] = table[columns[ours]] if ours in columns else ""
        frame[spec.key_column] = key
        frames.append(frame[(frame[list(spec.values.values())] != "").any(axis=1)])
    return pd.concat(frames).sort_values(SOURCE_ROW, kind="stable")


def drop_excluded(table: pd.DataFrame, layout) -> pd.DataFrame:
    """Rows whose publisher code the layout leaves out (e.g. a free-text question) in, the rest out."""
    if not layout.exclude_codes:
        return table
    excluded = {cells.fold_label(c) for c in layout.exclude_codes}
    return table[~table["publisher_code"].map(cells.fold_label).isin(excluded)]


def reshape(table: pd.DataFrame, layout, *, file, sheet=None) -> pd.DataFrame:
    """A table with our column names in, the long table the reader expects out."""
    table = add_cohort_from(table, layout, file=file, sheet=sheet)
    table = melt_wide(table, layout)
    table = add_constants(table, layout)
    return drop_excluded(table, layout).reset_index(drop=True)
