"""Headers and cells in, an HTML table that stays readable on a phone out: a caption names it, and
under 600 px each row stacks into label: value pairs (site.css .stack-table, data-label on each
cell), so nothing needs sideways scrolling and no script is needed."""
from __future__ import annotations

import html
import re

LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def inline_html(text: str) -> str:
    """Plain text with Markdown links in, escaped HTML with <a> links out (tables in HTML blocks
    are not read as Markdown)."""
    out, last = [], 0
    for m in LINK.finditer(text):
        out.append(html.escape(text[last:m.start()]))
        out.append(f'<a href="{html.escape(m.group(2))}">{html.escape(m.group(1))}</a>')
        last = m.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def stacked_table(caption: str, headers: list[str], rows: list[list[str]], row_ids: list[str] | None = None) -> str:
    """The first cell of each row is its header (th scope=row); cells may hold Markdown links."""
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in headers)
    body = []
    for i, cells in enumerate(rows):
        row_id = f' id="{html.escape(row_ids[i])}"' if row_ids else ""
        first = f'<th scope="row"{row_id}>{inline_html(cells[0])}</th>'
        rest = "".join(f'<td data-label="{html.escape(h)}">{inline_html(c)}</td>'
                       for h, c in zip(headers[1:], cells[1:]))
        body.append(f"<tr>{first}{rest}</tr>")
    return (f'<table class="stack-table">\n<caption>{html.escape(caption)}</caption>\n'
            f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>")
