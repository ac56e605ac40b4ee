"""A printed program page keeps the contact block and officers, and drops the site chrome."""

import pytest

pytestmark = pytest.mark.browser


def test_printed_program_page_keeps_contact_and_officers(page, demo_site):
    page.goto(demo_site + "/programs/jefferson-county/")
    page.emulate_media(media="print")
    assert page.locator(".contact-block").is_visible()
    assert page.locator(".officer-card").first.is_visible()
    assert not page.locator(".usa-banner").is_visible()
    assert not page.locator("nav[aria-label=Primary]").is_visible()


def test_printed_figures_page_keeps_its_charts_and_tables(page, demo_site):
    page.goto(demo_site + "/programs/st-charles-county/data/")
    page.emulate_media(media="print")
    assert page.locator("figure svg").first.is_visible()
    assert page.locator("table").first.is_visible()
    assert page.get_by_text("Example figures, not real").first.is_visible()
    assert not page.locator("nav[aria-label=Primary]").is_visible()


def test_printed_complaint_page_keeps_both_routes_contacts(page, demo_site):
    page.goto(demo_site + "/programs/st-charles-county/compliment-or-complain/")
    page.emulate_media(media="print")
    assert page.locator(".standards-contact").is_visible()
    assert page.get_by_text("100 Example Street").is_visible()  # the unit's address
    assert page.get_by_text("Office of Student Services (example)").is_visible()  # the district's contact
    assert not page.locator(".usa-banner").is_visible()
