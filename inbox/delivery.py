"""The emails of what the public sends: one to the staff who handle it, one
confirmation to the sender. Sending happens after the message is saved; a
failure is recorded and retried by `send_pending_notifications` (every
registered `Outbox`), never shown to the sender and never loses the message.

A submission's emails go to the program's contact; a complaint's are
officer_feedback/delivery.py's."""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import DELIVERY_FIELDS, Submission, retry_wait

logger = logging.getLogger(__name__)


def one_line(text):
    # Header injection is refused by Django anyway; this keeps subjects readable.
    return " ".join(str(text).split())[:150]


def staff_recipients(program):
    recipient = program.contact_email or settings.SUBMISSIONS_FALLBACK_EMAIL
    return [recipient] if recipient else []


def admin_link(record):
    """The record's page in the staff admin, absolute (SITE_URL): emails about it may be sent by the
    retry command, outside any request."""
    opts = record._meta
    return settings.SITE_URL + reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


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
        subject=one_line(f"[{submission.reference}] {submission.get_kind_display()} from {submission.name}"),
        message=render_to_string(
            "programs/email/staff_notification.txt",
            {
                "submission": submission,
                "language": language_name(submission.language),
                "admin_url": admin_link(submission),
            },
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )


def _send_confirmation(submission):
    # In the language of the form they filled in, also when retried later from the command line.
    with translation.override(submission.language):
        send_mail(
            subject=one_line(
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


def deliver_emails(message, send_to_staff, send_confirmation):
    """Send whichever of a `PublicMessage`'s two emails has not been sent yet, and schedule
    the next try of what failed. Returns True when nothing is left pending.

    `send_to_staff(message)` and `send_confirmation(message)` each send one email;
    the confirmation only when the message has an email address to send it to.
    """
    steps = [("staff_notified_at", send_to_staff)]
    if message.confirmation_needed:
        steps.append(("requester_confirmed_at", send_confirmation))
    error = ""
    for sent_field, send in steps:
        if getattr(message, sent_field):
            continue
        try:
            send(message)
        except Exception as exc:  # any mail failure: SMTP down, refused, timeout
            logger.warning("email for submission %s not sent: %s", message.reference, _loggable(exc))
            error = str(exc)[:500]
        else:
            setattr(message, sent_field, timezone.now())
    message.notification_attempts += 1
    message.last_notification_error = error
    message.next_notification_at = (
        timezone.now() + retry_wait(message.notification_attempts) if message.notification_pending else None
    )
    message.save(update_fields=DELIVERY_FIELDS)
    return not message.notification_pending


def deliver(submission):
    """A submission's two emails: to the program's contact, and the confirmation."""
    return deliver_emails(submission, _send_staff_notification, _send_confirmation)


@dataclass(frozen=True)
class Outbox:
    """A kind of record whose emails `send_pending_notifications` retries."""

    model: type  # its manager has notification_pending(): the rows due for another try
    deliver: object  # deliver(record) -> True when nothing is left pending
    related: tuple = field(default=())  # what the emails read, fetched with the record
    # send_all() -> (sent, failed): for an outbox of many small emails (the subscribers' updates),
    # which sends its due records its own way, in batches over one connection, instead of one
    # record per transaction as below.
    send_all: object = None


def send_each(pending, deliver, related=()):
    """Send what is pending, oldest first, one record per transaction: the record is locked while
    its emails go and its state is saved, so that nothing is sent twice, and one that another run
    holds (PostgreSQL) is skipped. Returns (sent, failed).

    `pending()` gives the records still owed; it is asked again for each record, because what is
    due may depend on the time (`notification_pending`) or another run may have sent it since.
    `deliver(record)` is True when nothing is left pending. Every outbox without a `send_all`
    is sent this way, and so are the agreements' review reminders (agreements/reminders.py).
    """
    sent = failed = 0
    for pk in list(pending().order_by("created_at").values_list("pk", flat=True)):
        with transaction.atomic():
            record = (
                pending()
                .select_for_update(skip_locked=True, of=("self",))
                .select_related(*related)
                .filter(pk=pk)
                .first()
            )
            if record is None:  # sent meanwhile, or another run has it
                continue
            if deliver(record):
                sent += 1
            else:
                failed += 1
    return sent, failed


_outboxes = []


def register_outbox(outbox):
    if outbox not in _outboxes:
        _outboxes.append(outbox)


def outboxes():
    return [Outbox(Submission, deliver, ("program__agency", "school", "topic")), *_outboxes]
