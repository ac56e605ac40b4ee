"""The editor's home in a real browser: an editor signs in with both steps, sees
"Review due" on their program, confirms it with "Reviewed today", and the public
page (served from the page cache) shows today's date on the next request; axe-core
finds nothing on the home at a phone and a desktop width."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import dateformat, timezone

from programs.models import Program
from tests.signin import authenticator_for

from .conftest import EDITOR_PASSWORD, sign_in
from .test_accessibility import axe_violations

pytestmark = pytest.mark.browser
PROGRAM = "/programs/jefferson-county/"


@pytest.fixture
def editor_site(jefferson_editor, settings):
    Program.objects.filter(slug="jefferson-county").update(
        last_reviewed=timezone.localdate() - timedelta(days=settings.REVIEW_INTERVAL_DAYS + 30)
    )
    return jefferson_editor


def last_reviewed_on_public_page(browser, url):
    """As a resident sees it: a fresh browser with no session, so the page may come from the cache."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url)
        return page.locator("time").filter(has_text=re.compile(r"\d{4}")).last.get_attribute("datetime")
    finally:
        context.close()


def test_an_editor_confirms_the_review_and_the_public_page_shows_it(page, browser, editor_site):
    site, device = editor_site
    old = last_reviewed_on_public_page(browser, site + PROGRAM)
    assert old != timezone.localdate().isoformat()
    assert last_reviewed_on_public_page(browser, site + PROGRAM) == old  # now served from the page cache

    sign_in(page, site, device)
    assert page.title().startswith("Program content")
    programs = page.locator("#my-programs")
    assert programs.get_by_role("heading", name="Jefferson County School Resource Officer Program").count() == 1
    assert programs.locator(".review-due").inner_text() == "Review due"
    with page.expect_navigation():
        programs.get_by_role("button", name=re.compile("Reviewed today")).click()
    assert "marked as reviewed today" in page.locator(".messagelist").inner_text()
    assert page.locator("#my-programs .review-due").count() == 0

    assert last_reviewed_on_public_page(browser, site + PROGRAM) == timezone.localdate().isoformat()
    public = browser.new_context().new_page()
    public.goto(site + PROGRAM)
    today = dateformat.format(timezone.localdate(), "F j, Y")
    assert public.get_by_text("Page last reviewed").inner_text() == f"Page last reviewed: {today}"
    public.context.close()


@pytest.mark.parametrize("superuser", [False, True], ids=["editor", "superuser"])
def test_the_editors_home_passes_axe(page, editor_site, axe_source, superuser):
    site, device = editor_site
    if superuser:
        user = get_user_model().objects.create_superuser("chief", "chief@example.org", EDITOR_PASSWORD)
        device = authenticator_for(user)
    sign_in(page, site, device, username="chief" if superuser else "jeditor")
    assert page.locator("#my-programs h3").count() >= 1
    assert page.locator("#needs-attention li").count() >= 1  # the demo has items to show
    assert axe_violations(page, axe_source) == []
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
