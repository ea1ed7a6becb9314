"""Figures and the package descriptor in, HTML/Markdown fragments out: figure blocks, data page, notice."""
from __future__ import annotations

import html
import posixpath

from . import describe

SHORTHAND = ("Shorthand: [c] suppressed to protect confidentiality (too few people answered); "
             "[x] not available; [u] low reliability (fewer than {base} people answered).")


def root_of(page: str) -> str:
    """Relative path from a page's URL (directory URLs) to the site root."""
    parts = page[:-3].split("/")
    depth = len(parts) - (1 if parts[-1] == "index" else 0)
    return posixpath.join(*([".."] * depth)) if depth else "."


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


def cite_block(parts: dict) -> str:
    from .citation import bibtex_citation, plain_citation
    return (f'<details class="figure-cite"><summary>Cite this chart</summary>'
            f'<p>{html.escape(plain_citation(parts))}</p><pre><code>{html.escape(bibtex_citation(parts))}</code></pre>'
            f'<p>{html.escape(parts["attribution"])}</p></details>')


def figure_block(figure, page: str, sizes: dict, base: int, cite: dict) -> str:
    rel = root_of(page)
    stem = f"{rel}/figures/{figure.slug}"
    downloads = (("csv", "csv", "Data", "CSV"), ("png", "png", "Image", "PNG"),
                 ("png-dark", "png", "Image, dark background", "PNG"),
                 ("svg", "svg", "Image", "SVG"), ("vl.json", "vl.json", "Chart specification", "Vega-Lite JSON"))
    links = " · ".join(
        f'<a href="{stem}{"-dark" if key.endswith("-dark") else ""}.{ext}" download>{label} ({kind}, {human_size(sizes[key])})</a>'
        for key, ext, label, kind in downloads)
    width, height = sizes["svg_size"]
    return f"""### {html.escape(figure.headline)} {{#fig-{figure.id}}}

<div class="figure-block" markdown="0">
<p class="figure-subtitle">{html.escape(figure.subtitle)}</p>
<figure class="chart" data-spec="{stem}.vl.json" data-spec-dark="{stem}-dark.vl.json" data-vega="{rel}/assets/vendor/vega-embed-bundle.js">
<img class="chart-static chart-static--light" src="{stem}.svg" alt="" width="{width}" height="{height}" loading="lazy">
<img class="chart-static chart-static--dark" src="{stem}-dark.svg" alt="" width="{width}" height="{height}" loading="lazy">
<div class="chart-interactive" aria-hidden="true"></div>
</figure>
<p class="figure-description">{html.escape(figure.description)}</p>
<details class="figure-table"><summary>Show the data as a table</summary>
{figure_table(figure, base)}</details>
<p class="figure-downloads">Download: {links}</p>
<p class="figure-source">{html.escape(figure.source)}</p>
{cite_block(cite)}
</div>
"""


def data_page(descriptor: dict, notice: str | None) -> str:
    lines = ["# Data and downloads", "",
             f"Version {descriptor['version']} of the data package: {descriptor['title']}.", "",
             html.escape(descriptor["description"]), "",
             f"[Download the package description (datapackage.json)](datapackage.json). "
             f"Licence: [{descriptor['licenses'][0]['title']}]({descriptor['licenses'][0]['path']}). "
             f"{descriptor.get('attribution', '')}", "",
             "Every file below is a CSV (UTF-8, comma-separated). Shorthand in number columns: "
             "`[c]` suppressed to protect confidentiality, `[x]` not available, `[z]` not applicable.", ""]
    for res in descriptor["resources"]:
        lines += [f"## {res['title']}", "", html.escape(res["description"]), "",
                  f"[Download {res['name']}.csv (CSV, {human_size(res['bytes'])})]({res['path']})"
                  f" · {res.get('rows', '?')} rows", "",
                  "| Column | Title | Type | Description |", "|---|---|---|---|"]
        lines += [f"| `{f['name']}` | {f['title']} | {f['type']} | {html.escape(f['description']).replace('|', '&#124;')} |"
                  for f in res["schema"]["fields"]]
        lines.append("")
    return with_notice("\n".join(lines), notice)
