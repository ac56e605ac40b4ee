"""The figures' charts read without the stylesheet: the bars, their labels and figures are SVG
attributes and text, not CSS (issue 13)."""

import pytest

pytestmark = pytest.mark.browser


def test_charts_are_readable_with_styles_off(page, demo_site):
    page.goto(demo_site + "/programs/jefferson-county/data/")
    page.evaluate("document.querySelectorAll('link[rel=stylesheet]').forEach(link => link.remove())")
    chart = page.locator("#chart-referrals-title").locator("xpath=..").locator("svg")
    box = chart.bounding_box()
    assert 300 <= box["width"] <= 420 and box["height"] > 80  # its own size, not squashed or blown up
    bar = chart.locator("rect").first
    assert bar.get_attribute("fill") == "#005ea2"
    assert bar.bounding_box()["width"] > 100
    texts = chart.locator("text").all_text_contents()
    assert texts[:2] and "31" in texts  # labels and figures are text a reader can select and read
    assert page.locator("#chart-referrals-summary").is_visible()
