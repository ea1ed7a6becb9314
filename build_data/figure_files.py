"""A built Figure and the package's CSV text in, its download files out: CSV, SVG, 2x PNG and
Vega-Lite spec, in light and dark."""
from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import struct
import zlib
from pathlib import Path

import pandas as pd
import vl_convert as vlc

from .errors import FigureUnknown
from .image_credit import with_credit
from .package import neutralise_formula

EXTRA_COLUMNS = ("label",)   # plotted, but not a column of the resource the rows come from


def smaller_png(data: bytes) -> bytes:
    """The same PNG with its image data deflated at level 6 (vl-convert writes it lightly compressed:
    about 4x larger; level 9 is 8x slower for 5% less). Pixels and every other chunk are unchanged."""
    pos, chunks = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        chunks.append((data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]))
        pos += 12 + length
    pixels = zlib.compress(zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT")), 6)
    out, wrote_pixels = [data[:8]], False
    for kind, body in chunks:
        if kind == b"IDAT":
            if wrote_pixels:
                continue
            body, wrote_pixels = pixels, True
        out.append(struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body)))
    return b"".join(out)


def static_images(spec: dict, cache_dir: Path, scale: int = 2, png: bool = True) -> tuple[str, bytes | None]:
    """SVG and (unless png=False) PNG of a spec; cached by the spec's content hash, so unchanged
    charts are not redrawn. The PNG is drawn from the SVG (the same pixels as vegalite_to_png,
    without running Vega twice)."""
    key = hashlib.sha256(json.dumps(spec, sort_keys=True).encode("utf-8")).hexdigest()[:32] + f"-{scale}x-z6"
    svg_path, png_path = cache_dir / f"{key}.svg", cache_dir / f"{key}.png"
    if not (svg_path.exists() and (png_path.exists() or not png)):
        cache_dir.mkdir(parents=True, exist_ok=True)
        svg = svg_path.read_text(encoding="utf-8") if svg_path.exists() else vlc.vegalite_to_svg(spec)
        if png:
            png_path.write_bytes(smaller_png(vlc.svg_to_png(svg, scale=scale)))
        svg_path.write_text(svg, encoding="utf-8")
    return svg_path.read_text(encoding="utf-8"), png_path.read_bytes() if png else None


def package_text(folder: Path, resource: dict) -> pd.DataFrame:
    """A published CSV exactly as written: every cell as text, shorthand markers kept."""
    return pd.read_csv(Path(folder) / resource["path"], dtype=str, keep_default_na=False)


def figure_csv(figure, published: pd.DataFrame, primary_key: list[str]) -> bytes:
    """The plotted rows, in plotted order, with the resource's columns, order and shorthand, then the label.

    Rows are looked up by primary key in the published text, so every cell reads exactly as in the
    package CSV (including its [c]/[x] shorthand and neutralised formula-like text).
    """
    wanted = pd.DataFrame({k: figure.data[k].astype(str).to_numpy() for k in primary_key})
    rows = wanted.merge(published, on=primary_key, how="left", validate="one_to_one", indicator=True)
    if (rows["_merge"] != "both").any():
        raise FigureUnknown(f"Figure {figure.id} plots rows that {figure.resource}.csv does not have.",
                            fix="Rebuild the package (python -m build_data build), then render again.")
    rows = rows[list(published.columns)]
    for column in EXTRA_COLUMNS:
        rows[column] = [neutralise_formula(str(v)) for v in figure.data[column]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows.columns)
    writer.writerows(rows.itertuples(index=False, name=None))
    return out.getvalue().encode("utf-8")


def spec_json(spec: dict) -> bytes:
    return (json.dumps(spec, indent=1, sort_keys=True) + "\n").encode("utf-8")


def svg_size(svg: str) -> tuple[int, int]:
    head = svg[:400]
    return tuple(int(float(head.split(f'{k}="')[1].split('"')[0])) for k in ("width", "height"))


def drawn_charts(figure) -> list[tuple[str, object, bool]]:
    """(file suffix, chart, with PNG): desktop light and dark (the downloads, with PNGs), then the
    phone layout's light and dark (shown on narrow screens: SVG and spec only)."""
    return [("", figure.chart, True), ("-dark", figure.chart_dark, True),
            ("-phone", figure.phone_chart, False), ("-dark-phone", figure.phone_chart_dark, False)]


def write_figure(figure, folder: Path, cache_dir: Path, csv_data: bytes, credit: list[str] = ()) -> dict:
    """Write <slug>.{csv,svg,png,vl.json}, <slug>-dark.{svg,png,vl.json} and <slug>[-dark]-phone.{svg,vl.json};
    return {file suffix: bytes}. The PNGs (downloads) have the credit lines (image_credit.credit_lines: source,
    licence, notice) drawn under the chart; the SVGs shown on the page do not. A figure that is not drawn (empty_reason) gets no files: its page
    shows the sentence that says why, and its rows as a table."""
    if not figure.is_drawn:
        return {}
    files = {".csv": csv_data}
    for suffix, chart, with_png in drawn_charts(figure):
        spec = chart.to_dict()
        svg, png = static_images(spec, cache_dir, png=with_png and not credit)
        if with_png and credit:
            _, png = static_images(with_credit(spec, list(credit)), cache_dir)
        if str(figure.data["label"].iloc[0]).split(" ")[0] not in html.unescape(svg):
            raise FigureUnknown(f"The static image of {figure.id} has no data labels (an empty chart).",
                                fix="Check the figure's data in figures.yml; data must be inlined.")
        files[f"{suffix}.svg"] = svg.encode("utf-8")
        if png is not None:
            files[f"{suffix}.png"] = png
        files[f"{suffix}.vl.json"] = spec_json(spec)
    for suffix, data in files.items():
        (folder / f"{figure.slug}{suffix}").write_bytes(data)
    return files
