"""Command line: a thin layer over the library. Exit 0 ok, 2 bad input (message, no traceback), 1 bug."""
from __future__ import annotations

import argparse
import contextlib
import logging
import sys
import time
from pathlib import Path

from .errors import BuildError

log = logging.getLogger("build_data")


def cmd_build(args, config):
    from .pipeline import build_package
    from .stage_cache import remember
    build_package(config)
    remember(config.root, "build")


def cmd_render(args, config):
    from .render import render_docs
    from .stage_cache import remember
    render_docs(config)
    remember(config.root, "render")


def cmd_site(args, config):
    from .site import build_site
    from .stage_cache import remember
    build_site(config.root)
    remember(config.root, "site")


def cmd_all(args, config):
    """build, render and site; a stage whose inputs and output are as its last run left them is skipped."""
    for name, step in (("build", cmd_build), ("render", cmd_render), ("site", cmd_site)):
        run_stage(name, args, config, lambda: step(args, config))


def run_stage(name: str, args, config, step) -> bool:
    """Run one stage of `all` (step()), unless nothing it reads has changed; whether it ran."""
    from . import progress, stage_cache
    started = time.perf_counter()
    if not args.force and stage_cache.is_unchanged(config.root, name):
        log.info("stage %s skipped: nothing it reads has changed (%.1f s to check; --force reruns it)",
                 name, time.perf_counter() - started)
        return False
    with progress.stage(f"stage {name}"):
        step()
    log.info("stage %s took %.1f s", name, time.perf_counter() - started)
    return True


def cmd_suggest_crosswalk(args, config):
    """Print proposed crosswalk.csv rows for args.release_id; write nothing."""
    from .crosswalk import format_suggestions, suggest_crosswalk
    sys.stdout.write(format_suggestions(suggest_crosswalk(config, args.release_id), args.release_id))


def cmd_new_release(args, config):
    """Copy a new release's files in, record them in releases.yml, and print what to confirm (or change nothing)."""
    from .crosswalk import format_suggestions
    from .releasing import add_release
    added = add_release(config, args.release_id, [Path(f) for f in args.files])
    print(f"Copied {len(added['files'])} file(s) to build_data/sources/{args.release_id}/ and added an entry to "
          f"build_data/metadata/releases.yml (layout {', '.join(added['layouts'])}, survey year {added['survey_year']}).")
    print("Confirm every value marked CONFIRM in releases.yml, then add these rows to crosswalk.csv "
          "after checking each one:\n")
    if added["suggestions"]:
        sys.stdout.write(format_suggestions(added["suggestions"], args.release_id))
    print("\nThen raise package.version in site.yml (MINOR for a new release), add a CHANGELOG.md entry and run `make site`.")


def cmd_diff(args, config):
    """Print what changed between two package versions."""
    from .package_diff import diff_packages, format_diff
    print(format_diff(diff_packages(args.old, args.new, config.root)))


COMMANDS = {
    "build": (cmd_build, "read the raw files, check everything, publish datapackage/"),
    "render": (cmd_render, "render charts and pages from datapackage/ into docs/_build/"),
    "site": (cmd_site, "build the static site from docs/_build/ into site/ (mkdocs --strict)"),
    "all": (cmd_all, "build, render and site, in that order"),
    "new-release": (cmd_new_release, "copy a new release's raw files in, record them in releases.yml and "
                                     "propose crosswalk rows (prints what to confirm)"),
    "diff": (cmd_diff, "what changed between two package versions (folders, zips or git:<revision>)"),
    "suggest-crosswalk": (cmd_suggest_crosswalk, "propose crosswalk.csv rows for a release's unmapped "
                                                 "question codes (prints them; writes nothing)"),
}
ARGUMENTS = {
    "suggest-crosswalk": [("release_id", "the release id in releases.yml, e.g. cpes-2025")],
    "new-release": [("release_id", "a new release id, e.g. cpes-2025"),
                    ("files", "the publisher's raw file(s)", "+")],
    "diff": [("old", "old package: a folder, a zip, or git:<revision>"),
             ("new", "new package: a folder, a zip, or git:<revision>")],
}


# Commands a person runs before confirming new-release's CONFIRM values (every other one refuses them).
BEFORE_CONFIRMING = {"new-release", "suggest-crosswalk", "diff"}


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m build_data", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (default: here)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (_, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text)
        for argument, argument_help, *nargs in ARGUMENTS.get(name, []):
            command.add_argument(argument, help=argument_help, nargs=nargs[0] if nargs else None)
        if name == "all":
            command.add_argument("--force", action="store_true", help="run every stage, even one whose inputs are unchanged")
    return parser.parse_args(argv)


@contextlib.contextmanager
def logging_to_stderr(level: int):
    """Log records (any logger's, at level and up) go to sys.stderr as it is now, for this block only:
    no handler or level is left behind, so main() can be called in-process, again and again."""
    root = logging.getLogger()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
    previous = root.level
    root.addHandler(handler)
    root.setLevel(level)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


def main(argv=None) -> int:
    """The command line: main(["--root", folder, "build"]) runs it in this process and returns the exit
    code; everything it prints goes to sys.stdout and sys.stderr as they are during the call."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    with logging_to_stderr(logging.DEBUG if args.debug else logging.INFO):
        return run(args)


def run(args) -> int:
    try:
        from .stage_cache import every_stage_unchanged
        if args.command == "all" and not args.force and every_stage_unchanged(args.root, log):
            return 0
        from .metadata import load_config
        config = load_config(args.root, unconfirmed_ok=args.command in BEFORE_CONFIRMING)
        COMMANDS[args.command][0](args, config)
    except BuildError as error:
        if args.debug:
            raise
        print(f"build failed: {error.message()}", file=sys.stderr)
        print("Nothing was published; the previous output is unchanged.", file=sys.stderr)
        return error.exit_code
    except Exception:
        if args.debug:
            raise
        log.exception("internal error (a bug: please report it with this traceback)")
        return 1
    return 0
