"""WCAG 2.2 AA, checked with axe-core in Chromium on every public page, at a
phone and a desktop width."""

import pytest

from tests.browser.conftest import VIEWPORTS
from tests.browser.phone_header import header_problems
from tests.public_pages import PUBLIC_PAGES, RateLimited, expected_status, thank_you_title

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Page structure the issue asks for (one h1, ordered headings, landmarks, skip
# link): axe files these rules under best practice, so the tags above skip them.
AXE_STRUCTURE_RULES = [
    "page-has-heading-one",
    "heading-order",
    "empty-heading",
    "landmark-one-main",
    "landmark-unique",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "region",
    "skip-link",
]


# One axe run over the rules of the WCAG tags and the structure rules together: each run walks
# the whole page again, so one run instead of two halves the time every page's check takes.
# axe leaves experimental and deprecated rules out of a run by tag: so does this list.
RUN_EVERY_RULE = """([tags, structure]) => {
    const kept = rule => !rule.tags.includes("experimental") && !rule.tags.includes("deprecated");
    const rules = new Set(axe.getRules(tags).filter(kept).map(rule => rule.ruleId).concat(structure));
    // Only the violations come back to Python: the passes of a long page are megabytes to serialise.
    return axe.run(document, {runOnly: {type: "rule", values: [...rules]}, resultTypes: ["violations"]})
        .then(result => result.violations);
}"""


def axe_violations(page, axe_source):
    # Injected by evaluate, not a <script> tag, so a strict CSP cannot block it.
    page.evaluate(axe_source)
    result = page.evaluate(RUN_EVERY_RULE, [AXE_TAGS, AXE_STRUCTURE_RULES])
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in result]


def open_page(page, demo_site, path, post, settings):
    """Go to the page as a person would: by address, or by sending the form there. Returns its status."""
    expected_title = thank_you_title(path) if post else "Error"
    if isinstance(post, RateLimited):
        expected_title = post.title
        settings.FORM_RATE_LIMIT = 0
    response = page.goto(demo_site + path)
    if post is not None:
        for name, value in post.items():
            field = page.locator(f"[name={name}]")
            if field.first.get_attribute("type") == "radio":
                # USWDS hides the input itself and draws the label: click that, as a person does.
                radio = page.locator(f"[name={name}][value={value}]")
                page.locator(f"label[for={radio.get_attribute('id')}]").click()
            else:
                field.fill(value)
        with page.expect_navigation() as navigation:
            page.locator("form.usa-form [type=submit]").click()
        response = navigation.value
        assert page.title().startswith(expected_title), page.title()
    return response.status


PAGES = [(name, path, post) for name, (path, post) in PUBLIC_PAGES.items()]


@pytest.mark.parametrize(("name", "path", "post"), PAGES, ids=PUBLIC_PAGES.keys())
def test_page_passes_axe_at_both_widths_and_keeps_its_structure_at_320px(
    browser, demo_site, axe_source, settings, name, path, post
):
    """One page opened three times in one browser context: axe at a phone and a desktop width
    (at the phone's, its heading on the first screen too), then the structure checks at 320 px.
    One context and one fresh demo per page, not per width: the second and third visits take the
    page's styles and scripts from the context's cache, and the demo is put back once (three tests
    a page spent more on set-up than on the checks)."""
    context = browser.new_context()
    page = context.new_page()
    try:
        for viewport in ("desktop", "phone"):
            page.set_viewport_size(VIEWPORTS[viewport])
            context.clear_cookies()  # as a new visitor: no session or form token from the visit before
            assert open_page(page, demo_site, path, post, settings) == expected_status(name), viewport
            assert axe_violations(page, axe_source) == [], viewport
        assert header_problems(page) == {}

        page.set_viewport_size({"width": 320, "height": 640})
        context.clear_cookies()
        open_page(page, demo_site, path, post, settings)
        assert page.locator("h1").count() == 1
        assert page.locator("main#main-content").count() == 1
        assert page.evaluate("document.documentElement.lang") == ("es" if path.startswith("/es/") else "en")
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    finally:
        context.close()


def test_the_check_reports_what_axe_finds(page, demo_site, axe_source):
    """The helper every page's check relies on: a WCAG failure and a structure rule both come back."""
    page.goto(demo_site + PUBLIC_PAGES["program-st-charles"][0])
    page.evaluate("""() => {
        document.querySelector("main").insertAdjacentHTML("beforeend", '<img src="/static/none.png">');
        document.querySelector("h1").remove();
    }""")
    found = " ".join(axe_violations(page, axe_source))
    assert "image-alt (critical)" in found
    assert "page-has-heading-one" in found


def test_page_reflows_at_400_percent_zoom(page, demo_site):
    # 1280 px at 400% zoom is a 320 CSS-pixel viewport (WCAG 1.4.10 Reflow).
    page.set_viewport_size({"width": 320, "height": 256})
    page.goto(demo_site + PUBLIC_PAGES["program-st-charles"][0])
    assert page.evaluate("document.documentElement.scrollWidth <= 320")


def test_alert_banners_have_no_axe_violations(page, demo_site, axe_source):
    from programs.models import Alert, Program

    program = Program.objects.get(slug="jefferson-county")
    Alert.objects.create(title="Shelter in place", message="Stay inside.", level=Alert.Level.EMERGENCY)
    Alert.objects.create(title="Office closed", message="Back Monday.", level=Alert.Level.WARNING, program=program)
    page.goto(demo_site + program.get_absolute_url())
    assert page.get_by_role("alert").count() == 1
    assert "Office closed" in page.content()
    assert axe_violations(page, axe_source) == []


def test_several_states_and_long_lists_have_no_axe_violations(page, demo_site, axe_source):
    """The state list of the home page and the pagination, which the demo's two counties never show."""
    from tests.sro_site.test_html_valid import long_lists

    for path in long_lists().values():
        page.goto(demo_site + path)
        assert axe_violations(page, axe_source) == [], path
        assert page.locator("h1").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), path


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_pages_of_the_subscription_emails_links_have_no_axe_violations(page, demo_site, axe_source, language):
    """Confirm, change the choice, unsubscribe (updates/): reached by signed links, so not in PUBLIC_PAGES."""
    from django.test import override_settings

    from programs.models import Program
    from tests.factories import SubscriptionFactory
    from updates import links

    subscription = SubscriptionFactory(
        program=Program.objects.get(slug="jefferson-county"), requested_language=language, subscriber__language=language
    )
    with override_settings(SITE_URL=demo_site):
        urls = [
            links.confirm_url(subscription),
            links.manage_url(subscription.subscriber),
            links.unsubscribe_url([subscription.pk], language),
        ]
    for url in urls:
        page.goto(url)
        assert axe_violations(page, axe_source) == [], url
        assert page.locator("h1").count() == 1
    page.locator("main form [type=submit]").click()  # unsubscribe, then the page that says so
    page.wait_for_load_state()
    assert axe_violations(page, axe_source) == []
    assert page.evaluate("document.documentElement.lang") == language
