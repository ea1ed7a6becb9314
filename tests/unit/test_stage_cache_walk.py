"""The stage cache's file walk finds what pathlib's glob finds, in the same order, reading each folder once."""
import hashlib
import os

from build_data import stage_cache


def glob_digest(root, patterns, hexadecimal=False):
    """The digest as the first stage cache computed it (pathlib glob, sorted paths): records stay valid."""
    files = sorted({p for pattern in patterns for p in root.glob(pattern) if p.is_file() and "__pycache__" not in p.parts})
    total = hashlib.sha256()
    for path in files:
        total.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest = hashlib.sha256(path.read_bytes())
        total.update(digest.hexdigest().encode("ascii") if hexadecimal else digest.digest())
    return total.hexdigest()


def test_walk_matches_glob_and_skips_pycache(tmp_path):
    for name in ("a/b.py", "a/b-c.py", "a/b/c.py", "a/.hidden.py", "a/notes.txt", "a/__pycache__/x.py", "top.md",
                 "out/x/y/z.svg", "out/.nojekyll", "out/x-y.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name)
    os.symlink(tmp_path / "a", tmp_path / "out" / "linked")
    for patterns in (["a/**/*.py", "top.md"], ["a/**/*"], ["**/*"], ["out/**/*", "a/*.txt"]):
        found = stage_cache.matching_files(tmp_path, patterns)
        assert "a/__pycache__/x.py" not in found
        assert stage_cache.digest_of(tmp_path, patterns) == glob_digest(tmp_path, patterns), patterns
        digests = stage_cache.FileDigests(tmp_path / "record.json")
        assert stage_cache.digest_of(tmp_path, patterns, digests) == glob_digest(tmp_path, patterns, True), patterns


def test_the_digest_record_is_written_only_when_a_digest_changed(tmp_path):
    (tmp_path / "build_data").mkdir()
    (tmp_path / "build_data" / "x.py").write_text("code\n")
    (tmp_path / "datapackage").mkdir()
    (tmp_path / "datapackage" / "datapackage.json").write_text("{}\n")
    stage_cache.remember(tmp_path, "build")
    record = tmp_path / ".cache" / "stages" / "file-digests.json"
    written = record.stat().st_mtime_ns
    stage_cache._OPEN.clear()   # as a new process would
    assert stage_cache.is_unchanged(tmp_path, "build")
    assert record.stat().st_mtime_ns == written
    (tmp_path / "build_data" / "x.py").write_text("new code\n")
    assert not stage_cache.is_unchanged(tmp_path, "build")
    assert record.stat().st_mtime_ns != written
