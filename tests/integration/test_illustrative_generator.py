"""scripts/make_illustrative_data.py: deterministic, and what it writes is what is committed."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from support import sha256_of, tree_digest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "make_illustrative_data.py"


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A run of the generator into an empty folder (a new process, with its own hash seed)."""
    root = tmp_path_factory.mktemp("generated")
    # openpyxl serialises XML differently when lxml happens to be installed (it is not in
    # requirements.lock); the committed workbooks were written without it.
    env = {**os.environ, "OPENPYXL_LXML": "False"}
    subprocess.run([sys.executable, str(SCRIPT), "--out-root", str(root)], check=True, cwd=root,
                   capture_output=True, timeout=300, env=env)
    return root


def test_generator_runs_byte_identical(generated):
    """This run writes byte for byte what the run whose output is committed wrote: every file, the metadata too."""
    fresh = tree_digest(generated)
    assert len(fresh) >= 7
    assert fresh == {name: sha256_of(REPO / name) if (REPO / name).is_file() else "not committed" for name in fresh}


def test_generator_reproduces_committed_sources(generated):
    fresh = tree_digest(generated / "build_data" / "sources")
    committed = tree_digest(REPO / "build_data" / "sources")
    assert set(fresh) <= set(committed)
    assert {name: committed[name] for name in fresh} == fresh


def test_generator_reproduces_committed_crosswalk(generated):
    name = "build_data/metadata/crosswalk.csv"
    assert (generated / name).read_bytes() == (REPO / name).read_bytes()
