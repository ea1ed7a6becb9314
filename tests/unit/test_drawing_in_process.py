"""image_drawing.Drawing draws a render's few charts in the render's own process: a pool's workers each cost about
2 CPU s to start (Python, vl-convert's JavaScript engine and fonts), more than a handful of drawings. The pool starts
only once POOL_FROM jobs are to be drawn; below that, each image is drawn where it is read, with the same bytes as
a worker's drawing of it."""
from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
import yaml

from build_data import image_drawing
from build_data.figure_files import drawing_jobs
from build_data.figures import Catalogue
from build_data.image_drawing import POOL_FROM, PROJECT_AFTER, ChartJob, Drawing, chart_images, job_is_cached
from build_data.palette import use_cohort_colours
from build_data.published import read_published
from build_data.registry import load_registry

REPO = Path(__file__).resolve().parents[2]
FIGURES = yaml.safe_load((REPO / "build_data/metadata/figures.yml").read_text(encoding="utf-8"))
SITE = yaml.safe_load((REPO / "build_data/metadata/site.yml").read_text(encoding="utf-8"))
DRAWN = ["main_contact_by_alliance", "main_contact_trend"]   # bars with a reference line; a trend
CREDIT = ("Illustrative data — not real survey results.", "Source: a survey.",
          "Licence: Open Government Licence v3.0.")
BARS = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "width": 120, "height": 60,
        "data": {"values": [{"group": "A", "value": 3}, {"group": "B", "value": 5}]},
        "mark": "bar", "encoding": {"x": {"field": "value", "type": "quantitative"},
                                    "y": {"field": "group", "type": "nominal"}}}


@pytest.fixture(scope="module")
def figures():
    use_cohort_colours(load_registry(REPO / "build_data/metadata").cohorts)
    descriptor, tables = read_published(REPO / "datapackage")
    catalogue = Catalogue(descriptor, tables, SITE)
    return [catalogue.build(fid, FIGURES[fid]) for fid in DRAWN]


def bar_jobs(cache: Path, count: int) -> list[ChartJob]:
    return [ChartJob({**BARS, "width": 100 + 10 * i}, cache, png=False) for i in range(count)]


def drawing_processes() -> list:
    return [child for child in multiprocessing.active_children() if "Process" in type(child).__name__]


def test_a_few_jobs_are_drawn_here_with_the_bytes_a_pool_draws(figures, tmp_path, monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    here, pooled = tmp_path / "here", tmp_path / "pooled"
    jobs = {cache: [job for figure in figures for job in drawing_jobs(figure, cache, CREDIT)]
            for cache in (here, pooled)}
    cached = bar_jobs(tmp_path / "cached", 3 * PROJECT_AFTER)
    image_drawing.draw_all(cached, workers=1)
    before = drawing_processes()
    with Drawing(expected=200) as drawing:     # a render of many figures, all but these cached
        drawing.add(cached[:PROJECT_AFTER])
        drawing.add(jobs[here])
        drawing.add(cached[PROJECT_AFTER:])
        assert drawing.workers == 2 and drawing.pool is None and len(drawing.todo) == len(jobs[here]) < POOL_FROM
        drawing.wait_for(jobs[here])
        assert not any(job_is_cached(job) for job in jobs[here]), "nothing is drawn ahead: each image where it is read"
        drawn_here = [chart_images(job) for job in jobs[here]]
    assert drawing_processes() == before, "no worker process was started"
    with Drawing(jobs[pooled], workers=2, pool_from=2) as drawing:
        assert drawing.pool is not None
        drawing.wait_all()
    assert all(job_is_cached(job) for job in jobs[pooled])
    assert drawn_here == [chart_images(job) for job in jobs[pooled]], "a worker drew other bytes than this process"
    assert sorted(p.name for p in here.iterdir()) == sorted(p.name for p in pooled.iterdir())
    for path in here.iterdir():
        assert path.read_bytes() == (pooled / path.name).read_bytes(), path.name
    assert sum(1 for p in here.iterdir() if p.suffix == ".png") == 2 * len(figures), "light and dark credited PNGs"


def test_the_pool_starts_once_pool_from_jobs_are_known_and_draws_them_all(tmp_path, monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    jobs = bar_jobs(tmp_path, 4)
    with Drawing(expected=50, pool_from=3) as drawing:
        drawing.add(jobs[:1])
        drawing.add(jobs[1:2])
        assert drawing.pool is None and not drawing.futures, "two jobs: drawn here"
        drawing.add(jobs[2:3])
        assert drawing.pool is not None and len(drawing.futures) == 3, "the third job starts the pool with all three"
        drawing.add(jobs[3:] + jobs[:1])
        assert len(drawing.futures) == 4, "later jobs go to the running pool, repeats are not drawn twice"
        drawing.wait_for(jobs)
        assert all(job_is_cached(job) for job in jobs)


def test_a_cold_render_starts_its_pool_with_its_first_jobs_a_render_after_a_small_change_none(tmp_path, monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    cached = bar_jobs(tmp_path / "cached", PROJECT_AFTER)
    image_drawing.draw_all(cached, workers=1)
    new = bar_jobs(tmp_path / "new", PROJECT_AFTER + 2)
    with Drawing(expected=100, pool_from=50) as drawing:    # 100 jobs foreseen
        drawing.add(new[:PROJECT_AFTER - 1])
        assert drawing.pool is None, "too few jobs seen to foresee the render's"
        drawing.add(new[PROJECT_AFTER - 1:PROJECT_AFTER])
        assert drawing.pool is not None and len(drawing.futures) == PROJECT_AFTER, "all to draw: 100 foreseen"
        drawing.wait_all()
    with Drawing(expected=100, pool_from=50) as drawing:
        drawing.add(cached + new[PROJECT_AFTER:])
        assert drawing.pool is None and len(drawing.todo) == 2, "2 of 10 to draw: 20 foreseen, fewer than 50"
    with Drawing(expected=100, pool_from=50) as drawing:
        drawing.add(cached[:4] + bar_jobs(tmp_path / "other", 4))
        assert drawing.pool is not None, "4 of 8 to draw: 50 foreseen"
        drawing.wait_all()


def test_jobs_the_cache_has_do_not_count_towards_a_pool(tmp_path, monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    jobs = bar_jobs(tmp_path, 3)
    with Drawing(jobs[:2], workers=1) as drawing:
        drawing.wait_all()
    with Drawing(jobs, workers=2, pool_from=2) as drawing:
        assert drawing.todo == jobs[2:] and drawing.pool is None, "one job left to draw: no pool"
        drawing.wait_all()
    assert job_is_cached(jobs[2])


def test_wait_all_draws_here_what_no_pool_drew(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(image_drawing, "_draw_job", lambda job: calls.append(job) or chart_images(job))
    jobs = bar_jobs(tmp_path, 3)
    assert image_drawing.draw_all(jobs, workers=2, pool_from=4) == 3
    assert len(calls) == 3 and all(job in calls for job in jobs), "each drawn here, once"
    assert all(job_is_cached(job) for job in jobs)
