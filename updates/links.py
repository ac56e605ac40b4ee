"""The signed links in the subscription emails (django.core.signing, keyed by SECRET_KEY).

- confirm: a subscription request, expiring after SUBSCRIPTION_CONFIRMATION_HOURS;
- unsubscribe: the subscriptions an email came from, for one-click unsubscribe (RFC 8058), which
  must keep working as long as the emails it is in may be read: it does not expire, and it
  stops meaning anything once those subscriptions are gone (ids are never reused);
- manage: the subscriber's page to change their choice, likewise without expiry.

The links are absolute (SITE_URL) and in the subscriber's language (its /es/ prefix).
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from .models.subscriptions import confirmation_lifetime

CONFIRM_SALT = "updates.confirm"
UNSUBSCRIBE_SALT = "updates.unsubscribe"
MANAGE_SALT = "updates.manage"


def absolute(path):
    return settings.SITE_URL + path


def _url(name, token, language):
    with translation.override(language):
        return absolute(reverse(name, kwargs={"token": token}))


def confirm_url(subscription):
    token = signing.dumps([subscription.pk, subscription.requested_frequency], salt=CONFIRM_SALT)
    return _url("updates:confirm", token, subscription.requested_language)


def confirmation_from(token):
    """(subscription id, frequency) of a confirmation link still valid; BadSignature otherwise."""
    pk, frequency = signing.loads(token, salt=CONFIRM_SALT, max_age=confirmation_lifetime())
    return pk, frequency


def unsubscribe_url(subscription_ids, language):
    token = signing.dumps(sorted(subscription_ids), salt=UNSUBSCRIBE_SALT, compress=True)
    return _url("updates:unsubscribe", token, language)


def subscriptions_from(token):
    """The subscription ids an unsubscribe link names; BadSignature for any other text."""
    ids = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(ids, list) or not all(isinstance(pk, int) for pk in ids):
        raise signing.BadSignature("not an unsubscribe link")
    return ids


def manage_url(subscriber):
    return _url("updates:manage", signing.dumps(subscriber.pk, salt=MANAGE_SALT), subscriber.language)


def subscriber_from(token):
    pk = signing.loads(token, salt=MANAGE_SALT)
    if not isinstance(pk, int):
        raise signing.BadSignature("not a manage link")
    return pk
