"""A built HTML page in, its main text (with the link each piece sits in) and a reading-ease score out.

The main text is what a reader reads in the page's <article>: prose, lists, headings and notes.
Tables, figure blocks (chart, description, data table, downloads), code, forms and the "link to
this section" anchors are left out: they are data or machinery, not sentences.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

SKIPPED_TAGS = {"table", "pre", "code", "kbd", "script", "style", "svg", "nav", "form", "button",
                "select", "textarea", "template"}
# Citations ("Cite this page/chart") and embed code are reference text to copy, not prose.
SKIPPED_CLASSES = {"figure-block", "headerlink", "page-cite-block", "page-cite", "figure-cite",
                   "figure-embed"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
             "track", "wbr"}
BLOCK_TAGS = {"p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "summary",
              "figcaption", "div", "ul", "ol", "dl", "details", "section", "td", "th"}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
TITLE_CLASSES = {"admonition-title"}


@dataclass(frozen=True)
class Run:
    """A piece of main text: the link it sits in (href or None), whether it is a heading or a
    note's title, and the number of the block (paragraph, list item, heading) it belongs to."""
    text: str
    href: str | None
    is_title: bool
    block: int


class _MainText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool, str | None]] = []  # tag, skipped, title, href
        self.in_article = 0
        self.block = 0
        self.runs: list[Run] = []

    def _state(self):
        skipped = any(s for _, s, _, _ in self.stack)
        title = any(t for _, _, t, _ in self.stack)
        href = next((h for _, _, _, h in reversed(self.stack) if h is not None), None)
        return skipped, title, href

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self.in_article += 1
        if tag in VOID_TAGS:
            return
        classes = set((attrs.get("class") or "").split())
        skipped = tag in SKIPPED_TAGS or bool(classes & SKIPPED_CLASSES) or attrs.get("hidden") is not None
        title = tag in HEADING_TAGS or bool(classes & TITLE_CLASSES)
        href = attrs.get("href") if tag == "a" else None
        if tag in BLOCK_TAGS:
            self.block += 1
        self.stack.append((tag, skipped, title, href))

    def handle_endtag(self, tag):
        if tag == "article":
            self.in_article -= 1
        if tag in VOID_TAGS:
            return
        for i in range(len(self.stack) - 1, -1, -1):  # tolerate unclosed inner tags
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
        if tag in BLOCK_TAGS:
            self.block += 1

    def handle_data(self, data):
        if not self.in_article:
            return
        skipped, title, href = self._state()
        if not skipped:
            self.runs.append(Run(data, href, title, self.block))


def main_runs(html: str) -> list[Run]:
    """The page's main text as runs, whitespace collapsed, in reading order."""
    parser = _MainText()
    parser.feed(html)
    parser.close()
    runs = []
    for run in parser.runs:
        text = re.sub(r"\s+", " ", run.text)
        if text:
            runs.append(Run(text, run.href, run.is_title, run.block))
    return runs


def main_text(html: str) -> str:
    """The main text with one block per line; a block without end punctuation gets a full stop,
    so headings and list items count as the short sentences they are."""
    blocks: dict[int, list[str]] = {}
    for run in main_runs(html):
        blocks.setdefault(run.block, []).append(run.text)
    lines = []
    for parts in blocks.values():
        line = re.sub(r"\s+", " ", "".join(parts)).strip()
        if line:
            lines.append(line if line[-1] in ".!?:;" else line + ".")
    return "\n".join(lines)


def reading_ease(text: str) -> float:
    """Flesch reading ease (higher is easier; 60 to 70 is plain English).

    Decimal points would be read as full stops ('8.7 out of 10' as two sentences), flattering
    the score, so numbers are joined up first.
    """
    import textstat  # a test-time need: imported here so the pipeline does not depend on it

    text = re.sub(r"(\d)[.,](\d)", r"\1\2", text)
    return float(textstat.flesch_reading_ease(text))
