"""Emails about submissions: one to the program's contact, one confirmation
to the requester. Sending happens after the submission is saved; a failure
is recorded and retried by `send_pending_notifications`, never shown to the
requester and never loses the submission."""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models.submissions import retry_wait

logger = logging.getLogger(__name__)


def _one_line(text):
    # Header injection is refused by Django anyway; this keeps subjects readable.
    return " ".join(str(text).split())[:150]


def staff_recipients(program):
    recipient = program.contact_email or settings.SUBMISSIONS_FALLBACK_EMAIL
    return [recipient] if recipient else []


def language_name(code):
    """'Spanish' for 'es': the staff emails say in which language someone wrote."""
    try:
        return translation.get_language_info(code)["name"]
    except KeyError:
        return code


def _send_staff_notification(submission):
    recipients = staff_recipients(submission.program)
    if not recipients:
        raise RuntimeError("the program has no contact email and SUBMISSIONS_FALLBACK_EMAIL is not set")
    with translation.override(settings.LANGUAGE_CODE):  # staff read English, whatever page the form was on
        _send_in_language(submission, recipients)


def _send_in_language(submission, recipients):
    send_mail(
        subject=_one_line(f"[{submission.reference}] {submission.get_kind_display()} from {submission.name}"),
        message=render_to_string(
            "programs/email/staff_notification.txt",
            {"submission": submission, "language": language_name(submission.language)},
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )


def _send_confirmation(submission):
    # In the language of the form they filled in, also when retried later from the command line.
    with translation.override(submission.language):
        send_mail(
            subject=_one_line(
                _("We received your message (reference %(reference)s)") % {"reference": submission.reference}
            ),
            message=render_to_string("programs/email/confirmation.txt", {"submission": submission}),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[submission.email],
        )


def _loggable(exc):
    """What a mail failure's log line says: its kind and SMTP code, never its text, in which
    servers quote the recipient's address (and sometimes name). The whole text is kept on the
    submission (`last_notification_error`, shown to staff, erased with the rest after retention)."""
    code = getattr(exc, "smtp_code", None)
    return f"{type(exc).__name__}" + (f" (SMTP {code})" if code else "")


def deliver(submission, steps=None):
    """Send whatever has not been sent yet. Returns True when nothing is left pending.

    `steps` are (field, send) pairs: `send(record)` sends one email, and the
    time it succeeded goes in `field`. Any record with the delivery fields of
    `Submission` and a `notification_pending` property can be delivered this
    way (officer_feedback's complaints are); the default is a submission's two emails.
    """
    if steps is None:
        steps = (("staff_notified_at", _send_staff_notification), ("requester_confirmed_at", _send_confirmation))
    error = ""
    for sent_field, send in steps:
        if getattr(submission, sent_field):
            continue
        try:
            send(submission)
        except Exception as exc:  # any mail failure: SMTP down, refused, timeout
            logger.warning("email for submission %s not sent: %s", submission.reference, _loggable(exc))
            error = str(exc)[:500]
        else:
            setattr(submission, sent_field, timezone.now())
    submission.notification_attempts += 1
    submission.last_notification_error = error
    submission.next_notification_at = (
        timezone.now() + retry_wait(submission.notification_attempts) if submission.notification_pending else None
    )
    submission.save(
        update_fields=[
            "staff_notified_at",
            "requester_confirmed_at",
            "notification_attempts",
            "last_notification_error",
            "next_notification_at",
        ]
    )
    return not submission.notification_pending


@dataclass(frozen=True)
class Outbox:
    """A kind of record whose emails `send_pending_notifications` retries."""

    model: type  # its manager has notification_pending(): the rows due for another try
    deliver: object  # deliver(record) -> True when nothing is left pending
    related: tuple = field(default=())  # what the emails read, fetched with the record


_outboxes = []


def register_outbox(outbox):
    if outbox not in _outboxes:
        _outboxes.append(outbox)


def outboxes():
    from .models import Submission

    return [Outbox(Submission, deliver, ("program__agency", "school", "topic")), *_outboxes]
