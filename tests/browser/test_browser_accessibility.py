"""axe-core finds no WCAG 2.2 A/AA violation on any page: light and dark palette, wide and narrow,
with every data table opened."""
import pytest
from browser_support import DESKTOP, NARROW, settle

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# name -> (palette, viewport): both palettes on a desktop, and the light one on a 320 px screen
VIEWS = {
    "light": ("light", DESKTOP),
    "dark": ("dark", DESKTOP),
    "light-320px": ("light", NARROW),
}


def run_axe(page, axe_path) -> list[dict]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=axe_path)
    return page.evaluate(
        """async (tags) => {
               const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
               return results.violations.map(v => ({
                 id: v.id, impact: v.impact, help: v.help,
                 nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                           summary: n.failureSummary})),
               }));
           }""",
        AXE_TAGS,
    )


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:8]:
            lines.append(f"    {node['target']}")
            lines.append("      " + (node["summary"] or "").replace("\n", "\n      "))
    return "\n".join(lines)


def open_disclosures(page) -> None:
    """Open every <details> (the data tables under charts) so axe checks what is inside."""
    page.evaluate("() => document.querySelectorAll('article details').forEach(d => d.open = true)")
    settle(page)  # wide tables become focusable scroll regions


@pytest.mark.parametrize("view", list(VIEWS))
def test_page_has_no_axe_violations(visit, page_url, axe_path, view):
    palette, viewport = VIEWS[view]
    visit.set_view(palette, viewport)
    open_disclosures(visit.page)
    violations = run_axe(visit.page, axe_path)
    assert not violations, (
        f"axe-core found {len(violations)} WCAG 2.2 A/AA violation(s) on {page_url} "
        f"({view}):\n{describe(violations)}")


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_search_has_no_axe_violations(open_page, site_url, axe_path, palette):
    visit = open_page(site_url)
    visit.page.wait_for_load_state("networkidle")
    visit.set_view(palette, DESKTOP)
    visit.page.keyboard.press("/")  # Material's shortcut: focus the search box
    visit.page.keyboard.type("nurse")  # Material ignores page.fill()
    visit.page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    visit.page.wait_for_timeout(500)  # the dialog fades in: measure colours once it has
    violations = run_axe(visit.page, axe_path)
    assert not violations, (
        f"axe-core found {len(violations)} WCAG 2.2 A/AA violation(s) in the search dialog "
        f"({palette}):\n{describe(violations)}")
