"""docs/_build + mkdocs.yml in, site/ out (mkdocs build --strict), swapped in only when the build passes."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .errors import BuildError
from .publish import staged_folder


class SiteBuildFailed(BuildError):
    """MkDocs could not build the site in strict mode."""


def build_site(root: Path) -> None:
    root = Path(root)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with staged_folder(root / "site") as stage:
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                               "--config-file", str(root / "mkdocs.yml"), "--site-dir", str(stage)],
                              cwd=root, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SiteBuildFailed(done.stderr.strip()[-3000:], file=root / "mkdocs.yml",
                                  fix="Fix the pages or links MkDocs names above (pages live in docs/pages/).")
