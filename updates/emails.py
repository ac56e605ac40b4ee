"""The subscription emails, each in its subscriber's language: the confirmation, an update,
a week's summary. The last two carry one-click unsubscribe (RFC 8058: the List-Unsubscribe
and List-Unsubscribe-Post headers, which large mailbox providers require of bulk senders)
and a link to change the choice."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from inbox.delivery import one_line
from languages.formats import long_date

from . import links
from .when import event_when


def confirmation(subscription, connection=None):
    with translation.override(subscription.requested_language):
        return EmailMessage(
            subject=one_line(_("Confirm your email updates from %(subject)s") % {"subject": subscription.title}),
            body=render_to_string(
                "updates/email/confirmation.txt",
                {
                    "subject_title": subscription.title,
                    "frequency": subscription.get_requested_frequency_display(),
                    "confirm_url": links.confirm_url(subscription),
                    "hours": settings.SUBSCRIPTION_CONFIRMATION_HOURS,
                },
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[subscription.subscriber.email],
            connection=connection,
        )


def _unsubscribing(subscriber, subscriptions):
    """The footer's links and the headers that unsubscribe from the `subscriptions` an email came from."""
    unsubscribe = links.unsubscribe_url([s.pk for s in subscriptions], subscriber.language)
    context = {
        "unsubscribe_url": unsubscribe,
        "manage_url": links.manage_url(subscriber),
        "subscribed_to": [s.title for s in subscriptions],
    }
    headers = {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return context, headers


def update_email(subscriber, update, subscriptions, connection=None):
    with translation.override(subscriber.language):
        footer, headers = _unsubscribing(subscriber, subscriptions)
        context = {
            "update": update,
            "program_title": update.program.page_title,
            "date": long_date(update.date),
            "when": event_when(update),
            "url": links.absolute(update.get_absolute_url()),
            "ics_url": links.absolute(reverse("updates:event_ics", args=[update.program.slug, update.slug])),
            **footer,
        }
        return EmailMessage(
            subject=one_line(f"{update.program.agency.county_name}: {update.title}"),
            body=render_to_string("updates/email/update.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[subscriber.email],
            headers=headers,
            connection=connection,
        )


def summary_email(subscriber, week, updates, subscriptions, connection=None):
    with translation.override(subscriber.language):
        footer, headers = _unsubscribing(subscriber, subscriptions)
        items = [
            {
                "update": u,
                "program_title": u.program.page_title,
                "date": long_date(u.date),
                "when": event_when(u),
                "url": links.absolute(u.get_absolute_url()),
            }
            for u in updates
        ]
        return EmailMessage(
            subject=one_line(_("Updates of the week of %(date)s") % {"date": long_date(week)}),
            body=render_to_string("updates/email/summary.txt", {"items": items, **footer}),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[subscriber.email],
            headers=headers,
            connection=connection,
        )
