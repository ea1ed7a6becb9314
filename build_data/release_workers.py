"""Releases read, tidied and protected side by side in worker processes, their rows out as one process makes them.

A release's rows depend only on its own files and the metadata every release shares (release_cache.py), so
the releases a build has to read are independent of each other until the cross-release steps
(pipeline.tidy_tables). Each worker loads the project's config itself (a Config holds read-only mappings and
is not picklable), runs its release through every table it feeds in tables.yml's order, checks what
disclosure control blanked, and keeps the rows in the release cache; this process then loads them from there.

Errors stay those of one process: every worker's first failure is gathered, and the one raised is the one
pipeline.release_rows's one-process order (table by table: every release tidied, then every release
protected; then each release's blanking checked) reaches first, with the same exception and message. A
worker that dies (killed, out of memory) fails the build with an error saying so; it never hangs it.
"""
from __future__ import annotations

import concurrent.futures
import concurrent.futures.process
import dataclasses
import logging
import multiprocessing
import os
import pickle
import time
import traceback

from .gate import cores
from .release_cache import ReleaseCache, ReleaseRows

log = logging.getLogger("build_data")

# Raw bytes to read from which worker processes are used. Measured (CPU s, 2 cores): the default project's 6.4 MB
# take 9 CPU s in one process, or 5.2 + 5.1 in two workers (each spawned worker imports pandas and the pipeline
# and loads the config: about 1 CPU s in all); national scale, 85 MB, about 0.9 CPU s per MB. Workers would
# pay from about 2 MB on an idle machine; 8 MB keeps the default project, and the test suite's builds of it
# (already run side by side), in one process, while medium and national scale use the workers.
PARALLEL_FROM = 8 << 20
# A worker's own start (spawned: importing pandas and the pipeline, loading the config, about 1 CPU s) in raw
# bytes of release work of the same CPU (about 0.9 CPU s per MB, above): what one more worker costs.
WORKER_START = 1 << 20
TIDY, PROTECT = 0, 1     # a table's two steps, in the order the one-process loop runs them
# CPU seconds spent by worker processes (not in this process's time.process_time): for measuring.
WORKER_CPU_S = {"total": 0.0}


@dataclasses.dataclass
class Failure:
    """A release's first failure: where the one-process order would meet it, and the exception to raise."""
    order: tuple
    error: BaseException


def source_bytes(release) -> int:
    return sum(source.path.stat().st_size for source in release.files if source.path.is_file())


def worth_a_pool(todo: list, cpus: int | None = None) -> bool:
    """Whether the releases to read are enough work for worker processes: two or more, on two or more cores,
    with PARALLEL_FROM raw bytes or more between them (a single new release is read here)."""
    cpus = cores() if cpus is None else cpus
    return len(todo) >= 2 and cpus >= 2 and sum(source_bytes(r) for r in todo) >= PARALLEL_FROM


def finish_time(sizes: list[int], workers: int, cpus: int) -> float:
    """When the last of jobs of these sizes ends (in raw bytes of work on one core: CPU seconds scaled), taken
    in the order given by whichever of the workers is free, the workers sharing the cores equally (the
    operating system's time slicing), each paying WORKER_START first."""
    queue, left, now = list(sizes), [float(WORKER_START)] * workers, 0.0
    while any(left):
        running = [i for i, work in enumerate(left) if work]
        rate = min(1.0, cpus / len(running))
        step = min(left[i] for i in running) / rate
        now += step
        for i in running:
            left[i] = max(0.0, left[i] - step * rate)
            if not left[i] and queue:
                left[i] = float(queue.pop(0)) or 1e-9     # an empty job still takes its turn
    return now


def pool_workers(sizes: list[int], cpus: int) -> int:
    """How many worker processes finish jobs of these sizes (biggest first) soonest on cpus cores: one per core,
    or more when the last jobs would otherwise run alone (five equal releases on two cores: three workers
    finish them in 2.5 releases' time, two in 3). The fewest workers of the soonest finish."""
    sizes = sorted(sizes, reverse=True)
    least = max(1, min(cpus, len(sizes)))
    return min(range(least, len(sizes) + 1), key=lambda w: (finish_time(sizes, w, cpus), w))


def rows_of_release(release, position: int, config, cache: ReleaseCache) -> ReleaseRows:
    """One release in; its tidy and published rows out (and kept in the release cache), each step as the
    one-process loop runs it. A failure is raised as Failure, with where that loop would have met it."""
    from .pipeline import check_suppressible, parts_for, protect_release, tidy_release
    rows, tables = ReleaseRows(), config.registry.tables

    def step(order: tuple, run, *args):
        try:
            run(*args)
        except Exception as error:
            raise FailedStep(Failure(order, error)) from error

    for index, (name, table) in enumerate(tables.items()):
        if parts_for(release, table, config):
            step((index, TIDY, position), tidy_release, release, name, config, rows)
            step((index, PROTECT, position), protect_release, name, config, rows)
    for name in rows.tidy:
        step((len(tables), position), check_suppressible, name, tables[name], rows.tidy[name],
             rows.published[name], config)
    cache.save(release, rows)
    return rows


class FailedStep(Exception):
    def __init__(self, failure: Failure):
        super().__init__(repr(failure.error))
        self.failure = failure


_PROCESS: dict = {}    # a worker's config and release cache, loaded once for every release it is given


def work_on_release(root: str, release_id: str, position: int, key: str, level: int) -> dict:
    """In a worker: one release's rows made and kept in the release cache. Returns its log records and,
    if it failed, the failure (the exception carried as plain data, see carry)."""
    records: list = []
    handler = _Collect(records)
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(level)
    try:
        if _PROCESS.get("root") != root:
            from .metadata import load_config
            config = load_config(root)
            _PROCESS.update(root=root, config=config, cache=ReleaseCache(config))
            records.clear()     # what loading the config logs (a warning about metadata), the parent logged too
        config, cache = _PROCESS["config"], _PROCESS["cache"]
        if cache.keys.get(release_id) != key:
            raise RuntimeError(f"The inputs of release {release_id} changed while the build was running "
                               f"(under {root}); build again once nothing is being edited.")
        release = next(r for r in config.releases if r.id == release_id)
        rows_of_release(release, position, config, cache)
        failure = None
    except FailedStep as failed:
        failure = carry(failed.failure.order, failed.failure.error)
    except Exception as error:     # a failure outside the steps (loading the config): before any step
        failure = carry((-1, position), error)
    finally:
        logging.getLogger().removeHandler(handler)
    # the worker's whole CPU so far (its imports and config included), for the parent to report
    return {"release": release_id, "records": records, "failure": failure, "process": (os.getpid(), time.process_time())}


class _Collect(logging.Handler):
    """Log records kept (as text, so they pickle) for the parent to log in releases.yml's order."""

    def __init__(self, records: list):
        super().__init__()
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args = record.getMessage(), None
        record.exc_info = record.exc_text = record.stack_info = None
        self.records.append(record)


def carry(order: tuple, error: BaseException) -> dict:
    """An exception as plain data that rebuilds into the same type with the same attributes and message
    (a BuildError's pickle would rebuild its message around itself), and its traceback's text."""
    text = "".join(traceback.format_exception(error))
    try:
        state = pickle.dumps((type(error), error.args, vars(error)))
    except Exception:      # an exception that does not pickle: its type and message, as text
        state = pickle.dumps((RuntimeError, (f"{type(error).__name__}: {error}",), {}))
    return {"order": order, "state": state, "traceback": text}


def rebuilt(carried: dict) -> BaseException:
    kind, args, attributes = pickle.loads(carried["state"])
    error = kind.__new__(kind)
    error.args = args
    error.__dict__.update(attributes)
    error.__cause__ = concurrent.futures.process._RemoteTraceback(carried["traceback"])
    return error


def rows_in_parallel(todo: list, config, cache: ReleaseCache, work=work_on_release) -> dict[str, ReleaseRows]:
    """The releases to read in (in releases.yml's order); each one's rows out, made in worker processes.

    Raises the failure the one-process order meets first, or RuntimeError when a worker died."""
    if not todo:
        return {}
    positions = {r.id: i for i, r in enumerate(config.releases)}
    level = min(logging.getLogger().getEffectiveLevel(), log.getEffectiveLevel())   # what may be logged here
    biggest_first = sorted(todo, key=lambda r: -source_bytes(r))
    context = multiprocessing.get_context("spawn")
    results = {}
    try:
        size = pool_workers([source_bytes(r) for r in biggest_first], cores())
        with concurrent.futures.ProcessPoolExecutor(size, mp_context=context) as pool:
            futures = {pool.submit(work, str(config.root), r.id, positions[r.id], cache.keys[r.id], level): r.id
                       for r in biggest_first}
            for future in concurrent.futures.as_completed(futures):
                results[futures[future]] = future.result()
    except concurrent.futures.process.BrokenProcessPool as error:
        done = ", ".join(sorted(results)) or "none"
        raise RuntimeError(f"A worker process reading releases stopped before finishing ({error}); it may have been "
                           f"killed or run out of memory. Releases finished: {done}. Nothing was published; build "
                           "again, and if it recurs, look at the machine's memory (dmesg).") from error
    workers: dict[int, float] = {}
    for result in results.values():
        pid, cpu = result["process"]
        workers[pid] = max(workers.get(pid, 0.0), cpu)
    WORKER_CPU_S["total"] += sum(workers.values())
    for release in todo:      # their log lines, in releases.yml's order
        for record in results[release.id]["records"]:
            logger = logging.getLogger(record.name)
            if logger.isEnabledFor(record.levelno):
                logger.handle(record)
    log.info("release workers: %d release(s) in %d process(es) of %s CPU s", len(todo), len(workers),
             " + ".join(f"{cpu:.1f}" for cpu in sorted(workers.values(), reverse=True)))
    failures = [r["failure"] for r in results.values() if r["failure"]]
    if failures:
        raise rebuilt(min(failures, key=lambda f: f["order"]))
    rows = {}
    for release in todo:
        rows[release.id] = cache.load(release)
        if rows[release.id] is None:
            raise RuntimeError(f"The rows a worker made for release {release.id} are not in {cache.path(release.id)} "
                               "(was the cache folder removed during the build?). Nothing was published; build again.")
    return rows
