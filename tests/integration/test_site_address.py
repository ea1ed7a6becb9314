"""A site address that is not an address stops the render with SiteAddressInvalid: exit 2, the fix,
no traceback, and the last good render left as it was."""
from build_data.cli import main


def test_render_refuses_a_site_address_that_is_not_an_address(project_copy, monkeypatch, capsys):
    last_good = project_copy / "docs" / "_build" / "index.md"
    last_good.parent.mkdir(parents=True)
    last_good.write_text("# last good render\n", encoding="utf-8")
    monkeypatch.setenv("SITE_URL", "owner.github.io/repository")
    assert main(["--root", str(project_copy), "render"]) == 2
    err = capsys.readouterr().err
    assert "SiteAddressInvalid" in err and "SITE_URL" in err and "Fix:" in err and "Traceback" not in err
    assert last_good.read_text(encoding="utf-8") == "# last good render\n"
