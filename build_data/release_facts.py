"""datapackage.json in, a findings page's release facts out (GOV.UK statistics pattern): when the figures were
published, when the next release is, their statistics status and the package version, with a link to What changed.

Everything comes from the published package (its created date, version and governance), never from site.yml.
"""
from __future__ import annotations

import datetime
import html

from .errors import PackageOutdated


def long_date(iso: str) -> str:
    """'2026-12-02T00:00:00Z' -> '2 December 2026'."""
    day = datetime.date.fromisoformat(iso[:10])
    return f"{day.day} {day:%B %Y}"


def release_facts(descriptor: dict) -> list[tuple[str, str]]:
    """(term, plain text) pairs, in the order shown."""
    governance = descriptor.get("governance") or {}
    missing = [k for k in ("statistics_status", "next_release") if not governance.get(k)]
    if missing or not descriptor.get("created") or not descriptor.get("version"):
        raise PackageOutdated(f"datapackage.json lacks {', '.join(missing) or 'created or version'} "
                              "(governance), which the release facts of every findings page show.",
                              file="datapackage/datapackage.json", key="governance",
                              fix="Declare it in build_data/metadata/site.yml, then rebuild: python -m build_data build.")
    return [("Published", long_date(descriptor["created"])), ("Next release", governance["next_release"]),
            ("Statistics status", governance["statistics_status"]), ("Version", descriptor["version"])]


def release_facts_html(descriptor: dict, root: str) -> str:
    """A small definition list; root: the relative path from the page to the site root."""
    rows = [f"<dt>{html.escape(term)}</dt><dd>{html.escape(' '.join(str(text).split()))}</dd>"
            for term, text in release_facts(descriptor)]
    rows[-1] = rows[-1].replace("</dd>", f' (<a href="{root}/what-changed/">What changed</a>)</dd>')
    return '<dl class="release-facts">\n' + "\n".join(rows) + "\n</dl>"
