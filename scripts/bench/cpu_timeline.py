"""Run one command and sample its whole process tree's CPU and memory over time, to find idle cores.

    python scripts/bench/cpu_timeline.py --out timeline.json -- python -m build_data --root COPY all

Every --every seconds (default 0.2) /proc/<pid>/stat of the child and all its descendants is read: each
process's CPU seconds so far (utime + stime) and resident set. The child's stderr lines are kept with the time
they were written (the pipeline logs each step), so a stretch of idle core-seconds can be matched with the step
that left it. Printed: wall, CPU of the tree, peak tree RSS, and idle core-seconds (cores x wall - CPU) between
consecutive log lines that mark a step (--mark REGEX, repeatable), plus the busiest processes.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

from measure import process_tree

def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")[:120] or "?"
    except OSError:
        return "?"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--every", type=float, default=0.2)
    parser.add_argument("--mark", action="append", default=[],
                        help="regex of a log line that starts a step (default: a few of the pipeline's)")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    cores = len(os.sched_getaffinity(0))
    start = time.perf_counter()
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    lines: list[tuple[float, str]] = []

    def pump():
        for line in proc.stderr:
            lines.append((time.perf_counter() - start, line.rstrip("\n")))
            sys.stderr.write(line)
    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    samples, names, last_cpu = [], {}, {}
    while proc.poll() is None:
        now = time.perf_counter() - start
        procs = process_tree(proc.pid)
        for pid, (_, cpu, _) in procs.items():
            if pid not in names:
                names[pid] = cmdline(pid)
            last_cpu[pid] = cpu
        samples.append({"t": round(now, 3), "cpu": {pid: s[1] for pid, s in procs.items()},
                        "rss": sum(s[2] for s in procs.values())})
        time.sleep(args.every)
    wall = time.perf_counter() - start
    reader.join(timeout=5)
    # CPU per interval: growth of each process's counter (a process seen once counts from 0: it was born then).
    seen: dict[int, float] = {}
    per_interval = []
    for s in samples:
        used = 0.0
        for pid, cpu in s["cpu"].items():
            used += cpu - seen.get(pid, 0.0)
            seen[pid] = cpu
        per_interval.append((s["t"], used))
    total_cpu = sum(u for _, u in per_interval)
    marks = [re.compile(m) for m in (args.mark or [r"stage \w+$", r"release cache:", r"tidy:", r"gate|frictionless",
                                                   r"published ", r"stage \w+ took", r"drawing|drew|render"])]
    steps = [(0.0, "(start)")] + [(t, line) for t, line in lines if any(m.search(line) for m in marks)] + [(wall, "(end)")]
    report = []
    for (t0, label), (t1, _) in zip(steps, steps[1:]):
        cpu = sum(u for t, u in per_interval if t0 < t <= t1)
        report.append({"from_s": round(t0, 1), "to_s": round(t1, 1), "step": label[:100], "wall_s": round(t1 - t0, 1),
                       "cpu_s": round(cpu, 1), "idle_core_s": round(cores * (t1 - t0) - cpu, 1)})
    spans: dict[int, dict] = {}   # each process: when it was first and last seen, its CPU then
    for s in samples:
        for pid, cpu in s["cpu"].items():
            span = spans.setdefault(pid, {"pid": pid, "first_s": s["t"], "process": names.get(pid, "?")})
            span.update(last_s=s["t"], cpu_s=round(cpu, 1))
    busiest = sorted(((last_cpu[p], names[p]) for p in last_cpu), reverse=True)[:12]
    result = {"command": command, "returncode": proc.returncode, "wall_s": round(wall, 1),
              "cpu_s": round(total_cpu, 1), "idle_core_s": round(cores * wall - total_cpu, 1),
              "tree_peak_mb": round(max((s["rss"] for s in samples), default=0) / 2**20, 1),
              "load_average_end": os.getloadavg(), "steps": report,
              "busiest": [{"cpu_s": round(c, 1), "process": n} for c, n in busiest],
              "processes": sorted(spans.values(), key=lambda x: x["first_s"]),
              "timeline": [{"t": t, "cpu_s": round(u, 3)} for t, u in per_interval], "log": lines}
    args.out.write_text(json.dumps(result, indent=1))
    print(json.dumps({k: v for k, v in result.items() if k not in ("timeline", "log")}, indent=1))
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
