"""A zip put together from members deflated beforehand (zipfiles.Deflated: the downloads prepared beside the
gate, downloads_ahead.py) has exactly the bytes of one whose members are compressed as it is written."""
from __future__ import annotations

import io
import random
import zipfile

import pytest

from build_data.downloads import prepared_downloads, write_downloads
from build_data.zipfiles import Deflated, deflate, deterministic_zip


def members() -> dict[str, bytes]:
    rng = random.Random(7)
    csv = "\n".join(",".join(str(rng.randint(0, 999)) for _ in range(8)) for _ in range(60_000)).encode()
    return {"datapackage.json": b'{"name": "x"}\n', "data/big.csv": csv, "data/empty.csv": b"",
            "data/noise.bin": rng.randbytes(300_000), "caf\u00e9.txt": "h\u00e9".encode()}


@pytest.mark.parametrize("deflated", [["data/big.csv"], ["data/big.csv", "data/empty.csv", "data/noise.bin",
                                                          "caf\u00e9.txt", "datapackage.json"]])
def test_deflated_members_give_the_same_zip(deflated):
    plain = members()
    mixed = {name: deflate(data) if name in deflated else data for name, data in plain.items()}
    assert any(isinstance(m, Deflated) for m in mixed.values())
    assert deterministic_zip(mixed) == deterministic_zip(plain)
    with zipfile.ZipFile(io.BytesIO(deterministic_zip(mixed))) as archive:
        assert archive.testzip() is None
        assert {name: archive.read(name) for name in archive.namelist()} == plain


def test_prepared_downloads_write_what_write_downloads_writes(tiny_build, tmp_path):
    """The downloads prepared from the published package's CSV files (as the process beside the gate prepares
    them), then written, are its published zip and .xlsx byte for byte. On the tiny project (the same code and
    metadata; the illustrative package's .xlsx alone took 16 s to write again)."""
    import json
    import shutil

    from build_data.metadata import load_config
    built_project, first = tiny_build
    assert first.returncode == 0, first.stderr
    config = load_config(built_project)
    folder = shutil.copytree(built_project / "datapackage", tmp_path / "package")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    published = {p.name: p.read_bytes() for p in folder.glob("*.*") if p.suffix in (".zip", ".xlsx")}
    for name in published:
        (folder / name).unlink()
    prepared = prepared_downloads(folder, descriptor, config.site, root=built_project)
    paths = write_downloads(folder, descriptor, config.site, root=built_project, prepared=prepared)
    assert {p.name: p.read_bytes() for p in paths.values()} == published
