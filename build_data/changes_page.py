"""The package diff, corrections.yml and CHANGELOG.md in; the public "What changed" page out."""
from __future__ import annotations

import html
from pathlib import Path


def corrections_section(corrections) -> list[str]:
    lines = ["## Corrections", ""]
    if not corrections:
        return lines + ["We have not had to correct any published number.", ""]
    lines += ["| Date | Release | What was corrected | Why | Status |", "|---|---|---|---|---|"]
    for c in corrections:
        what = f"{c.get('file', '')} row {c.get('row', '')}, {c.get('column', '')}: {c.get('was', '')} → {c.get('value', '')}"
        lines.append("| " + " | ".join(html.escape(str(v)).replace("|", "&#124;") for v in (
            c.get("date", ""), c.get("release_id", ""), what, c.get("reason", ""), c.get("status", ""))) + " |")
    return lines + [""]


def diff_section(diff: dict | None) -> list[str]:
    if diff is None:
        return ["## Compared with the last version", "", "This is the first version of the data.", ""]
    lines = [f"## Compared with version {diff['old_version']}", "", "What is new or different in each table:", ""]
    for name in diff["resources_added"]:
        lines.append(f"- New table: `{name}`.")
    for name in diff["resources_removed"]:
        lines.append(f"- Table removed: `{name}`.")
    for c in diff["changes"]:
        parts = [f"{n} {label}" for n, label in ((c.added, "rows added"), (c.revised, "rows changed (a new value, or now hidden)"),
                                                  (c.removed, "rows taken out")) if n]
        parts += [f"new columns: {', '.join(c.columns_added)}"] if c.columns_added else []
        parts += [f"columns taken out: {', '.join(c.columns_removed)}"] if c.columns_removed else []
        if parts:
            lines.append(f"- `{c.name}`: " + "; ".join(parts) + ".")
    if len(lines) == 4:
        lines.append("Nothing in the data has changed.")
    return lines + [""]


def wording_section(tables) -> list[str]:
    cw = tables["crosswalk"].merge(tables["releases"][["release_id", "survey_year"]])
    latest = cw[cw["survey_year"] == cw["survey_year"].max()]
    changed = latest[latest["comparability"] != "same"]
    lines = ["## Questions that changed in the latest survey year", ""]
    if changed.empty:
        return lines + ["Each question was asked in the same way as the year before.", ""]
    for _, r in changed.iterrows():
        lines.append(f"- [{html.escape(r['question_id'])}](questions/{r['question_id']}.md) "
                     f"({html.escape(r['publisher_code'])}): {r['comparability'].replace('_', ' ')}.")
    return lines + [""]


def previous_diff(root: Path, name: str) -> dict | None:
    """Diff the published package against the newest archived version, if there is one."""
    from .package_diff import diff_packages
    archive = root / "datapackage" / "archive"
    versions = sorted((p.name for p in archive.iterdir() if (p / f"{name}.zip").exists()),
                      key=lambda v: tuple(int(x) for x in v.split(".")[:3])) if archive.exists() else []
    if not versions:
        return None
    return diff_packages(str(archive / versions[-1] / f"{name}.zip"), str(root / "datapackage"), root)


def governance_section(governance: dict) -> list[str]:
    """datapackage.json's governance in, "Releases and revisions" out."""
    lines = ["## Releases and changes", ""]
    for key, label in (("statistics_status", "Status"), ("next_release", "Next release"), ("contact", "Contact")):
        if governance.get(key):
            lines.append(f"- **{label}:** {html.escape(str(governance[key]))}")
    if governance.get("revisions_policy"):
        lines += ["", html.escape(" ".join(str(governance["revisions_policy"]).split()))]
    calendar = governance.get("release_calendar") or []
    if calendar:
        lines += ["", "| Date | Version | What was released |", "|---|---|---|"]
        lines += [f"| {html.escape(e.get('date', ''))} | {html.escape(e.get('version', ''))} | "
                  f"{html.escape(e.get('what', '')).replace('|', '&#124;')} |" for e in calendar]
    return lines + [""]


def rows_changed(diff: dict | None) -> int:
    """How many rows the comparison with the last version counts as changed (a new value, or now hidden)."""
    return sum(c.revised for c in diff["changes"]) if diff else 0


def revised_section(tables, diff: dict | None = None) -> list[str]:
    """The values this version corrected ([r]), counted per table. It agrees with the comparison above:
    rows changed there without an [r] here are new publisher data or newly hidden numbers, not corrections."""
    lines = ["## Corrected numbers [r]", ""]
    counts = {name: int(t["is_revised"].sum()) for name, t in tables.items() if "is_revised" in t.columns}
    if not any(counts.values()):
        changed = rows_changed(diff)
        if changed:
            return lines + [f"No number was corrected in this version ([r] marks a correction). The {changed:,} "
                            f"{'row' if changed == 1 else 'rows'} changed since version {diff['old_version']} "
                            "(listed above) are not corrections: they hold new or updated values, or numbers now hidden "
                            "to protect confidentiality.", ""]
        return lines + ["No number from the last version has changed.", ""]
    lines += [f"- `{name}`: {n:,} {'number' if n == 1 else 'numbers'} changed. They are marked [r] in tables, "
              "and in the `is_revised` column."
              for name, n in counts.items() if n]
    return lines + [""]


def withdrawals_section(descriptor: dict) -> list[str]:
    """The earlier versions withdrawn because they would undo today's protection of small counts."""
    records = descriptor.get("withdrawals") or []
    if not records:
        return []
    lines = ["## Withdrawn versions", "", "These earlier versions are no longer served: checked against today's "
             "disclosure rules, they could give away how many people gave an answer.", "",
             "| Version | Withdrawn on | Why | Use instead |", "|---|---|---|---|"]
    lines += [f"| {html.escape(w['version'])} | {html.escape(w['withdrawn'])} | "
              f"{html.escape(w['reason']).replace('|', '&#124;')} | {html.escape(w['replaced_by'])} |" for w in records]
    return lines + [""]


def what_changed_page(descriptor: dict, diff: dict | None, corrections, tables, changelog_link: tuple | None) -> str:
    """changelog_link: (path, human-readable size) of the change log as a text download, or None."""
    lines = ["# What changed in this release", "",
             f"This is version {descriptor['version']} of the data. This page shows what is new since the last "
             "version, and every correction we have made. Old versions are still on the "
             "[data and downloads page](data/index.md).", ""]
    lines += ["Subscribe to new releases, corrections and withdrawals with the [Atom feed](feed.xml).", ""]
    lines += withdrawals_section(descriptor) + diff_section(diff) + revised_section(tables, diff) + wording_section(tables) + corrections_section(corrections)
    lines += governance_section(descriptor.get("governance", {}))
    if changelog_link:
        path, size = changelog_link
        lines += ["## Change log", "", f"Each version and what it changed: [change log (TXT, {size})]({path}){{download}}.", ""]
    return "\n".join(lines) + "\n"
