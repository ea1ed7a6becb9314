"""A key finding's Figure in, its press kit out (press/<slug>.zip): headline, description, the chart
as 16:9 and 1:1 PNG (light scheme, with its source, licence and notice drawn under it), the data as CSV, and how to cite it under which licence."""
from __future__ import annotations

import copy
import textwrap
from pathlib import Path

from .citation import citation_text, licence_line
from .figure_files import static_images
from .image_credit import fitted, with_credit
from .zipfiles import deterministic_zip

# (name, width, height) in CSS pixels; PNGs are drawn at 2x: 1920x1080 and 1080x1080.
SHAPES = (("16x9", 960, 540), ("1x1", 540, 540))
# Text drawn beside the plot (values after the bars, group names after the lines) needs room
# inside the fixed canvas.
RIGHT_ROOM = {"trend": 170}
DEFAULT_RIGHT_ROOM = 60


def wrapped(lines: list[str], width_px: int, px_per_char: float) -> list[str]:
    limit = max(20, int(width_px / px_per_char))
    return [part for line in lines for part in textwrap.wrap(line, limit)]


def press_spec(spec: dict, width: int, height: int, kind: str, title_px: float = 8.6, subtitle_px: float = 6.6) -> dict:
    """The chart's own spec refitted to a fixed canvas: the whole chart (titles and axes too) fits width x height.
    title_px, subtitle_px: the width of a character the titles are wrapped for."""
    spec = copy.deepcopy(spec)
    right = RIGHT_ROOM.get(kind, DEFAULT_RIGHT_ROOM)
    spec.update(width=width, height=height, autosize={"type": "fit", "contains": "padding"},
                padding={"left": 8, "top": 8, "bottom": 8, "right": right})
    title = spec.get("title")
    if isinstance(title, dict):
        text = title["text"] if isinstance(title["text"], list) else [title["text"]]
        subtitle = title.get("subtitle", [])
        title["text"] = wrapped(text, width - 16, title_px)
        title["subtitle"] = wrapped(subtitle if isinstance(subtitle, list) else [subtitle], width - 16, subtitle_px)
    for layer in spec.get("layer", []):
        mark = layer.get("mark")
        on_band = layer.get("encoding", {}).get("y", {}).get("type") in ("nominal", "ordinal")
        if on_band and isinstance(mark, dict) and mark.get("type") == "bar" and isinstance(mark.get("height"), (int, float)):
            mark["height"] = {"band": 0.6}   # bars keep their share of a taller canvas
    return spec


def press_image_spec(spec: dict, width: int, height: int, kind: str, credit: list[str]) -> dict:
    """press_spec with the credit (source, licence, notice) drawn under the chart, still exactly width x height."""
    if not credit:
        return press_spec(spec, width, height, kind)
    # sized by its parts (not fitted by Vega), a title must be wrapped to fit the canvas itself: wider letters
    # (and text beside the plot counts in the size, so no room is kept for it in the padding)
    fitted_spec = press_spec(spec, width, height, kind, title_px=10.0, subtitle_px=7.8)
    fitted_spec["padding"] = {side: 8 for side in ("left", "top", "bottom", "right")}
    return fitted(with_credit(fitted_spec, credit, wrap_px=width - 24), width, height)


def press_files(figure, csv_data: bytes, cite: dict, notice: str | None, cache_dir: Path,
                credit: list[str] = ()) -> dict[str, bytes]:
    """The members of the press kit zip, by file name; credit: the lines drawn under each image."""
    spec = figure.chart.to_dict()
    slug = figure.slug
    notice_text = f"\n\n{notice.strip()}" if notice else ""
    files = {
        "headline.txt": f"{figure.headline}\n{figure.subtitle}{notice_text}\n",
        "description.txt": f"{figure.description}\n\n{figure.source}{notice_text}\n",
    }
    for shape, width, height in SHAPES:
        _, png = static_images(press_image_spec(spec, width, height, figure.kind, list(credit)), cache_dir)
        files[f"{slug}-{shape}.png"] = png
    files[f"{slug}.csv"] = csv_data
    files["citation.txt"] = citation_text(cite)
    files["licence.txt"] = licence_line(cite) + "\n"
    return {name: data.encode("utf-8") if isinstance(data, str) else data for name, data in files.items()}


def write_press_kit(figure, folder: Path, csv_data: bytes, cite: dict, notice: str | None, cache_dir: Path,
                    credit: list[str] = ()) -> int:
    """Write press/<slug>.zip (same members, same bytes, every build); return its size."""
    data = deterministic_zip(press_files(figure, csv_data, cite, notice, cache_dir, credit))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{figure.slug}.zip").write_bytes(data)
    return len(data)
