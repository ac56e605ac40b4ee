"""The privacy notice and the accessibility statement: linked from every page and every
public form, saying what the public needs to know; barrier reports reach the program's staff."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from inbox.models import Submission
from programs.models import Program
from programs.site_policies import LISTED_PROGRAMS
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    return ProgramFactory(slug="st-charles-county", contact_email="sro@example.org")


def barrier_url(program):
    return reverse("programs:report_barrier", args=[program.slug])


def form_urls(program):
    return {
        "presentation": reverse("programs:request_presentation", args=[program.slug]),
        "question": reverse("programs:ask_question", args=[program.slug]),
        "barrier": barrier_url(program),
        "complaint": reverse("officer_feedback:compliment_or_complain", args=[program.slug]),
    }


def test_privacy_notice_says_what_why_who_how_long_and_how_to_remove(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):  # the site's alerts
        html = client.get("/privacy/").content.decode()
    for heading in (
        "What the forms collect, and why",
        "Who sees it",
        "How long it is kept",
        "Having it removed sooner",
    ):
        assert heading in html
    assert "the staff of the county program you wrote to" in html
    assert "professional-standards (internal affairs) unit" in html
    assert "1,095 days (about 3 years)" in html


def test_privacy_notice_gives_the_retention_setting(client, settings):
    settings.SUBMISSION_RETENTION_DAYS = 400
    assert "400 days (about 1.1 years)" in client.get("/privacy/").content.decode()


def test_accessibility_statement_names_the_standard_the_tests_and_the_known_gaps(
    client, program, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):  # the site's alerts, the programs
        html = client.get("/accessibility/").content.decode()
    assert "WCAG" in html and "2.2 at level AA" in html
    assert "axe-core" in html and "Nu HTML Checker" in html and "keyboard alone" in html
    assert "What is known not to meet the standard" in html
    assert "Signed agreements (PDF files)" in html
    assert "This statement was last reviewed on November 30, 2026." in html
    # A small site lists each program's barrier form on the statement itself.
    assert f'href="{barrier_url(program)}"' in html


def test_accessibility_statement_leaves_the_list_out_on_a_large_site(client, program):
    ProgramFactory.create_batch(LISTED_PROGRAMS)
    draft = ProgramFactory(status=Program.Status.DRAFT)
    html = client.get("/accessibility/").content.decode()
    assert "/report-an-accessibility-barrier/" not in html.split("<footer")[0]
    assert "County programs</a>" in html
    assert barrier_url(draft) not in html


def test_accessibility_statement_lists_a_new_program_at_once(client, program, django_capture_on_commit_callbacks):
    client.get("/accessibility/")  # cached
    with django_capture_on_commit_callbacks(execute=True):
        other = ProgramFactory(slug="jefferson-county")
    assert barrier_url(other) in client.get("/accessibility/").content.decode()


@pytest.mark.parametrize("path", ["/", "/privacy/", "/accessibility/", "/no-such-page/"])
def test_every_page_footer_links_both_pages(client, path):
    footer = client.get(path).content.decode().split("<footer")[1]
    assert 'href="/privacy/"' in footer
    assert 'href="/accessibility/"' in footer


def test_a_program_page_footer_links_its_barrier_form(client, program):
    footer = client.get(program.get_absolute_url()).content.decode().split("<footer")[1]
    assert f'href="{barrier_url(program)}"' in footer


@pytest.mark.parametrize("form", ["presentation", "question", "barrier", "complaint"])
def test_every_public_form_links_the_privacy_notice_just_above_its_submit_button(client, program, form):
    html = client.get(form_urls(program)[form]).content.decode()
    form_html = re.search(r'<form [^>]*class="usa-form.*?</form>', html, re.S).group(0)
    before_submit = form_html.split('type="submit"')[0]
    privacy_link = before_submit.rfind('href="/privacy/"')
    assert privacy_link != -1
    # Nothing a person fills in sits between the sentence and the button (the hidden honeypot is for bots).
    assert re.findall(r'name="([^"]+)"', before_submit[privacy_link:]) == ["website"]


def test_a_barrier_report_reaches_the_programs_staff_as_its_own_kind(client, program):
    response = client.post(
        barrier_url(program),
        {"name": "Pat Reader", "email": "pat@example.org", "message": "The agreement PDF does not read aloud."},
    )
    assert response.status_code == 302
    report = Submission.objects.get()
    assert (report.kind, report.program, report.wants_reply) == (Submission.Kind.ACCESSIBILITY, program, True)
    staff, confirmation = mail.outbox
    assert staff.to == ["sro@example.org"]
    assert "Accessibility barrier from Pat Reader" in staff.subject
    assert "does not read aloud" in staff.body
    assert confirmation.to == ["pat@example.org"]
    assert report.reference in client.get(response["Location"]).content.decode()


def test_a_barrier_report_needs_a_message_and_a_way_to_answer(client, program):
    html = client.post(barrier_url(program), {"name": "Pat"}).content.decode()
    assert "Tell us what you could not use." in html
    assert "Enter your email address." in html
    assert not Submission.objects.exists()


def test_barrier_reports_are_rate_limited_like_the_other_forms(client, program, settings):
    settings.FORM_RATE_LIMIT = 0
    response = client.post(barrier_url(program), {"name": "Pat", "email": "p@example.org", "message": "x"})
    assert response.status_code == 429
    assert not Submission.objects.exists()


def test_a_draft_programs_barrier_form_is_not_public(client):
    draft = ProgramFactory(status=Program.Status.DRAFT)
    assert client.get(barrier_url(draft)).status_code == 404
