"""Shared fixtures: a throwaway copy of the project, and one clean build of it shared by read-only tests.

`make test` runs the suite on every core, with one worker more than there are cores (pytest-xdist;
pytest_xdist_auto_num_workers): `work_group` keeps each page's browser checks on one worker (the page is
opened once) and each other module's tests on one worker (its module fixtures run once), handed out longest first (by the last whole run's seconds) by pytest_xdist_make_scheduler, so
the workers finish together; the shared build is made once for all workers (`shared`).
"""
from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections import OrderedDict
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:      # test this checkout's build_data, however pytest was started
    sys.path.insert(0, str(REPO))
# What a build (and a later render) reads; never the venv, the built site or node_modules.
COPIED = ["build_data", "datapackage", "mkdocs.yml", "CHANGELOG.md", "docs/pages", "docs/assets", "docs/overrides"]
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".venv", "site", "node_modules", "_build",
                                 ".datapackage.*")


def copy_project(dest: Path) -> Path:
    """Copy what the build needs from the repository into dest; return dest."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=IGNORED)
        elif source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def run_cli(root: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `python -m build_data --root root *args` with this repository's code; capture text output."""
    return subprocess.run([sys.executable, "-m", "build_data", "--root", str(root), *args],
                          cwd=REPO, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})


@pytest.fixture(scope="session")
def make_copy():
    """The copy_project function, for tests that need several copies or copies in a wider scope."""
    return copy_project


def chart_palettes() -> dict:
    """The chart palettes' mutable parts (a render sets each scheme's cohort colours), to put back after an
    in-process run."""
    from build_data import palette
    return {scheme: {key: dict(value) for key, value in values.items() if isinstance(value, dict)}
            for scheme, values in palette.PALETTES.items()}


def put_back_chart_palettes(saved: dict) -> None:
    from build_data import palette
    for scheme, values in saved.items():
        for key, value in values.items():
            palette.PALETTES[scheme][key].clear()
            palette.PALETTES[scheme][key].update(value)


@contextlib.contextmanager
def time_limit(seconds: float | None):
    """TimeoutError if the block runs longer than seconds (main thread only; elsewhere no limit)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise TimeoutError(f"the command ran longer than {seconds:.0f} s")
    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


MAIN_LOCK = threading.Lock()    # sys.stdout/sys.stderr are the process's: one in-process run at a time


def run_main(root: Path, *args: str, timeout: float | None = 300) -> subprocess.CompletedProcess:
    """`python -m build_data --root root *args`, run in this process by build_data.cli.main (no interpreter
    start-up, no imports again): its exit code and what it printed, as run_cli returns them. The chart
    palettes a render sets are put back afterwards."""
    from build_data.cli import main
    argv = ["--root", str(root), *args]
    out, err = io.StringIO(), io.StringIO()
    with MAIN_LOCK:
        saved = chart_palettes()
        try:
            with time_limit(timeout), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(argv)
        finally:
            put_back_chart_palettes(saved)
    return subprocess.CompletedProcess(["build_data.cli.main", *argv], code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session")
def cli():
    """The run_main function: cli(root, "build") runs the command line on a project copy, in this process.
    (The shared build, fresh_build, runs it as a new process: `python -m build_data`, as a person does.)"""
    return run_main


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A fresh copy of the project's data, metadata, package and hand-written docs in tmp_path."""
    return copy_project(tmp_path / "project")


# Browser tests that take one of these parameters share that page's opened views (session fixtures).
PAGE_PARAMETERS = ("page_path", "figure_page_path")


def work_group(item) -> str:
    """The pytest-xdist group of a test: its page for a browser check of one page, else its module."""
    params = item.callspec.params if hasattr(item, "callspec") else {}
    for name in PAGE_PARAMETERS:
        if name in params:
            return f"page:{params[name]}"
    return item.nodeid.split("::")[0]


GROUPS_FILE = "xdist-groups.json"
# Seconds each group took in the last whole run on this machine (pytest's cache, .pytest_cache/), and, for a
# clean clone, the seconds each module took in a whole `make test` run (checked in; `--write-module-seconds`
# rewrites it from this run): the scheduler hands out the longest groups first.
GROUP_SECONDS_KEY = "work_groups/seconds"
MODULE_SECONDS_FILE = Path(__file__).resolve().parent / "module_seconds.json"


def pytest_addoption(parser):
    parser.addoption("--write-module-seconds", action="store_true",
                     help=f"write each module's seconds in this run into {MODULE_SECONDS_FILE.name} (the scheduler's "
                          "longest-first order for a clean clone); run it on the whole suite, with -n")


def pytest_collection_modifyitems(config, items):
    """On a pytest-xdist worker, write every test's group where the main process's scheduler reads it
    (pytest 9 no longer lets pytest-xdist's own xdist_group marks rename a test, so --dist loadgroup
    cannot group): each worker collects the same tests, so each writes the same file."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    path = config._tmp_path_factory.getbasetemp().parent / GROUPS_FILE
    partial = path.with_name(f"{path.name}.{os.environ['PYTEST_XDIST_WORKER']}")
    partial.write_text(json.dumps({item.nodeid: work_group(item) for item in items}), encoding="utf-8")
    os.replace(partial, path)


def module_of(nodeid: str) -> str:
    return nodeid.split("::")[0]


def expected_seconds(groups: dict[str, list[str]], measured: dict[str, float], by_module: dict[str, float]) -> dict:
    """{group: its tests' node ids} in, {group: seconds it is expected to take} out: what it took in the last
    whole run (measured), else its module's seconds (by_module) shared evenly among the module's groups, else
    the mean of the others (a new module is neither put off to the end nor put first)."""
    groups_of_module: dict[str, int] = {}
    for group, nodeids in groups.items():
        groups_of_module[module_of(nodeids[0])] = groups_of_module.get(module_of(nodeids[0]), 0) + 1
    known = {}
    for group, nodeids in groups.items():
        module = module_of(nodeids[0])
        if group in measured:
            known[group] = measured[group]
        elif module in by_module:
            known[group] = by_module[module] / groups_of_module[module]
    unknown = sum(known.values()) / len(known) if known else 0.0
    return {group: known.get(group, unknown) for group in groups}


def longest_first(groups: dict[str, list[str]], seconds: dict[str, float]) -> list[str]:
    """The groups, longest first (equal ones in collection order)."""
    order = list(groups)
    return sorted(order, key=lambda group: (-seconds[group], order.index(group)))


def read_module_seconds() -> dict[str, float]:
    if not MODULE_SECONDS_FILE.is_file():
        return {}
    return json.loads(MODULE_SECONDS_FILE.read_text(encoding="utf-8"))["seconds"]


# Workers per core for `-n auto`: the browser checks mostly wait (for pages to load and settle, Chromium to paint,
# axe to answer), so two workers left the two cores ~40% idle. Measured on 2 cores, the whole suite: 2 workers
# ~550-600 s; 3 workers 476-504 s (CPU 1.24 cores on average); 4 workers 510 s (more contention, no gain).
EXTRA_WORKERS = 1


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config):
    """`-n auto`: one worker per core, and EXTRA_WORKERS more."""
    return (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1) + EXTRA_WORKERS


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Hand out whole groups (work_group), longest first (expected_seconds), each to the worker that is about
    to run out of work, so that the workers finish together."""
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        groups: dict[str, str] = {}
        ordered = False

        def _split_scope(self, nodeid: str) -> str:
            if not self.groups:    # the workers have written it by the time they report their collection
                path = config._tmp_path_factory.getbasetemp() / GROUPS_FILE
                self.groups.update(json.loads(path.read_text(encoding="utf-8")))
            return self.groups[nodeid]

        def _assign_work_unit(self, node) -> None:
            if not self.ordered:     # the first hand-out: the work queue has every group, in collection order
                queue = {group: list(work) for group, work in self.workqueue.items()}
                measured = config.cache.get(GROUP_SECONDS_KEY, {}) if getattr(config, "cache", None) else {}
                seconds = expected_seconds(queue, measured, read_module_seconds())
                self.workqueue = OrderedDict((group, self.workqueue[group]) for group in longest_first(queue, seconds))
                self.ordered = True
            super()._assign_work_unit(node)

        def _reschedule(self, node) -> None:
            """A worker gets its next group only when it is on its last test (pytest-xdist's own rule waits
            for fewer than three, which promises a worker a group while another worker is free)."""
            if node.shutting_down:
                return
            if not self.workqueue:
                node.shutdown()
                return
            if self._pending_of(self.assigned_work[node]) <= 1:    # a worker holds its last test until it
                self._assign_work_unit(node)                       # knows the next (or is shut down)
    config.option.loadscopereorder = False
    return GroupScheduling(config, log)


# Each test's seconds (setup, call and teardown), gathered in the main process as workers report them.
TEST_SECONDS: dict[str, float] = {}


def pytest_runtest_logreport(report):
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        TEST_SECONDS[report.nodeid] = TEST_SECONDS.get(report.nodeid, 0.0) + report.duration


def whole_suite(config) -> bool:
    """The run was every test (no paths, -k or -m given) on pytest-xdist workers."""
    return (config.args_source == pytest.Config.ArgsSource.TESTPATHS and not config.option.keyword
            and not config.option.markexpr and bool(getattr(config.option, "numprocesses", None)))


def pytest_sessionfinish(session):
    """After a whole run on several workers: each group's seconds into pytest's cache (the next run's order);
    with --write-module-seconds, each module's into MODULE_SECONDS_FILE."""
    config = session.config
    if os.environ.get("PYTEST_XDIST_WORKER") or not TEST_SECONDS or not whole_suite(config) \
            or not getattr(config, "cache", None):
        return
    path = config._tmp_path_factory.getbasetemp() / GROUPS_FILE
    groups = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    per_group: dict[str, float] = {}
    per_module: dict[str, float] = {}
    for nodeid, seconds in TEST_SECONDS.items():
        group = groups.get(nodeid, module_of(nodeid))
        per_group[group] = round(per_group.get(group, 0.0) + seconds, 1)
        per_module[module_of(nodeid)] = round(per_module.get(module_of(nodeid), 0.0) + seconds, 1)
    config.cache.set(GROUP_SECONDS_KEY, per_group)
    if config.getoption("--write-module-seconds"):
        text = {"about": "Seconds each test module took in a whole `make test` run (tests/conftest.py orders the "
                         "work longest first by them until this machine has run the suite once); rewrite with "
                         "`pytest -n auto --write-module-seconds`.",
                "seconds": dict(sorted(per_module.items(), key=lambda item: -item[1]))}
        MODULE_SECONDS_FILE.write_text(json.dumps(text, indent=1) + "\n", encoding="utf-8")


def shared_folder(tmp_path_factory) -> Path:
    """A folder every pytest-xdist worker of this run sees (the run's own temporary folder)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def shared(tmp_path_factory, name: str, make):
    """make(folder) run once per test run, whichever worker asks first (the others wait for it): its
    JSON-able result, made in shared_folder/name/."""
    folder = shared_folder(tmp_path_factory) / name
    folder.mkdir(exist_ok=True)
    done = folder / "result.json"
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.is_file():
            done.write_text(json.dumps(make(folder)), encoding="utf-8")
    return json.loads(done.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def shared_run(tmp_path_factory):
    """shared_run(name, make): make(folder) run once per test run, whichever worker asks first (`shared`): its
    JSON-able result. For a project that several modules read (they may run on different pytest-xdist workers)."""
    return lambda name, make: shared(tmp_path_factory, name, make)


def _build_a_copy(folder: Path) -> dict:
    root = copy_project(folder / "project")
    checked = REPO / ".cache" / "gate"
    if checked.is_dir():   # the record of what the checkout's own build (make site) validated: see fresh_build
        shutil.copytree(checked, root / ".cache" / "gate")
    result = run_cli(root, "build", timeout=900)   # a cold build of the whole data on a busy machine
    return {"root": str(root), "args": result.args, "returncode": result.returncode,
            "stdout": result.stdout, "stderr": result.stderr}


@pytest.fixture(scope="session")
def fresh_build(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """A copy of the project built once by `python -m build_data build` (a new process, as a person runs
    it), made once per test run however many workers ask: (root, the command's result). Read-only: tests
    that change a project use project_copy. The checkout's own datapackage/ is the other build it is
    compared with (test_build.py).
    Every raw file is read, checked and protected again (no release cache); the copy carries only the checkout's
    Frictionless record (.cache/gate, as `make test` leaves it after `make site`): its keys are the sha256 of
    the exact bytes and schema validated, so a resource is skipped only where the checkout's build already
    validated those bytes, and test_build runs `frictionless validate` on this package in any case. (The
    gate's full run is tiny_build's: a new project, no record.)"""
    run = shared(tmp_path_factory, "fresh_build", _build_a_copy)
    return Path(run["root"]), subprocess.CompletedProcess(run["args"], run["returncode"], run["stdout"], run["stderr"])


# The tiny project: the same code, metadata and publisher layout as the repository's, with few places (12 trusts
# in 2 Cancer Alliances), the 10 questions the pages name and four CPES years (2021-2024), made by the
# benchmark's deterministic generator (scripts/bench/generate.py), which also holds back one more survey year
# (cpes-2025) for add_next_release. For tests of behaviour that does not need the illustrative data's size.
TINY_SCALE = {"name": "tests-tiny", "trusts": 12, "questions": 10, "years": 4}


def write_tiny_project(root: Path) -> Path:
    """The tiny project, written into root (not built)."""
    bench = str(REPO / "scripts" / "bench")
    if bench not in sys.path:
        sys.path.insert(0, bench)
    from generate import Scale, write_project
    write_project(REPO, root, Scale(**TINY_SCALE), next_releases=1)
    return root


@pytest.fixture(scope="session")
def make_tiny_project():
    """The write_tiny_project function: make_tiny_project(root) writes the tiny project (not built). A test
    module cannot import it (`conftest` is also tests/browser/conftest.py's module name)."""
    return write_tiny_project


def _build_tiny(folder: Path) -> dict:
    root = write_tiny_project(folder / "project")
    result = run_cli(root, "build", timeout=900)
    return {"root": str(root), "args": result.args, "returncode": result.returncode,
            "stdout": result.stdout, "stderr": result.stderr}


@pytest.fixture(scope="session")
def tiny_build(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The tiny project after its first `python -m build_data build` (a new process), made once per test run:
    (root, the command's result). Read-only: copy it (tiny_project) to change it."""
    run = shared(tmp_path_factory, "tiny_build", _build_tiny)
    return Path(run["root"]), subprocess.CompletedProcess(run["args"], run["returncode"], run["stdout"], run["stderr"])


@pytest.fixture
def tiny_project(tiny_build, tmp_path) -> Path:
    """A copy of the built tiny project (its package, its release and gate caches) in tmp_path."""
    root, result = tiny_build
    assert result.returncode == 0, result.stderr
    return Path(shutil.copytree(root, tmp_path / "tiny"))


@pytest.fixture(scope="session")
def built_project(fresh_build) -> Path:
    """A copy of the project after one clean `build`, for tests that only read what it published."""
    root, result = fresh_build
    assert result.returncode == 0, result.stderr
    return root


# Page weights the browser tests recorded on each pytest-xdist worker, gathered as workers finish.
WORKER_PAGE_WEIGHTS: dict[str, dict] = {}
HEAVIEST_SHOWN = 10


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    WORKER_PAGE_WEIGHTS.update(getattr(node, "workeroutput", {}).get("page_weights", {}))


def pytest_terminal_summary(terminalreporter):
    """The heaviest pages (browser tests), whatever the output capture setting (no -s needed)."""
    support = sys.modules.get("browser_support")   # loaded only where the browser tests ran here
    weights = {**WORKER_PAGE_WEIGHTS, **(support.PAGE_WEIGHTS if support else {})}
    if not weights:
        return
    rows = sorted(weights.items(), key=lambda item: -item[1]["bytes"])
    terminalreporter.write_sep("=", "page weight (bytes transferred, empty cache, 1280 px)")
    for path, weight in rows[:HEAVIEST_SHOWN]:
        terminalreporter.write_line(f"{weight['bytes']:>10,} B  {weight['requests']:>3} requests  /{path}")
    terminalreporter.write_line(f"{len(rows)} pages; total {sum(w['bytes'] for _, w in rows):,} B. "
                                f"Screenshots: {REPO / 'tests' / 'browser' / 'screenshots'}")


WARM_CACHES = ("releases", "gate")    # keyed by content (release_cache.py, gate.py): a changed input misses


def copy_warm_project(dest: Path, built: Path) -> Path:
    """copy_project, plus the release and gate caches of the built copy: a build of the copy reads and protects
    again only the releases whose inputs (files, their entry, crosswalk rows, corrections, shared metadata,
    code) differ from the built copy's. For tests that break an input and need not pay for the others; not
    for a test that monkeypatches build code (the cache would not see the patch)."""
    copy_project(dest)
    for name in WARM_CACHES:
        if (built / ".cache" / name).is_dir():
            shutil.copytree(built / ".cache" / name, dest / ".cache" / name)
    return dest


@pytest.fixture(scope="session")
def make_warm_copy(fresh_build):
    """make_warm_copy(dest): a copy of the project carrying the shared build's warm caches (copy_warm_project;
    if that build failed, its caches hold what it finished, and the rest is read again)."""
    return lambda dest: copy_warm_project(dest, fresh_build[0])
