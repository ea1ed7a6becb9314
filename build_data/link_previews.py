"""A rendered page's Markdown, its key chart and the site address in; the page's link-preview front
matter out (title, description, image, address), which docs/overrides/main.html turns into OpenGraph
and Twitter card tags. A findings or question page shows its key chart (its first chart's desktop light
PNG); every other page the site's default image (DEFAULT_IMAGE, the first key finding's chart)."""
from __future__ import annotations

import html
import json
import re

from .site_address import link_to, page_dir

DEFAULT_IMAGE = "preview.png"
DESCRIPTION_LENGTH = 200
KEY_CHART_PAGES = ("findings/", "questions/")
_MARKUP = re.compile(r"<[^>]+>|\{[^}]*\}|[*_`]")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def plain_text(line: str) -> str:
    """One Markdown line as plain text: links keep their words, tags and attribute lists go."""
    return html.unescape(" ".join(_MARKUP.sub("", _LINK.sub(r"\1", line)).split()))


def first_paragraph(markdown: str) -> str:
    """The first paragraph of prose (not a heading, notice, list, table, figure or marker)."""
    paragraph: list[str] = []
    for line in markdown.split("\n"):
        is_prose = line.strip() and not line.lstrip().startswith(("#", "!!!", "<", "{", "|", "-", "*", ">", "    "))
        if is_prose:
            paragraph.append(line.strip())
        elif paragraph:
            break
    return plain_text(" ".join(paragraph))


def shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    if len(text) <= limit:
        return text
    sentences = text[:limit].rsplit(". ", 1)
    if len(sentences) == 2 and len(sentences[0]) > limit // 2:
        return sentences[0] + "."
    return text[:limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def page_description(markdown: str, fallback: str, is_illustrative: bool) -> str:
    """What a preview says under the title: the page's first paragraph (or the site's description),
    starting "Illustrative data." when the figures are made up, since a preview travels alone."""
    text = first_paragraph(markdown) or " ".join(fallback.split())
    # Material writes the description into an attribute without escaping it: no straight double quotes.
    text = text.replace('"', "”").replace("<", "").replace(">", "")
    return shorten(("Illustrative data. " if is_illustrative else "") + text)


def preview_image(page: str, key_chart: str | None) -> str:
    """The site path of the page's preview image."""
    if key_chart and page.startswith(KEY_CHART_PAGES):
        return f"figures/{key_chart}.png"
    return DEFAULT_IMAGE


def with_preview(markdown: str, page: str, *, title: str, description: str, image: str | None,
                 image_alt: str | None, address: str) -> str:
    """The page with front matter the template reads as page.meta; links absolute when the address is known."""
    meta = {"description": description, "preview_title": title}
    if image:
        meta |= {"preview_image": link_to(address, image, page), "preview_image_alt": image_alt}
    if address:
        meta["preview_url"] = address + page_dir(page)
    front = "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items())
    return f"---\n{front}\n---\n\n{markdown}"
