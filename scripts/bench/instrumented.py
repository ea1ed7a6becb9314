"""Run one build_data command through its own command-line entry (build_data.cli.main), timing its parts.

    python scripts/bench/instrumented.py --root <project copy> --json <out.json> [--tolerate-leaks] build|render|site|all

`all` is timed as the person's `make site` runs it: its stages are timed as all.build, all.render and all.site
(cli.run_stage), and the parts inside are named as for the commands run alone.

The project copy's build_data is imported (root goes first on sys.path). Library functions are
wrapped where the pipeline looks them up (module globals), so the code path is the command's
own; the wrappers only add a clock reading and an RSS-sampling thread (10 ms). The result is
written as JSON: {stage name: {wall_s, peak_rss_mb, rss_growth_mb, calls}}, plus the exit code.

--tolerate-leaks: a disclosure check that finds a suppressed count it can recover (SuppressionLeak,
or a non-empty leak_check.find_recoverable) is recorded under "tolerated" and the build goes on, so
the later stages can still be timed. Only for the benchmark's throw-away copies of illustrative
data: the report says the gate would have refused to publish.
"""
from __future__ import annotations

import argparse
import functools
import json
import sys
import time
from pathlib import Path

from measure import RssSampler  # noqa: E402  (scripts/bench is sys.path[0] when run as a script)

SAMPLER: RssSampler | None = None
ACTIVE: set[str] = set()
MISSING: list[str] = []
TOLERATED: list[dict] = []


def timed(name: str, fn):
    """fn, wrapped so each call is timed as stage `name` (re-entrant calls are timed once)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if name in ACTIVE:
            return fn(*args, **kwargs)
        ACTIVE.add(name)
        try:
            with SAMPLER.stage(name):
                return fn(*args, **kwargs)
        finally:
            ACTIVE.discard(name)
    return wrapper


def patch(owner, attribute: str, name: str) -> None:
    """Wrap owner.attribute (a module global or a class method) as stage `name`, if it exists."""
    fn = getattr(owner, attribute, None)
    if fn is None:
        MISSING.append(f"{getattr(owner, '__name__', owner)}.{attribute}")
        return
    setattr(owner, attribute, timed(name, fn))


def tolerate(owner, attribute: str, returns_leaks: bool) -> None:
    """Record, instead of raising, what a disclosure check finds (see --tolerate-leaks)."""
    from build_data.errors import SuppressionLeak
    fn = getattr(owner, attribute, None)
    if fn is None:
        return

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            found = fn(*args, **kwargs)
        except SuppressionLeak as error:
            TOLERATED.append({"check": attribute, "message": error.message() if hasattr(error, "message")
                              else str(error)})
            return None
        if returns_leaks and found:
            TOLERATED.append({"check": attribute, "count": len(found), "examples": list(found[:5])})
            return []
        return found
    setattr(owner, attribute, wrapper)


def instrument_all() -> None:
    """`all`: each stage it runs (cli.run_stage) timed as all.<stage>."""
    from build_data import cli
    run_stage = cli.run_stage

    @functools.wraps(run_stage)
    def timed_stage(name, *args, **kwargs):
        return timed(f"all.{name}", lambda: run_stage(name, *args, **kwargs))()
    cli.run_stage = timed_stage


def instrument_build(tolerate_leaks: bool = False) -> None:
    from build_data import checks, downloads, leak_check, pipeline
    if tolerate_leaks:   # first, so the timing wrappers below time the tolerant versions
        tolerate(leak_check, "find_recoverable", returns_leaks=True)
        for name in ("check_no_small_counts", "check_frequency_disclosure"):
            tolerate(checks, name, returns_leaks=False)
    patch(pipeline, "build_package", "build")
    patch(pipeline, "tidy_tables", "build.read+tidy+protect")
    patch(pipeline, "extract_release", "build.read")
    patch(pipeline, "suppress_experience", "build.protect")
    patch(pipeline, "suppress_audit", "build.protect")
    patch(pipeline, "suppress_frequencies", "build.protect")
    patch(pipeline, "tidy_frequencies", "build.tidy_frequencies")
    patch(pipeline, "check_tables", "build.check_tables")
    patch(pipeline, "write_package", "build.write_package")
    patch(pipeline, "check_package", "build.gate")
    patch(checks, "validate_frictionless", "build.gate.frictionless")
    patch(checks, "lint_metadata", "build.gate.lint")
    patch(leak_check, "find_recoverable", "build.gate.leak_check")
    patch(pipeline, "write_downloads", "build.downloads")
    patch(downloads, "spreadsheet_bytes", "build.downloads.xlsx")
    patch(downloads, "deterministic_zip", "build.downloads.zip")
    try:   # a pipeline that prepares the downloads beside the gate: the build's wait for them (their CPU included)
        from build_data.downloads_ahead import DownloadsAhead
        patch(DownloadsAhead, "prepared", "build.downloads.ahead_wait")
    except ImportError:
        pass


RENDER_PARTS = (
    # (module, attribute or Class.method, stage): whichever exist in the copied pipeline are timed.
    ("render", "render_docs", "render"),
    ("render", "read_published", "render.read_published"),
    ("render", "Renderer.__init__", "render.read_published"),
    ("figures", "Catalogue.build", "render.figure_data+altair"),
    ("render", "Renderer.build_figures", "render.figures"),
    ("render", "figure_csv", "render.figures.csv"),
    ("render", "write_figure", "render.figures.write_figure"),
    ("render", "static_images", "render.figures.static_images"),
    ("figure_files", "static_images", "render.figures.static_images"),
    ("figure_files", "chart_images", "render.figures.chart_images"),
    ("render", "draw_all", "render.figures.draw_all"),
    ("render", "Renderer.write_figures", "render.figures.write_figures"),
    ("render", "Renderer.prepare_while_drawing", "render.figures.prepare_while_drawing"),
    ("render", "draw_press_images", "render.figures.press_images"),
    ("render", "Drawing.wait_for", "render.figures.waiting_for_drawings"),
    ("render", "Drawing.__exit__", "render.figures.pool_closing (its workers' CPU counted here)"),
    ("render", "Renderer.render_pages", "render.pages"),
    ("render", "render_pages", "render.pages"),
    ("render", "Renderer.write_question_pages", "render.question_pages"),
    ("render", "write_question_pages", "render.question_pages"),
    ("render", "Renderer.write_embed_pages", "render.embed_pages"),
    ("render", "write_press_kit", "render.press_kits"),
    ("render", "Renderer.write_data_pages", "render.data_pages"),
    ("render", "vega_bundle", "render.vega_bundle"),
    ("render", "copy_tree", "render.copy_assets"),
)


def instrument_render() -> None:
    import importlib

    import altair as alt
    import vl_convert
    patch(vl_convert, "vegalite_to_svg", "render.svg (vl-convert)")
    patch(vl_convert, "vegalite_to_png", "render.png (vl-convert)")
    patch(vl_convert, "svg_to_png", "render.png (vl-convert)")
    for cls in (alt.TopLevelMixin, alt.Chart):
        patch(cls, "to_dict", "render.altair_to_dict")
    for module_name, attribute, stage in RENDER_PARTS:
        try:
            module = importlib.import_module(f"build_data.{module_name}")
        except ImportError:
            MISSING.append(f"build_data.{module_name}")
            continue
        owner, _, name = attribute.rpartition(".")
        target = getattr(module, owner, None) if owner else module
        if target is None or not hasattr(target, name):
            continue   # not in this version of the pipeline
        patch(target, name, stage)


def gate_worker_cpu() -> float:
    """CPU seconds the gate's worker processes reported (0 for a pipeline without a parallel gate)."""
    gate = sys.modules.get("build_data.gate")
    return float(getattr(gate, "WORKER_CPU_S", {}).get("total", 0.0)) if gate else 0.0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--tolerate-leaks", action="store_true")
    parser.add_argument("command", choices=["build", "render", "site", "all"])
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.root.resolve()))
    global SAMPLER
    started = time.perf_counter()
    with RssSampler() as SAMPLER:
        with SAMPLER.stage("import"):
            from build_data import cli
            if args.command in ("build", "all"):
                instrument_build(args.tolerate_leaks)
            if args.command in ("render", "all"):
                instrument_render()
            if args.command == "all":
                instrument_all()
            SAMPLER.extra_cpu = gate_worker_cpu
        with SAMPLER.stage("command"):
            code = cli.main(["--root", str(args.root), args.command])
    result = {"command": args.command, "exit_code": code, "wall_s": round(time.perf_counter() - started, 3),
              "gate_worker_cpu_s": round(gate_worker_cpu(), 3),
              "stages": SAMPLER.stages, "not_instrumented": MISSING, "tolerated": TOLERATED}
    args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return code


if __name__ == "__main__":
    sys.exit(main())
