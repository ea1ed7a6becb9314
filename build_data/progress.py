"""Progress of long runs on a terminal: each stage's bar (or spinner), count and time left (rich).

    from . import progress
    with progress.stage("render figures", total=len(figures)) as advance:
        for figure in figures:
            ...
            advance()          # or advance(n)

Shown only when stderr is a terminal: when output is captured (tests, CI, a log file) nothing is
printed and the log is exactly what it was without progress. BUILD_DATA_PROGRESS=0 turns it off on a
terminal too; BUILD_DATA_PROGRESS=1 turns it on even when stderr is not a terminal (for trying it out).
Stages may nest (`all` -> build -> gate): inner stages add a line under the outer one.
"""
from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import sys
from typing import Callable, Iterator

ENV = "BUILD_DATA_PROGRESS"
_live = None          # the one rich Progress shown while any stage is open
_depth = 0


def enabled(stream=None) -> bool:
    """Whether progress is drawn: on a terminal, unless BUILD_DATA_PROGRESS says otherwise; never in a
    worker process (its parent draws the progress)."""
    if multiprocessing.parent_process() is not None:
        return False
    setting = os.environ.get(ENV, "").strip()
    if setting in ("0", "1"):
        return setting == "1"
    stream = sys.stderr if stream is None else stream
    try:
        return bool(stream.isatty()) and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


def _new_progress():
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)
    console = Console(file=sys.stderr)
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(), console=console,
                    transient=True, redirect_stdout=False, redirect_stderr=False)


@contextlib.contextmanager
def _log_through(console) -> Iterator[None]:
    """Log lines written to stderr go through rich's console while a bar is drawn, so they print above it."""
    proxied = []
    for handler in logging.getLogger().handlers + logging.getLogger("build_data").handlers:
        if isinstance(handler, logging.StreamHandler) and handler.stream in (sys.stderr, sys.__stderr__):
            proxied.append((handler, handler.stream))
            handler.setStream(_ConsoleStream(console))
    try:
        yield
    finally:
        for handler, stream in proxied:
            handler.setStream(stream)


class _ConsoleStream:
    """A file-like object that prints whole lines through a rich console (above the live progress)."""

    def __init__(self, console):
        self.console, self.buffer = console, ""

    def write(self, text: str) -> int:
        self.buffer += text
        *lines, self.buffer = self.buffer.split("\n")
        for line in lines:
            self.console.print(line, markup=False, highlight=False, soft_wrap=True)
        return len(text)

    def flush(self) -> None:
        if self.buffer:
            self.write("\n")


@contextlib.contextmanager
def stage(name: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
    """A stage of `total` steps (None: unknown, a spinner); yields advance(n=1)."""
    global _live, _depth
    if not enabled():
        yield _ignore
        return
    opened = _live is None
    if opened:
        _live = _new_progress()
        _live.start()
    _depth += 1
    task = _live.add_task(("  " * (_depth - 1)) + name, total=total)
    logs = _log_through(_live.console) if opened else contextlib.nullcontext()
    try:
        with logs:
            yield lambda n=1: _live.advance(task, n)
    finally:
        _depth -= 1
        _live.remove_task(task)
        if opened:
            _live.stop()
            _live = None


def _ignore(n: int = 1) -> None:
    """advance() when progress is not shown: nothing to do."""
