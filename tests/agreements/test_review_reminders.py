"""`send_review_reminders`: the program contact hears of an agreement 60 and 14 days
before its review date and when it expires, once each, and a failed email is retried."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from agreements import reminders
from agreements.models import ReviewReminder
from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db


def on(today):
    """Run the command's two steps as cron would on `today`."""
    recorded = reminders.record_due_reminders(today)
    sent, failed = reminders.send_pending()
    return recorded, sent, failed


@pytest.fixture
def agreement():
    """Reviewed on 2027-03-01, expiring on 2027-06-30; the program's contact is sro@example.org."""
    return AgreementFactory(
        partnership__district="Fox C-6",
        partnership__program__contact_email="sro@example.org",
        effective_on=timezone.datetime(2024, 7, 1).date(),
        review_on=timezone.datetime(2027, 3, 1).date(),
        expires_on=timezone.datetime(2027, 6, 30).date(),
    )


def days_before(agreement, days):
    return agreement.review_on - timedelta(days=days)


def test_nothing_is_sent_before_the_first_reminder_is_due(agreement):
    assert on(days_before(agreement, 61)) == (0, 0, 0)
    assert mail.outbox == []


def test_60_days_before_the_review_date_one_reminder_goes_to_the_program_contact(agreement):
    assert on(days_before(agreement, 60)) == (1, 1, 0)
    (email,) = mail.outbox
    assert email.to == ["sro@example.org"]
    assert "Fox C-6" in email.subject and "review due by March 1" in email.subject
    assert f"/agreements/agreement/{agreement.pk}/change/" in email.body
    assert "/agreements/" in email.body


def test_each_reminder_is_sent_once_however_often_the_command_runs(agreement):
    schedule = [days_before(agreement, n) for n in (60, 59, 45, 14, 13, 1, 0)]
    schedule += [agreement.expires_on, agreement.expires_on + timedelta(days=1), agreement.expires_on + timedelta(3)]
    for today in schedule:
        on(today)
        on(today)  # cron ran twice that day
    assert [r.kind for r in ReviewReminder.objects.order_by("created_at")] == ["first", "final", "expired"]
    assert len(mail.outbox) == 3
    assert "expired" in mail.outbox[2].subject


def test_the_14_day_reminder_and_the_expiry_one_come_on_their_days(agreement):
    on(days_before(agreement, 60))
    assert on(days_before(agreement, 15)) == (0, 0, 0)
    assert on(days_before(agreement, 14)) == (1, 1, 0)
    assert on(agreement.expires_on) == (0, 0, 0)  # its last day: not expired yet
    assert on(agreement.expires_on + timedelta(days=1)) == (1, 1, 0)


def test_an_agreement_entered_late_gets_only_the_reminder_of_its_stage(agreement):
    assert on(days_before(agreement, 10)) == (1, 1, 0)
    assert ReviewReminder.objects.get().kind == ReviewReminder.Kind.FINAL


def test_a_new_review_date_brings_new_reminders(agreement):
    on(days_before(agreement, 60))
    agreement.review_on = agreement.review_on + timedelta(days=30)  # reviewed: next review a month later
    agreement.save()
    assert on(days_before(agreement, 60)) == (1, 1, 0)


def test_a_superseded_agreement_brings_no_reminders(agreement):
    AgreementFactory(
        partnership=agreement.partnership, effective_on=days_before(agreement, 70), review_on=None, expires_on=None
    )
    assert on(days_before(agreement, 60)) == (0, 0, 0)
    assert on(agreement.expires_on + timedelta(days=1)) == (0, 0, 0)


def test_the_reminder_is_saved_before_the_email_and_retried_when_mail_fails(agreement, monkeypatch):
    def mail_server_down(**kwargs):
        assert ReviewReminder.objects.filter(sent_at=None).count() == 1  # saved first
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(reminders, "send_mail", mail_server_down)
    assert on(days_before(agreement, 60)) == (1, 0, 1)
    kept = ReviewReminder.objects.get()
    assert (kept.sent_at, kept.attempts, kept.last_error) == (None, 1, "mail server down")
    monkeypatch.undo()
    assert on(days_before(agreement, 59)) == (0, 1, 0)
    kept.refresh_from_db()
    assert kept.sent_at is not None and kept.attempts == 2 and kept.recipients == "sro@example.org"
    assert len(mail.outbox) == 1


def test_a_program_without_contact_email_uses_the_fallback_address(agreement, settings):
    settings.SUBMISSIONS_FALLBACK_EMAIL = "inbox@example.org"
    program = agreement.partnership.program
    program.contact_email = ""
    program.save()
    on(days_before(agreement, 60))
    assert mail.outbox[0].to == ["inbox@example.org"]


def test_the_command_runs_on_todays_date_and_says_what_it_did():
    today = timezone.localdate()
    AgreementFactory(
        partnership__program__contact_email="sro@example.org",
        effective_on=today - timedelta(days=300),
        review_on=today + timedelta(days=60),
        expires_on=None,
    )
    out = StringIO()
    call_command("send_review_reminders", stdout=out)
    assert "1 new reminder(s) due; 1 sent, 0 still pending." in out.getvalue()
    out = StringIO()
    call_command("send_review_reminders", stdout=out)
    assert "0 new reminder(s) due; 0 sent, 0 still pending." in out.getvalue()
    assert len(mail.outbox) == 1
