"""In-process peer timings, run as a child process inside a project copy (its build_data is imported).

    python scripts/bench/inproc.py --root <copy> --json <out.json> gate
        our gate (checks.check_package on the published datapackage/) vs frictionless.validate() on it
    python scripts/bench/inproc.py --root <copy> --json <out.json> figures --sample 12
        per figure: chart construction, our write_figure (cold cache) vs Altair's chart.save("x.html")
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from measure import RssSampler  # noqa: E402


def gate(root: Path, sampler: RssSampler) -> dict:
    import frictionless  # imported before timing: both sides get a warm import
    from build_data import checks
    from build_data.metadata import load_config
    config = load_config(root)
    folder = root / "datapackage"
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    with sampler.stage("frictionless_api"):
        report = frictionless.validate(str(folder / "datapackage.json"))
    shutil.rmtree(root / ".cache" / "gate", ignore_errors=True)   # a cold gate: nothing skipped
    with sampler.stage("gate"):
        checks.check_package(folder, descriptor, config)
    rows = {r["name"]: sum(1 for _ in open(folder / r["path"], encoding="utf-8")) - 1 for r in descriptor["resources"]}
    return {"frictionless_valid": bool(report.valid), "rows": rows, "total_rows": sum(rows.values())}


def pick(specs: dict, sample: int) -> list[str]:
    """Up to `sample` figure ids, round-robin over kinds, so every kind is represented."""
    by_kind: dict[str, list[str]] = {}
    for fid, spec in specs.items():
        by_kind.setdefault(spec.get("kind", "?"), []).append(fid)
    chosen, i = [], 0
    while len(chosen) < min(sample, len(specs)):
        for ids in by_kind.values():
            if i < len(ids) and len(chosen) < sample:
                chosen.append(ids[i])
        i += 1
    return chosen


def figures(root: Path, sampler: RssSampler, sample: int) -> dict:
    """Per sampled figure: building it (figure data + light and dark Altair charts), our write step (what the
    render stage does for a figure: CSV, SVG and PNG in both schemes, specs; cold cache) and Altair's default
    chart.save("x.html") of the same light chart."""
    import dataclasses

    from build_data import render
    from build_data.metadata import load_config
    from build_data.question_pages import question_figure_specs
    config = load_config(root)
    specs = {**config.figures, **question_figure_specs(config.questions, config.figures, config.site["question_pages"])}
    chosen = pick(specs, sample)
    work = Path(tempfile.mkdtemp(prefix="bench-figures-", dir=root))
    out = {"figures_total": len(specs), "sampled": chosen, "per_figure": []}
    try:
        if hasattr(render, "Renderer"):
            # The render stage's own per-figure step: Renderer.build_figures over a one-figure catalogue.
            renderer = render.Renderer(config, work / "stage")
            catalogue = renderer.catalogue

            def ours(fid, i):
                renderer.config = dataclasses.replace(config, figures={fid: specs[fid]}, questions={})
                renderer.stage, renderer.cache = work / f"stage-{i}", work / f"cache-{i}"
                renderer.stage.mkdir()
                renderer.build_figures()
                return renderer.figures[fid]
        else:   # the earlier layout of render.py
            from build_data.figures import Catalogue
            from build_data.published import read_published
            descriptor, tables = read_published(root / "datapackage")
            catalogue = Catalogue(descriptor, tables, config.site)

            def ours(fid, i):
                figure = catalogue.build(fid, specs[fid])
                render.write_figure(figure, work, work / f"cache-{i}")
                return figure
        # Warm-up outside the clock: the first vl-convert call starts its JavaScript engine.
        ours(chosen[0], "warm").chart.save(str(work / "warm.html"))
        for i, fid in enumerate(chosen):
            t0 = time.perf_counter()
            with sampler.stage("construct"):
                catalogue.build(fid, specs[fid])
            t1 = time.perf_counter()
            with sampler.stage("ours_figure_step"):
                figure = ours(fid, i)
            t2 = time.perf_counter()
            with sampler.stage("altair_save_html"):
                figure.chart.save(str(work / f"{fid}.html"))
            t3 = time.perf_counter()
            out["per_figure"].append({"id": fid, "kind": specs[fid]["kind"], "construct_s": round(t1 - t0, 3),
                                      "ours_write_s": round(max(t2 - t1 - (t1 - t0), 0), 3),
                                      "ours_total_s": round(t2 - t1, 3), "altair_save_s": round(t3 - t2, 3),
                                      "altair_html_bytes": (work / f"{fid}.html").stat().st_size})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for key in ("construct_s", "ours_write_s", "ours_total_s", "altair_save_s"):
        values = [f[key] for f in out["per_figure"]]
        out[f"mean_{key}"] = round(statistics.mean(values), 4)
        out[f"median_{key}"] = round(statistics.median(values), 4)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("command", choices=["gate", "figures"])
    parser.add_argument("--sample", type=int, default=12)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    sys.path.insert(0, str(root))
    with RssSampler() as sampler:
        result = gate(root, sampler) if args.command == "gate" else figures(root, sampler, args.sample)
    result["stages"] = sampler.stages
    args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
