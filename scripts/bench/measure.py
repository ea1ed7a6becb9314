"""Wall time and peak memory: of a child process (os.wait4), and of code blocks in this process (RSS sampling)."""
from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import threading
import time
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


TICK = os.sysconf("SC_CLK_TCK")


def process_table() -> dict[int, tuple[int, float, int]]:
    """pid -> (parent pid, CPU seconds so far (user + system), resident bytes) of every process /proc shows
    (empty where there is no /proc)."""
    table = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return table
    for name in names:
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as f:
                    fields = f.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue     # ended while listed
            table[int(name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK, int(fields[21]) * PAGE)
    return table


def process_tree(root: int) -> dict[int, tuple[int, float, int]]:
    """process_table's rows of a process and all its descendants, now."""
    table = process_table()
    children: dict[int, list[int]] = {}
    for pid, row in table.items():
        children.setdefault(row[0], []).append(pid)
    tree, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in table and pid not in tree:
            tree[pid] = table[pid]
            todo.extend(children.get(pid, []))
    return tree


def tree_rss_bytes(root: int) -> int:
    """Resident bytes of a process and all its descendants now (the sum: each worker process holds its own)."""
    return sum(rss for _, _, rss in process_tree(root).values())


def run_child(cmd: list[str], *, cwd: Path, env: dict | None = None, log: Path | None = None,
              timeout: float | None = None, tree_every: float = 0.1) -> dict:
    """Run cmd; return wall seconds, peak RSS (MB, the child and the processes it waited for), CPU and exit code,
    and tree_peak_mb: the peak of the sum of the resident sets of the child and all its descendants, sampled every
    tree_every seconds (worker pools run side by side: what the machine must hold at once).

    os.wait4 gives the rusage of this one child: resource.getrusage(RUSAGE_CHILDREN) would give
    the maximum over every child so far; its ru_maxrss is the largest single process, not the tree.
    """
    out = open(log, "ab") if log else subprocess.DEVNULL
    try:
        if log:
            out.write(("\n$ " + " ".join(map(str, cmd)) + "\n").encode())
            out.flush()
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = None if timeout is None else started + timeout
        tree_peak, sampled = 0, 0.0
        try:
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() - sampled >= tree_every:
                    tree_peak, sampled = max(tree_peak, tree_rss_bytes(proc.pid)), time.perf_counter()
                if deadline and time.perf_counter() > deadline:
                    proc.kill()
                    pid, status, usage = os.wait4(proc.pid, 0)
                    break
                time.sleep(0.01)
        except BaseException:   # interrupted: do not leave the child running
            proc.kill()
            os.wait4(proc.pid, 0)
            raise
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if log:
            out.close()
    return {"wall_s": round(wall, 3), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "tree_peak_mb": round(max(tree_peak, usage.ru_maxrss * 1024) / 2**20, 1),
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 2), "returncode": proc.returncode}


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


class _Peak:
    """A stage's running peak (compared by identity, so equal peaks of nested stages stay apart)."""
    __slots__ = ("value",)

    def __init__(self, value: int):
        self.value = value


class RssSampler:
    """Samples this process's resident set size in a thread; `stage()` records wall time and peak RSS of a block.

    Stages may nest (a stage's time and peak include its inner stages). A stage's CPU time is this
    process's, plus its children's that were waited for, plus what `extra_cpu()` reports (CPU seconds
    that worker processes reported themselves, e.g. the gate's pool, whose workers a fork server reaps).
    """

    def __init__(self, interval: float = 0.01):
        self.interval = interval
        self.extra_cpu = lambda: 0.0
        self.peak = rss_bytes()
        self._active: list[_Peak] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.stages: dict[str, dict] = {}

    def _run(self):
        while not self._stop.is_set():
            value = rss_bytes()
            self.peak = max(self.peak, value)
            for box in list(self._active):
                if value > box.value:
                    box.value = value
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def cpu(self) -> float:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + children.ru_utime + children.ru_stime + self.extra_cpu()

    @contextlib.contextmanager
    def stage(self, name: str):
        start_rss = rss_bytes()
        box = _Peak(start_rss)
        self._active.append(box)
        started, cpu_started = time.perf_counter(), self.cpu()
        try:
            yield
        finally:
            wall = time.perf_counter() - started
            cpu = self.cpu() - cpu_started
            self._active.remove(box)
            peak = max(box.value, rss_bytes())
            entry = self.stages.setdefault(name, {"wall_s": 0.0, "cpu_s": 0.0, "peak_rss_mb": 0.0,
                                                  "rss_growth_mb": 0.0, "calls": 0})
            entry["wall_s"] = round(entry["wall_s"] + wall, 3)
            entry["cpu_s"] = round(entry.get("cpu_s", 0.0) + cpu, 3)
            entry["peak_rss_mb"] = round(max(entry["peak_rss_mb"], peak / 2**20), 1)
            entry["rss_growth_mb"] = round(max(entry["rss_growth_mb"], (peak - start_rss) / 2**20), 1)
            entry["calls"] += 1
