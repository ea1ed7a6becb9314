"""Benchmark the pipeline at national scale, side by side with the usual tools.

    python scripts/benchmark.py --out bench-out/benchmark.json            # the full run (make bench)
    python scripts/benchmark.py --scales small --skip-browser             # a quick run
    python scripts/benchmark.py --browser-only                            # phone timing of site/ only

For each scale, an ILLUSTRATIVE project copy is generated in a temporary folder (never in the
repo: scripts/bench/generate.py) and every stage is run as a child process, timed with its peak
resident memory (os.wait4):

  all      the cold build, as `make site` runs it (cold figure cache, no previous package or site): one
           `python -m build_data all`, its stages timed inside the same command (scripts/bench/instrumented.py):
    build    raw files -> checked datapackage/ (split into read, tidy, protect, check, write, gate, downloads)
    render   datapackage/ -> charts and pages in docs/_build (split likewise)
    site     docs/_build -> site/ (mkdocs build --strict)
  rebuild  the same again with nothing changed (`python -m build_data all`)
  release  one more survey year added as a data manager would (generate.add_next_release), then `all`

Targets, each in the JSON's `targets` with value, limit and met: the cold build (`all`) within 2x
`frictionless validate` of its own output (the command run twice, right after the cold build and again after the
no-change rebuild; their mean is the peer, as the machine's speed drifts within the hour), peak memory (the process tree's), the gate within 1.5x that command
(CPU), the no-change rebuild, a new release's rebuild within 0.4x the cold build, and the test suite's
time (from the JUnit XML file a pytest run wrote, bench-out/pytest-junit.xml, or --run-suite).

Peers, measured in the same run and reported as ratios: `frictionless validate` vs our gate; a bare
`mkdocs build` of the same Markdown without figures vs our site stage; Altair's default
chart.save("x.html") vs our figure rendering; the gzip bytes of a figure page vs the same chart as a
standalone HTML file with Vega inlined; and time to the first visible chart on an emulated
mid-range phone vs the same chart drawn by Vega in the browser.

Targets are reported as met or missed, never asserted: the exit code is 0 unless the benchmark
itself fails. The machine may be shared; wall times are then noisy, so CPU seconds and the load
average are recorded beside them.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from importlib import metadata as importlib_metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent / "bench"
sys.path.insert(0, str(BENCH))

from generate import ROOT_FILE_SUFFIXES, Scale, add_next_release, write_project  # noqa: E402
from measure import run_child  # noqa: E402
import peers  # noqa: E402
import suite  # noqa: E402

INSTRUMENTED = BENCH / "instrumented.py"
CORES = os.cpu_count() or 1
INPROC = BENCH / "inproc.py"
# Rows scale by 1/10 and 1/3. The smaller scales keep the ten questions the committed pages name
# (so every page marker resolves) and scale trusts or questions; figures scale with questions.
SCALES = {
    "small": Scale("small", trusts=78, questions=10),        # 1/10 of the national rows, 32 figures
    "medium": Scale("medium", trusts=130, questions=20),     # 1/3, 62 figures
    "national": Scale("national", trusts=130, questions=60),  # 130 trusts x 60 questions x 5 years x 4 groups
}
TARGETS = {
    "cold_vs_frictionless": 2.0, "full_build_mb": 2048, "gate_vs_frictionless": 1.5, "rebuild_s": 5,
    "new_release_vs_cold": 0.4, "suite_s": 480, "per_row_spread": 1.5, "figure_page_kb": 150, "first_chart_ms": 1200,
}
PACKAGES = ("pandas", "numpy", "frictionless", "altair", "vl-convert-python", "mkdocs", "mkdocs-material",
            "xlsxwriter", "playwright")


# ---- machine ------------------------------------------------------------------------------------

def machine() -> dict:
    mem_kb = next((int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal")), 0)
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
                 platform.processor())
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            versions[name] = None
    try:
        chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True,
                                  timeout=20).stdout.strip().splitlines()[-1]
    except Exception:
        chromium = None
    return {"nproc": os.cpu_count(), "usable_cpus": len(os.sched_getaffinity(0)), "cpu_model": model,
            "memory_gb": round(mem_kb / 2**20, 1), "python": sys.version.split()[0],
            "platform": platform.platform(), "packages": versions, "chromium": chromium,
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}


# ---- helpers ------------------------------------------------------------------------------------

def child_env() -> dict:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}


def log_tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def published_rows(root: Path) -> dict:
    descriptor = read_json(root / "datapackage" / "datapackage.json")
    rows = {}
    for res in descriptor.get("resources", []):
        with open(root / "datapackage" / res["path"], "rb") as f:
            rows[res["name"]] = sum(1 for _ in f) - 1
    return rows


def stage_times_from_log(path: Path) -> dict:
    """`python -m build_data all` logs 'stage <name> took <s> s' after each stage."""
    found = re.findall(r"stage (\w+) took ([0-9.]+) s", path.read_text(encoding="utf-8", errors="replace"))
    return {name: float(s) for name, s in found}


def ratio(a, b):
    return round(a / b, 2) if a is not None and b else None


class Run:
    """One scale: its project copy, logs and results."""

    def __init__(self, scale: Scale, logs: Path, args):
        self.scale, self.logs, self.args = scale, logs, args
        self.root = Path(tempfile.mkdtemp(prefix=f"bench-{scale.name}-"))
        self.env = child_env()
        self.result = {"scale": scale.name, "dimensions": scale.describe(), "root": str(self.root), "stages": {},
                       "split": {}, "rebuild": {}, "peers": {}, "errors": [],
                       "disclosure_findings": []}

    def child(self, name: str, cmd: list, timeout: float | None = None) -> dict:
        log = self.logs / f"{self.scale.name}-{name}.log"
        log.unlink(missing_ok=True)
        print(f"  [{self.scale.name}] {name} ...", end="", flush=True)
        result = run_child([str(c) for c in cmd], cwd=self.root, env=self.env, log=log, timeout=timeout)
        print(f" {result['wall_s']:.1f} s, {result['peak_rss_mb']:.0f} MB"
              + ("" if result["returncode"] == 0 else f" (exit {result['returncode']})"), flush=True)
        if result["returncode"] != 0:
            self.result["errors"].append({"stage": name, "log": str(log), "tail": log_tail(log)})
        return result

    def cli(self, name: str, command: str) -> dict:
        return self.child(name, [sys.executable, "-m", "build_data", "--root", self.root, command])

    def instrumented(self, name: str, command: str) -> tuple[dict, dict]:
        out = self.root / f".bench-{name}.json"
        flags = [] if self.args.strict_gate else ["--tolerate-leaks"]
        result = self.child(name, [sys.executable, INSTRUMENTED, "--root", self.root, "--json", out, *flags, command])
        split = read_json(out)
        if split.get("gate_worker_cpu_s"):   # reaped by a fork server, not by the command: not in its wait4 CPU
            result["cpu_s"] = round(result["cpu_s"] + split["gate_worker_cpu_s"], 2)
            result["cpu_s_includes_gate_workers_s"] = split["gate_worker_cpu_s"]
        for found in split.get("tolerated", []):
            self.result["disclosure_findings"].append({"stage": name, **found})
            print(f"  [{self.scale.name}] !! {name}: the gate would have refused to publish "
                  f"({found['check']}: {found.get('count', 1)} finding(s), e.g. "
                  f"{(found.get('examples') or [found.get('message', '')])[0][:160]}); tolerated to time later stages",
                  flush=True)
        return result, split

    def cleanup(self) -> None:
        if not self.args.keep:
            shutil.rmtree(self.root, ignore_errors=True)


# ---- one scale ----------------------------------------------------------------------------------

def snapshot_repo() -> tuple[Path, dict]:
    """Copy the parts of the repo the benchmark uses once, so every scale sees the same code even while
    others edit the working tree; return the copy and its provenance (commit, uncommitted changes)."""
    snap = Path(tempfile.mkdtemp(prefix="bench-snapshot-"))
    shutil.copytree(REPO / "build_data", snap / "build_data", ignore=shutil.ignore_patterns("__pycache__"))
    for sub in ("pages", "assets", "overrides"):
        if (REPO / "docs" / sub).exists():
            shutil.copytree(REPO / "docs" / sub, snap / "docs" / sub)
    for extra in sorted(REPO.iterdir()):
        if extra.is_file() and extra.suffix in ROOT_FILE_SUFFIXES:
            shutil.copy2(extra, snap / extra.name)

    def git(*a):
        try:
            return subprocess.run(["git", *a], cwd=REPO, capture_output=True, text=True, timeout=30).stdout.strip()
        except Exception:
            return ""
    changed = [line for line in git("status", "--short", "--", "build_data", "docs", "mkdocs.yml", "CHANGELOG.md").splitlines()
               if line]
    return snap, {"commit": git("rev-parse", "--short", "HEAD"), "uncommitted_changes_in_code_and_docs": len(changed),
                  "changed": changed[:40]}


def stages_of_all(split: dict, command: dict) -> dict:
    """The cold `all`'s stages (all.build, all.render, all.site in its split) as the stage results the report
    shows: wall, CPU and peak of each."""
    stages = {}
    for name in ("build", "render", "site"):
        part = split.get("stages", {}).get(f"all.{name}")
        if part is None:
            continue
        stages[name] = {"wall_s": part["wall_s"], "cpu_s": part["cpu_s"], "peak_rss_mb": part["peak_rss_mb"],
                        "returncode": 0, "from": f"the cold `all` (its all.{name} part)"}
    if command.get("returncode") != 0:    # the stage that failed is the last one that started
        failed = next((n for n in ("site", "render", "build") if n in stages), "build")
        stages.setdefault(failed, {"wall_s": None, "cpu_s": None, "peak_rss_mb": None})["returncode"] = command["returncode"]
    return stages     # (a part's CPU already has the gate workers' own: instrumented.py's extra_cpu)


def run_scale(scale: Scale, args, logs: Path, is_largest: bool, no_cache_evidence: list, source: Path) -> dict:
    run = Run(scale, logs, args)
    res = run.result
    try:
        started = time.perf_counter()
        info = write_project(source, run.root, scale, frequencies=not args.no_frequencies, next_releases=1)
        res["data"] = {k: v for k, v in info.items() if k != "raw_files"}
        res["data"]["raw_files"] = info["raw_files"]
        res["stages"]["generate"] = {"wall_s": round(time.perf_counter() - started, 3)}
        print(f"  [{scale.name}] generated {info['raw_rows']:,} raw rows ({info['score_rows']:,} scores, "
              f"{info['frequency_rows']:,} frequencies) in {res['stages']['generate']['wall_s']:.1f} s", flush=True)

        # Cold: an empty figure cache, no previous package or site; one `all`, as `make site` runs it.
        res["stages"]["all"], res["split"]["all"] = run.instrumented("cold-all", "all")
        res["stages"].update(stages_of_all(res["split"]["all"], res["stages"]["all"]))
        if res["stages"]["all"]["returncode"] != 0:
            return res
        res["data"]["published_rows"] = published_rows(run.root)
        res["data"]["published_total_rows"] = sum(res["data"]["published_rows"].values())
        figures = len(list((run.root / "docs" / "_build" / "figures").glob("*.vl.json"))) // 2
        res["data"]["figures"] = figures
        res["data"]["site_pages"] = len(list((run.root / "site").rglob("index.html")))

        # Peers that read the outputs just made. The gate's own time comes from the build split.
        fric_runs = []
        if is_largest:   # run again after the no-change rebuild (the same output): see peers.frictionless_runs
            fric_runs.append(peers.frictionless_cli(run.root, run.env, logs / f"{scale.name}-frictionless-1.log"))
            res["peers"]["frictionless_cli"] = peers.frictionless_runs(fric_runs)
            print(f"  [{scale.name}] frictionless validate ... {fric_runs[-1]['wall_s']:.1f} s", flush=True)
        res["peers"]["bare_mkdocs"] = peers.bare_mkdocs(run.root, run.env, logs / f"{scale.name}-bare-mkdocs.log")
        print(f"  [{scale.name}] bare mkdocs build ... {res['peers']['bare_mkdocs']['wall_s']:.1f} s", flush=True)
        res["peers"]["page_weight"] = peers.weights(run.root / "site")
        if is_largest:
            out = run.root / ".bench-figures.json"
            res["peers"]["figures_run"] = run.child("figures-vs-altair-save", [
                sys.executable, INPROC, "--root", run.root, "--json", out, "figures", "--sample", args.figure_sample])
            res["peers"]["figures"] = read_json(out)
            if not args.skip_browser:
                print(f"  [{scale.name}] browser (emulated phone) ...", end="", flush=True)
                try:
                    import browser
                    page = res["peers"]["page_weight"]["chosen"]["page"]
                    res["peers"]["browser"] = browser.first_chart(run.root / "site", page, runs=args.browser_runs)
                    print(f" first chart {res['peers']['browser']['ours']['median_first_chart_visible_ms']} ms",
                          flush=True)
                except Exception as error:   # a missing browser must not lose the rest of the run
                    res["peers"]["browser"] = {"error": f"{type(error).__name__}: {error}"}
                    print(f" failed: {error}", flush=True)

        # Rebuild with nothing changed.
        cold_build = res["stages"]["build"]["wall_s"]
        if cold_build <= args.max_rebuild_build:
            rebuild = run.cli("rebuild-all", "all")   # the command itself: no timing wrappers to import
            res["rebuild"] = {"all": rebuild, "mode": "measured: build_data all (nothing changed)",
                              "stages_from_log": stage_times_from_log(logs / f"{scale.name}-rebuild-all.log")}
            res["rebuild"]["total_s"] = rebuild["wall_s"]
            if "build" in res["rebuild"]["stages_from_log"]:
                no_cache_evidence.append((scale.name, res["rebuild"]["stages_from_log"]["build"], cold_build))
        else:
            render, res["split"]["rebuild-render"] = run.instrumented("rebuild-render", "render")
            site = run.cli("rebuild-site", "site")
            evidence = [e for e in no_cache_evidence if e[1] / e[2] > 0.5]
            res["rebuild"] = {
                "render": render, "site": site, "build_estimated_s": cold_build,
                "stages_from_log": {"build": cold_build, "render": render["wall_s"], "site": site["wall_s"]},
                "total_s": round(cold_build + render["wall_s"] + site["wall_s"], 3),
                "mode": (f"build not re-run (its cold run took {cold_build:.0f} s > --max-rebuild-build "
                         f"{args.max_rebuild_build:.0f} s): the build stage has no cache, so a no-change build "
                         "repeats the cold build and its cold time is counted; render and site re-run and measured"),
                "no_cache_evidence": [{"scale": s, "rebuild_build_s": r, "cold_build_s": c} for s, r, c in evidence]}

        if fric_runs:
            fric_runs.append(peers.frictionless_cli(run.root, run.env, logs / f"{scale.name}-frictionless-2.log"))
            res["peers"]["frictionless_cli"] = peers.frictionless_runs(fric_runs)
            print(f"  [{scale.name}] frictionless validate, again ... {fric_runs[-1]['wall_s']:.1f} s (mean "
                  f"{res['peers']['frictionless_cli']['wall_s']:.1f} s)", flush=True)

        # A new release: one more survey year published as a data manager would, then `all` (build, render, site).
        release = add_next_release(run.root)
        result, res["split"]["new-release"] = run.instrumented("new-release-all", "all")
        res["new_release"] = {"release": release, "all": result,
                              "stages_from_log": stage_times_from_log(logs / f"{scale.name}-new-release-all.log")}
    except Exception as error:
        res["errors"].append({"stage": "benchmark", "error": f"{type(error).__name__}: {error}"})
        print(f"  [{scale.name}] benchmark error: {error}", flush=True)
    finally:
        res["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        run.cleanup()
    return res


# ---- summary, targets and table -----------------------------------------------------------------

def build_split(res: dict) -> dict:
    """The instrumented split with the build's parts: the cold `all`'s (older reports: `build` run alone)."""
    return res["split"].get("all") or res["split"].get("build", {})


def split_row(split: dict, name: str, key: str = "wall_s") -> float | None:
    entry = split.get("stages", {}).get(name)
    return entry.get(key) if entry else None


def summarise(res: dict) -> dict:
    """Derived figures for one scale: stage split, full build, per-row cost, rebuild."""
    st, sp = res["stages"], res["split"]
    b = build_split(res)
    out = {}
    if st.get("build", {}).get("returncode") == 0:
        for suffix, key in (("s", "wall_s"), ("cpu_s", "cpu_s")):
            part = lambda name: split_row(b, name, key)  # noqa: E731
            read, tidy_all, protect = part("build.read"), part("build.read+tidy+protect"), part("build.protect") or 0.0
            if read is None and key == "cpu_s":
                continue    # splits from before CPU time was recorded
            check = (part("build.check_tables") or 0.0) + (part("build.gate") or 0.0)
            write = (part("build.write_package") or 0.0) + (part("build.downloads") or 0.0)
            out[f"build_split_{suffix}"] = {
                "read": read, "tidy": round(tidy_all - read - protect, 3) if tidy_all and read is not None else None,
                "protect (disclosure)": protect, "check (rules + gate)": round(check, 3),
                "  gate: frictionless": part("build.gate.frictionless"),
                "  gate: leak check": part("build.gate.leak_check"),
                "write (csv + json)": part("build.write_package"),
                "write downloads (xlsx + zip)": part("build.downloads"),
                "  of which xlsx": part("build.downloads.xlsx"), "write total": round(write, 3)}
        out["build_split_peak_mb"] = {k: v["peak_rss_mb"] for k, v in b.get("stages", {}).items()}
        rows = res["data"].get("published_total_rows")
        raw = res["data"].get("raw_rows")
        out["build_us_per_published_row"] = round(1e6 * st["build"]["wall_s"] / rows, 1) if rows else None
        out["build_cpu_us_per_published_row"] = round(1e6 * st["build"]["cpu_s"] / rows, 1) if rows else None
        out["build_us_per_raw_row"] = round(1e6 * st["build"]["wall_s"] / raw, 1) if raw else None
    if st.get("all", {}).get("returncode") == 0:     # the cold `all`: what `make site` costs
        out["full_build_s"] = st["all"]["wall_s"]
        out["full_build_cpu_s"] = st["all"]["cpu_s"]
        out["full_build_peak_mb"] = st["all"].get("tree_peak_mb") or st["all"]["peak_rss_mb"]
        out["full_build_largest_process_mb"] = st["all"]["peak_rss_mb"]
    elif all(st.get(k, {}).get("returncode") == 0 for k in ("build", "render", "site")):   # older reports
        out["full_build_s"] = round(sum(st[k]["wall_s"] for k in ("build", "render", "site")), 1)
        out["full_build_cpu_s"] = round(sum(st[k]["cpu_s"] for k in ("build", "render", "site")), 1)
        out["full_build_peak_mb"] = max(st[k]["peak_rss_mb"] for k in ("build", "render", "site"))
    if "full_build_s" in out:
        for name in ("build", "render", "site"):    # core-seconds a stage left unused: cores x wall - CPU
            if st.get(name, {}).get("wall_s") is not None and st[name].get("cpu_s") is not None:
                out.setdefault("idle_core_s", {})[name] = round(CORES * st[name]["wall_s"] - st[name]["cpu_s"], 1)
        if st.get("all"):
            out.setdefault("idle_core_s", {})["all"] = round(CORES * st["all"]["wall_s"] - st["all"]["cpu_s"], 1)
        r = sp.get("all") or sp.get("render", {})
        out["render_split_s"] = {k.removeprefix("render."): v["wall_s"] for k, v in r.get("stages", {}).items()
                                 if k.startswith("render.")}
        out["render_split_cpu_s"] = {k.removeprefix("render."): v.get("cpu_s") for k, v in r.get("stages", {}).items()
                                     if k.startswith("render.")}
        if res["data"].get("figures"):
            out["render_s_per_figure"] = round(st["render"]["wall_s"] / res["data"]["figures"], 3)
    if res.get("rebuild"):
        out["rebuild_s"] = res["rebuild"].get("total_s")
    if res.get("new_release", {}).get("all", {}).get("returncode") == 0:
        out["new_release_s"] = res["new_release"]["all"]["wall_s"]
        out["new_release_cpu_s"] = res["new_release"]["all"]["cpu_s"]
    return out


def runs_told(fric: dict) -> str:
    """How the command's time was taken: one run, or the mean of the runs named with their wall seconds."""
    runs = [r["wall_s"] for r in fric.get("runs", []) if r.get("returncode") == 0]
    if len(runs) < 2:
        return "one run"
    return f"mean of runs {', '.join(f'{w} s' for w in runs)}"


def evaluate(results: list[dict], suite_result: dict | None = None) -> list[dict]:
    """Targets: met, missed or not measured (never asserted); each with value, limit and met (None: not measured)."""
    ok = [r for r in results if r.get("summary", {}).get("full_build_s") is not None]
    national = next((r for r in results if r["scale"] == "national"), None)
    head = national or (ok[-1] if ok else None)
    where = f" ({head['scale']} scale)" if head and head["scale"] != "national" else ""
    targets = []

    def add(name, value, target, unit, met, detail=""):
        targets.append({"target": name, "value": value, "limit": target, "unit": unit,
                        "status": "not measured" if value is None else ("met" if met else "missed"), "detail": detail})

    s = head.get("summary", {}) if head else {}
    fric = head["peers"].get("frictionless_cli", {}) if head else {}
    cold = ratio(s.get("full_build_s"), fric.get("wall_s"))
    add("cold build (`all`: build + render + site) vs `frictionless validate` of its output (wall)" + where, cold,
        TARGETS["cold_vs_frictionless"], "x", (cold or 1e9) <= TARGETS["cold_vs_frictionless"],
        f"wall {s.get('full_build_s')} s vs {fric.get('wall_s')} s ({runs_told(fric)}); CPU {s.get('full_build_cpu_s')} s vs "
        f"{fric.get('cpu_s')} s ({ratio(s.get('full_build_cpu_s'), fric.get('cpu_s'))}x; the build uses every core, "
        f"the command one); idle core-seconds {s.get('idle_core_s')}")
    add("full build peak memory (the whole process tree)" + where, s.get("full_build_peak_mb"), TARGETS["full_build_mb"],
        "MB", (s.get("full_build_peak_mb") or 1e9) <= TARGETS["full_build_mb"],
        f"largest single process {s['full_build_largest_process_mb']} MB" if s.get("full_build_largest_process_mb") else
        "largest single process (a report from before the tree was sampled)")
    # CPU seconds: the gate and the command run minutes apart, and wall time follows the machine's load.
    gate = split_row(build_split(head), "build.gate", "cpu_s") if head else None
    cli = head["peers"].get("frictionless_cli", {}).get("cpu_s") if head else None
    gate_wall = split_row(build_split(head), "build.gate") if head else None
    cli_wall = head["peers"].get("frictionless_cli", {}).get("wall_s") if head else None
    add("validation gate vs `frictionless validate` (CPU time)" + where, ratio(gate, cli),
        TARGETS["gate_vs_frictionless"], "x", (ratio(gate, cli) or 1e9) <= TARGETS["gate_vs_frictionless"],
        f"CPU: gate {gate} s, frictionless validate {cli} s; wall: {gate_wall} s vs {cli_wall} s "
        f"({ratio(gate_wall, cli_wall)}x)")
    rb = s.get("rebuild_s")
    add("no-change rebuild (python -m build_data all)" + where, rb, TARGETS["rebuild_s"], "s",
        (rb or 1e9) <= TARGETS["rebuild_s"], head["rebuild"].get("mode", "") if head else "")
    # CPU seconds: both are our own pipeline on the same cores, run many minutes apart on a shared machine.
    new = ratio(s.get("new_release_cpu_s"), s.get("full_build_cpu_s"))
    add("a new release's rebuild (python -m build_data all) vs the cold build (CPU time)" + where, new,
        TARGETS["new_release_vs_cold"], "x", (new or 1e9) <= TARGETS["new_release_vs_cold"],
        f"{head.get('new_release', {}).get('release')} added: CPU {s.get('new_release_cpu_s')} s vs "
        f"{s.get('full_build_cpu_s')} s; wall {s.get('new_release_s')} s vs {s.get('full_build_s')} s "
        f"({ratio(s.get('new_release_s'), s.get('full_build_s'))}x)" if head and head.get("new_release") else "not run")
    # CPU time per row: wall time per row would mostly measure how busy the machine was at the time.
    per_row = [(r["scale"], r["summary"].get("build_cpu_us_per_published_row"),
                r["summary"].get("build_us_per_published_row")) for r in results
               if r.get("summary", {}).get("build_cpu_us_per_published_row")]
    if len(per_row) >= 2:
        values = [v for _, v, _ in per_row]
        spread = round(max(values) / min(values), 2)
        add("build CPU cost per published row roughly constant across scales (max/min)", spread,
            TARGETS["per_row_spread"], "x", spread <= TARGETS["per_row_spread"],
            ", ".join(f"{n} {v} us CPU ({w} us wall)/row" for n, v, w in per_row))
    else:
        add("build cost per row roughly constant across scales (max/min)", None, TARGETS["per_row_spread"], "x", False,
            "needs two or more scales")
    pw = head["peers"].get("page_weight", {}) if head else {}
    kb = round(pw["max_gzip_bytes"] / 1024, 1) if pw.get("max_gzip_bytes") else None
    add("figure page weight, gzip, before interaction (heaviest figure page)" + where, kb, TARGETS["figure_page_kb"],
        "KB", (kb or 1e9) <= TARGETS["figure_page_kb"],
        f"heaviest {pw.get('heaviest', {}).get('page')}; HTML+CSS+JS+favicon+light SVGs" if pw else "")
    br = head["peers"].get("browser", {}) if head else {}
    ms = br.get("ours", {}).get("median_first_chart_visible_ms")
    add("first chart visible, emulated mid-range phone (median)" + where, ms, TARGETS["first_chart_ms"], "ms",
        (ms or 1e9) <= TARGETS["first_chart_ms"], br.get("error", "") or br.get("page", ""))
    moved = br.get("ours", {}).get("median_gzip_bytes_first_5s")
    kb5 = round(moved / 1024, 1) if moved else None
    add("findings page gzip moved in its first 5 s, no interaction, emulated phone (median)" + where, kb5,
        TARGETS["figure_page_kb"], "KB", (kb5 or 1e9) <= TARGETS["figure_page_kb"],
        "every request the server answered, idle fetches included")
    add("test suite (pytest, 2 cores)", suite_result.get("wall_s") if suite_result else None, TARGETS["suite_s"], "s",
        (suite_result or {}).get("ok", False) and suite_result["wall_s"] <= TARGETS["suite_s"],
        suite.describe(suite_result))
    for t in targets:
        t["met"] = None if t["value"] is None else t["status"] == "met"
    return targets


def peer_table(results: list[dict]) -> list[dict]:
    rows = []
    for r in results:
        p, s = r.get("peers", {}), r.get("summary", {})
        gate = split_row(build_split(r), "build.gate")
        fric_api = split_row(build_split(r), "build.gate.frictionless")
        cli = p.get("frictionless_cli", {}).get("wall_s")
        gate_cpu = split_row(build_split(r), "build.gate", "cpu_s")
        cli_cpu = p.get("frictionless_cli", {}).get("cpu_s")
        if cli:
            rows.append({"scale": r["scale"], "peer": "validation gate vs `frictionless validate` (command)",
                         "ours": gate, "theirs": cli, "unit": "s", "ratio": ratio(gate, cli),
                         "cpu_ratio": ratio(gate_cpu, cli_cpu),
                         "note": f"gate = checks.check_package: frictionless.validate {fric_api} s + lint + leak "
                                 f"check; the command also pays its start-up; CPU {gate_cpu} s vs {cli_cpu} s = "
                                 f"{ratio(gate_cpu, cli_cpu)}x (the two ran minutes apart on a shared machine)"})
        if gate and fric_api:
            rows.append({"scale": r["scale"], "peer": "validation gate vs frictionless.validate() in the same process",
                         "ours": gate, "theirs": fric_api, "unit": "s", "ratio": ratio(gate, fric_api),
                         "note": "from the build split (the gate calls it, then lints and runs the leak check)"})
        bare = p.get("bare_mkdocs", {})
        site = r["stages"].get("site", {}).get("wall_s")
        if bare.get("wall_s"):
            rows.append({"scale": r["scale"], "peer": "site stage vs bare `mkdocs build` (no figures)",
                         "ours": site, "theirs": bare["wall_s"], "unit": "s", "ratio": ratio(site, bare["wall_s"]),
                         "note": f"{bare.get('figure_blocks_stripped')} figure blocks stripped; "
                                 f"strict={bare.get('strict')}"})
        f = p.get("figures", {})
        if f.get("per_figure"):
            ours = f.get("median_ours_total_s") or round(f["median_construct_s"] + f["median_ours_write_s"], 3)
            theirs = round(f["median_construct_s"] + f["median_altair_save_s"], 3)
            rows.append({"scale": r["scale"], "peer": "figure rendering vs Altair chart.save('x.html'), per figure",
                         "ours": ours, "theirs": theirs, "unit": "s", "ratio": ratio(ours, theirs),
                         "note": f"median of {len(f['per_figure'])} figures; chart construction (figure data, "
                                 f"light + dark Altair charts) {f['median_construct_s']} s is in both; write step "
                                 f"alone: ours (SVG + PNG, light + dark, specs, CSV) {f['median_ours_write_s']} s vs "
                                 f"save {f['median_altair_save_s']} s "
                                 f"({ratio(f['median_ours_write_s'], f['median_altair_save_s'])}x); render stage end "
                                 f"to end {s.get('render_s_per_figure')} s per figure"})
        pw = p.get("page_weight", {})
        if pw.get("chosen") and pw.get("standalone_first_chart"):
            ours = pw["chosen"]["before_interaction_gzip_bytes"]
            theirs = pw["standalone_first_chart"]["gzip_bytes"]
            rows.append({"scale": r["scale"], "peer": "figure page bytes (gzip) vs standalone Altair HTML, Vega inlined",
                         "ours": round(ours / 1024, 1), "theirs": round(theirs / 1024, 1), "unit": "KB",
                         "ratio": ratio(ours, theirs),
                         "note": f"{pw['chosen']['page']} ({pw['chosen']['figures']} charts) vs its first chart alone; "
                                 f"all its charts standalone: {round(pw['standalone_all_charts_gzip_bytes'] / 1024)} KB"})
        rows += browser_rows(r["scale"], p.get("browser", {}))
    return rows


def browser_rows(scale: str, br: dict) -> list[dict]:
    """The findings page beside the static floor and the Vega-embed pattern, measured in one run."""
    if not br.get("ours"):
        return []
    ours, floor, vega = br["ours"], br.get("static_floor", {}), br["vega_in_browser"]
    kb = lambda r: round(r["median_gzip_bytes_first_5s"] / 1024, 1) if r.get("median_gzip_bytes_first_5s") else None  # noqa: E731
    rows = [{"scale": scale, "peer": "first chart visible on emulated phone vs Vega in the browser",
             "ours": ours["median_first_chart_visible_ms"], "theirs": vega["median_first_chart_visible_ms"], "unit": "ms",
             "ratio": ratio(ours["median_first_chart_visible_ms"], vega["median_first_chart_visible_ms"]),
             "note": f"median of {br['runs']} runs; 'Explore this chart' to interactive "
                     f"{ours.get('median_explore_to_interactive_ms')} ms"}]
    if floor:
        rows.append({"scale": scale, "peer": "first chart visible on emulated phone vs static floor (picture only)",
                     "ours": ours["median_first_chart_visible_ms"], "theirs": floor["median_first_chart_visible_ms"],
                     "unit": "ms", "ratio": ratio(ours["median_first_chart_visible_ms"], floor["median_first_chart_visible_ms"]),
                     "note": f"floor page {br.get('static_floor_page')}: the same <picture>, nothing else"})
    rows.append({"scale": scale, "peer": "gzip bytes in the first 5 s, no interaction, vs Vega in the browser",
                 "ours": kb(ours), "theirs": kb(vega), "unit": "KB", "ratio": ratio(kb(ours), kb(vega)),
                 "note": f"static floor {kb(floor) if floor else '-'} KB; every request the server answered"})
    return rows


def fmt(value, unit=""):
    if value is None:
        return "-"
    if isinstance(value, float):
        text = f"{value:,.2f}" if abs(value) < 10 else f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"
    else:
        text = f"{value:,}"
    return f"{text} {unit}".strip()


def print_table(report: dict) -> None:
    results = report["scales"]
    print("\n== Stages (wall s / CPU s / peak MB; parts: wall s / CPU s) ==")
    head = f"{'stage':34}" + "".join(f"{r['scale']:>26}" for r in results)
    print(head)
    print(f"{'rows: raw (published)':34}" + "".join(
        f"{fmt(r.get('data', {}).get('raw_rows')) + ' (' + fmt(r.get('data', {}).get('published_total_rows')) + ')':>26}"
        for r in results))
    for name in ("generate", "all", "build", "render", "site"):
        cells = []
        for r in results:
            st = r["stages"].get(name)
            cells.append("-" if not st else
                         f"{fmt(st['wall_s'])} / {fmt(st.get('cpu_s'))} / {fmt(st.get('peak_rss_mb'))}")
        print(f"{name:34}" + "".join(f"{c:>26}" for c in cells))
    keys = []
    for r in results:
        for k in r.get("summary", {}).get("build_split_s", {}):
            if k not in keys:
                keys.append(k)
    def wall_cpu(r, group, k):
        wall = r.get("summary", {}).get(f"{group}_s", {}).get(k)
        cpu = r.get("summary", {}).get(f"{group}_cpu_s", {}).get(k)
        return fmt(wall) + (f" / {fmt(cpu)}" if cpu is not None else "")

    for k in keys:
        print(f"{'  build: ' + k:34}" + "".join(f"{wall_cpu(r, 'build_split', k):>26}" for r in results))
    rkeys = []
    for r in results:
        for k in r.get("summary", {}).get("render_split_s", {}):
            if k not in rkeys:
                rkeys.append(k)
    for k in rkeys:
        print(f"{'  render: ' + k:34}" + "".join(f"{wall_cpu(r, 'render_split', k):>26}" for r in results))
    for label, key, unit in (("full build (cold)", "full_build_s", "s"), ("full build peak", "full_build_peak_mb", "MB"),
                             ("no-change rebuild", "rebuild_s", "s"), ("new release rebuild", "new_release_s", "s"),
                             ("figures", None, ""),
                             ("render per figure", "render_s_per_figure", "s"),
                             ("build per published row", "build_us_per_published_row", "us"),
                             ("build CPU per published row", "build_cpu_us_per_published_row", "us")):
        if key is None:
            print(f"{label:34}" + "".join(f"{fmt(r.get('data', {}).get('figures')):>26}" for r in results))
        else:
            print(f"{label:34}" + "".join(f"{fmt(r.get('summary', {}).get(key), unit):>26}" for r in results))

    print("\n== Peers (ours vs theirs) ==")
    for p in report["peers"]:
        print(f"[{p['scale']}] {p['peer']}: {fmt(p['ours'], p['unit'])} vs {fmt(p['theirs'], p['unit'])}"
              f" = {fmt(p['ratio'])}x  ({p['note']})")

    print("\n== Targets (reported, not asserted) ==")
    for t in report["targets"]:
        print(f"  {t['status'].upper():13} {t['target']}: {fmt(t['value'], t['unit'])} (limit {fmt(t['limit'], t['unit'])})"
              + (f" - {t['detail']}" if t["detail"] else ""))
    for r in results:
        for f in r.get("disclosure_findings", []):
            print(f"\n!! [{r['scale']}] {f['stage']}: the gate would have refused to publish: {f['check']} "
                  f"found {f.get('count', 1)}, e.g. {(f.get('examples') or [f.get('message', '')])[0]}")
        for e in r.get("errors", []):
            print(f"\n!! [{r['scale']}] {e['stage']} failed: {e.get('error') or ''}\n{e.get('tail', '')}")
    m = report["machine"]
    print(f"\nMachine: {m['nproc']} CPUs ({m['cpu_model']}), {m['memory_gb']} GB, Python {m['python']}; "
          f"load average {m['load_average_at_start']} at start, {report['load_average_at_end']} at end.")
    print(f"Benchmark run took {report['run_wall_s'] / 60:.1f} min. JSON: {report['out']}")


# ---- main ---------------------------------------------------------------------------------------

def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "bench-out" / "benchmark.json", help="JSON report path")
    parser.add_argument("--scales", default="small,medium,national",
                        help=f"comma-separated, from {', '.join(SCALES)} (default: all three)")
    parser.add_argument("--skip-browser", action="store_true", help="skip the emulated-phone browser timing")
    parser.add_argument("--browser-runs", type=int, default=3, help="page loads per page (median is reported)")
    parser.add_argument("--browser-only", action="store_true",
                        help="quick mode: only the emulated-phone timing, on the site already built in site/")
    parser.add_argument("--figure-sample", type=int, default=6,
                        help="figures timed against Altair's chart.save (largest scale)")
    parser.add_argument("--max-rebuild-build", type=float, default=1e9,
                        help="run the no-change rebuild (`all`, which skips unchanged stages) only if the cold "
                             "build took at most this many seconds; otherwise render and site are re-run and measured")
    parser.add_argument("--no-frequencies", action="store_true", help="do not write response frequency files")
    parser.add_argument("--strict-gate", action="store_true",
                        help="stop a scale when the disclosure checks find a leak (default: record it and go on, "
                             "so the later stages can still be timed)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary project copies")
    parser.add_argument("--suite-junit", type=Path, default=REPO / "bench-out" / "pytest-junit.xml",
                        help="the suite's time is read from this JUnit XML file, written by "
                             "`pytest --junitxml=...` (default: bench-out/pytest-junit.xml)")
    parser.add_argument("--run-suite", action="store_true",
                        help="run the whole test suite first (pytest --junitxml) and time it, instead of reading "
                             "an earlier run's file")
    parser.add_argument("--from-json", type=Path, help="print the table (targets re-evaluated) of an earlier run's JSON")
    args = parser.parse_args(argv)
    names = [s.strip() for s in args.scales.split(",") if s.strip()]
    unknown = [n for n in names if n not in SCALES]
    if unknown or not names:
        parser.error(f"unknown scale(s) {unknown}; choose from {list(SCALES)}")
    args.scale_list = sorted((SCALES[n] for n in dict.fromkeys(names)), key=lambda s: s.nominal_rows)
    return args


def write_report(report: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(report, indent=1, default=str) + "\n", encoding="utf-8")
    tmp.replace(out)


def interrupted(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def browser_only(args) -> int:
    """First chart and bytes of a findings page beside the static floor and Vega embed, on site/."""
    import browser
    site = REPO / "site"
    page = "findings/main-contact/index.html"
    if not (site / page).is_file():
        print(f"{site / page} is missing: run `make site` first.", file=sys.stderr)
        return 2
    result = browser.first_chart(site, page, runs=args.browser_runs)
    out = args.out if args.out.is_absolute() else Path.cwd() / args.out
    write_report({"generated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                  "machine": machine(), "targets": {k: TARGETS[k] for k in ("figure_page_kb", "first_chart_ms")},
                  "browser": result, "peers": browser_rows("site/", result)}, out)
    print("\n".join(browser.summary_lines(result)))
    ms, kb = result["ours"]["median_first_chart_visible_ms"], result["ours"]["median_gzip_bytes_first_5s"] / 1024
    print(f"targets: first chart <= {TARGETS['first_chart_ms']} ms: {'met' if ms and ms <= TARGETS['first_chart_ms'] else 'MISSED'}; "
          f"<= {TARGETS['figure_page_kb']} KB gzip in 5 s: {'met' if kb <= TARGETS['figure_page_kb'] else 'MISSED'}. "
          f"Report: {out}")
    return 0


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.from_json:
        report = json.loads(args.from_json.read_text(encoding="utf-8"))
        for res in report["scales"]:
            res["summary"] = summarise(res)
        report["peers"], report["targets"] = peer_table(report["scales"]), evaluate(report["scales"], report.get("suite"))
        print_table(report)
        return 0
    if args.browser_only:
        return browser_only(args)
    signal.signal(signal.SIGTERM, interrupted)   # clean up the temporary copies and children on kill
    out = args.out if args.out.is_absolute() else Path.cwd() / args.out
    logs = out.parent / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    report = {"generated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
              "command": " ".join([Path(sys.executable).name] + sys.argv), "out": str(out), "machine": machine(),
              "settings": {"scales": {s.name: s.describe() for s in args.scale_list}, "targets": TARGETS,
                           "skip_browser": args.skip_browser, "browser_runs": args.browser_runs,
                           "figure_sample": args.figure_sample, "max_rebuild_build_s": args.max_rebuild_build,
                           "frequencies": not args.no_frequencies, "repo": str(REPO), "logs": str(logs)},
              "notes": [
                  "Wall times are noisy when the machine is shared: compare cpu_s and the load averages.",
                  "Peak memory of a command is the child's maximum resident set size (os.wait4: its largest "
                  "process) and tree_peak_mb, the sum over the child and all its descendants sampled every 0.1 s "
                  "(the full build's peak is the tree's); split peaks come from 10 ms RSS sampling inside the command.",
                  "The cold build is one `all` (what `make site` runs: build, render and site) run through build_data.cli.main in scripts/bench/instrumented.py "
                  "(the same code path as python -m build_data) so its stages and their parts are timed, as is a "
                  "new release's `all`; the no-change rebuild runs `python -m build_data` itself.",
                  "A stage's CPU includes the gate's worker processes (they report their own CPU time: a fork "
                  "server reaps them, so the command's wait4 misses it)."],
              "scales": [], "peers": [], "targets": []}
    print(f"Benchmark: scales {', '.join(s.name for s in args.scale_list)}; logs in {logs}", flush=True)
    if args.run_suite:
        print("Test suite (pytest) ...", flush=True)
        report["suite"] = suite.run(REPO, args.suite_junit, logs / "pytest.log")
    else:
        report["suite"] = suite.read_junit(args.suite_junit)
    print(f"Test suite: {suite.describe(report['suite'])}", flush=True)
    source, report["source"] = snapshot_repo()
    no_cache_evidence: list = []
    try:
        for i, scale in enumerate(args.scale_list):
            print(f"\n-- {scale.name}: {scale.describe()}", flush=True)
            res = run_scale(scale, args, logs, i == len(args.scale_list) - 1, no_cache_evidence, source)
            res["summary"] = summarise(res)
            report["scales"].append(res)
            report["peers"] = peer_table(report["scales"])
            report["targets"] = evaluate(report["scales"], report["suite"])
            report["run_wall_s"] = round(time.perf_counter() - started, 1)
            report["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
            write_report(report, out)
    finally:
        shutil.rmtree(source, ignore_errors=True)
    print_table(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
