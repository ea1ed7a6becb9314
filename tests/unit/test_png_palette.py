"""image_drawing.smaller_png: a drawn chart (a few dozen colours) is written as an indexed-colour PNG with exactly
the pixels vl-convert drew, in about half the bytes; any other PNG keeps its colour type, re-deflated. Checked by
decoding both PNGs to RGBA here (every PNG filter, colour types 2, 3 and 6, tRNS), independently of the code under
test: on real figures (light and dark, with the credit footer) and on synthetic images built here."""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
import yaml

from build_data import image_drawing
from build_data.figure_files import drawing_jobs
from build_data.figures import Catalogue
from build_data.image_credit import credited_svg
from build_data.image_drawing import ChartJob, cache_paths, cached, chart_images, png_chunks, smaller_png, vl
from build_data.palette import use_cohort_colours
from build_data.published import read_published
from build_data.registry import load_registry

REPO = Path(__file__).resolve().parents[2]
FIGURES = yaml.safe_load((REPO / "build_data/metadata/figures.yml").read_text(encoding="utf-8"))
SITE = yaml.safe_load((REPO / "build_data/metadata/site.yml").read_text(encoding="utf-8"))
DRAWN = ["main_contact_by_alliance", "main_contact_trend"]   # bars with a reference line; a trend
CREDIT = ["Illustrative data — not real survey results.", "Source: a survey.",
          "Licence: Open Government Licence v3.0."]
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}   # bytes a pixel, by colour type (8-bit)


# ---- an independent PNG reader and writer ----------------------------------------------------------------------


def paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def unfiltered_row(kind: int, line: list[int], previous: list[int], bpp: int) -> list[int]:
    row = []
    for i, value in enumerate(line):
        a = row[i - bpp] if i >= bpp else 0
        b, c = previous[i], previous[i - bpp] if i >= bpp else 0
        guess = {0: 0, 1: a, 2: b, 3: (a + b) // 2, 4: paeth(a, b, c)}[kind]
        row.append((value + guess) % 256)
    return row


def rgba(data: bytes) -> np.ndarray:
    """The PNG's pixels as a height x width x 4 array (8-bit, non-interlaced PNGs: all this module writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        assert struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0] == zlib.crc32(kind + body), kind
        chunks.append((kind, body))
        pos += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1] == (b"IEND", b"")
    width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert depth == 8 and interlace == 0
    bpp = CHANNELS[colour_type]
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    assert len(raw) == height * (width * bpp + 1)
    rows, previous = [], np.zeros(width * bpp, np.uint8)
    for y in range(height):
        line = raw[y * (width * bpp + 1):(y + 1) * (width * bpp + 1)]
        data = np.frombuffer(line[1:], np.uint8)
        # None, Sub (all of vl-convert's rows) and Up at numpy speed; Average and Paeth one byte at a time
        if line[0] == 0:
            row = data.copy()
        elif line[0] == 1:
            row = np.cumsum(data.reshape(width, bpp), axis=0, dtype=np.uint8).ravel()
        elif line[0] == 2:
            row = data + previous
        else:
            row = np.array(unfiltered_row(line[0], data.tolist(), previous.tolist(), bpp), np.uint8)
        rows.append(row)
        previous = row
    pixels = np.array(rows, np.uint8).reshape(height, width, bpp)
    if colour_type == 6:
        return pixels
    if colour_type == 2:
        return np.concatenate([pixels, np.full((height, width, 1), 255, np.uint8)], axis=2)
    assert colour_type == 3
    found = dict(chunks)
    palette = np.frombuffer(found[b"PLTE"], np.uint8).reshape(-1, 3)
    alpha = np.full(len(palette), 255, np.uint8)
    see_through = np.frombuffer(found.get(b"tRNS", b""), np.uint8)
    alpha[:len(see_through)] = see_through
    assert pixels.max() < len(palette), "an index past the palette"
    return np.concatenate([palette, alpha[:, None]], axis=1)[pixels[:, :, 0]]


def png(pixels: np.ndarray, filters: list[int], extra: list[tuple[bytes, bytes]] = (), colour_type: int = 6) -> bytes:
    """An 8-bit PNG of pixels (height x width x channels), row y filtered with filters[y % len(filters)]."""
    height, width, bpp = pixels.shape
    flat, raw, previous = pixels.reshape(height, width * bpp).tolist(), b"", [0] * (width * bpp)
    for y, row in enumerate(flat):
        kind = filters[y % len(filters)]
        line = []
        for i, value in enumerate(row):
            a = row[i - bpp] if i >= bpp else 0
            b, c = previous[i], previous[i - bpp] if i >= bpp else 0
            line.append((value - {0: 0, 1: a, 2: b, 3: (a + b) // 2, 4: paeth(a, b, c)}[kind]) % 256)
        raw += bytes([kind, *line])
        previous = row
    chunks = [(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)), *extra,
              (b"IDAT", zlib.compress(raw, 1)), (b"IEND", b"")]
    return b"\x89PNG\r\n\x1a\n" + b"".join(struct.pack(">I", len(body)) + kind + body +
                                           struct.pack(">I", zlib.crc32(kind + body)) for kind, body in chunks)


def colour_type(data: bytes) -> int:
    return data[25]


def kinds(data: bytes) -> list[bytes]:
    return [kind for kind, _ in png_chunks(data)]


def few_colours(height: int = 23, width: int = 37, alpha: bool = False) -> np.ndarray:
    """An image of 40 colours in runs and single pixels (the shape of a drawn chart: flat areas, edges)."""
    rng = np.random.default_rng(7)
    colours = rng.integers(0, 256, (40, 4), dtype=np.uint8)
    colours[:, 3] = 255
    if alpha:
        colours[5, 3], colours[11, 3] = 0, 128
    picks = np.repeat(rng.integers(0, 40, (height, width // 4 + 1)), 4, axis=1)[:, :width]
    picks[::3, ::5] = rng.integers(0, 40, picks[::3, ::5].shape)
    return colours[picks]


# ---- real figures -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def figure_pngs(tmp_path_factory):
    """[(name, PNG as vl-convert draws it, PNG as the render writes it)]: each figure's credited light and dark PNG."""
    use_cohort_colours(load_registry(REPO / "build_data/metadata").cohorts)
    descriptor, tables = read_published(REPO / "datapackage")
    catalogue = Catalogue(descriptor, tables, SITE)
    cache, out = tmp_path_factory.mktemp("cache"), []
    for fid in DRAWN:
        job = drawing_jobs(catalogue.build(fid, FIGURES[fid]), cache, CREDIT)[0]
        for scheme, (spec, svg, written) in zip(("light", "dark"), chart_images(job)):
            drawn = vl().svg_to_png(credited_svg(svg, spec, CREDIT), scale=2)
            out.append((f"{fid} {scheme}", drawn, written))
    return out


def test_drawn_charts_become_indexed_pngs_with_the_same_pixels_in_about_half_the_bytes(figure_pngs):
    for name, drawn, written in figure_pngs:
        assert written == smaller_png(drawn), f"{name}: the render wrote other bytes than smaller_png makes"
        assert colour_type(drawn) == 6 and colour_type(written) == 3, name
        assert np.array_equal(rgba(written), rgba(drawn)), f"{name}: the indexed PNG has other pixels"
        assert kinds(written) == [b"IHDR", b"PLTE", *[k for k in kinds(drawn) if k not in (b"IHDR", b"IDAT", b"IEND")],
                                  b"IDAT", b"IEND"], name
        truecolour = len(zlib.compress(zlib.decompress(b"".join(b for k, b in png_chunks(drawn) if k == b"IDAT")), 6))
        assert len(written) < 0.7 * truecolour, f"{name}: {len(written)} bytes against {truecolour} re-deflated"
    dark = [rgba(written)[0, 0] for name, _, written in figure_pngs if name.endswith("dark")]
    assert all(pixel[:3].sum() < 3 * 128 for pixel in dark), "the dark scheme's background is dark"


def test_the_palette_is_in_the_order_colours_first_appear_and_the_same_bytes_every_time(figure_pngs):
    _, drawn, written = figure_pngs[0]
    pixels = rgba(drawn).reshape(-1, 4)
    first_seen = list(dict.fromkeys(map(bytes, pixels[:, :3])))
    assert dict(png_chunks(written))[b"PLTE"] == b"".join(first_seen)
    assert smaller_png(drawn) == written


# ---- synthetic images: every filter, transparency, too many colours, other colour types -------------------------


@pytest.mark.parametrize("filters", [[1], [0], [2], [0, 1, 2, 2, 1], [2, 0, 1]])
def test_rows_filtered_none_sub_or_up_are_read_exactly(filters):
    image = few_colours()
    written = smaller_png(png(image, filters))
    assert colour_type(written) == 3 and np.array_equal(rgba(written), image)
    assert b"tRNS" not in kinds(written), "an opaque image needs no transparency chunk"


def test_transparent_colours_are_kept_in_a_trns_chunk():
    image = few_colours(alpha=True)
    written = smaller_png(png(image, [1, 2]))
    assert colour_type(written) == 3 and np.array_equal(rgba(written), image)
    alpha = dict(png_chunks(written))[b"tRNS"]
    assert sorted(alpha)[:2] == [0, 128] and alpha[-1] < 255, "tRNS stops at the last colour that is not opaque"


def test_more_than_256_colours_keep_truecolour_with_the_same_pixels():
    rng = np.random.default_rng(3)
    image = rng.integers(0, 256, (20, 30, 4), dtype=np.uint8)     # 600 colours, all different
    image[:, :15, 3] = 255
    for filters in ([1], [0, 2, 1]):
        original = png(image, filters)
        written = smaller_png(original)
        assert colour_type(written) == 6 and kinds(written) == kinds(original)
        assert np.array_equal(rgba(written), image)
    steps = np.arange(256)
    colours = np.stack([steps, steps * 3 % 256, 255 - steps, np.full(256, 255)], axis=1).astype(np.uint8)
    assert len({bytes(colour) for colour in colours}) == 256
    written = smaller_png(png(colours.reshape(16, 16, 4), [1]))
    assert colour_type(written) == 3 and np.array_equal(rgba(written), colours.reshape(16, 16, 4))
    one_more = np.concatenate([colours, [[1, 2, 3, 255]]]).astype(np.uint8).reshape(1, 257, 4)
    written = smaller_png(png(one_more, [1]))
    assert colour_type(written) == 6 and np.array_equal(rgba(written), one_more)


@pytest.mark.parametrize("filters", [[3], [4], [1, 4, 3, 2]])
def test_rows_filtered_average_or_paeth_keep_truecolour_with_the_same_pixels(filters):
    image = few_colours()
    written = smaller_png(png(image, filters))
    assert colour_type(written) == 6 and np.array_equal(rgba(written), image)


def test_other_colour_types_and_colour_space_chunks_keep_their_format():
    image = few_colours()
    rgb = smaller_png(png(image[:, :, :3], [1], colour_type=2))
    assert colour_type(rgb) == 2 and np.array_equal(rgba(rgb), image)
    gamma = (b"gAMA", struct.pack(">I", 45455))     # must come before PLTE: not written indexed
    with_gamma = smaller_png(png(image, [1], extra=[gamma]))
    assert colour_type(with_gamma) == 6 and b"gAMA" in kinds(with_gamma) and np.array_equal(rgba(with_gamma), image)
    density = (b"pHYs", struct.pack(">IIB", 5669, 5669, 1))    # vl-convert writes this one: kept
    with_density = smaller_png(png(image, [1], extra=[density]))
    assert colour_type(with_density) == 3 and dict(png_chunks(with_density))[b"pHYs"] == density[1]


# ---- the cache ---------------------------------------------------------------------------------------------------


def test_a_png_cached_before_pngs_were_indexed_is_not_read(tmp_path, monkeypatch):
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "width": 80, "height": 40,
            "data": {"values": [{"g": "A", "v": 3}, {"g": "B", "v": 5}]}, "mark": "bar",
            "encoding": {"x": {"field": "v", "type": "quantitative"}, "y": {"field": "g", "type": "nominal"}}}
    svg_path, png_path = cache_paths(spec, tmp_path, 2)
    old = png_path.with_name(png_path.name.replace(image_drawing.PNG_METHOD, "own-fonts"))
    assert old != png_path, "the PNG's cache name changed with the way PNGs are written"
    old.write_bytes(b"a truecolour PNG from an earlier build")
    _, written = cached(spec, tmp_path, 2)
    assert colour_type(written) == 3 and written == png_path.read_bytes()
    job = ChartJob(spec, tmp_path, credit=("Source: a survey.",))
    credited = image_drawing.png_path(job, svg_path)
    monkeypatch.setattr(image_drawing, "PNG_METHOD", "own-fonts")
    assert image_drawing.png_path(job, svg_path) != credited, "a credited PNG's key names how PNGs are written"
