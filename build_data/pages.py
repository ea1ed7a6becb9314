"""Figures and citations in, HTML/Markdown fragments out: figure blocks, the notice, "Cite this" blocks."""
from __future__ import annotations

import html
import posixpath

from .chart_layouts import PHONE_MEDIA
from .citation import bibtex_citation, citation_facts, plain_citation

SHORTHAND = ("Shorthand: [c] suppressed to protect confidentiality (too few people answered); "
             "[x] not available; [u] low reliability (fewer than {base} people answered); "
             "[r] revised since the previous version of the data.")


def root_of(page: str) -> str:
    """Relative path from a page's URL (directory URLs) to the site root."""
    parts = page[:-3].split("/")
    depth = len(parts) - (1 if parts[-1] == "index" else 0)
    return posixpath.join(*([".."] * depth)) if depth else "."


# Long lines (URLs, BibTeX) wrap instead of making a box that scrolls sideways.
WRAP = ' style="white-space: pre-wrap; overflow-wrap: anywhere"'


def human_size(n: int) -> str:
    return f"{n / 1024:.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


NOTICE_TITLE = "Illustrative data — not real survey results"


def notice_admonition(text: str) -> str:
    body = text.strip().removeprefix(NOTICE_TITLE).lstrip(". ")
    return f'!!! warning "{NOTICE_TITLE}"\n    {body}\n'


def with_notice(markdown: str, notice: str | None) -> str:
    if not notice:
        return markdown
    lines = markdown.split("\n")
    at = 1 if lines and lines[0].startswith("# ") else 0
    return "\n".join(lines[:at] + ["", notice_admonition(notice)] + lines[at:])


def figure_table(figure, base: int) -> str:
    head = "<tr><th scope=\"col\">Group or area</th><th scope=\"col\">Result</th><th scope=\"col\">95% confidence interval</th><th scope=\"col\">People</th></tr>"
    if "survey_year" in figure.data and figure.kind == "trend":
        head = head.replace("<th scope=\"col\">Result", "<th scope=\"col\">Year</th><th scope=\"col\">Result")
    body = []
    for _, r in figure.data.iterrows():
        year = f"<td>{r['survey_year']}</td>" if figure.kind == "trend" else ""
        body.append(f"<tr><th scope=\"row\">{html.escape(str(r['label']))}</th>{year}<td>{html.escape(r['value_label'])}</td>"
                    f"<td>{html.escape(r['interval_label'] or '[x]')}</td><td>{html.escape(r['n_label'])}</td></tr>")
    return (f"<table><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"
            f"<p class=\"figure-shorthand\">{SHORTHAND.format(base=base)}</p>")


def cite_details(parts: dict, css_class: str, summary: str) -> str:
    """A closed <details>: the facts a citation needs, then plain text and BibTeX to copy."""
    facts = "".join(f"<li>{html.escape(label)}: {html.escape(value)}</li>" for label, value in citation_facts(parts))
    return (f'<details class="{css_class}"><summary>{summary}</summary>'
            f'<p>{html.escape(plain_citation(parts))}</p><pre><code{WRAP}>{html.escape(bibtex_citation(parts))}</code></pre>'
            f'<ul>{facts}</ul></details>')


def cite_block(parts: dict) -> str:
    return cite_details(parts, "figure-cite", "Cite this chart")


def page_cite_block(parts: dict) -> str:
    """The "Cite this page" block that ends every page, hand-written or generated."""
    return f'<div class="page-cite-block" markdown="0">\n{cite_details(parts, "page-cite", "Cite this page")}\n</div>\n'


def with_page_cite(markdown: str, parts: dict) -> str:
    return markdown.rstrip("\n") + "\n\n" + page_cite_block(parts)


def page_title(markdown: str) -> str | None:
    """The page's level-1 heading, as plain text."""
    for line in markdown.split("\n"):
        if line.startswith("# "):
            return html.unescape(line[2:].split(" {")[0].strip())
    return None


def embed_block(figure, rel: str, snippet: str) -> str:
    return (f'<details class="figure-embed"><summary>Embed this chart</summary>'
            f"<p>Copy this code into your web page. The chart page it shows loads nothing from other sites.</p>"
            f"<pre><code{WRAP}>{html.escape(snippet)}</code></pre>"
            f'<p><a href="{rel}/embed/{figure.slug}.html">Open the chart on its own page</a></p></details>')


DOWNLOADS = ((".csv", "Data", "CSV"), (".png", "Image", "PNG"), ("-dark.png", "Image, dark background", "PNG"),
             (".svg", "Image", "SVG"), (".vl.json", "Chart specification", "Vega-Lite JSON"))


def corrections_html(corrections: list[dict], rel: str, with_link: bool = True) -> str:
    """The corrections.yml entries that touch a figure in, its "Corrected on" notes out. Under a chart
    the link to every correction goes inside "Download, cite or embed" (with_link=False), so a
    corrected chart still has three Tab stops."""
    link = f' <a href="{rel}/what-changed/#corrections">All corrections</a>' if with_link else ""
    return "".join(f'<p class="figure-correction"><strong>Corrected on {html.escape(str(c.get("date", "")))}:</strong> '
                   f'{html.escape(str(c.get("reason", "")))}{link}</p>\n' for c in corrections)


def static_picture(stem: str, scheme_suffix: str, sizes: dict, loading: str) -> str:
    """The chart as a <picture>: the phone layout below PHONE_MEDIA, the desktop one above it.
    The browser picks (no JavaScript); CSS shows the picture that matches the page's palette."""
    width, height = sizes["svg_size"]
    phone_width, phone_height = sizes["phone_svg_size"]
    scheme = "dark" if scheme_suffix else "light"
    return (f'<picture><source media="{PHONE_MEDIA}" srcset="{stem}{scheme_suffix}-phone.svg" '
            f'width="{phone_width}" height="{phone_height}">'
            f'<img class="chart-static chart-static--{scheme}" src="{stem}{scheme_suffix}.svg" alt="" '
            f'width="{width}" height="{height}" {loading}></picture>')


def more_block(links: list[str], corrections: list[dict], rel: str, cite: dict, embed: str, figure) -> str:
    """Downloads, citation and embed code behind one disclosure: one Tab stop, not nine."""
    every = (f'<p><a href="{rel}/what-changed/#corrections">All corrections</a></p>' if corrections else "")
    return (f'<details class="figure-more"><summary>Download, cite or embed this chart</summary>'
            f'<p class="figure-downloads">Download: {" · ".join(links)}</p>{every}'
            f'{cite_block(cite)}{embed_block(figure, rel, embed)}</details>')


def empty_figure_block(figure, base: int) -> str:
    """A figure with nothing to draw: its heading, the one sentence that says why, and its rows."""
    table = (f'<details class="figure-table"><summary>Show the data as a table</summary>\n{figure_table(figure, base)}'
             f'</details>\n') if len(figure.data) else ""
    return f"""### {html.escape(figure.headline)} {{#fig-{figure.id}}}

<div class="figure-block figure-block--empty" markdown="0">
<p class="figure-not-drawn">{html.escape(figure.empty_reason)}</p>
{table}<p class="figure-source">{html.escape(figure.source)}</p>
</div>
"""


def figure_block(figure, page: str, sizes: dict, base: int, cite: dict, embed: str, corrections: list[dict] = (),
                 is_first: bool = False) -> str:
    """sizes: {file suffix: bytes} of the figure's files, svg_size and phone_svg_size (width, height),
    press (bytes) if it has a press kit. At most three Tab stops: Explore (shown by charts.js), the
    data table, and "Download, cite or embed"."""
    if not figure.is_drawn:
        return empty_figure_block(figure, base)
    rel = root_of(page)
    stem = f"{rel}/figures/{figure.slug}"
    links = [f'<a href="{stem}{suffix}" download>{label} ({kind}, {human_size(sizes[suffix])})</a>'
             for suffix, label, kind in DOWNLOADS]
    if sizes.get("press"):
        links.append(f'<a href="{rel}/press/{figure.slug}.zip" download>Press kit (ZIP, {human_size(sizes["press"])})</a>')
    # The page's first chart is fetched at once (it is usually in view); later ones when scrolled near.
    # The dark twin is lazy: hidden (display: none) in the light palette, so it is not fetched there.
    loading = 'loading="eager" fetchpriority="high"' if is_first else 'loading="lazy"'
    return f"""### {html.escape(figure.headline)} {{#fig-{figure.id}}}

<div class="figure-block" markdown="0">
<p class="figure-subtitle">{html.escape(figure.subtitle)}</p>
<figure class="chart" data-spec="{stem}.vl.json" data-spec-dark="{stem}-dark.vl.json" data-spec-phone="{stem}-phone.vl.json" data-spec-phone-dark="{stem}-dark-phone.vl.json" data-phone-media="{PHONE_MEDIA}" data-vega="{rel}/assets/vendor/vega-embed-bundle.js">
{static_picture(stem, "", sizes, loading)}
{static_picture(stem, "-dark", sizes, 'loading="lazy"')}
<div class="chart-interactive" aria-hidden="true"></div>
<button type="button" class="chart-explore" hidden>Explore this chart</button>
</figure>
<p class="figure-description">{html.escape(figure.description)}</p>
<details class="figure-table"><summary>Show the data as a table</summary>
{figure_table(figure, base)}</details>
<p class="figure-source">{html.escape(figure.source)}</p>
{corrections_html(list(corrections), rel, with_link=False)}{more_block(links, list(corrections), rel, cite, embed, figure)}
</div>
"""
