"""The GitHub workflows cannot run here: parse them and check the jobs and steps they must have."""
from __future__ import annotations

from pathlib import Path

import yaml

WORKFLOWS = Path(__file__).resolve().parents[2] / ".github" / "workflows"


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def runs(job: dict) -> list[str]:
    return [step.get("run", "") for step in job["steps"]]


def uses(job: dict) -> list[str]:
    return [step.get("uses", "").split("@")[0] for step in job["steps"]]


def test_workflows_pull_requests_run_make_test():
    flow = load("test.yml")
    triggers = flow[True] if True in flow else flow["on"]   # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers
    job = flow["jobs"]["test"]
    assert any(r.strip().startswith("make test") for r in runs(job))
    assert "actions/checkout" in uses(job) and "actions/setup-python" in uses(job)


def test_workflows_release_tag_builds_make_site_and_deploys_pages():
    flow = load("deploy.yml")
    triggers = flow[True] if True in flow else flow["on"]
    assert triggers["push"]["tags"]
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    assert any(r.strip().startswith("make site") for r in runs(build)), "deploy must build exactly what make site builds"
    artifact = [s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact")]
    assert artifact and artifact[0]["with"]["path"] == "site"
    assert any("gh release upload" in r and "datapackage/" in r for r in runs(build))
    assert deploy["needs"] == "build" and "actions/deploy-pages" in uses(deploy)
    assert flow["permissions"]["pages"] == "write" and flow["permissions"]["id-token"] == "write"


def test_workflows_deploy_gives_make_site_the_pages_address():
    """The site's public address comes from the deployment: configure-pages' base_url as SITE_URL."""
    build = load("deploy.yml")["jobs"]["build"]
    pages = [s for s in build["steps"] if s.get("uses", "").startswith("actions/configure-pages")]
    assert pages and pages[0].get("id"), "configure-pages needs an id so its base_url can be read"
    make = [s for s in build["steps"] if s.get("run", "").strip().startswith("make site")][0]
    assert make["env"]["SITE_URL"] == "${{ steps.%s.outputs.base_url }}" % pages[0]["id"]
    assert build["steps"].index(pages[0]) < build["steps"].index(make)


def test_workflows_pull_requests_test_oldest_and_newest_python():
    job = load("test.yml")["jobs"]["test"]
    assert set(job["strategy"]["matrix"]["python"]) >= {"3.11", "3.13"}
    setup = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["python-version"] == "${{ matrix.python }}"
