"""Helpers for the pages' browser tests: axe-core accessibility checks and screenshots at the two
widths every page is looked at (1280 px desktop, 390 px phone).

axe-core is vendored under tests/e2e/pages/vendor/axe-core/ (npm package, MPL-2.0) and injected from
the test-page route as a same-origin script, so the pages' CSP (script-src 'self') lets it run.
"""

from __future__ import annotations

AXE_URL = "/__e2e__/vendor/axe-core/axe.min.js"
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}

RUN_AXE = """async () => {
  const result = await window.axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary)}));
}"""


def serious_violations(page) -> list[dict]:
    if not page.evaluate("() => Boolean(window.axe)"):
        page.add_script_tag(url=AXE_URL)
        page.wait_for_function("() => Boolean(window.axe)")
    return page.evaluate(RUN_AXE)


def assert_accessible(page, what: str = "") -> None:
    """No serious or critical axe-core violation on the page as it is now."""
    found = serious_violations(page)
    assert not found, f"axe-core on {what or page.url}:\n" + "\n".join(
        f"- {v['impact']} {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in found)


def both_widths(page, screenshot, name: str, check=None, accessible: bool = True) -> None:
    """Screenshots at 1280 and 390 px (and the axe check at each width); `check(page)` runs after each
    resize, e.g. to wait for a layout."""
    for width, height in WIDTHS.values():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(150)
        if check:
            check(page)
        screenshot(page, f"{name}-{width}")
        if accessible:
            assert_accessible(page, f"{name} at {width} px")
        no_overflow(page, f"{name} at {width} px")


def no_overflow(page, what: str) -> None:
    """Nothing makes the page scroll sideways."""
    width = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert width <= 1, f"{what}: the page is {width} px wider than the window"
