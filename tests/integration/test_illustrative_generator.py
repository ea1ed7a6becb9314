"""scripts/make_illustrative_data.py: deterministic, and what it writes is what is committed."""
from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from support import tree_digest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "make_illustrative_data.py"


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> list[Path]:
    """Two runs of the generator, each into its own empty folder (side by side, to save time)."""
    roots = [tmp_path_factory.mktemp(f"generated{i}") for i in (1, 2)]

    # openpyxl serialises XML differently when lxml happens to be installed (it is not in
    # requirements.lock); the committed workbooks were written without it.
    env = {**os.environ, "OPENPYXL_LXML": "False"}

    def generate(root: Path) -> Path:
        subprocess.run([sys.executable, str(SCRIPT), "--out-root", str(root)], check=True, cwd=root,
                       capture_output=True, timeout=300, env=env)
        return root
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(generate, roots))


def test_generator_runs_byte_identical(generated):
    first, second = (tree_digest(root) for root in generated)
    assert len(first) >= 7
    assert first == second


def test_generator_reproduces_committed_sources(generated):
    fresh = tree_digest(generated[0] / "build_data" / "sources")
    committed = tree_digest(REPO / "build_data" / "sources")
    assert set(fresh) <= set(committed)
    assert {name: committed[name] for name in fresh} == fresh


def test_generator_reproduces_committed_crosswalk(generated):
    name = "build_data/metadata/crosswalk.csv"
    assert (generated[0] / name).read_bytes() == (REPO / name).read_bytes()
