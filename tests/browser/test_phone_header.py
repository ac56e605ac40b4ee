"""On a phone the page's heading starts on the first screen: the header is the site's name and one
row with "Menu" (a <details> disclosure, no JavaScript needed) and the language link, aligned with
the content. From the desktop width, the links show without "Menu". That the heading starts within
200 px on every public page is checked with the rest of each page's checks (test_accessibility.py),
at phone width, by `phone_header.header_problems`."""

import pytest

from tests.browser.phone_header import MEASURE

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
NAV_LINKS = ["County programs", "Find your school's officer", "Classroom topics"]


def nav_links(page):
    nav = page.get_by_role("navigation", name="Primary")
    return [nav.get_by_role("link", name=name, exact=True) for name in NAV_LINKS]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_menu_shows_the_links_in_one_tap_without_javascript(phone, demo_site):
    phone.goto(demo_site + "/schools/")
    menu = phone.locator(".site-menu summary")
    assert menu.is_visible() and menu.inner_text() == "Menu"
    links = nav_links(phone)
    assert not any(link.is_visible() for link in links)
    menu.click()
    assert all(link.is_visible() for link in links)
    found = phone.evaluate(MEASURE)
    assert {round(link.bounding_box()["x"]) for link in links} == {round(found["contentLeft"])}
    # The language link now follows the links (their order for the Tab key too), aligned with them.
    language = phone.get_by_role("link", name="Español")
    assert language.bounding_box()["y"] > links[-1].bounding_box()["y"]
    assert round(language.bounding_box()["x"]) == round(found["contentLeft"])
    menu.click()
    assert not links[0].is_visible()


def test_menu_opens_from_the_keyboard_with_a_visible_focus(phone, demo_site):
    phone.goto(demo_site + "/es/")
    for _ in range(5):
        phone.keyboard.press("Tab")
        if phone.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    assert phone.evaluate("document.activeElement.textContent.trim()") == "Menú"
    assert phone.evaluate("getComputedStyle(document.activeElement).outlineStyle") not in ("none", "")
    phone.keyboard.press("Enter")
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.textContent.trim()") == "Programas de los condados"


def test_desktop_shows_the_links_and_no_menu(browser, demo_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_site + "/")
    assert not page.locator(".site-menu summary").is_visible()
    links = nav_links(page)
    language = page.get_by_role("link", name="Español")
    assert all(link.is_visible() for link in [*links, language])
    # One row: the links and the language link, the language link last.
    rows = {round(link.bounding_box()["y"]) for link in [*links, language]}
    assert len(rows) == 1
    assert language.bounding_box()["x"] > links[-1].bounding_box()["x"]
    context.close()
