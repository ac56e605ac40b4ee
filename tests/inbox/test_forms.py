"""The public forms: a teacher requests a presentation, a resident asks a question; nothing is ever lost."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import dateformat, timezone

from inbox.models import Submission
from programs.models import Program
from tests.factories import EducationTopicFactory, ProgramFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

CLOSED_SMTP = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": 1,
}


@pytest.fixture
def program():
    program = ProgramFactory(slug="st-charles-county", contact_email="sro@example.org", contact_phone="+16369493006")
    program.topics.add(EducationTopicFactory(name="Driver safety", slug="driver-safety"))
    SchoolFactory(agency=program.agency, name="Example Middle School")
    return program


def presentation_url(program):
    return reverse("programs:request_presentation", args=[program.slug])


def question_url(program):
    return reverse("programs:ask_question", args=[program.slug])


def valid_request(program, **overrides):
    tomorrow = timezone.localdate() + timedelta(days=7)
    data = {
        "name": "Pat Teacher",
        "email": "pat@school.example.org",
        "phone": "636-555-0100",
        "school_choice": str(program.agency.schools.get().pk),
        "topic": str(program.topics.get().pk),
        "preferred_date_1": tomorrow.isoformat(),
        "grade_level": "8th grade",
        "audience_size": "60",
        "message": "Two classes together, in the gym.",
    }
    data.update(overrides)
    return data


def valid_question(**overrides):
    return {
        "name": "Sam Parent",
        "email": "sam@example.org",
        "message": "Who is the officer?",
        "wants_reply": "yes",
    } | overrides


def test_request_form_offers_the_programs_topics_and_schools(client, program):
    EducationTopicFactory(name="Not taught here")
    html = client.get(presentation_url(program)).content.decode()
    assert "Driver safety" in html
    assert "Not taught here" not in html
    assert "Example Middle School" in html
    assert "Another school" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'type="date"' in html


def test_a_teacher_requests_a_presentation_and_it_is_saved_and_emailed(client, program):
    response = client.post(presentation_url(program), valid_request(program))
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.kind == Submission.Kind.PRESENTATION
    assert submission.topic.name == "Driver safety"
    assert submission.school.name == "Example Middle School"
    assert submission.status == Submission.Status.NEW
    assert not submission.notification_pending
    staff, confirmation = mail.outbox
    assert staff.to == ["sro@example.org"]
    assert submission.reference in staff.subject
    assert "Driver safety" in staff.body
    # One click from the email to the request in the admin, and when it came in, with the time zone.
    assert settings.SITE_URL + reverse("admin:inbox_submission_change", args=[submission.pk]) in staff.body
    received = timezone.localtime(submission.created_at)
    assert f"Received: {dateformat.format(received, 'l, F j, Y, g:i a')} {received.strftime('%Z')}\n" in staff.body
    assert confirmation.to == ["pat@school.example.org"]
    assert submission.reference in confirmation.body
    thanks = client.get(response["Location"]).content.decode()
    assert submission.reference in thanks
    assert 'href="tel:+16369493006"' in thanks
    assert "What happens next" in thanks


def test_a_resident_asks_a_question(client, program):
    response = client.post(question_url(program), valid_question(wants_reply="no"))
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert (submission.kind, submission.wants_reply) == (Submission.Kind.QUESTION, False)


def test_invalid_request_shows_errors_keeps_values_and_saves_nothing(client, program):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(presentation_url(program), valid_request(program, preferred_date_1=yesterday, topic=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Choose a date after today." in html
    assert "Choose a topic." in html
    assert 'value="Pat Teacher"' in html
    assert "<title>Error:" in html
    assert not Submission.objects.exists()


def test_another_school_needs_its_name(client, program):
    response = client.post(presentation_url(program), valid_request(program, school_choice="other", other_school=""))
    assert "Type the name of the school." in response.content.decode()
    response = client.post(
        presentation_url(program), valid_request(program, school_choice="other", other_school="St. X")
    )
    assert response.status_code == 302
    assert Submission.objects.get().school_name == "St. X"


def test_a_topic_or_school_of_another_program_is_refused(client, program):
    other = ProgramFactory()
    other_topic = EducationTopicFactory()
    other.topics.add(other_topic)
    other_school = SchoolFactory(agency=other.agency)
    for override in ({"topic": str(other_topic.pk)}, {"school_choice": str(other_school.pk)}):
        response = client.post(presentation_url(program), valid_request(program, **override))
        assert response.status_code == 200
    assert not Submission.objects.exists()


def test_a_failing_mail_server_never_loses_a_request(client, program, settings):
    for key, value in CLOSED_SMTP.items():
        setattr(settings, key, value)
    settings.EMAIL_TIMEOUT = 2
    response = client.post(presentation_url(program), valid_request(program))
    assert response.status_code == 302  # the requester sees success
    submission = Submission.objects.get()
    assert submission.notification_pending
    assert submission.notification_attempts == 1
    assert submission.last_notification_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_pending_notifications", stdout=StringIO(), stderr=StringIO())
    assert len(mail.outbox) == 0  # the retry is not due yet
    Submission.objects.update(next_notification_at=timezone.now())  # a minute later
    report = StringIO()
    call_command("send_pending_notifications", stdout=report, stderr=StringIO())
    # Said by kind of record, so that an operator reading cron's mail knows what went out.
    assert report.getvalue().splitlines() == [
        "submissions: 1 sent, 0 still pending.",
        "1 sent in all, 0 still pending.",
    ]
    submission.refresh_from_db()
    assert not submission.notification_pending
    assert submission.next_notification_at is None
    assert len(mail.outbox) == 2
    call_command("send_pending_notifications", stdout=StringIO(), stderr=StringIO())
    assert len(mail.outbox) == 2  # nothing is sent twice


def test_a_long_mail_outage_keeps_retrying_less_often(client, program, settings):
    for key, value in CLOSED_SMTP.items():
        setattr(settings, key, value)
    settings.EMAIL_TIMEOUT = 2
    client.post(presentation_url(program), valid_request(program))
    waits = []
    for _ in range(12):  # a day of failures
        Submission.objects.update(next_notification_at=timezone.now())
        call_command("send_pending_notifications", stdout=StringIO(), stderr=StringIO())
        submission = Submission.objects.get()
        waits.append(submission.next_notification_at - timezone.now())
    assert submission.notification_attempts == 13 and submission.notification_pending
    minutes = [round(wait.total_seconds() / 60) for wait in waits]
    assert minutes == sorted(minutes) and minutes[0] <= 2 and minutes[-1] == 360
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Submission.objects.update(next_notification_at=timezone.now())
    call_command("send_pending_notifications", stdout=StringIO(), stderr=StringIO())
    assert len(mail.outbox) == 2  # sent once the mail server is back, however long it took


def test_only_the_failed_email_is_retried(client, program, monkeypatch):
    from inbox import delivery as notifications

    def refuse(submission):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(notifications, "_send_confirmation", refuse)
    client.post(presentation_url(program), valid_request(program))
    submission = Submission.objects.get()
    assert submission.staff_notified_at and not submission.requester_confirmed_at
    monkeypatch.undo()
    Submission.objects.update(next_notification_at=timezone.now())  # the retry is due
    call_command("send_pending_notifications", stdout=StringIO())
    assert [m.to for m in mail.outbox] == [["sro@example.org"], ["pat@school.example.org"]]


def test_program_without_email_uses_the_fallback_address(client, program, settings):
    Program.objects.filter(pk=program.pk).update(contact_email="")
    settings.SUBMISSIONS_FALLBACK_EMAIL = "inbox@county.example.org"
    client.post(question_url(program), valid_question())
    assert mail.outbox[0].to == ["inbox@county.example.org"]


def test_honeypot_submissions_look_accepted_but_are_not_saved(client, program):
    response = client.post(question_url(program), valid_question(website="http://spam.example"))
    assert response.status_code == 302
    assert not Submission.objects.exists()
    assert mail.outbox == []


def test_the_honeypot_is_hidden_from_people(client, program):
    html = client.get(question_url(program)).content.decode()
    assert re.search(r'<div class="site-honeypot"\s+aria-hidden="true"', html)
    assert (
        re.search(r'tabindex="-1"[^>]*id="id_website"|id="id_website"[^>]*tabindex="-1"', html)
        or 'tabindex="-1"' in html
    )


def test_rate_limit_answers_429_after_five_submissions_from_one_address(client, program):
    for _ in range(5):
        assert client.post(question_url(program), valid_question(), REMOTE_ADDR="203.0.113.5").status_code == 302
    blocked = client.post(question_url(program), valid_question(), REMOTE_ADDR="203.0.113.5")
    assert blocked.status_code == 429
    assert "Please wait before sending again" in blocked.content.decode()
    assert "try again in about 10 minutes" in blocked.content.decode()
    assert blocked["Retry-After"] == "600"
    assert Submission.objects.count() == 5
    assert client.post(question_url(program), valid_question(), REMOTE_ADDR="198.51.100.7").status_code == 302


def test_rate_limit_uses_the_trusted_proxys_address(client, program, settings):
    settings.NUM_PROXIES = 1
    for n in range(5):
        client.post(question_url(program), valid_question(), HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.9")
    response = client.post(question_url(program), valid_question(), HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert response.status_code == 429


def test_html_in_input_is_stored_as_text_and_escaped_everywhere(client, program):
    payload = '<script>alert("x")</script>'
    client.post(question_url(program), valid_question(name=payload, message=payload))
    submission = Submission.objects.get()
    assert submission.message == payload
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:inbox_submission_change", args=[submission.pk])).content.decode()
    assert payload not in html
    assert "&lt;script&gt;" in html
    assert payload in mail.outbox[0].body  # plain-text email: shown as typed, never run


def test_form_pages_are_never_cached(client, program):
    response = client.get(question_url(program))
    assert "no-cache" in response["Cache-Control"]
    assert "X-Page-Cache" not in client.get(question_url(program))


def test_forms_of_a_draft_program_are_not_found(client, program):
    Program.objects.filter(pk=program.pk).update(status=Program.Status.DRAFT)
    assert client.get(question_url(program)).status_code == 404
    assert client.post(question_url(program), valid_question()).status_code == 404


def test_a_forged_thank_you_link_is_not_found(client, program):
    assert client.get(reverse("programs:form_thanks", args=[program.slug, "forged"])).status_code == 404


def test_program_page_links_to_both_forms(client, program):
    html = client.get(program.get_absolute_url()).content.decode()
    assert presentation_url(program) in html
    assert question_url(program) in html
