"""Vega-Lite specs in, their SVG and 2x PNG drawings out, cached on disk by the spec's content hash.

vl-convert draws one image at a time per process, so a render draws every image it still needs
before writing any figure: in a pool of worker processes sized to the machine (draw_all), each
drawing written into the cache; the figures then read their images from the cache (cached). A
drawing depends only on its spec, so pooled and serial rendering give the same bytes. Workers are
started fresh ("spawn": not a copy of the renderer's memory) and import only this module's needs.
"""
from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import struct
import time
import zlib
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

MAX_WORKERS = 4        # each worker holds its own JavaScript engine (about 250 MB)
log = logging.getLogger("build_data")


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


def cache_paths(spec: dict, cache_dir: Path, scale: int) -> tuple[Path, Path]:
    key = hashlib.sha256(json.dumps(spec, sort_keys=True).encode("utf-8")).hexdigest()[:32] + f"-{scale}x-z6"
    return cache_dir / f"{key}.svg", cache_dir / f"{key}.png"


def is_cached(spec: dict, cache_dir: Path, scale: int = 2, png: bool = True) -> bool:
    svg_path, png_path = cache_paths(spec, cache_dir, scale)
    return svg_path.exists() and (png_path.exists() or not png)


def write_atomically(path: Path, data: bytes) -> None:
    """Readers (other workers, the renderer) never see half a file."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    partial.write_bytes(data)
    os.replace(partial, path)


def draw(spec: dict, cache_dir: Path, scale: int = 2, png: bool = True) -> None:
    """Draw the spec's SVG (and PNG, from the SVG: the same pixels as vegalite_to_png without running
    Vega twice) into the cache, unless it is there already."""
    import vl_convert as vlc
    svg_path, png_path = cache_paths(spec, cache_dir, scale)
    if svg_path.exists() and (png_path.exists() or not png):
        return
    cache_dir.mkdir(parents=True, exist_ok=True)
    svg = svg_path.read_text(encoding="utf-8") if svg_path.exists() else vlc.vegalite_to_svg(spec)
    if png:
        write_atomically(png_path, smaller_png(vlc.svg_to_png(svg, scale=scale)))
    write_atomically(svg_path, svg.encode("utf-8"))


def cached(spec: dict, cache_dir: Path, scale: int = 2, png: bool = True) -> tuple[str, bytes | None]:
    """SVG and (unless png=False) PNG of a spec, drawn now if the cache does not have them."""
    draw(spec, cache_dir, scale, png)
    svg_path, png_path = cache_paths(spec, cache_dir, scale)
    return svg_path.read_text(encoding="utf-8"), png_path.read_bytes() if png else None


def worker_count(jobs: int) -> int:
    """One worker per core (at most MAX_WORKERS), never more than there are drawings."""
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS, jobs))


def _draw_job(job: tuple) -> None:
    draw(*job)


def draw_all(jobs: list[tuple[dict, Path, int, bool]], workers: int | None = None) -> int:
    """Draw every (spec, cache_dir, scale, png) not yet cached: in a process pool, or in this process when
    one worker is all there is (one core, or one drawing). Returns how many were drawn."""
    todo, seen = [], set()
    for spec, cache_dir, scale, png in jobs:
        key = (cache_paths(spec, cache_dir, scale)[0], png)
        if key not in seen and not is_cached(spec, cache_dir, scale, png):
            seen.add(key)
            todo.append((spec, cache_dir, scale, png))
    workers = worker_count(len(todo)) if workers is None else max(1, min(workers, len(todo) or 1))
    started = time.perf_counter()
    if workers == 1:
        for job in todo:
            _draw_job(job)
    else:
        # Largest first (the longest drawings), so no worker is left with a long one at the end.
        todo.sort(key=lambda job: -len(json.dumps(job[0])))
        # A worker that dies (out of memory, a crash) fails the render (BrokenProcessPool), never hangs it.
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            for _ in pool.map(_draw_job, todo):
                pass
    if todo:
        log.info("drew %d images in %.1f s (%d process%s)", len(todo), time.perf_counter() - started, workers,
                 "es" if workers > 1 else "")
    return len(todo)
