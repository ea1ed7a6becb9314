"""build_data/metadata/support.csv in, the support text pages show out: the getting-support list
(NHS routes, then national charities, each with its phone number and website) and the one line
every findings page carries. Contact details live only in that file."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse


GROUPS = {"nhs": "NHS help", "charity": "National charities"}


def read_support(metadata_dir: Path | None = None) -> list[dict]:
    """support.csv (checked through the registry's SupportContact schema) in, one dict per contact out."""
    from .registry import rows
    from .registry.loading import load_csv
    from .registry.places import SupportContact
    path = Path(metadata_dir or Path(__file__).parent / "metadata") / "support.csv"
    return [c.model_dump() for c in rows(load_csv(path), SupportContact, "The support contact")]


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
