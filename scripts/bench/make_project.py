"""Write one ILLUSTRATIVE benchmark project once, to measure or profile a stage by hand.

    python scripts/bench/make_project.py /tmp/national                 # the national scale (benchmark.py's)
    python scripts/bench/make_project.py /tmp/small --scale small --next-releases 1

The project is what scripts/benchmark.py builds for that scale (generate.write_project, with response
frequencies), without the benchmark's timing: run `python -m build_data --root <folder> build` (or
scripts/bench/instrumented.py) against it as often as needed. The folder must not exist yet.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchmark import SCALES  # noqa: E402
from generate import write_project  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="the project folder to write (must not exist)")
    parser.add_argument("--scale", choices=sorted(SCALES), default="national")
    parser.add_argument("--no-frequencies", action="store_true", help="write no response frequency files")
    parser.add_argument("--next-releases", type=int, default=0,
                        help="survey years held back in <root>/.bench-next-release/ (as the benchmark's release run)")
    args = parser.parse_args(argv)
    if args.root.exists():
        parser.error(f"{args.root} exists: give a new folder (the project is written from scratch)")
    info = write_project(REPO, args.root, SCALES[args.scale], frequencies=not args.no_frequencies,
                         next_releases=args.next_releases)
    print(json.dumps({k: v for k, v in info.items() if k != "raw_files"}, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
