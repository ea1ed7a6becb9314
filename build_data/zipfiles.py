"""Files in, a zip archive out whose bytes depend only on the files' names and contents."""
from __future__ import annotations

import io
import zipfile

FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def deterministic_zip(members: dict[str, bytes]) -> bytes:
    """Fixed timestamps, permissions, order and compression: the same members give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in members:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, members[name], compresslevel=9)
    return buffer.getvalue()


def normalise_zip(data: bytes) -> bytes:
    """Re-pack an archive written by another library (e.g. openpyxl) with fixed metadata."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    return deterministic_zip(members)
