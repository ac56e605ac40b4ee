"""The emails of a complaint or commendation: one to the agency's professional-standards
unit, one confirmation to the person when they gave an email address.

Sent through the inbox's delivery (inbox/delivery.py): the
record is saved first, a failure is recorded and retried by
`send_pending_notifications`, never shown to the person and never loses it.

Never to the officer named: the unit's address is the only recipient, the
officer's own address is struck from the list even if someone entered it as
the unit's, and there is no fallback to the program's contact (often the SRO
supervisor, who may be the officer named). Without a unit address the email
waits, retried, until one is entered; the record is in the admin meanwhile.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from inbox import delivery

from .models import Feedback, ProfessionalStandardsContact


class NoRecipient(RuntimeError):
    pass


def recipients(feedback):
    contact = ProfessionalStandardsContact.objects.filter(agency_id=feedback.program.agency_id).first()
    if contact is None or not contact.email:
        raise NoRecipient(f"{feedback.program.agency} has no professional-standards contact email yet")
    officer_email = (feedback.officer.email if feedback.officer_id else "").strip().lower()
    addresses = [address for address in [contact.email] if address.strip().lower() != officer_email]
    if not addresses:
        raise NoRecipient("the professional-standards address is the named officer's own: not sent to them")
    return addresses


def _send_to_professional_standards(feedback):
    with translation.override(settings.LANGUAGE_CODE):  # the unit reads English, whatever page the form was on
        _send_report(feedback)


def _send_report(feedback):
    send_mail(
        subject=delivery.one_line(
            f"[{feedback.reference}] {feedback.get_kind_display()} about an officer, {feedback.program.page_title}"
        ),
        message=render_to_string(
            "officer_feedback/email/professional_standards.txt",
            {
                "feedback": feedback,
                "language": delivery.language_name(feedback.language),
                "admin_url": delivery.admin_link(feedback),
            },
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients(feedback),
    )


def _send_confirmation(feedback):
    # In the language of the form they filled in, also when retried later from the command line.
    with translation.override(feedback.language):
        send_mail(
            subject=delivery.one_line(
                _("We received your %(kind)s (reference %(reference)s)")
                % {"kind": str(feedback.get_kind_display()).lower(), "reference": feedback.reference}
            ),
            message=render_to_string("officer_feedback/email/confirmation.txt", {"feedback": feedback}),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[feedback.email],
        )


def deliver(feedback):
    """Send what is still unsent; True when nothing is left pending."""
    # Delivery bookkeeping is not a change anyone made: keep it out of the history.
    feedback.skip_history_when_saving = True
    try:
        return delivery.deliver_emails(feedback, _send_to_professional_standards, _send_confirmation)
    finally:
        del feedback.skip_history_when_saving


OUTBOX = delivery.Outbox(Feedback, deliver, ("program__agency", "officer"))
