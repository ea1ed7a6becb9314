"""Files in, a zip archive out whose bytes depend only on the files' names and contents."""
from __future__ import annotations

import dataclasses
import io
import zipfile
import zlib

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
LEVEL = 9


@dataclasses.dataclass(frozen=True)
class Deflated:
    """A member's bytes already compressed as deterministic_zip compresses them (deflate()), so the zip can be
    put together later, elsewhere, without compressing them again (downloads_ahead.py)."""
    data: bytes      # the raw deflate stream
    crc: int
    size: int        # bytes before compression


def deflate(data: bytes) -> Deflated:
    """The member's bytes compressed exactly as zipfile compresses them at LEVEL (one compress() call, then a
    flush, with the same compressor settings): the zip's bytes are the same either way."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return Deflated(compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data))


def member_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def deterministic_zip(members: dict[str, bytes | Deflated]) -> bytes:
    """Fixed timestamps, permissions, order and compression: the same members give the same bytes, whether a
    member is given as its bytes or already deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, member in members.items():
            if isinstance(member, Deflated):
                write_deflated(archive, member_info(name), member)
            else:
                archive.writestr(member_info(name), member, compresslevel=LEVEL)
    return buffer.getvalue()


def write_deflated(archive: zipfile.ZipFile, info: zipfile.ZipInfo, member: Deflated) -> None:
    """Add an already deflated member as ZipFile.writestr would have written it into a seekable archive: its
    local header (with the final CRC and sizes: writestr writes a placeholder of the same length, then
    rewrites it), the compressed bytes, and its entry for the central directory written on close.
    tests/integration/test_cold_overlap_zip.py holds the bytes equal to writestr's."""
    info.flag_bits, info.CRC, info.file_size, info.compress_size = 0, member.crc, member.size, len(member.data)
    zip64 = info.file_size * 1.05 > zipfile.ZIP64_LIMIT     # as ZipFile._open_to_write decides it
    archive.fp.seek(archive.start_dir)
    info.header_offset = archive.fp.tell()
    archive._writecheck(info)
    archive._didModify = True
    archive.fp.write(info.FileHeader(zip64))
    archive.fp.write(member.data)
    archive.start_dir = archive.fp.tell()
    archive.filelist.append(info)
    archive.NameToInfo[info.filename] = info


def normalise_zip(data: bytes) -> bytes:
    """Re-pack an archive written by another library (e.g. openpyxl) with fixed metadata."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    return deterministic_zip(members)
