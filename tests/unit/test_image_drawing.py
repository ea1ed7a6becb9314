"""image_drawing.Drawing: chart images drawn in worker processes while the renderer goes on, each job awaited
on its own; image_credit.fitted's Vega runs done once per process for the same press canvas."""
from __future__ import annotations

import pytest

from build_data import image_credit, image_drawing
from build_data.image_drawing import ChartJob, Drawing, cache_paths, job_is_cached

BARS = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "width": 120, "height": 60,
        "data": {"values": [{"group": "A", "value": 3}, {"group": "B", "value": 5}]},
        "mark": "bar", "encoding": {"x": {"field": "value", "type": "quantitative"},
                                    "y": {"field": "group", "type": "nominal"}}}


def bars(width: int) -> dict:
    return {**BARS, "width": width}


def test_pooled_jobs_are_drawn_by_the_time_each_is_awaited(tmp_path):
    jobs = [ChartJob(bars(w), tmp_path, png=False) for w in (100, 140, 180)]
    with Drawing(jobs + jobs[:1], workers=2, pool_from=2) as drawing:    # a repeated job is drawn once
        assert len(drawing.todo) == 3 and drawing.pool is not None
        drawing.wait_for(jobs[1:2])
        assert job_is_cached(jobs[1]), "wait_for returned before its job was drawn"
        drawing.wait_for(jobs)
        assert all(job_is_cached(job) for job in jobs)
    assert Drawing(jobs, workers=2).todo == [], "what is cached is not drawn again"
    assert not list(tmp_path.glob("*.part"))


def test_a_drawing_that_fails_in_a_worker_fails_where_it_is_awaited(tmp_path):
    broken = ChartJob({**BARS, "mark": "no-such-mark"}, tmp_path, png=False)
    good = ChartJob(bars(90), tmp_path, png=False)
    with pytest.raises(Exception, match="Vega-Lite to SVG conversion failed"):
        with Drawing([good, broken], workers=2, pool_from=2) as drawing:
            drawing.wait_for([good])
            assert job_is_cached(good)
            drawing.wait_for([broken])
    assert not cache_paths(broken.spec, tmp_path, 2)[0].exists()


def test_one_worker_draws_nothing_ahead_and_wait_all_draws_here(tmp_path):
    job = ChartJob(bars(110), tmp_path, png=False)
    with Drawing([job], workers=2) as drawing:       # one job: one worker, this process
        assert drawing.pool is None and not job_is_cached(job)
        drawing.wait_for([job])
        assert not job_is_cached(job), "with no pool, the image is drawn when it is read (chart_images)"
        drawing.wait_all()
        assert job_is_cached(job)


def test_fitted_runs_vega_once_per_canvas_and_hands_out_copies(monkeypatch):
    image_credit.FITTED.clear()
    runs, real = [], image_drawing.vl()

    class Counting:
        def vegalite_to_svg(self, spec):
            runs.append(1)
            return real.vegalite_to_svg(spec)

    monkeypatch.setattr(image_drawing, "vl", Counting)
    spec = image_credit.with_credit(bars(200), ["Source: a survey."])
    first = image_credit.fitted(spec, 400, 200)
    drawn = len(runs)
    assert drawn >= 1
    first["vconcat"][0]["width"] = -1           # a caller changing its copy changes nobody else's
    second = image_credit.fitted(spec, 400, 200)
    assert len(runs) == drawn, "the same canvas was fitted again"
    assert second["vconcat"][0]["width"] != -1
    assert image_credit.fitted(spec, 300, 200) != second and len(runs) > drawn, "another canvas is fitted anew"


def test_a_fitted_press_image_is_drawn_from_its_last_fitting_run(tmp_path, monkeypatch):
    image_credit.FITTED.clear()
    image_drawing.DRAWN_AHEAD.clear()
    runs, real = [], image_drawing.vl()

    class Counting:
        def vegalite_to_svg(self, spec):
            runs.append(1)
            return real.vegalite_to_svg(spec)

        def svg_to_png(self, svg, scale=1):
            return real.svg_to_png(svg, scale=scale)

    monkeypatch.setattr(image_drawing, "vl", Counting)
    spec = image_credit.fitted(image_credit.with_credit(bars(200), ["Source: a survey."]), 400, 200)
    fitting = len(runs)
    svg, png = image_drawing.cached(spec, tmp_path)
    assert len(runs) == fitting, "the fitted spec was drawn by Vega again"
    assert svg == real.vegalite_to_svg(spec), "not the bytes of the spec's own drawing"
    assert png == image_drawing.smaller_png(real.svg_to_png(svg, scale=2))
    assert not image_drawing.DRAWN_AHEAD, "an SVG drawn ahead is kept after it was used"
    image_drawing.cached(bars(130), tmp_path, png=False)
    assert len(runs) == fitting + 1, "a spec not drawn ahead is drawn by Vega"


def test_jobs_added_while_drawing_are_drawn_once_each(tmp_path, monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    first, later = ChartJob(bars(100), tmp_path, png=False), ChartJob(bars(150), tmp_path, png=False)
    with Drawing(expected=4, pool_from=2) as drawing:
        assert drawing.workers == 2
        drawing.add([first])
        assert drawing.pool is None, "one job is no reason to start a worker"
        drawing.add([later, first])
        assert len(drawing.todo) == 2
        assert drawing.pool is not None and len(drawing.futures) == 2
        drawing.wait_for([first, later])
        drawing.wait_all()
    assert job_is_cached(first) and job_is_cached(later)
