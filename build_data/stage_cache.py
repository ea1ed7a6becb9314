"""A stage's inputs and output folder in; whether the stage can be skipped out.

Every successful build, render or site command records what its stage read and wrote;
`python -m build_data all` skips a stage when the content of everything it reads is what it was at
the stage's last successful run and its output is still exactly what that run left. The record is
.cache/stages/<stage>.json (content hashes, not file times: a fresh clone or a touched file changes
nothing; a file's digest is re-read only when its size or modification time changed). The stage's
code is one of its inputs, so editing build_data/ reruns everything.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

CODE = ["build_data/**/*.py"]
STAGE_INPUTS = {
    "build": CODE + ["build_data/metadata/**/*", "build_data/sources/**/*", "CHANGELOG.md"],
    "render": CODE + ["build_data/metadata/**/*", "datapackage/**/*", "docs/pages/**/*", "docs/assets/**/*",
                      "CHANGELOG.md"],
    "site": CODE + ["docs/_build/**/*", "docs/overrides/**/*", "mkdocs.yml"],
}
# Environment variables a stage's output depends on (the site's address): part of its inputs.
STAGE_ENVIRONMENT = {"render": ("SITE_URL",), "site": ("SITE_URL",)}
STAGE_OUTPUT = {"build": "datapackage", "render": "docs/_build", "site": "site"}


class FileDigests:
    """Each file's sha256, re-read only when its size or modification time changed since it was last read
    (a write always changes one of them; a file touched but not changed still gives the same digest).
    One per record in a process (`for_record`): the record is read once and written only when it changed."""

    def __init__(self, record: Path):
        self.record = record
        self.known = json.loads(record.read_text(encoding="utf-8")) if record.is_file() else {}
        self.changed = False

    @classmethod
    def for_record(cls, record: Path) -> "FileDigests":
        key = os.path.abspath(record)
        if key not in _OPEN:
            _OPEN[key] = cls(record)
        return _OPEN[key]

    def of(self, path: Path, stat: os.stat_result | None = None) -> str:
        stat = stat or path.stat()
        key, mark = str(path), [stat.st_size, stat.st_mtime_ns]
        if self.known.get(key, [None])[:2] != mark:
            self.known[key] = mark + [hashlib.sha256(Path(path).read_bytes()).hexdigest()]
            self.changed = True
        return self.known[key][2]

    def save(self) -> None:
        if not self.changed and self.record.is_file():
            return
        self.record.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.record.with_name(f"{self.record.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(self.known, separators=(",", ":")), encoding="utf-8")
        tmp.replace(self.record)
        self.changed = False


_OPEN: dict[str, FileDigests] = {}


def walk(folder: str, suffix: str):
    """(path, stat) of every file under folder whose name ends with suffix, not following linked folders
    and skipping __pycache__ (as pathlib's `folder/**/*suffix` glob would, but reading each folder once)."""
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if entry.name != "__pycache__":
                yield from walk(entry.path, suffix)
        elif entry.name.endswith(suffix) and entry.is_file():
            yield entry.path, entry.stat()


def matching_files(root: Path, patterns: list[str]) -> dict[str, tuple[str, os.stat_result]]:
    """Relative posix path -> (path, stat) of every file matching the patterns under root."""
    base, found = os.path.abspath(root), {}
    for pattern in patterns:
        folder, recursive, name = ("/" + pattern).partition("/**/")
        folder = folder.lstrip("/")
        if recursive and name.startswith("*") and not any(c in folder + name[1:] for c in "*?["):
            for path, stat in walk(os.path.join(base, folder), name[1:]):
                found[os.path.relpath(path, base).replace(os.sep, "/")] = (path, stat)
            continue
        for p in Path(base).glob(pattern):   # any other pattern: pathlib's glob
            if p.is_file() and "__pycache__" not in p.parts:
                found[p.relative_to(base).as_posix()] = (str(p), p.stat())
    return found


def digest_of(root: Path, patterns: list[str], digests: FileDigests | None = None) -> str:
    """Every file matching the patterns under root, by relative path and content, as one sha256."""
    total = hashlib.sha256()
    for relative, (path, stat) in sorted(matching_files(root, patterns).items(), key=lambda item: item[0].split("/")):
        total.update(relative.encode("utf-8") + b"\0")
        total.update(digests.of(path, stat).encode("ascii") if digests else hashlib.sha256(Path(path).read_bytes()).digest())
    return total.hexdigest()


def state_of(root: Path, stage: str) -> dict:
    root = Path(os.path.realpath(root))
    output = root / STAGE_OUTPUT[stage]
    digests = FileDigests.for_record(root / ".cache" / "stages" / "file-digests.json")
    state = {"inputs": digest_of(root, STAGE_INPUTS[stage], digests),
             "output": digest_of(output, ["**/*"], digests) if output.is_dir() else None}
    if stage in STAGE_ENVIRONMENT:
        state["environment"] = {key: os.environ.get(key, "") for key in STAGE_ENVIRONMENT[stage]}
    digests.save()
    return state


def record_path(root: Path, stage: str) -> Path:
    return root / ".cache" / "stages" / f"{stage}.json"


def is_unchanged(root: Path, stage: str) -> bool:
    """True when the stage's inputs and output are what its last successful run recorded."""
    record = record_path(root, stage)
    if not record.is_file():
        return False
    state = state_of(root, stage)
    return state["output"] is not None and json.loads(record.read_text(encoding="utf-8")) == state


def remember(root: Path, stage: str) -> None:
    """After a successful run: record the stage's inputs and output."""
    record = record_path(root, stage)
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps(state_of(root, stage), indent=1) + "\n", encoding="utf-8")


def every_stage_unchanged(root: Path, log) -> bool:
    """True (each stage's skip logged) when build, render and site are all as their last runs left them: then
    `all` has nothing to do, and need not even load the metadata (build's input, unchanged since a
    successful build checked it)."""
    started = time.perf_counter()
    if not all(is_unchanged(root, stage) for stage in STAGE_OUTPUT):
        return False
    for stage in STAGE_OUTPUT:
        log.info("stage %s skipped: nothing it reads has changed (%.1f s to check all; --force reruns it)",
                 stage, time.perf_counter() - started)
    return True
