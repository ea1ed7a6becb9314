"""`all` skips a stage only when everything it reads, and what it wrote, are as its last run left them."""
from build_data import stage_cache


def make_root(tmp_path):
    (tmp_path / "build_data/metadata").mkdir(parents=True)
    (tmp_path / "build_data/sources/r").mkdir(parents=True)
    (tmp_path / "build_data/pipeline.py").write_text("code\n")
    (tmp_path / "build_data/metadata/site.yml").write_text("version: 1\n")
    (tmp_path / "build_data/sources/r/raw.csv").write_text("a,b\n1,2\n")
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n")
    (tmp_path / "datapackage").mkdir()
    (tmp_path / "datapackage/datapackage.json").write_text("{}\n")
    return tmp_path


def test_unchanged_after_remember_and_changed_by_any_input_or_output(tmp_path):
    root = make_root(tmp_path)
    assert not stage_cache.is_unchanged(root, "build"), "never run: must run"
    stage_cache.remember(root, "build")
    assert stage_cache.is_unchanged(root, "build")
    for path, text in (("build_data/sources/r/raw.csv", "a,b\n1,3\n"), ("build_data/metadata/site.yml", "version: 2\n"),
                       ("build_data/pipeline.py", "new code\n"), ("datapackage/datapackage.json", "{ }\n")):
        before = (root / path).read_text()
        (root / path).write_text(text)
        assert not stage_cache.is_unchanged(root, "build"), f"a change to {path} went unnoticed"
        (root / path).write_text(before)
        assert stage_cache.is_unchanged(root, "build")


def test_missing_output_or_new_file_means_run(tmp_path):
    root = make_root(tmp_path)
    stage_cache.remember(root, "build")
    (root / "build_data/sources/r/more.csv").write_text("x\n")
    assert not stage_cache.is_unchanged(root, "build")
    (root / "build_data/sources/r/more.csv").unlink()
    (root / "datapackage/datapackage.json").unlink()
    (root / "datapackage").rmdir()
    assert not stage_cache.is_unchanged(root, "build")


def test_all_with_nothing_changed_does_not_load_the_metadata(tmp_path, monkeypatch, caplog):
    import logging

    from build_data import cli, metadata
    root = make_root(tmp_path)
    for stage, folder in (("render", "docs/_build"), ("site", "site")):
        (root / folder).mkdir(parents=True)
        (root / folder / "index.html").write_text(stage)
    for stage in ("build", "render", "site"):
        stage_cache.remember(root, stage)

    def refuse(*args, **kwargs):
        raise AssertionError("metadata loaded although nothing changed")
    monkeypatch.setattr(metadata, "load_config", refuse)
    with caplog.at_level(logging.INFO, logger="build_data"):
        assert cli.main(["--root", str(root), "all"]) == 0
    assert caplog.text.count("skipped: nothing it reads has changed") == 3
    (root / "site" / "index.html").write_text("changed")
    assert cli.main(["--root", str(root), "all"]) == 1     # now it must load the (refused) metadata
