"""The pipeline's loop over tables.yml: disclosure control may blank only the columns declared suppressible."""
from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from build_data.errors import PackageInvalid
from build_data.pipeline import check_suppressible

TABLE = SimpleNamespace(suppressible=("value",))
CONFIG = SimpleNamespace(registry=SimpleNamespace(files={"tables.yml": SimpleNamespace(path="tables.yml")}))


def test_blanking_a_suppressible_column_is_allowed():
    before = pd.DataFrame({"key": ["a", "b"], "value": [1.0, 2.0]})
    check_suppressible("t", TABLE, before, before.assign(value=[None, 2.0]), CONFIG)


def test_blanking_any_other_column_stops_the_build():
    before = pd.DataFrame({"key": ["a", "b"], "value": [1.0, 2.0]})
    with pytest.raises(PackageInvalid) as caught:
        check_suppressible("t", TABLE, before, before.assign(key=["a", None]), CONFIG)
    assert "t.key" in caught.value.detail and caught.value.key == "t.suppressible"
