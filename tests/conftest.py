"""Shared fixtures: a throwaway copy of the project, and one clean build of it shared by read-only tests."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
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


@pytest.fixture(scope="session")
def cli():
    """The run_cli function: cli(root, "build") runs the command line on a project copy."""
    return run_cli


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A fresh copy of the project's data, metadata, package and hand-written docs in tmp_path."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def two_builds(tmp_path_factory) -> list[tuple[Path, subprocess.CompletedProcess]]:
    """Two copies of the project, each built once by the CLI (side by side, to save time)."""
    roots = [copy_project(tmp_path_factory.mktemp(f"build{i}") / "project") for i in (1, 2)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda root: run_cli(root, "build"), roots))
    return list(zip(roots, results))


@pytest.fixture(scope="session")
def built_project(two_builds) -> Path:
    """A copy of the project after one clean `build`, for tests that only read what it published."""
    root, result = two_builds[0]
    assert result.returncode == 0, result.stderr
    return root
