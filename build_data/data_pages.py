"""The package descriptor and its CSV text in, the site's data pages out: data/index.md (downloads and
stable links) and one data dictionary page per resource (data/<resource>.md)."""
from __future__ import annotations

import html

import pandas as pd

from .pages import human_size
from .site_address import LOCAL_NOTE
from .stable_links import LATEST

MISSING = ("", "[c]", "[x]", "[z]")
TYPE_WORDS = {"string": "text", "integer": "whole number", "number": "number", "boolean": "true or false",
              "date": "date, YYYY-MM-DD", "year": "year"}
SHORTHAND = ("Shorthand in number columns: `[c]` suppressed to protect confidentiality, `[x]` not available, "
             "`[z]` not applicable.")


MARKDOWN_SPECIALS = {c: f"&#{ord(c)};" for c in "\\`*_[]|<>"}


def md_text(text) -> str:
    """Text shown as itself in Markdown: HTML escaped, and no character Markdown would act on."""
    return "".join(MARKDOWN_SPECIALS.get(c, c) for c in html.escape(str(text), quote=True))


def whole_package_lines(descriptor: dict, links, sizes: dict[str, int]) -> list[str]:
    name = links.name
    lines = ["## Download everything", ""]
    if sizes.get(f"{name}.zip"):
        lines.append(f"- [Whole package (ZIP, {human_size(sizes[name + '.zip'])})]({name}.zip){{download}}: "
                     "every table as CSV, the package description, the spreadsheet, README.txt and CHANGELOG.md.")
    if sizes.get(f"{name}.xlsx"):
        lines.append(f"- [Spreadsheet (XLSX, {human_size(sizes[name + '.xlsx'])})]({name}.xlsx){{download}}: "
                     "each table on its own sheet, with cover, contents and notes sheets (a table too long "
                     "for a sheet, such as the response frequencies, is in its CSV only).")
    lines.append(f"- [Package description (datapackage.json, JSON, {human_size(sizes['datapackage.json'])})]"
                 "(datapackage.json){download}: every table and column, in the Frictionless Data Package format.")
    return lines + [""]


def permanent_address(address: str, version: str) -> str:
    """The sentence giving this version's permanent address; without a site address, says links are relative."""
    if address:
        return f"its permanent address is {address}data/{version}/."
    return f"its permanent address is the folder `data/{version}/` of the site. {LOCAL_NOTE}"


def stable_link_lines(links, address: str) -> list[str]:
    name, version = links.name, links.version
    lines = ["## Stable links", "",
             f"Links with a version number never change: cite those. Links under `{LATEST}/` always give "
             f"the newest version. This is version {version}; {permanent_address(address, version)}", "",
             "| Version | Package description | Whole package | Spreadsheet |", "|---|---|---|---|"]
    for label, folder in ((f"{version} (this version)", version), (f"{LATEST} (now {version})", LATEST)):
        lines.append(f"| {label} | [datapackage.json]({folder}/datapackage.json) | [ZIP]({folder}/{name}.zip) "
                     f"| [XLSX]({folder}/{name}.xlsx) |")
    lines += [f"| {old} (earlier version) | in the ZIP | [ZIP]({old}/{name}.zip) | in the ZIP |" for old in links.archived]
    return lines + [""]


def without_notice(description: str, notice: str | None) -> str:
    """The package description without the illustrative notice it starts with: the page shows the
    notice once, at the top."""
    if notice and description.startswith(notice.strip()):
        return description[len(notice.strip()):].strip()
    return description


def data_page(descriptor: dict, links, sizes: dict[str, int], rows: dict[str, int], address: str,
              notice: str | None = None, dataset_json: str = "") -> str:
    """data/index.md. sizes: {path relative to the package folder: bytes}; rows: {resource: row count};
    address: the site's public address or ''; notice: the illustrative notice the page already carries
    at its top; dataset_json: the schema.org Dataset as JSON text, written into the page as JSON-LD."""
    licence = descriptor["licenses"][0]
    lines = ["# Data and downloads", "",
             f"Version {descriptor['version']} of the data package: {html.escape(descriptor['title'])}.", "",
             html.escape(without_notice(descriptor["description"], notice)), "",
             f"Licence: [{licence['title']}]({licence['path']}). {html.escape(descriptor.get('attribution', ''))} "
             "Every chart on this site also has its own data, images and citation below it.", ""]
    lines += whole_package_lines(descriptor, links, sizes)
    lines += stable_link_lines(links, address)
    lines += ["## Tables", "", "Every table is a CSV file (UTF-8, comma-separated). " + SHORTHAND + " Text that a "
              "spreadsheet could run as a formula (starting with =, +, - or @) starts with an apostrophe.", ""]
    for res in descriptor["resources"]:
        lines += [f"### {html.escape(res['title'])}", "", html.escape(res["description"]), "",
                  f"[Download {res['name']}.csv (CSV, {human_size(res['bytes'])})]({res['path']}){{download}}"
                  f" · {rows.get(res['name'], 0):,} rows · [What each column means]({res['name']}.md)", ""]
    if dataset_json:
        # "</" cannot end the script early: JSON allows "<\/" for "</".
        lines += ['<script type="application/ld+json">', dataset_json.replace("</", "<\\/"), "</script>", ""]
    return "\n".join(lines)


def example_value(column: pd.Series) -> str | None:
    """The first value that is not blank or shorthand, as written in the CSV."""
    present = column[~column.isin(MISSING)]
    if present.empty:
        return None
    text = str(present.iloc[0])
    return text if len(text) <= 120 else text[:117] + "…"


def constraint_words(field: dict) -> str:
    c = field.get("constraints", {})
    words = []
    if c.get("required"):
        words.append("always filled in")
    if c.get("unique"):
        words.append("unique")
    if "enum" in c:
        words.append("one of " + ", ".join(f"<code>{md_text(v)}</code>" for v in c["enum"]))
    if "minimum" in c:
        words.append(f"at least {c['minimum']}")
    if "maximum" in c:
        words.append(f"at most {c['maximum']}")
    if "pattern" in c:
        words.append(f"matches <code>{md_text(c['pattern'])}</code>")
    return "; ".join(words).capitalize() if words else "None"


def key_lines(schema: dict) -> list[str]:
    lines = ["Each row is identified by " + ", ".join(f"`{k}`" for k in schema.get("primaryKey", [])) + "."]
    for fk in schema.get("foreignKeys", []):
        target = fk["reference"].get("resource", "")
        where = f"[{target}]({target}.md)" if target else "this table"
        lines.append(", ".join(f"`{f}`" for f in fk["fields"]) + f" refers to {where} ("
                     + ", ".join(f"`{f}`" for f in fk["reference"]["fields"]) + ").")
    return lines


def dictionary_page(resource: dict, text: pd.DataFrame, units: dict[str, str]) -> str:
    """data/<resource>.md: every column's title, type, unit, description, constraints and an example value."""
    name = resource["name"]
    lines = [f"# {html.escape(resource['title'])}: what each column means", "",
             html.escape(resource["description"]), "",
             f"[Download {name}.csv (CSV, {human_size(resource['bytes'])})](data/{name}.csv){{download}} · "
             f"{len(text):,} rows · [All tables and downloads](index.md)", "",
             " ".join(key_lines(resource["schema"])), "", SHORTHAND, ""]
    for field in resource["schema"]["fields"]:
        kind = field["type"]
        example = example_value(text[field["name"]]) if field["name"] in text else None
        unit = field.get("unit") or units.get(field["name"])
        lines += [f"## `{field['name']}`: {html.escape(field['title'])}", "",
                  md_text(field.get("description", "")), "",
                  f"- Type: {kind} ({TYPE_WORDS.get(kind, kind)})",
                  f"- Unit: {md_text(unit) if unit else 'none'}",
                  f"- Constraints: {constraint_words(field)}",
                  f"- Example: <code>{md_text(example)}</code>" if example is not None
                  else "- Example: no value in this version", ""]
    return "\n".join(lines)
