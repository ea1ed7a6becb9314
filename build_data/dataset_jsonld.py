"""datapackage.json (and its releases table's years) in; the data page's schema.org Dataset (JSON-LD) out,
so dataset search engines can find the package, its licence and every file."""
from __future__ import annotations

import json

from .site_address import link_to

DATA_PAGE = "data/index.md"
MEDIA_TYPES = {"zip": "application/zip", "csv": "text/csv",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _download(name: str, path: str, fmt: str, address: str, size: int | None = None) -> dict:
    entry = {"@type": "DataDownload", "name": name, "encodingFormat": MEDIA_TYPES[fmt],
             "contentUrl": link_to(address, "data/" + path, DATA_PAGE)}
    return entry | ({"contentSize": f"{size} B"} if size else {})


def distributions(descriptor: dict, sizes: dict[str, int], address: str) -> list[dict]:
    """The zip and xlsx (when built) and every CSV, each where the data page links it."""
    name = descriptor["name"]
    out = [_download(f"{descriptor['title']} ({fmt.upper()})", f"{name}.{fmt}", fmt, address, sizes.get(f"{name}.{fmt}"))
           for fmt in ("zip", "xlsx") if sizes.get(f"{name}.{fmt}")]
    out += [_download(f"{r['title']} ({r['name']}.csv)", r["path"], "csv", address, r.get("bytes"))
            for r in descriptor["resources"]]
    return out


def dataset_jsonld(descriptor: dict, sizes: dict[str, int], years: tuple[int, int], place: str, address: str) -> dict:
    """years: the first and last survey year the package covers; place: the country it covers."""
    licence = descriptor["licenses"][0]
    first, last = years
    dataset = {
        "@context": "https://schema.org", "@type": "Dataset",
        "name": descriptor["title"], "description": descriptor["description"],
        "version": descriptor["version"], "dateModified": descriptor["created"][:10],
        "license": licence.get("path") or licence["name"], "isAccessibleForFree": True,
        "keywords": descriptor.get("keywords", []),
        "creator": [{"@type": "Organization", "name": c["title"]} for c in descriptor.get("contributors", [])],
        "temporalCoverage": f"{first}/{last}" if first != last else str(first),
        "distribution": distributions(descriptor, sizes, address),
    }
    if place:
        dataset["spatialCoverage"] = {"@type": "Place", "name": place}
    if address:
        dataset["url"] = address + "data/"
    if descriptor.get("attribution"):
        dataset["creditText"] = descriptor["attribution"]
    return dataset


def dataset_json(descriptor: dict, sizes: dict[str, int], tables: dict, address: str) -> str:
    """The Dataset as JSON text, its years from the releases table and its place the package's country."""
    years = tables["releases"]["survey_year"].astype(int)
    geographies = tables["geographies"]
    countries = geographies.loc[geographies["geography_type"] == "country", "geography_name"]
    place = ", ".join(sorted(countries))
    return json.dumps(dataset_jsonld(descriptor, sizes, (int(years.min()), int(years.max())), place, address),
                      indent=2, ensure_ascii=False)
