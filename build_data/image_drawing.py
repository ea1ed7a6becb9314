"""Vega-Lite specs in, their SVG and 2x PNG drawings out, cached on disk by the spec's content hash.

vl-convert draws one image at a time per process, so a render hands every image it still needs to
a pool of worker processes sized to the machine (Drawing; draw_all waits for all), each drawing
written into the cache, and goes on meanwhile with what needs no image; each figure then reads its
images from the cache once the pool has drawn them (cached, chart_images). A drawing depends only on
its spec, so pooled and serial rendering give the same bytes. Workers are started fresh ("spawn":
not a copy of the renderer's memory) and import only this module's needs. A render with few images to
draw (POOL_FROM) starts no pool: it draws them itself, where it reads them. PNGs are written with the
fewest bytes that keep vl-convert's pixels exactly (smaller_png: indexed colour for a drawn chart).

Every drawing, in a worker or in the renderer's own process, is made with vl-convert's own fonts (vl():
the Liberation Sans it carries in memory, no system font), so the images do not depend on which fonts the
machine has, and Vega's text measuring and the PNG rasteriser never open a system font file (half a Vega
run's CPU, a fifth of a PNG's).

A figure's chart is drawn by Vega once per layout (ChartJob): its dark scheme is recoloured from the
light SVG (recolour.py) and its credited PNGs have the footer composed under the drawn SVG
(image_credit.credited_svg), so a figure costs two Vega runs, not six. A derived image's cache key
names what it was made from and the method's version tag, so it changes whenever its bytes would.
"""
from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import struct
import tempfile
import threading
import time
import zlib
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import NamedTuple

MAX_WORKERS = 4        # each worker holds its own JavaScript engine (about 250 MB)
# Fewer jobs than this to draw in all: drawn in the caller's process, no pool. A worker's start (Python, vl-convert's
# JavaScript engine and fonts) costs about 2.2 CPU s and holds its first drawing back as long, and drawing in two
# workers on two cores cost more CPU than in one process: a cold render of the tests' tiny project (64 jobs) took
# 22 CPU s drawn here against 29 pooled, in the same wall time; the medium project (124 jobs) 56 against 71 CPU s,
# but 57 s of wall time against 45.
POOL_FROM = 80
PROJECT_AFTER = 8   # jobs seen (to draw or cached) before their share to draw foresees the render's (Drawing.pool_pays)
PNG_METHOD = "own-fonts-indexed"   # part of every PNG's cache key: change it when how PNGs are drawn or written
                                   # (smaller_png) changes their bytes
log = logging.getLogger("build_data")


# ---- vl-convert with its own fonts, in every process that draws -----------------------------------------------

# Text in families vl-convert's own fonts do not have: drawn blank with its own fonts, in ink wherever vl-convert
# loaded the system's fonts (a machine with fonts at all has a serif or a monospace one, or one of these).
PROBE_FAMILIES = ("serif", "monospace", "DejaVu Sans", "Liberation Serif", "Liberation Mono", "Noto Sans",
                  "Noto Serif", "FreeSans", "Times New Roman", "Courier New", "Arial", "Helvetica")
PROBE_HEIGHT = 12 * (len(PROBE_FAMILIES) + 1)
PROBE = ('<svg xmlns="http://www.w3.org/2000/svg" width="24" height="{height}">{texts}</svg>').format(
    height=PROBE_HEIGHT, texts="".join(f'<text x="2" y="{12 * (i + 1)}" font-family="{family}" font-size="10">Wi</text>'
                                       for i, family in enumerate(PROBE_FAMILIES)))
BLANK = f'<svg xmlns="http://www.w3.org/2000/svg" width="24" height="{PROBE_HEIGHT}"></svg>'
DRAWER: dict = {}               # "vl": what vl() hands out in this process, once it has been decided
DRAWER_LOCK = threading.Lock()


def own_fonts_config(folder: Path) -> Path:
    """A fontconfig file naming one empty folder, for FONTCONFIG_FILE: vl-convert then loads no system font and
    draws with the Liberation Sans it carries in memory."""
    (folder / "no-fonts").mkdir(parents=True, exist_ok=True)
    config = folder / "fonts.conf"
    config.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
                      f"<fontconfig><dir>{folder / 'no-fonts'}</dir></fontconfig>\n", encoding="utf-8")
    return config


def load_own_fonts() -> bool:
    """Have vl-convert load its fonts now, from a fontconfig file naming no font (own_fonts_config), and say
    whether it draws with its own fonts only. vl-convert reads FONTCONFIG_FILE once per process, at its first
    drawing (Vega's text measuring and the PNG rasteriser share the fonts it loads then), so the variable is
    set only for that first drawing, then put back: the processes this one starts later (MkDocs, a browser)
    do not inherit it. False: vl-convert had drawn in this process before (its fonts were loaded already,
    the system's with them), or it no longer reads the variable."""
    import vl_convert as vlc
    with tempfile.TemporaryDirectory(prefix="build_data-fonts-") as folder:
        before = os.environ.get("FONTCONFIG_FILE")
        os.environ["FONTCONFIG_FILE"] = str(own_fonts_config(Path(folder)))
        try:
            probe = vlc.svg_to_png(PROBE)
        finally:
            if before is None:
                del os.environ["FONTCONFIG_FILE"]
            else:
                os.environ["FONTCONFIG_FILE"] = before
    return probe == vlc.svg_to_png(BLANK)


def vl():
    """vl-convert, drawing with its own fonts: the vl_convert module itself where this process could load them
    (load_own_fonts), else OwnFontsProcess (vl-convert had already drawn here with the system's fonts: code that
    called vl_convert directly first). Only vegalite_to_svg and svg_to_png are to be called on it."""
    with DRAWER_LOCK:
        if "vl" not in DRAWER:
            import vl_convert as vlc
            DRAWER["vl"] = vlc if load_own_fonts() else OwnFontsProcess()
        return DRAWER["vl"]


def _own_fonts_call(name: str, *args, **kwargs):
    """In OwnFontsProcess's worker: a new process, where vl-convert has not drawn yet."""
    import vl_convert as vlc
    with DRAWER_LOCK:
        if "vl" not in DRAWER:
            if not load_own_fonts():
                raise RuntimeError(
                    f"vl-convert {getattr(vlc, '__version__', '')} loaded the system's fonts although FONTCONFIG_FILE "
                    "named none, so the images would depend on the machine's fonts. Fix: report it as a bug in "
                    "build_data/image_drawing.py (load_own_fonts), with vl-convert's version.")
            DRAWER["vl"] = vlc
    return getattr(vlc, name)(*args, **kwargs)


class OwnFontsProcess:
    """vl-convert's vegalite_to_svg and svg_to_png run in one worker process of their own, which draws with
    vl-convert's own fonts: the same bytes as every other process's drawings."""

    def __init__(self):
        self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        log.debug("vl-convert had loaded the system's fonts in this process: drawing in a process of its own")

    def vegalite_to_svg(self, spec: dict) -> str:
        return self.pool.submit(_own_fonts_call, "vegalite_to_svg", spec).result()

    def svg_to_png(self, svg: str, scale: float = 1) -> bytes:
        return self.pool.submit(_own_fonts_call, "svg_to_png", svg, scale=scale).result()


# ---- drawings and the cache -------------------------------------------------------------------------------------


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
INDEX_LEVEL = 6   # zlib level of an indexed PNG's pixels: 1 is 2.7x faster for +34% bytes, 9 is 6x slower for -5%
# Chunks whose meaning does not depend on the colour type, nor on sitting before PLTE: an indexed PNG keeps them.
KEPT_WHEN_INDEXED = (b"pHYs", b"tEXt", b"zTXt", b"iTXt", b"tIME")


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """[(kind, body)] of a PNG's chunks, in order."""
    pos, chunks = len(PNG_SIGNATURE), []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        chunks.append((data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]))
        pos += 12 + length
    return chunks


def png_bytes(chunks: list[tuple[bytes, bytes]]) -> bytes:
    return PNG_SIGNATURE + b"".join(struct.pack(">I", len(body)) + kind + body
                                    + struct.pack(">I", zlib.crc32(kind + body)) for kind, body in chunks)


def with_pixels(chunks: list[tuple[bytes, bytes]], pixels: bytes, header: bytes | None = None,
                palette: list[tuple[bytes, bytes]] = ()) -> list[tuple[bytes, bytes]]:
    """The chunks with their IDATs replaced by one holding pixels (deflated), the header by header (if given) and
    the palette chunks (PLTE, tRNS) right after the header."""
    out = []
    for kind, body in chunks:
        if kind == b"IHDR":
            out += [(kind, header or body), *palette]
        elif kind == b"IDAT":
            if pixels is not None:
                out.append((kind, pixels))
            pixels = None
        else:
            out.append((kind, body))
    return out


def smaller_png(data: bytes) -> bytes:
    """The same pixels in fewer bytes. A drawn chart has a few dozen colours: it is written as an indexed-colour PNG
    (a palette of its colours in the order they first appear, then one byte a pixel: about half the bytes of the
    truecolour PNG vl-convert writes, deflated at level 6, and less CPU). An image with more than 256 colours, or
    not 8-bit RGBA (non-interlaced, no colour-space chunks), keeps its colour type, its image data deflated again at
    level 6 (vl-convert writes it lightly compressed: about 4x larger; level 9 is 8x slower for 5% less)."""
    chunks = png_chunks(data)
    pixels = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    indexed = indexed_png(chunks, pixels)
    return indexed if indexed is not None else png_bytes(with_pixels(chunks, zlib.compress(pixels, 6)))


def indexed_png(chunks: list[tuple[bytes, bytes]], pixels: bytes) -> bytes | None:
    """The PNG (chunks, with its inflated image data `pixels`) as an exact indexed-colour PNG (colour type 3, each
    row unfiltered), or None when it cannot be one (see smaller_png)."""
    width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    others = {kind for kind, _ in chunks} - {b"IHDR", b"IDAT", b"IEND"}
    if (depth, colour_type, interlace) != (8, 6, 0) or not others.issubset(KEPT_WHEN_INDEXED):
        return None
    steps = pixel_steps(pixels, width, height)
    if steps is None:
        return None
    found = colour_runs(steps, width, height)
    if found is None:
        return None
    palette, starts, codes = found
    import numpy as np
    rows = np.zeros((height, width + 1), np.uint8)     # filter byte 0 (None) before each row of indices
    rows[:, 1:] = np.repeat(codes, np.diff(starts, append=steps.size)).reshape(height, width)
    rgba = palette.view(np.uint8).reshape(-1, 4)
    plte = [(b"PLTE", rgba[:, :3].tobytes())]
    see_through = np.flatnonzero(rgba[:, 3] < 255)
    if see_through.size:
        plte.append((b"tRNS", rgba[:see_through[-1] + 1, 3].tobytes()))
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)
    return png_bytes(with_pixels(chunks, zlib.compress(rows.tobytes(), INDEX_LEVEL), header, plte))


def pixel_steps(pixels: bytes, width: int, height: int):
    """Each RGBA pixel minus the one on its left, bytewise modulo 256 (a row's first pixel: itself), as one
    little-endian uint32 a pixel, row after row: what PNG's Sub filter stores, so rows vl-convert wrote with it
    (all of them) are read as they are. Rows filtered None or Up are unfiltered first; None when a row uses
    Average or Paeth (the image is then re-deflated as it is)."""
    import numpy as np
    rows = np.frombuffer(pixels, np.uint8).reshape(height, 4 * width + 1)
    filters, data = rows[:, 0], rows[:, 1:]
    if not (filters == 1).all():
        if (filters > 2).any():
            return None
        data = data.copy()
        sub = np.flatnonzero(filters == 1)
        data[sub] = np.cumsum(data[sub].reshape(-1, width, 4), axis=1, dtype=np.uint8).reshape(-1, 4 * width)
        for row in np.flatnonzero(filters == 2):
            if row:
                data[row] += data[row - 1]
        data[:, 4:] -= data[:, :-4].copy()
    return np.ascontiguousarray(data).view("<u4").reshape(-1)


def colour_runs(steps, width: int, height: int):
    """(palette, starts, codes) of an image given as pixel_steps: its colours as uint32 in the order they first
    appear, where each run of same-coloured pixels in a row starts (flat pixel positions) and each run's palette
    index (uint8); None when it has more than 256 colours. A run starts where a step is not zero (or a row starts):
    its colour is the sum of its row's steps up to there, summed over run starts alone (a few per cent of pixels)."""
    import numpy as np
    change = steps != 0
    change[::width] = True
    starts = np.flatnonzero(change)
    summed = np.cumsum(steps[starts].view(np.uint8).reshape(-1, 4), axis=0, dtype=np.uint8)
    row_first = np.flatnonzero(starts % width == 0)       # where in starts each row starts
    before = np.zeros((height, 4), np.uint8)
    before[1:] = summed[row_first[1:] - 1]
    colours = (summed - before[starts // width]).view("<u4").reshape(-1)
    sorted_colours, first, inverse = np.unique(colours, return_index=True, return_inverse=True)
    if sorted_colours.size > 256:
        return None
    order = np.argsort(first)                           # the palette in the order colours first appear
    rank = np.empty(order.size, np.uint8)
    rank[order] = np.arange(order.size)
    return sorted_colours[order], starts, rank[inverse.reshape(-1)]


def content_hash(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode("utf-8")).hexdigest()[:32]


def cache_paths(spec: dict, cache_dir: Path, scale: int) -> tuple[Path, Path]:
    """Where Vega's drawing of the spec (SVG) and its PNG are kept."""
    key = content_hash(spec) + f"-{scale}x-z6"
    return cache_dir / f"{key}.svg", cache_dir / f"{key}-{PNG_METHOD}.png"


def write_atomically(path: Path, data: bytes) -> None:
    """Readers (other workers, the renderer) never see half a file."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    partial.write_bytes(data)
    os.replace(partial, path)


DRAWN_AHEAD: dict[str, str] = {}   # content_hash of a spec -> the SVG Vega drew of it in this process (drawn_ahead)


def drawn_ahead(spec: dict, svg: str) -> None:
    """Keep the SVG Vega drew of the spec (a press image's last fitting run, image_credit.fit) for draw: the spec
    is then not drawn by Vega a second time."""
    DRAWN_AHEAD[content_hash(spec)] = svg


def draw(spec: dict, cache_dir: Path, scale: int = 2, png: bool = True) -> None:
    """Draw the spec's SVG (and PNG, from the SVG: the same pixels as vegalite_to_png without running
    Vega twice) into the cache, unless it is there already. An SVG drawn ahead (drawn_ahead) is used, not
    drawn again."""
    svg_path, png_path = cache_paths(spec, cache_dir, scale)
    if svg_path.exists() and (png_path.exists() or not png):
        return
    cache_dir.mkdir(parents=True, exist_ok=True)
    ahead = DRAWN_AHEAD.pop(content_hash(spec), None)
    svg = svg_path.read_text(encoding="utf-8") if svg_path.exists() else ahead or vl().vegalite_to_svg(spec)
    if png:
        write_atomically(png_path, smaller_png(vl().svg_to_png(svg, scale=scale)))
    write_atomically(svg_path, svg.encode("utf-8"))


def cached(spec: dict, cache_dir: Path, scale: int = 2, png: bool = True) -> tuple[str, bytes | None]:
    """SVG and (unless png=False) PNG of a spec, drawn now if the cache does not have them."""
    draw(spec, cache_dir, scale, png)
    svg_path, png_path = cache_paths(spec, cache_dir, scale)
    return svg_path.read_text(encoding="utf-8"), png_path.read_bytes() if png else None


def worker_count(jobs: int) -> int:
    """One worker per core (at most MAX_WORKERS), never more than there are drawings."""
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS, jobs))


# ---- one chart per layout: light drawn by Vega, dark recoloured, PNGs with the credit composed ------------


class ChartJob(NamedTuple):
    """One layout of a figure's chart: `spec` (light) drawn by Vega; `dark`, the same spec with the dark config,
    recoloured from it where recolour.py can (else drawn by Vega); with png, each one's 2x PNG with the credit
    lines composed under the chart (image_credit.credited_svg)."""
    spec: dict
    cache_dir: Path
    dark: dict | None = None
    png: bool = True
    credit: tuple[str, ...] = ()
    scale: int = 2


def dark_drawing(job: ChartJob, light_svg: str) -> tuple[Path, str | None]:
    """Where the job's dark SVG is kept, and its text when it is recoloured from the light SVG (None: where
    recolour.py cannot, Vega draws it and it is kept under its own spec's key; or where the cache holds it
    recoloured already: a recoloured SVG is kept only under this key, so it is not recoloured again to be read)."""
    from .recolour import RECOLOUR_METHOD, colour_map, recoloured
    key = content_hash([content_hash(job.spec), content_hash(job.dark), RECOLOUR_METHOD])
    path = job.cache_dir / f"{key}-{job.scale}x-z6.svg"
    if path.exists():
        return path, None
    colours = colour_map(job.spec, job.dark)
    svg = recoloured(light_svg, colours) if colours is not None else None
    if svg is None:
        return cache_paths(job.dark, job.cache_dir, job.scale)[0], None
    return path, svg


def png_path(job: ChartJob, svg_path: Path) -> Path:
    """The PNG of the SVG kept at svg_path: beside it without a credit; with one, keyed by the SVG, the lines and
    the footer's method too (and, either way, by how PNGs are rasterised: PNG_METHOD)."""
    from .image_credit import FOOTER_METHOD
    if not job.credit:
        return svg_path.with_name(f"{svg_path.stem}-{PNG_METHOD}.png")
    key = content_hash([svg_path.stem, list(job.credit), FOOTER_METHOD, PNG_METHOD])
    return job.cache_dir / f"{key}-{job.scale}x-z6.png"


def chart_images(job: ChartJob) -> list[tuple[dict, str, bytes | None]]:
    """[(spec, SVG, PNG or None)] for the job's light chart then (if any) its dark one; drawn now what the cache
    does not have."""
    from .image_credit import credited_svg
    job.cache_dir.mkdir(parents=True, exist_ok=True)
    light_path = cache_paths(job.spec, job.cache_dir, job.scale)[0]
    if not light_path.exists():
        write_atomically(light_path, vl().vegalite_to_svg(job.spec).encode("utf-8"))
    light = light_path.read_text(encoding="utf-8")
    made = [(job.spec, light_path, light)]
    if job.dark is not None:
        made.append((job.dark, *dark_drawing(job, light)))
    out = []
    for spec, svg_path, derived in made:
        if not svg_path.exists():
            write_atomically(svg_path, (derived or vl().vegalite_to_svg(spec)).encode("utf-8"))
        svg, png = svg_path.read_text(encoding="utf-8"), None
        if job.png:
            path = png_path(job, svg_path)
            if not path.exists():
                shown = credited_svg(svg, spec, list(job.credit)) if job.credit else svg
                write_atomically(path, smaller_png(vl().svg_to_png(shown, scale=job.scale)))
            png = path.read_bytes()
        out.append((spec, svg, png))
    return out


def job_is_cached(job: ChartJob) -> bool:
    light_path = cache_paths(job.spec, job.cache_dir, job.scale)[0]
    if not light_path.exists():
        return False
    paths = [light_path]
    if job.dark is not None:
        paths.append(dark_drawing(job, light_path.read_text(encoding="utf-8"))[0])
    return all(p.exists() and (not job.png or png_path(job, p).exists()) for p in paths)


def _draw_job(job: ChartJob) -> None:
    chart_images(job)


def job_key(job: ChartJob) -> str:
    return content_hash([job.spec, job.dark, job.png, list(job.credit), job.scale, str(job.cache_dir)])


class Drawing:
    """Chart jobs drawn in worker processes while the caller goes on with work that needs no image (building the
    next figures, figure CSVs, press images): jobs given at the start or added as they are known (add), each job's
    drawing awaited by wait_for (or all of them by wait_all), the pool closed on leaving. Jobs the cache already
    has, and repeats, are not drawn again. The pool starts once pool_from jobs (POOL_FROM) are to be drawn, or are
    foreseen (pool_pays); with fewer in all (a small project, a render after a small change), or one worker (one
    core), nothing is drawn ahead: chart_images draws each image in this process when it is read (or wait_all,
    here), the same bytes. A worker draws a job's SVGs with Vega and its PNGs from them, all with vl-convert's
    own fonts (vl)."""

    def __init__(self, jobs: list[ChartJob] = (), workers: int | None = None, expected: int | None = None,
                 pool_from: int | None = None):
        """workers: at most this many processes (default: worker_count of `expected` jobs, else of `jobs`);
        pool_from: how many jobs to draw make a pool worth starting (default POOL_FROM; at least 2)."""
        self.todo, self.keys, self.futures = [], [], {}    # keys: job_key of each job in todo
        self.pool, self.pool_from = None, max(2, POOL_FROM if pool_from is None else pool_from)
        self.expected, self.seen = expected, set()     # seen: job_key of every job given, drawn or cached
        self.add_new(jobs)
        wanted = len(self.todo) if expected is None else expected
        self.workers = worker_count(wanted) if workers is None else max(1, min(workers, wanted or 1))

    def add_new(self, jobs: list[ChartJob]) -> None:
        for job in jobs:
            key = job_key(job)
            if key not in self.seen and not job_is_cached(job):
                self.todo.append(job)
                self.keys.append(key)
            self.seen.add(key)

    def pool_pays(self) -> bool:
        """Enough jobs to draw to start a pool: pool_from of them, or (expected given) as many foreseen from the
        share of the first jobs seen (PROJECT_AFTER or more) that the cache lacks, so that a cold render's pool
        starts with its first figures, not after pool_from jobs are known, and a render after a small change
        (its first jobs cached) starts none."""
        if len(self.todo) >= self.pool_from:
            return True
        return (self.expected is not None and len(self.seen) >= PROJECT_AFTER and len(self.todo) >= 2
                and len(self.todo) * self.expected >= self.pool_from * len(self.seen))

    def __enter__(self) -> "Drawing":
        self.started = time.perf_counter()
        # Largest first (the longest drawings), so no worker is left with a long one at the end.
        order = sorted(range(len(self.todo)), key=lambda i: -len(json.dumps(self.todo[i].spec)))
        self.todo, self.keys = [self.todo[i] for i in order], [self.keys[i] for i in order]
        self.submit_waiting()
        return self

    def add(self, jobs: list[ChartJob]) -> None:
        """More jobs, drawn from now on (in the order given)."""
        self.add_new(jobs)
        self.submit_waiting()

    def submit_waiting(self) -> None:
        if self.workers < 2 or (self.pool is None and not self.pool_pays()):
            return
        if self.pool is None:
            # Workers start one per job submitted, up to self.workers. A worker that dies (out of memory, a crash)
            # fails the render (BrokenProcessPool), never hangs it.
            self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        for job, key in zip(self.todo[len(self.futures):], self.keys[len(self.futures):]):
            self.futures[key] = self.pool.submit(_draw_job, job)

    def wait_for(self, jobs: list[ChartJob]) -> None:
        """Return once the pool has drawn these jobs (at once for jobs it was not given); a drawing's error is
        raised here."""
        for job in jobs:
            future = self.futures.get(job_key(job))
            if future is not None:
                future.result()

    def wait_all(self) -> None:
        if self.pool is None:
            for job in self.todo:
                _draw_job(job)
        else:
            for future in self.futures.values():
                future.result()

    def __exit__(self, kind, error, trace) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=error is not None)
        if self.todo and error is None:
            log.info("drew %d charts in %.1f s (%d process%s)", len(self.todo), time.perf_counter() - self.started,
                     self.workers if self.pool is not None else 1, "es" if self.pool is not None else "")


def draw_all(jobs: list[ChartJob], workers: int | None = None, pool_from: int | None = None) -> int:
    """Draw every chart job not yet cached: in a process pool, or in this process when one worker is all there
    is (one core) or there are fewer than pool_from jobs to draw. Returns how many jobs were drawn."""
    with Drawing(jobs, workers, pool_from=pool_from) as drawing:
        drawing.wait_all()
    return len(drawing.todo)
