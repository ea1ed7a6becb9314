"""errors: every message says what is wrong, where, and how to fix it; classes are <Thing><Problem>."""
from __future__ import annotations

import inspect
import re

from build_data import errors


def test_error_message_has_what_where_and_fix():
    error = errors.ValueNotNumeric("'abc' is not a number.", file="a.csv", sheet="S", row=5, column="Respondents",
                                   fix="Correct the cell.")
    assert error.message() == ("ValueNotNumeric: A cell that must hold a number holds something else.\n"
                               "  'abc' is not a number.\n"
                               "  Where: file a.csv, sheet S, row 5, column Respondents.\n"
                               "  Fix: Correct the cell.")
    assert str(error) == error.message() and error.exit_code == 2


def test_every_error_class_documents_its_problem():
    classes = [c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, errors.BuildError)]
    assert len(classes) > 20
    for cls in classes:
        assert (cls.__doc__ or "").strip().endswith("."), cls.__name__
        assert re.fullmatch(r"[A-Z][A-Za-z]+", cls.__name__), cls.__name__


def every_error_class() -> set[str]:
    """Every BuildError subclass the build defines, in errors.py or beside the code that raises it."""
    import importlib
    import pkgutil

    import build_data
    for module in pkgutil.walk_packages(build_data.__path__, "build_data."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    found, todo = set(), [errors.BuildError]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.add(sub.__name__)
            todo.append(sub)
    return found


def test_readme_error_table_lists_exactly_the_error_classes():
    from pathlib import Path
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### What a failed check means", 1)[1].split("\n\n", 2)[1]
    listed = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            listed.update(re.findall(r"`([A-Za-z]+)`", line.split("|")[1]))
    defined = every_error_class()
    assert listed - defined == set(), "README lists error classes the build does not define"
    assert defined - listed == set(), "README's error table lacks these error classes"
