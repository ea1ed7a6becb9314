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
