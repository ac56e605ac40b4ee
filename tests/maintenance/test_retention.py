"""The public's personal data: erased SUBMISSION_RETENTION_DAYS after a submission is closed, and never logged."""

import logging
import smtplib
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, timezone

from inbox.models import Submission
from maintenance.retention import purge_expired
from officer_feedback.models import Feedback
from sro_site.logs import json_formatter
from tests.factories import EducationTopicFactory, ProgramFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

DAYS = 1095


def closed_request(program, closed_ago, **fields):
    submission = Submission.objects.create(
        program=program,
        kind=Submission.Kind.PRESENTATION,
        name="Avery Requester",
        email="avery@example.org",
        phone="636-555-0199",
        message="Please come to room 12.",
        internal_notes="Called Avery back.",
        preferred_date_1="2026-03-02",
        status=Submission.Status.CLOSED,
        **fields,
    )
    Submission.objects.filter(pk=submission.pk).update(closed_at=timezone.now() - closed_ago)
    submission.refresh_from_db()
    return submission


def closed_complaint(program, closed_ago):
    feedback = Feedback.objects.create(
        program=program,
        kind=Feedback.Kind.COMPLAINT,
        what_happened="Rude at the gate.",
        place="North entrance",
        officer_description="Tall, moustache",
        name="Casey Resident",
        email="casey@example.org",
        phone="636-555-0198",
    )
    feedback.status = Feedback.Status.CLOSED
    feedback.internal_notes = "Spoke with Casey."
    feedback.save()
    Feedback.objects.filter(pk=feedback.pk).update(closed_at=timezone.now() - closed_ago)
    feedback.refresh_from_db()
    return feedback


@pytest.fixture
def program():
    return ProgramFactory()


def test_closing_starts_the_clock_and_reopening_stops_it(program):
    submission = Submission.objects.create(program=program, kind="question", name="A", email="a@example.org")
    assert submission.closed_at is None and submission.personal_data_erasure_date is None
    submission.status = Submission.Status.CLOSED
    submission.save()
    closed_at = submission.closed_at
    assert closed_at is not None
    assert submission.personal_data_erasure_date == closed_at + timedelta(days=DAYS)
    submission.save()  # saving again keeps the date it was closed
    assert submission.closed_at == closed_at
    submission.status = Submission.Status.IN_PROGRESS
    submission.save(update_fields=["status"])
    submission.refresh_from_db()
    assert submission.closed_at is None


def test_personal_data_is_erased_at_the_end_of_the_retention_period_not_a_second_before(program):
    now = timezone.now()
    due = closed_request(program, timedelta(days=DAYS))
    Submission.objects.filter(pk=due.pk).update(closed_at=now - timedelta(days=DAYS))
    kept = closed_request(program, timedelta(days=DAYS))
    Submission.objects.filter(pk=kept.pk).update(closed_at=now - timedelta(days=DAYS) + timedelta(seconds=1))

    assert purge_expired(now=now)["submissions"] == 1

    due.refresh_from_db()
    kept.refresh_from_db()
    assert (due.name, due.email, str(due.phone), due.message, due.internal_notes) == ("", "", "", "", "")
    assert due.personal_data_erased_at == now
    assert kept.name == "Avery Requester" and kept.email == "avery@example.org" and kept.personal_data_erased_at is None


def test_what_counts_need_is_kept(program):
    school, topic = SchoolFactory(agency=program.agency), EducationTopicFactory()
    submission = closed_request(program, timedelta(days=DAYS + 1), school=school, topic=topic, audience_size=60)
    purge_expired()
    submission.refresh_from_db()
    assert submission.kind == "presentation" and submission.program == program and submission.status == "closed"
    assert (submission.school, submission.topic, submission.audience_size) == (school, topic, 60)
    assert str(submission.preferred_date_1) == "2026-03-02" and submission.created_at
    assert str(submission) == f"{submission.reference}: Presentation request"


def test_open_submissions_are_kept_however_old(program):
    old = Submission.objects.create(
        program=program,
        kind="question",
        name="Old Open",
        email="o@example.org",
        status=Submission.Status.IN_PROGRESS,
        created_at=timezone.now() - timedelta(days=DAYS * 3),
    )
    purge_expired()
    old.refresh_from_db()
    assert old.name == "Old Open"


def test_a_complaint_is_erased_in_its_history_too(program):
    feedback = closed_complaint(program, timedelta(days=DAYS + 1))
    assert feedback.history.filter(name="Casey Resident").exists()
    purge_expired()
    feedback.refresh_from_db()
    assert (feedback.name, feedback.email, str(feedback.phone), feedback.what_happened) == ("", "", "", "")
    assert (feedback.place, feedback.officer_description, feedback.internal_notes) == ("", "", "")
    assert feedback.kind == "complaint" and feedback.status == "closed"
    for field in ("name", "email", "what_happened", "internal_notes", "place"):
        assert not feedback.history.exclude(**{field: ""}).exists(), field


def test_the_admin_log_keeps_no_name_of_an_erased_request(program):
    submission = closed_request(program, timedelta(days=DAYS + 1))
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Submission),
        object_id=str(submission.pk),
        object_repr=str(submission),
        action_flag=CHANGE,
        user=UserFactory(),
    )
    purge_expired()
    assert not LogEntry.objects.filter(object_repr__contains="Avery").exists()


def test_the_command_is_idempotent_says_how_many_and_logs_the_count(program, caplog, settings):
    settings.SUBMISSION_RETENTION_DAYS = 30
    closed_request(program, timedelta(days=31))
    closed_request(program, timedelta(days=29))
    closed_complaint(program, timedelta(days=31))
    out = StringIO()
    with caplog.at_level(logging.INFO, logger="maintenance.retention"):
        call_command("purge_expired_submissions", "--dry-run", stdout=out)
        assert "Would erase the personal data of 1 submissions, 1 complaints and commendations" in out.getvalue()
        assert Submission.objects.filter(name="").count() == 0
        call_command("purge_expired_submissions", stdout=out)
        call_command("purge_expired_submissions", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[1] == (
        "Erased the personal data of 1 submissions, 1 complaints and commendations closed more than 30 days ago."
    )
    assert lines[2].startswith("Erased the personal data of 0 submissions, 0 complaints")
    assert "personal data erased: 1 submissions, 1 complaints and commendations" in caplog.messages
    assert Submission.objects.filter(name="").count() == 1


def test_the_admin_shows_when_each_submission_will_be_erased(staff_client, program, django_assert_max_num_queries):
    closed = closed_request(program, timedelta(days=10))
    Submission.objects.create(program=program, kind="question", name="Still Open", email="s@example.org")
    erased = closed_request(program, timedelta(days=DAYS + 1))
    purge_expired()
    erased.refresh_from_db()
    due = formats.date_format(timezone.localtime(closed.personal_data_erasure_date))

    with django_assert_max_num_queries(12):
        html = staff_client.get(reverse("admin:inbox_submission_changelist")).content.decode()
    assert "Personal data erased" in html
    assert f"On {due}" in html
    assert f"Not yet: {DAYS} days after it is closed" in html
    assert "Erased on " in html

    page = staff_client.get(reverse("admin:inbox_submission_change", args=[closed.pk])).content.decode()
    assert f"On {due}" in page


def test_the_complaints_admin_shows_when_each_will_be_erased(staff_client, program):
    feedback = closed_complaint(program, timedelta(days=1))
    due = formats.date_format(timezone.localtime(feedback.personal_data_erasure_date))
    page = staff_client.get(reverse("admin:officer_feedback_feedback_change", args=[feedback.pk])).content.decode()
    assert f"On {due}" in page


# Personal data never reaches the logs.

NAME, EMAIL = "Zebediah Quillfeather", "zq.unmistakable@example.org"


class RefusingMailBackend(BaseEmailBackend):
    """A mail server that refuses the recipient, naming it, as SMTP servers do (it opens and
    closes its connection as any backend does: the updates' sender keeps one open per batch)."""

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({EMAIL: (550, f"<{EMAIL}>: mailbox of {NAME} unknown".encode())})


@pytest.fixture
def every_log_line(caplog):
    """Every record any logger writes, at every level, as the JSON line the site would print."""
    caplog.set_level(logging.DEBUG)
    formatter = json_formatter()
    return lambda: [formatter.format(record) for record in caplog.records]


@pytest.mark.parametrize("mail", ["delivered", "refused"])
def test_a_name_and_email_posted_in_a_form_never_appear_in_any_log_line(client, every_log_line, settings, mail):
    if mail == "refused":
        settings.EMAIL_BACKEND = "tests.maintenance.test_retention.RefusingMailBackend"
    program = ProgramFactory()
    school = SchoolFactory(agency=program.agency)
    program.topics.add(topic := EducationTopicFactory())
    base = program.get_absolute_url()
    posts = [
        (f"{base}ask-a-question/", {"name": NAME, "email": EMAIL, "message": f"I am {NAME}", "wants_reply": "yes"}),
        (
            f"{base}request-a-presentation/",
            {
                "name": NAME,
                "email": EMAIL,
                "school_choice": str(school.pk),
                "topic": str(topic.pk),
                "preferred_date_1": (timezone.localdate() + timedelta(days=7)).isoformat(),
                "message": f"From {EMAIL}",
            },
        ),
        (f"{base}ask-a-question/", {"name": NAME, "email": "not-an-email " + EMAIL}),  # refused, with errors
        (
            f"{base}compliment-or-complain/",
            {"kind": "complaint", "what_happened": f"{NAME} saw it", "name": NAME, "email": EMAIL},
        ),
    ]
    for path, data in posts:
        assert client.post(path, data).status_code in (200, 302)
    assert Submission.objects.filter(email=EMAIL).count() == 2 and Feedback.objects.filter(email=EMAIL).exists()
    call_command("send_pending_notifications", stdout=StringIO(), stderr=StringIO())  # the retries log too

    lines = every_log_line()
    assert lines, "nothing was logged: the test would prove nothing"
    if mail == "refused":
        assert any("not sent" in line for line in lines)
    for line in lines:
        assert NAME not in line and EMAIL not in line and "Quillfeather" not in line, line
