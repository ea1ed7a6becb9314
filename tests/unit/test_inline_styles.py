"""build_data/inline_styles.py: a built page carries its own local stylesheets."""
from __future__ import annotations

from pathlib import Path

from build_data.inline_styles import inline_stylesheets

PAGE = """<!doctype html>
<html><head>
<link rel="stylesheet" href="../assets/main.css">
<link rel="stylesheet" href="../assets/pictures.css">
<link rel="stylesheet" href="https://example.org/remote.css">
<link rel="stylesheet" href="../assets/missing.css">
</head><body><p>Text</p><link rel="stylesheet" href="../assets/main.css"></body></html>
"""


def make_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "page").mkdir()
    (site / "assets" / "main.css").write_text(
        "body{color:#123}.icon{background:url(\"data:image/svg+xml;charset=utf-8,<svg/>\")}\n"
        "/*# sourceMappingURL=main.css.map*/", encoding="utf-8")
    (site / "assets" / "pictures.css").write_text(".logo{background:url(logo.png)}", encoding="utf-8")
    (site / "page" / "index.html").write_text(PAGE, encoding="utf-8")
    (site / "plain.html").write_text("<p>no head</p>", encoding="utf-8")
    return site


def test_local_stylesheets_in_the_head_are_inlined_and_the_rest_kept(tmp_path):
    site = make_site(tmp_path)
    assert inline_stylesheets(site) == 1
    html = (site / "page" / "index.html").read_text(encoding="utf-8")
    head, body = html.split("</head>")
    assert '<style>body{color:#123}.icon{background:url("data:image/svg+xml;charset=utf-8,<svg/>")}</style>' in head
    assert "sourceMappingURL" not in html
    assert 'href="../assets/main.css"' not in head
    # A sheet naming another file would resolve it against the page: it keeps its link.
    assert '<link rel="stylesheet" href="../assets/pictures.css">' in head
    assert '<link rel="stylesheet" href="https://example.org/remote.css">' in head
    assert '<link rel="stylesheet" href="../assets/missing.css">' in head
    # Only the head is touched, and the stylesheet files stay in the site.
    assert '<link rel="stylesheet" href="../assets/main.css">' in body
    assert (site / "assets" / "main.css").is_file()
    assert (site / "plain.html").read_text(encoding="utf-8") == "<p>no head</p>"


def test_inlining_twice_changes_nothing_more(tmp_path):
    site = make_site(tmp_path)
    inline_stylesheets(site)
    first = (site / "page" / "index.html").read_text(encoding="utf-8")
    assert inline_stylesheets(site) == 0
    assert (site / "page" / "index.html").read_text(encoding="utf-8") == first


def test_a_stylesheet_outside_the_site_is_never_read(tmp_path):
    site = make_site(tmp_path)
    (tmp_path / "secret.css").write_text("body{color:red}", encoding="utf-8")
    (site / "outside.html").write_text(
        '<html><head><link rel="stylesheet" href="../secret.css"></head><body></body></html>', encoding="utf-8")
    inline_stylesheets(site)
    assert "color:red" not in (site / "outside.html").read_text(encoding="utf-8")
