"""The package's downloads (its .xlsx, and the zip's members deflated) prepared in a process of their own while
the build checks the staged package (the gate, the version check, the withdrawals), so that work leaves the
build's critical path: it reads only the staged CSV files and the descriptor write_package returned, which
nothing after write_package changes (downloads.prepared_downloads). The zip is put together afterwards, around
the datapackage.json the withdrawals leave (downloads.write_downloads).

The process runs at the lowest priority (nice 19) while the gate runs: it takes the core the gate leaves idle (the
gate's jobs cannot be split evenly between its processes), never the gate's own; once the build waits for it, it
gets this process's priority back (where the system allows it). It is spawned from this process, so its
CPU counts among this process's children. A package under AHEAD_FROM bytes is prepared in this process, as are
the downloads when the process cannot be had or fails (the same error then raised where it always was).

A build that fails stops the process (`with`) before the staged folder is removed: nothing it would have
written is left, and it writes nothing itself (its result comes back through a pipe).
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import time
from pathlib import Path

from .downloads import prepared_downloads

log = logging.getLogger("build_data")

# Bytes of CSV from which a process pays for itself: starting one (a fresh interpreter importing pandas and
# xlsxwriter) costs about 1 CPU s; preparing the downloads about 0.1 CPU s per MB of CSV (measured at national scale).
AHEAD_FROM = 8 << 20
NICENESS = 19
# Seconds one process used: tests and the benchmark read it ("cpu_s", "started", "ready" as perf_counter times).
LAST = {}


def prepare_in_child(conn, folder: str, descriptor: dict, site: dict, root: str | None) -> None:
    """In the spawned process: prepared_downloads' result sent back, or ("failed", repr) for the parent to
    prepare the downloads itself (and so raise the error where the build always raised it)."""
    try:
        os.nice(NICENESS)
    except OSError:
        pass
    try:
        started = time.process_time()
        prepared = prepared_downloads(Path(folder), descriptor, site, Path(root) if root else None)
        conn.send(("ok", prepared, time.process_time() - started))
    except BaseException as error:   # reported by the parent, which prepares the downloads again itself
        conn.send(("failed", repr(error), 0.0))
    finally:
        conn.close()


class DownloadsAhead:
    """`with DownloadsAhead(stage, descriptor, site, root) as ahead:` starts preparing the downloads;
    ahead.prepared() waits for them (or prepares them here). Leaving the block stops the process if it still runs."""

    def __init__(self, folder: Path, descriptor: dict, site: dict, root: Path | None = None):
        self.args = (Path(folder), descriptor, site, root)
        self.process = self.conn = None
        self.started = time.perf_counter()
        LAST.clear()
        size = sum(int(r.get("bytes") or 0) for r in descriptor["resources"])
        if size < AHEAD_FROM:
            return
        try:
            context = multiprocessing.get_context("spawn")
            self.conn, child = context.Pipe(duplex=False)
            self.process = context.Process(target=prepare_in_child, name="downloads-ahead", daemon=True,
                                           args=(child, str(folder), descriptor, site, str(root) if root else None))
            self.process.start()
            child.close()
            LAST["started"] = self.started
        except OSError as error:   # no processes here: prepared in this process after the gate
            log.warning("downloads: prepared after the gate (%s)", error)
            self.stop()

    def __enter__(self) -> "DownloadsAhead":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def prepared(self) -> dict:
        """The downloads prepared beside the gate, or, without a process (or when it failed), prepared here."""
        if self.process is not None:
            if not self.conn.poll():
                self.full_priority()
            try:
                status, prepared, cpu_s = self.conn.recv()
            except (EOFError, OSError):
                status, prepared, cpu_s = "failed", "the process ended without a result", 0.0
            self.process.join()
            LAST.update(ready=time.perf_counter(), cpu_s=cpu_s)
            self.stop()
            if status == "ok":
                log.info("downloads: prepared beside the gate (%.1f CPU s, ready %.1f s after the package was "
                         "written)", cpu_s, LAST["ready"] - self.started)
                return prepared
            log.info("downloads: preparing them here (the process beside the gate failed: %s)", prepared)
        return prepared_downloads(*self.args)

    def full_priority(self) -> None:
        """The build now waits for the process: it runs at this process's priority from here on (on a machine busy
        with other work, nice 19 would leave it a sliver of a core). Without the right to raise it, it stays low."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.process.pid, os.getpriority(os.PRIO_PROCESS, 0))
        except OSError:
            pass

    def stop(self) -> None:
        if self.process is not None:
            if self.process.is_alive():
                self.process.terminate()
            self.process.join()
            self.process = None
        if self.conn is not None:
            self.conn.close()
            self.conn = None
