"""Helpers for tests that change a project copy: find a release's raw file, edit it, record its checksum."""
from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
from pathlib import Path

import yaml

SOURCES = Path("build_data/sources")
RELEASES = Path("build_data/metadata/releases.yml")
CROSSWALK = Path("build_data/metadata/crosswalk.csv")


def sha256_of(path: Path) -> str:
    """A file in, its sha256 hex digest out."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def tree_digest(folder: Path) -> dict[str, str]:
    """A folder in, {relative path: sha256} of every file under it out (empty if it does not exist)."""
    folder = Path(folder)
    return {p.relative_to(folder).as_posix(): sha256_of(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def release_entry(root: Path, release_id: str) -> dict:
    """A project root and release id in, that release's entry from releases.yml out."""
    entries = yaml.safe_load((root / RELEASES).read_text(encoding="utf-8"))
    return next(e for e in entries if e["id"] == release_id)


def source_path(root: Path, release_id: str, index: int = 0) -> Path:
    """A project root and release id in, the release's raw file out (the first, or files[index])."""
    return root / SOURCES / release_entry(root, release_id)["files"][index]["path"]


def entry_lines(lines: list[str], release_id: str) -> range:
    """releases.yml lines and a release id in, the line numbers of that release's entry out."""
    start = lines.index(f"- id: {release_id}\n")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("- id: ")), len(lines))
    return range(start, end)


def set_release_field(root: Path, release_id: str, key: str, value: str) -> None:
    """Rewrite one top-level `key: value` line of a release's entry in the copy's releases.yml."""
    path = root / RELEASES
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i in entry_lines(lines, release_id):
        if re.match(rf"^(- |  ){re.escape(key)}:", lines[i]):
            lines[i] = f"{lines[i][:2]}{key}: {value}\n"
            path.write_text("".join(lines), encoding="utf-8")
            return
    raise KeyError(f"{release_id} has no {key} line")


def record_sha256(root: Path, release_id: str, index: int = 0) -> None:
    """After editing a raw file on purpose, record its new sha256 in the copy's releases.yml."""
    entry = release_entry(root, release_id)
    old, new = entry["files"][index]["sha256"], sha256_of(source_path(root, release_id, index))
    path = root / RELEASES
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"sha256 of {release_id} is not unique in releases.yml"
    path.write_text(text.replace(old, new), encoding="utf-8")


def file_encoding(root: Path, release_id: str, index: int = 0) -> str:
    """The encoding of a release's file: its own in releases.yml, else the release's."""
    entry = release_entry(root, release_id)
    return entry["files"][index].get("encoding") or entry["encoding"]


def read_rows(root: Path, release_id: str, index: int = 0) -> list[list[str]]:
    """A CSV release's raw rows (header first) as lists of text, decoded with its declared encoding."""
    text = source_path(root, release_id, index).read_bytes().decode(file_encoding(root, release_id, index))
    return list(csv.reader(io.StringIO(text)))


def write_rows(root: Path, release_id: str, rows: list[list[str]], encoding: str | None = None,
               index: int = 0) -> None:
    """Write rows back over a CSV release's raw file (LF, minimal quoting) and record the new sha256."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    encoding = encoding or file_encoding(root, release_id, index)
    source_path(root, release_id, index).write_bytes(out.getvalue().encode(encoding))
    record_sha256(root, release_id, index)


def edit_rows(root: Path, release_id: str, edit, index: int = 0) -> None:
    """Read a CSV release's rows (files[index]), let edit(rows) change them in place, write them back with a
    new sha256."""
    rows = read_rows(root, release_id, index)
    edit(rows)
    write_rows(root, release_id, rows, index=index)


def set_cell(rows: list[list[str]], file_row: int, heading: str, value: str) -> None:
    """Set the cell in file row file_row (1 is the header) under the heading."""
    rows[file_row - 1][rows[0].index(heading)] = value


def first_row(rows: list[list[str]], match: dict[str, str]) -> int:
    """The file row number (header is 1) of the first data row whose cells equal match {heading: text}."""
    columns = {rows[0].index(h): v for h, v in match.items()}
    for i, row in enumerate(rows[1:], start=2):
        if all(row[c] == v for c, v in columns.items()):
            return i
    raise LookupError(f"no row matches {match}")


def raise_package_version(root: Path, level: str = "minor") -> str:
    """Raise package.version in the copy's site.yml (as a maintainer does with changed data); return it."""
    path = root / "build_data/metadata/site.yml"
    text = path.read_text(encoding="utf-8")
    current = re.search(r"(?m)^  version: (\d+)\.(\d+)\.(\d+)$", text)
    major, minor, patch = (int(p) for p in current.groups())
    new = {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0", "patch": f"{major}.{minor}.{patch + 1}"}[level]
    path.write_text(text[:current.start()] + f"  version: {new}" + text[current.end():], encoding="utf-8")
    return new


def selected_cases(request, cases: list) -> list:
    """The cases this pytest session selected (by their `case` parameter), in the order given."""
    selected = {item.callspec.params["case"].id for item in request.session.items
                if getattr(item, "callspec", None) and isinstance(item.callspec.params.get("case"), type(cases[0]))}
    return [c for c in cases if c.id in selected]


def run_selected_cases(request, cases: list, run_one) -> dict:
    """The selected cases, each run by run_one(case), one after another (the command line runs in-process;
    pytest-xdist keeps the other core busy); {case id: what run_one returned}."""
    return {c.id: run_one(c) for c in selected_cases(request, cases)}


REPO = Path(__file__).resolve().parents[2]
WARM_CACHES = ("figures", "releases", "gate")   # content-keyed; never .cache/stages (it skips whole stages)


def link_or_copy(source: str, dest: str) -> None:
    """Hard-link a cache file (every cache write replaces its file, so the checkout's copy is never changed);
    copy it where a link cannot be made (another file system)."""
    try:
        os.link(source, dest)
    except OSError:
        shutil.copy2(source, dest)


def warm_cache(root: Path) -> Path:
    """Give a project copy the checkout's .cache (drawn chart images, each release's rows, the gate's results),
    as `make test` leaves it after `make site`: a build or render of the copy then redoes only what its
    changed inputs change. Every key is a content hash of the inputs and the code, so a copy gets the same
    output as without it; never use it in a test that monkeypatches build code (the cache would be stale)."""
    for name in WARM_CACHES:
        if (REPO / ".cache" / name).is_dir():
            shutil.copytree(REPO / ".cache" / name, root / ".cache" / name, copy_function=link_or_copy,
                            dirs_exist_ok=True)
    for bundle in (REPO / ".cache").glob("vega-embed-bundle-*.js"):
        (root / ".cache").mkdir(parents=True, exist_ok=True)
        link_or_copy(str(bundle), str(root / ".cache" / bundle.name))
    return root


def without_frictionless(folder, record=None, meanwhile=None):
    """checks.validate_frictionless for a test whose subject is not Frictionless (the slowest stage before the
    leak check): nothing is validated, and what check_package runs beside validation still runs, its result or
    exception handed back as the real function hands them back."""
    if meanwhile is None:
        return None, None
    try:
        return meanwhile(), None
    except Exception as error:
        return None, error
