"""A staged package folder in, Frictionless's verdict out: each resource validated in parallel, or skipped
when exactly the same bytes under exactly the same description were validated before.

A resource's key is the sha256 of what its validation depends on: the file's bytes as read from disk
(not the hash the descriptor claims), its descriptor (schema, dialect, declared bytes and hash), the
package's profile, the bytes and descriptor of every resource its foreign keys look up, and the
Frictionless and Python versions. After a resource passes, its key is recorded in .cache/gate/frictionless.json
under the project root; a later build skips a resource whose key is the recorded one, so a skipped
validation is provably of identical bytes and schema. The record is a local cache, never committed: a
fresh clone has none and validates everything (a committed record could be edited by hand; a local one
is only ever written by this code after Frictionless said valid). The package's own metadata is
validated every time (it is small).
"""
from __future__ import annotations

import concurrent.futures
import hashlib
import json
import logging
import multiprocessing
import os
import sys
import threading
from pathlib import Path

# CPU seconds spent by worker processes (theirs is not in this process's time.process_time): for measuring.
WORKER_CPU_S = {"total": 0.0}
GATE_VERSION = 1          # raise when what a validation means changes (e.g. a checklist is added)
ERRORS_PER_RESOURCE = 3   # as many as the report names for each failing resource
SMALL = 1 << 20           # bytes: resources smaller than this are validated together in one job
# bytes to validate from which worker processes pay for themselves: each imports Frictionless and reads the
# package (about 1.5 CPU s in all, measured); below this the resources are validated here, one at a time.
PARALLEL_FROM = 50 << 20
# bytes to validate from which worker processes pay while this process does other work meanwhile (the leak
# check, build_data/checks.py): Frictionless takes about 0.5 CPU s per MB, a worker about 1.5 s to start.
BESIDE_FROM = 4 << 20


def file_sha256(path: Path) -> str | None:
    """The file's sha256, or None when it cannot be read (Frictionless then reports why)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def resource_keys(folder: Path, descriptor: dict) -> dict[str, str]:
    """Resource name -> the sha256 of everything its validation depends on (see the module's doc)."""
    import frictionless
    resources = {r["name"]: r for r in descriptor["resources"]}
    content = {name: file_sha256(folder / r["path"]) for name, r in resources.items() if isinstance(r.get("path"), str)}
    keys = {}
    for name, res in resources.items():
        looked_up = sorted({fk["reference"].get("resource") or name
                            for fk in res.get("schema", {}).get("foreignKeys", []) if isinstance(fk, dict)} - {name})
        parts = {"gate": GATE_VERSION, "frictionless": frictionless.__version__, "python": sys.version_info[:2],
                 "profile": descriptor.get("$schema"),
                 "resource": res, "content": content.get(name),
                 "references": {ref: {"resource": resources.get(ref), "content": content.get(ref)} for ref in looked_up}}
        keys[name] = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode("utf-8")).hexdigest()
    return keys


def read_record(record: Path | None) -> dict:
    if record is None or not record.is_file():
        return {}
    try:
        return json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}     # an unreadable record only means nothing is skipped


def write_record(record: Path, known: dict) -> None:
    record.parent.mkdir(parents=True, exist_ok=True)
    tmp = record.with_name(record.name + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(known, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(record)


def package_problems(path: Path) -> list[str]:
    """The package's metadata (descriptor) as Frictionless sees it: its errors, or none."""
    import frictionless
    try:
        package = frictionless.Package(str(path))
        package.to_descriptor(validate=True)
    except frictionless.FrictionlessException as exception:
        errors = exception.reasons or [exception.error]
        return [f"package: {e.message}" for e in errors]
    return []


def validate_resources(path: str, names: list[str]) -> list[dict]:
    """Resources of the package at path, each validated with the package around it (for foreign keys);
    their first errors as plain data (picklable: this runs in a worker process)."""
    import resource
    import time

    import frictionless
    package, results = frictionless.Package(path), []
    for name in names:
        started = time.process_time()
        report = package.get_resource(name).validate()   # the package around it gives the foreign keys
        errors = [{"row": getattr(e, "row_number", None), "column": column_of(e), "message": e.message}
                  for task in report.tasks for e in task.errors[:ERRORS_PER_RESOURCE]]
        errors += [{"row": None, "column": None, "message": e.message} for e in report.errors[:ERRORS_PER_RESOURCE]]
        results.append({"resource": name, "valid": report.valid, "errors": errors,
                        "cpu_s": time.process_time() - started,
                        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})
    # The worker's whole CPU so far (its import of Frictionless and reading the package included).
    results[-1]["process"] = (os.getpid(), time.process_time())
    return results


def column_of(error) -> str | None:
    """The column (or columns, for a key) a Frictionless error is about, if any."""
    return getattr(error, "field_name", None) or ", ".join(getattr(error, "field_names", None) or []) or None


def batches(names: list[str], sizes: dict[str, int]) -> list[list[str]]:
    """Largest first, one job each; the small ones (under SMALL bytes) together in one job, since each job
    pays for reading the package's description."""
    big = [[n] for n in sorted(names, key=lambda n: -sizes.get(n, 0)) if sizes.get(n, 0) >= SMALL]
    small = [n for n in names if sizes.get(n, 0) < SMALL]
    return big + ([small] if small else [])


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def pool_size(jobs: int) -> int:
    return max(1, min(jobs, cores()))


def one_by_one(path: Path, jobs: list[list[str]], advance) -> list[dict]:
    results = []
    for job in jobs:
        results += validate_resources(str(path), job)
        advance(len(job))
    return results


def worker_pool(workers: int) -> concurrent.futures.ProcessPoolExecutor:
    # forkserver: workers start from a small server process, not from a copy of this one (which holds every
    # table of the build). Each imports Frictionless itself, so all the CPU they use is theirs to report.
    return concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver"))


def merged_problems(results: list[dict]) -> list[str]:
    """Every failing resource's first errors, each naming the resource, row and column."""
    return [r["resource"] + (f" row {e['row']}" if e["row"] else "") + (f" column {e['column']}" if e["column"] else "")
            + f": {e['message']}" for r in results if not r["valid"] for e in r["errors"]]


def validate_package(folder: Path, record: Path | None = None) -> tuple[list[str], dict]:
    """The staged folder in; (problems, what was done: validated and skipped resource names) out.

    With a record, resources whose key is the recorded one are skipped and those that pass are recorded.
    """
    with start_validation(folder, record) as validation:
        return validation.finish()


def start_validation(folder: Path, record: Path | None = None, beside_other_work: bool = False) -> "Validation":
    """The staged folder in; its validation started, for finish() to complete (see validate_package).

    beside_other_work: this process has other work to do before it calls finish() (the leak check), so the
    resources are validated in worker processes from BESIDE_FROM bytes (PARALLEL_FROM otherwise): they
    start now and run meanwhile. Use it as a context manager, so the workers are stopped on the way out."""
    path = folder / "datapackage.json"
    problems = package_problems(path)
    if problems:
        return Validation(problems=problems)
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    keys = resource_keys(folder, descriptor)
    known = read_record(record)
    skipped = [name for name, key in keys.items() if known.get(name) == key]
    sizes = {r["name"]: r.get("bytes") or 0 for r in descriptor["resources"]}
    todo = [name for name in keys if name not in skipped]
    validation = Validation(path=path, record=record, keys=keys, known=known, skipped=skipped,
                            jobs=batches(todo, sizes))
    if sum(sizes[n] for n in todo) >= (BESIDE_FROM if beside_other_work else PARALLEL_FROM):
        validation.start_workers(at_least_one=beside_other_work)
    return validation


class Validation:
    """A package's Frictionless validation: its jobs are handed out one at a time, from one list, to worker
    processes (start_workers: a thread per worker feeds it) and, when this process had other work to do
    meanwhile, to this process too once that is done (finish()). Without workers, finish() validates them
    all here, one at a time. Each job's results are reported in the jobs' order, whoever validated it."""

    def __init__(self, problems: list[str] | None = None, path: Path | None = None, record: Path | None = None,
                 keys: dict | None = None, known: dict | None = None, skipped: list | None = None,
                 jobs: list | None = None):
        self.problems, self.path, self.record = problems or [], path, record
        self.keys, self.known, self.skipped, self.jobs = keys or {}, known or {}, skipped or [], jobs or []
        self.pool, self.feeders, self.shares = None, [], False
        self.lock = threading.Lock()
        self.pending: list[int] = []               # job numbers nobody has taken yet, next first
        self.done_by_workers: dict[int, list] = {}
        self.given_back: list[int] = []            # taken by a worker that died, or was stopped, before finishing
        self.worker_cpu: dict[int, float] = {}     # worker pid -> its CPU seconds so far
        self.failure: BaseException | None = None

    def __enter__(self) -> "Validation":
        return self

    def __exit__(self, *exc) -> None:
        with self.lock:
            self.pending.clear()     # feeders stop taking jobs
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        for feeder in self.feeders:
            feeder.join()

    def start_workers(self, at_least_one: bool = False) -> None:
        """Start worker processes, one per core: with two jobs and two cores or more, or, when at_least_one
        (this process works meanwhile), with two cores or more; then this process keeps a core for its own
        work and validates the jobs still untaken once it is done, so no core runs two processes (the CPU
        they cost grows when they share one). With no processes to be had, the jobs run here in finish()."""
        workers = pool_size(len(self.jobs))
        if not self.jobs or (cores() < 2 if at_least_one else (workers == 1 or len(self.jobs) == 1)):
            return
        if at_least_one:
            workers = max(1, min(workers, cores() - 1))
        try:
            self.pool = worker_pool(workers)
        except OSError as error:     # no processes here
            logging.getLogger("build_data").warning("gate: validating one resource at a time (%s)", error)
            self.__exit__()
            return
        self.pending, self.shares = list(range(len(self.jobs))), at_least_one
        first = []
        try:   # each worker's first job now, so the workers start before this process turns to its other work
            while len(first) < workers and self.pending:
                number = self.take()
                first.append((number, self.submit(number)))
        except (OSError, RuntimeError) as error:   # no processes here
            logging.getLogger("build_data").warning("gate: validating one resource at a time (%s)", error)
            self.__exit__()
            self.pool = None
            return
        self.feeders = [threading.Thread(target=self.feed, args=job, name=f"gate-feeder-{n}", daemon=True)
                        for n, job in enumerate(first)]
        for feeder in self.feeders:
            feeder.start()

    def take(self) -> int | None:
        with self.lock:
            return self.pending.pop(0) if self.pending else None

    def submit(self, number: int) -> concurrent.futures.Future:
        return self.pool.submit(validate_resources, str(self.path), self.jobs[number])

    def feed(self, number: int, future: concurrent.futures.Future) -> None:
        """One worker's jobs, one at a time (the first already submitted), until none are left; a job its worker
        could not finish (killed, or the pool stopped) is given back for this process to validate."""
        while True:
            try:
                results = future.result()
            except BaseException as error:   # a worker killed (BrokenProcessPool), the pool stopped
                with self.lock:
                    self.given_back.append(number)
                    self.failure = self.failure or error
                return
            pid, cpu = results[-1]["process"]
            with self.lock:
                self.done_by_workers[number] = results
                self.worker_cpu[pid] = max(self.worker_cpu.get(pid, 0.0), cpu)
            number = self.take()
            if number is None:
                return
            try:
                future = self.submit(number)
            except BaseException as error:   # no processes, or the pool stopped
                with self.lock:
                    self.given_back.append(number)
                    self.failure = self.failure or error
                return

    def finish(self) -> tuple[list[str], dict]:
        """Wait for the verdict: (problems, what was done), as validate_package returns them."""
        from . import progress
        if self.problems:
            return self.problems, {"validated": [], "skipped": [], "cpu_s": 0.0, "peak_rss_mb": 0.0}
        with progress.stage("gate: frictionless", total=sum(len(job) for job in self.jobs)) as advance:
            if self.pool is not None:
                results, cpu_s = self.collect(advance)
            else:
                results = one_by_one(self.path, self.jobs, advance)
                cpu_s = sum(r["cpu_s"] for r in results)
        if self.record is not None:
            passed = {r["resource"]: self.keys[r["resource"]] for r in results if r["valid"]}
            if passed:
                write_record(self.record, {**self.known, **passed})
        order = list(self.keys)
        results.sort(key=lambda r: order.index(r["resource"]))
        return merged_problems(results), {"validated": [r["resource"] for r in results], "skipped": self.skipped,
                                          "cpu_s": round(cpu_s, 2),
                                          "peak_rss_mb": round(max((r["peak_rss_mb"] for r in results), default=0), 1)}

    def collect(self, advance) -> tuple[list[dict], float]:
        """Every job's results in the jobs' order, and the CPU seconds they took: this process validates the
        jobs nobody has taken (if it shares them) and then any a worker gave back, and waits for the rest."""
        here: dict[int, list] = {}
        while self.shares and (number := self.take()) is not None:
            here[number] = validate_resources(str(self.path), self.jobs[number])
            advance(len(self.jobs[number]))
        for feeder in self.feeders:
            feeder.join()
        for number in self.done_by_workers:
            advance(len(self.jobs[number]))
        left = sorted(self.given_back + self.pending)
        if left:
            logging.getLogger("build_data").warning("gate: validating one resource at a time (%s)", self.failure)
        self.__exit__()
        for number in left:
            here[number] = validate_resources(str(self.path), self.jobs[number])
            advance(len(self.jobs[number]))
        in_workers = sum(self.worker_cpu.values())
        WORKER_CPU_S["total"] += in_workers
        results = [r for number in range(len(self.jobs)) for r in self.done_by_workers.get(number) or here[number]]
        return results, in_workers + sum(r["cpu_s"] for job in here.values() for r in job)
