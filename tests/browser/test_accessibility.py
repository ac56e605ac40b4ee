"""WCAG 2.2 AA, checked with axe-core in Chromium on every public page, at a
phone and a desktop width."""

import pytest

from tests.public_pages import PUBLIC_PAGES

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page, axe_source):
    # Injected by evaluate, not a <script> tag, so a strict CSP cannot block it.
    page.evaluate(axe_source)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    violations = result["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in violations]


@pytest.mark.parametrize("path", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_page_has_no_axe_violations(page, demo_site, axe_source, path):
    page.goto(demo_site + path)
    assert axe_violations(page, axe_source) == []


@pytest.mark.parametrize("path", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_page_has_one_h1_a_main_landmark_and_no_sideways_scrolling(page, demo_site, path):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(demo_site + path)
    assert page.locator("h1").count() == 1
    assert page.locator("main#main-content").count() == 1
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_page_reflows_at_400_percent_zoom(page, demo_site):
    # 1280 px at 400% zoom is a 320 CSS-pixel viewport (WCAG 1.4.10 Reflow).
    page.set_viewport_size({"width": 320, "height": 256})
    page.goto(demo_site + PUBLIC_PAGES["program-st-charles"])
    assert page.evaluate("document.documentElement.scrollWidth <= 320")
