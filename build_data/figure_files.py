"""A built Figure and the package's CSV text in, its download files out: CSV, SVG, 2x PNG and
Vega-Lite spec, in light and dark."""
from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path

import pandas as pd

from .errors import FigureUnknown
from .image_drawing import ChartJob, cached, chart_images, smaller_png  # noqa: F401  (smaller_png: where tests and tools look)
from .package import neutralise_formula

EXTRA_COLUMNS = ("label",)   # plotted, but not a column of the resource the rows come from


def static_images(spec: dict, cache_dir: Path, scale: int = 2, png: bool = True) -> tuple[str, bytes | None]:
    """SVG and (unless png=False) PNG of a spec; cached by the spec's content hash, so unchanged
    charts are not redrawn (image_drawing.cached)."""
    return cached(spec, cache_dir, scale, png)


def rows_by_key(published: pd.DataFrame, primary_key: list[str]) -> pd.Index:
    """The published text's primary key as an index, built once per resource and shared by every figure drawn
    from it (a figure's rows are then looked up, not merged against the whole table each time)."""
    index = (pd.Index(published[primary_key[0]], name=primary_key[0]) if len(primary_key) == 1
             else pd.MultiIndex.from_frame(published[primary_key]))
    if not index.is_unique:
        repeated = index[index.duplicated()][0]
        raise FigureUnknown(f"The published CSV has two rows with the primary key {primary_key} = {repeated!r}.",
                            fix="Rebuild the package (python -m build_data build), then render again.")
    return index


def figure_csv(figure, published: pd.DataFrame, primary_key: list[str], by_key: pd.Index | None = None) -> bytes:
    """The plotted rows, in plotted order, with the resource's columns, order and shorthand, then the label.

    Rows are looked up by primary key in the published text, so every cell reads exactly as in the
    package CSV (including its [c]/[x] shorthand and neutralised formula-like text). by_key: the text's
    rows_by_key, when the caller keeps it for the next figure from the same resource.
    """
    by_key = rows_by_key(published, primary_key) if by_key is None else by_key
    keys = [figure.data[k].astype(str).to_numpy() for k in primary_key]
    wanted = pd.Index(keys[0]) if len(keys) == 1 else pd.MultiIndex.from_arrays(keys)
    positions = by_key.get_indexer(wanted)
    if (positions < 0).any():
        raise FigureUnknown(f"Figure {figure.id} plots rows that {figure.resource}.csv does not have.",
                            fix="Rebuild the package (python -m build_data build), then render again.")
    if wanted.has_duplicates:
        raise FigureUnknown(f"Figure {figure.id} plots the row {wanted[wanted.duplicated()][0]!r} of "
                            f"{figure.resource}.csv twice.", fix="Check the figure's data in figures.yml.")
    rows = published.iloc[positions].reset_index(drop=True)
    for column in EXTRA_COLUMNS:
        rows[column] = [neutralise_formula(str(v)) for v in figure.data[column]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows.columns)
    writer.writerows(rows.itertuples(index=False, name=None))
    return out.getvalue().encode("utf-8")


def spec_json(spec: dict, written: dict | None = None) -> bytes:
    """The spec as published: JSON indented by one space, keys sorted. written: a dict shared by the calls for
    specs that share their values (a figure's light and dark specs are one dict with another config): each
    top-level value is written once (the same text json.dumps writes for it inside the spec)."""
    if written is None or not spec or not all(isinstance(key, str) for key in spec):
        return (json.dumps(spec, indent=1, sort_keys=True) + "\n").encode("utf-8")
    items = []
    for key in sorted(spec):
        value = spec[key]
        kept = written.get(id(value))
        if kept is None or kept[0] is not value:
            kept = written[id(value)] = (value, json.dumps(value, indent=1, sort_keys=True).replace("\n", "\n "))
        items.append(f" {json.dumps(key)}: {kept[1]}")
    return ("{\n" + ",\n".join(items) + "\n}\n").encode("utf-8")


def svg_size(svg: str) -> tuple[int, int]:
    head = svg[:400]
    return tuple(int(float(head.split(f'{k}="')[1].split('"')[0])) for k in ("width", "height"))


def drawing_jobs(figure, cache_dir: Path, credit: list[str] = ()) -> list[ChartJob]:
    """Every image write_figure will read, as image_drawing.draw_all jobs (so all can be drawn at once first):
    the desktop layout, light and dark, with PNGs (the downloads, the credit lines composed under the chart),
    then the phone layout's light and dark (shown on narrow screens: SVG and spec only)."""
    if not figure.is_drawn:
        return []
    return [ChartJob(figure.chart, cache_dir, figure.chart_dark, png=True, credit=tuple(credit)),
            ChartJob(figure.phone_chart, cache_dir, figure.phone_chart_dark, png=False)]


def write_figure(figure, folder: Path, cache_dir: Path, csv_data: bytes, credit: list[str] = ()) -> dict:
    """Write <slug>.{csv,svg,png,vl.json}, <slug>-dark.{svg,png,vl.json} and <slug>[-dark]-phone.{svg,vl.json};
    return {file suffix: bytes}. The PNGs (downloads) have the credit lines (image_credit.credit_lines: source,
    licence, notice) drawn under the chart; the SVGs shown on the page do not. A figure that is not drawn
    (empty_reason) gets no files: its page shows the sentence that says why, and its rows as a table.
    Images not in the cache yet are drawn here (render draws them all first, in a pool: drawing_jobs)."""
    if not figure.is_drawn:
        return {}
    files = {".csv": csv_data}
    desktop, phone = drawing_jobs(figure, cache_dir, credit)
    drawn = [*zip(("", "-dark"), chart_images(desktop)), *zip(("-phone", "-dark-phone"), chart_images(phone))]
    written: dict = {}    # spec_json's texts of values the specs share
    for suffix, (spec, svg, png) in drawn:
        if str(figure.data["label"].iloc[0]).split(" ")[0] not in html.unescape(svg):
            raise FigureUnknown(f"The static image of {figure.id} has no data labels (an empty chart).",
                                fix="Check the figure's data in figures.yml; data must be inlined.")
        files[f"{suffix}.svg"] = svg.encode("utf-8")
        if png is not None:
            files[f"{suffix}.png"] = png
        files[f"{suffix}.vl.json"] = spec_json(spec, written)
    for suffix, data in files.items():
        (folder / f"{figure.slug}{suffix}").write_bytes(data)
    return files
