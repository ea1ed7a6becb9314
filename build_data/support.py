"""build_data/metadata/support.csv in, the support text pages show out: the getting-support list
(NHS routes, then national charities, each with its phone number and website) and the one line
every findings page carries. Contact details live only in that file."""
from __future__ import annotations

import csv
from pathlib import Path
from urllib.parse import urlparse

from .errors import MetadataInvalid

COLUMNS = ("group", "name", "what_for", "phone", "website", "note")
GROUPS = {"nhs": "NHS help", "charity": "National charities"}
FILE = "support.csv"
DEFAULT_DIR = Path(__file__).parent / "metadata"


def read_support(metadata_dir: Path | None = None) -> list[dict]:
    path = Path(metadata_dir or DEFAULT_DIR) / FILE
    fix = f"Edit build_data/metadata/{FILE}: columns {', '.join(COLUMNS)}; group is one of {', '.join(GROUPS)}."
    try:
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except FileNotFoundError:
        raise MetadataInvalid("The support contacts file does not exist.", file=path, fix=fix) from None
    if not rows or any(c not in rows[0] for c in COLUMNS):
        raise MetadataInvalid("The support contacts file lacks a column.", file=path, fix=fix)
    for i, row in enumerate(rows, start=2):
        row = {k: (v or "").strip() for k, v in row.items()}
        if row["group"] not in GROUPS:
            raise MetadataInvalid(f"group {row['group']!r} is not one of {', '.join(GROUPS)}.", file=path, row=i,
                                  column="group", fix=fix)
        if not row["name"] or not row["what_for"]:
            raise MetadataInvalid("Every contact needs a name and what it is for.", file=path, row=i,
                                  column="name" if not row["name"] else "what_for", fix=fix)
        if row["website"] and urlparse(row["website"]).scheme != "https":
            raise MetadataInvalid(f"website {row['website']!r} is not an https address.", file=path, row=i,
                                  column="website", fix=fix)
        if row["phone"] and not row["phone"].replace(" ", "").isdigit():
            raise MetadataInvalid(f"phone {row['phone']!r} is not a phone number.", file=path, row=i,
                                  column="phone", fix=fix)
        rows[i - 2] = row
    return rows


def phone_link(phone: str) -> str:
    return f"[{phone}](tel:{phone.replace(' ', '')})"


def site_name(url: str) -> str:
    host = urlparse(url).netloc.removeprefix("www.")
    path = urlparse(url).path.strip("/")
    return f"{host}/{path}" if path else host


def contact_words(row: dict) -> str:
    ways = []
    if row["phone"]:
        ways.append(f"Phone {phone_link(row['phone'])}.")
    if row["website"]:
        ways.append(f"Website: [{site_name(row['website'])}]({row['website']}).")
    return " ".join(ways)


def routes_markdown(rows: list[dict]) -> str:
    """The getting-support list: NHS routes, then charities; each with what it is for and how to reach it."""
    lines = []
    for group, heading in GROUPS.items():
        lines += [f"### {heading}", ""]
        for row in (r for r in rows if r["group"] == group):
            text = f"- **{row['name']}:** {row['what_for']}."
            if contact_words(row):
                text += f" {contact_words(row)}"
            if row["note"]:
                text += f" {row['note'].rstrip('.')}."
            lines.append(text)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def support_link(page: str) -> str:
    return "../" * page.count("/") + "getting-support.md"


def support_line(rows: list[dict], page: str) -> str:
    """One line for a findings page: the NHS routes with their numbers and the charity helplines."""
    nhs = [r for r in rows if r["group"] == "nhs"]
    first = nhs[0]["name"]
    phones = [f"{r['name']} on {phone_link(r['phone'])} for {r['what_for']}" for r in nhs if r["phone"]]
    helplines = [f"{r['name']} ({phone_link(r['phone'])})" for r in rows if r["group"] == "charity" and r["phone"]]
    text = (f"!!! tip \"If these results worry you\"\n\n    Talk to {first[0].lower() + first[1:]}. "
            f"Call {', or '.join(phones)}.")
    if helplines:
        text += f" Free helplines: {' and '.join(helplines)}."
    return text + f" [Getting support]({support_link(page)}) lists more help.\n"
