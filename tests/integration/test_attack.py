"""An outsider attacks everything the built site serves (tests/disclosure_attack.py, independent of the
protection code): the current package and every archived version that is still served. No protected count
may be worked out or narrowed to between 1 and the threshold less one, and no withheld score worked out.

To keep the time down, each test attacks one survey year (each release's equations are independent of the
others'): the latest here, the first where the withdrawn 0.1.0 is added. The full attack over every year
is reported in the closing note of issue 13.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from disclosure_attack import attack_site  # noqa: E402

LATEST = {"cpes-2024"}


def archive_zips(package: Path) -> dict[str, Path]:
    return {p.parent.name: p for p in sorted(package.glob("archive/*/*.zip"))}


def test_nothing_served_gives_away_a_protected_count(built_project):
    package = built_project / "datapackage"
    withdrawn = {w["version"] for w in json.loads((package / "datapackage.json").read_text())["withdrawals"]}
    served = [z for v, z in archive_zips(package).items() if v not in withdrawn]
    result = attack_site(package, served, built_project / "build_data/metadata/cohorts.yml", LATEST)
    assert result.protected > 1000, "the attack found too little to attack: is the package empty?"
    assert result.leaks == [], f"{len(result.leaks)} protected counts given away, e.g. {result.leaks[:3]}"
    assert result.withheld_found == [], f"withheld scores worked out: {result.withheld_found[:3]}"


def test_the_withdrawn_versions_would_have_given_counts_away(built_project):
    """The withdrawal was needed: with the withdrawn 0.1.0 beside the new version, counts are recovered."""
    package = built_project / "datapackage"
    descriptor = json.loads((package / "datapackage.json").read_text())
    assert {w["version"] for w in descriptor["withdrawals"]} >= {"0.1.0"}
    result = attack_site(package, [archive_zips(package)["0.1.0"]], built_project / "build_data/metadata/cohorts.yml",
                         {"cpes-2021"})
    assert result.leaks, "0.1.0 was withdrawn, yet together with the new version it gives nothing away"
