"""A resident using only the keyboard can skip to the content and use the search form."""

import re

import pytest

pytestmark = pytest.mark.browser


def test_skip_link_is_first_and_visible_when_focused(page, demo_site):
    page.goto(demo_site + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    # USWDS slides the link in from above the viewport; it must end up on screen.
    # (Polled from Python: wait_for_function would need 'unsafe-eval', which our CSP refuses.)
    for _ in range(40):
        if page.evaluate("document.activeElement.getBoundingClientRect().top") >= 0:
            break
        page.wait_for_timeout(50)
    assert page.evaluate("document.activeElement.getBoundingClientRect().top") >= 0
    assert page.evaluate("document.activeElement.getBoundingClientRect().height") > 0
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main-content"


def test_focus_is_visible_on_links(page, demo_site):
    page.goto(demo_site + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")


def test_school_search_with_keyboard_only(page, demo_site):
    page.goto(demo_site + "/schools/")
    field = page.locator("#id_q")
    for _ in range(30):  # Tab until the search field has focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_q":
            break
    assert field.evaluate("el => el === document.activeElement")
    page.keyboard.type("Example Middle")
    # The state and county filters come next, each reachable, then the button.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "SELECT"
    tab_to(page, "button[type=submit]")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Search schools"
    page.keyboard.press("Space")
    page.wait_for_url("**/schools/?q=Example+Middle*")
    assert "Jordan Example" in page.content()


def tab_to(page, selector, limit=60):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_ask_a_question_with_keyboard_only(page, demo_site):
    page.goto(demo_site + "/programs/jefferson-county/ask-a-question/")
    tab_to(page, "#id_name")
    page.keyboard.type("Pat Parent")
    page.keyboard.press("Tab")
    page.keyboard.type("pat@example.org")
    page.keyboard.press("Tab")  # phone is optional: leave it
    page.keyboard.press("Tab")
    page.keyboard.type("Which officer serves the high school?")
    tab_to(page, "[name=wants_reply]")  # Tab lands on the group's checked radio, "Yes"
    page.keyboard.press("Space")
    assert page.evaluate("document.querySelector('#id_wants_reply_0').checked")
    tab_to(page, "[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith("Thank you")
    assert page.locator("strong").filter(has_text=re.compile(r"^[2-9A-Z]{8}$")).count() == 1


def test_form_errors_take_focus_and_link_to_the_field(page, demo_site):
    page.goto(demo_site + "/programs/jefferson-county/ask-a-question/")
    tab_to(page, "[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.closest('.error-summary') !== null")
    tab_to(page, ".error-summary a")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_name"


def test_compliment_an_officer_with_keyboard_only(page, demo_site):
    page.goto(demo_site + "/programs/jefferson-county/")
    tab_to(page, "a[href$='/compliment-or-complain/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "[name=kind]")  # Tab lands on the group's first choice, "A complaint"
    page.keyboard.press("ArrowDown")  # arrows move within a radio group, and choose
    assert page.evaluate("document.querySelector('#id_kind_1').checked")  # "A compliment"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_what_happened"
    page.keyboard.type("The deputy helped my son find his lost bus pass.")
    tab_to(page, "#id_officer_choice")
    page.keyboard.press("ArrowDown")  # the first officer listed
    assert page.evaluate("document.activeElement.value") != ""
    tab_to(page, "[type=submit]")  # contact details left empty: anonymous
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith("Thank you")
    assert page.locator("strong").filter(has_text=re.compile(r"^[2-9A-Z]{8}$")).count() == 1


def test_complaint_form_errors_take_focus_and_link_to_the_field(page, demo_site):
    page.goto(demo_site + "/programs/st-charles-county/compliment-or-complain/")
    tab_to(page, "[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith("Error")
    assert page.evaluate("document.activeElement.closest('.error-summary') !== null")
    tab_to(page, ".error-summary a")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.name") == "kind"
