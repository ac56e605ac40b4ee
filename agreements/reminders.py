"""Reminders to the program's contact before an agreement's review date and when it
expires: REVIEW_DUE_DAYS (60) days before, 14 days before, and once expired.

Each reminder is recorded (ReviewReminder) before its email is sent, like the
site's other notifications: a mail failure is kept and retried on the next run,
and a reminder already sent is never sent again, however often the command runs.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from inbox.delivery import send_each, staff_recipients

from .models import Agreement, ReviewReminder

logger = logging.getLogger(__name__)

FINAL_REMINDER_DAYS = 14


def reminder_due(agreement, today):
    """(kind, date it is about) of the reminder an agreement (with its status) calls for today, or None.

    Only the latest stage reached is sent: an agreement entered a week before its
    review date gets the two-week reminder, not the 60-day one as well.
    """
    if agreement.status == Agreement.Status.EXPIRED:
        return ReviewReminder.Kind.EXPIRED, agreement.expires_on
    if agreement.status == Agreement.Status.REVIEW_DUE:
        deadline = agreement.deadline
        final = deadline - today <= timedelta(days=FINAL_REMINDER_DAYS)
        return (ReviewReminder.Kind.FINAL if final else ReviewReminder.Kind.FIRST), deadline
    return None


def record_due_reminders(today=None):
    """Save a reminder for every agreement that calls for one today and has not had it. Returns how many."""
    today = today or timezone.localdate()
    needing = Agreement.objects.with_status(today).filter(
        status__in=[Agreement.Status.REVIEW_DUE, Agreement.Status.EXPIRED]
    )
    recorded = 0
    for agreement in needing:
        kind, due_on = reminder_due(agreement, today)
        _, created = ReviewReminder.objects.get_or_create(agreement=agreement, kind=kind, due_on=due_on)
        recorded += created
    return recorded


def _send(reminder):
    agreement = reminder.agreement
    program = agreement.partnership.program
    recipients = staff_recipients(program)
    if not recipients:
        raise RuntimeError("the program has no contact email and SUBMISSIONS_FALLBACK_EMAIL is not set")
    district = agreement.partnership.district
    if reminder.kind == ReviewReminder.Kind.EXPIRED:
        subject = f"Agreement with {district} has expired"
    else:
        subject = f"Agreement with {district}: review due by {reminder.due_on:%B} {reminder.due_on.day}"
    context = {
        "reminder": reminder,
        "agreement": agreement,
        "program": program,
        "admin_url": f"{settings.SITE_URL}{agreement.get_admin_url()}",
        "public_url": settings.SITE_URL + reverse("agreements:program_agreements", args=[program.slug]),
    }
    send_mail(
        subject=" ".join(subject.split())[:150],
        message=render_to_string("agreements/email/review_reminder.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )
    return recipients


def deliver(reminder):
    """Send one recorded reminder; True if it went. A failure is kept for the next run."""
    try:
        recipients = _send(reminder)
    except Exception as exc:  # any mail failure: SMTP down, refused, timeout, no address
        logger.warning("review reminder %s not sent: %s", reminder.pk, exc)
        reminder.last_error = str(exc)[:500]
    else:
        reminder.sent_at = timezone.now()
        reminder.recipients = ", ".join(recipients)[:500]
        reminder.last_error = ""
    reminder.attempts += 1
    reminder.save(update_fields=["sent_at", "recipients", "attempts", "last_error"])
    return reminder.sent_at is not None


def send_pending():
    """Send every recorded reminder not yet sent, as the site's other emails are sent. Returns (sent, failed)."""
    return send_each(
        lambda: ReviewReminder.objects.filter(sent_at__isnull=True),
        deliver,
        ("agreement__partnership__program__agency",),
    )
