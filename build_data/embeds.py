"""A built Figure in, a chart-only page for other sites to embed out (embed/<slug>.html), with the
<iframe> snippet that shows it. The page is plain HTML: no script, nothing loaded from elsewhere,
light or dark from the reader's setting, and readable without the image."""
from __future__ import annotations

import html

from .pages import figure_table

STYLE = """
:root { color-scheme: light dark; --ink: #1b1b1b; --bg: #ffffff; --muted: #4a4a4a; --line: #d0d0d0; --link: #1a4fa0; }
@media (prefers-color-scheme: dark) { :root { --ink: #e8e8e8; --bg: #1e2129; --muted: #c4c4c4; --line: #3a3f4b; --link: #9cc4ff; } }
body { margin: 0; padding: 12px; font: 16px/1.45 "Liberation Sans", Arial, sans-serif; color: var(--ink); background: var(--bg); }
h1 { font-size: 1.15rem; margin: 0 0 4px; }
p { margin: 6px 0; }
.subtitle, .source { color: var(--muted); font-size: 0.875rem; }
.notice { border-left: 4px solid #b35c00; padding: 4px 8px; font-size: 0.875rem; }
img { max-width: 100%; height: auto; }
a { color: var(--link); }
table { border-collapse: collapse; font-size: 0.875rem; }
th, td { border-bottom: 1px solid var(--line); padding: 2px 8px; text-align: left; }
summary { cursor: pointer; }
""".strip()

FAVICON = "assets/images/favicon.png"   # Material's default theme.favicon, copied into site/
PICTURE_HEIGHT_EXTRA = 340   # headline, subtitle, description and source around the image
NOTICE_HEIGHT = 90


def embed_url(homepage: str, slug: str) -> str:
    return f"{homepage}embed/{slug}.html"


def embed_snippet(figure, homepage: str, svg_size: tuple[int, int], has_notice: bool) -> str:
    """What a journalist pastes into their page."""
    height = svg_size[1] + PICTURE_HEIGHT_EXTRA + (NOTICE_HEIGHT if has_notice else 0)
    return (f'<iframe title="{html.escape(figure.headline)}" src="{embed_url(homepage, figure.slug)}" '
            f'width="100%" height="{height}" style="border: 0; max-width: {svg_size[0] + 40}px" '
            f'loading="lazy"></iframe>')


def embed_page(figure, svg_size: tuple[int, int], base: int, notice: str | None, attribution: str,
               page_url: str | None) -> str:
    """embed/<slug>.html: title, subtitle, notice, the static chart (light or dark), description, source."""
    width, height = svg_size
    esc = html.escape
    notice_html = f'<p class="notice">{esc(notice.strip())}</p>\n' if notice else ""
    more = (f'<p><a href="{esc(page_url)}" target="_blank" rel="noopener">Data, downloads and how to cite '
            f"this chart</a> (opens in a new tab)</p>\n" if page_url else "")
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(figure.headline)}</title>
<link rel="icon" href="../{FAVICON}">
<style>
{STYLE}
</style>
</head>
<body>
<main>
<h1>{esc(figure.headline)}</h1>
<p class="subtitle">{esc(figure.subtitle)}</p>
{notice_html}<picture>
<source srcset="../figures/{figure.slug}-dark.svg" media="(prefers-color-scheme: dark)">
<img src="../figures/{figure.slug}.svg" alt="" width="{width}" height="{height}">
</picture>
<p class="description">{esc(figure.description)}</p>
<details><summary>Show the data as a table</summary>
{figure_table(figure, base)}
</details>
<p class="source">{esc(figure.source)} {esc(attribution)}</p>
{more}</main>
</body>
</html>
"""
