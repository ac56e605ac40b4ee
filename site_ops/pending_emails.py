"""Emails not sent yet, across every outbox an app asks us to watch (`watch`: the inbox's
outboxes, e.g. the public's submissions and complaints, subscription confirmations, the
subscribers' update emails). Waiting a little is normal (the next retry of
`send_pending_notifications`); waiting for an hour means the mail server or the cron
line is broken, and nobody at the program hears from the public meanwhile.

An outbox is anything with a `model` whose manager has `notification_pending()` and whose
rows have `next_notification_at` (set while something is left to send) and `created_at`."""

from datetime import timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone

STALE_AFTER = timedelta(hours=1)

_watched = []


def watch(outboxes):
    """`outboxes()`: the outboxes to watch, asked at each count (apps may add theirs later)."""
    if outboxes not in _watched:
        _watched.append(outboxes)


def outboxes():
    return [outbox for source in _watched for outbox in source()]


def _pending(model, now):
    # Due for another try, or waiting for a retry later: next_notification_at is set only
    # while something is left to send (e.g. inbox/delivery.py `deliver_emails`).
    due = model.objects.notification_pending()
    return model.objects.filter(Q(pk__in=due.values("pk")) | Q(next_notification_at__gt=now))


def summary(now=None):
    """(how many records have an email not sent yet, the creation time of the oldest, or None)."""
    now = now or timezone.now()
    count, oldest = 0, None
    for outbox in outboxes():
        found = _pending(outbox.model, now).aggregate(count=Count("pk"), oldest=Min("created_at"))
        count += found["count"]
        if found["oldest"] is not None:
            oldest = found["oldest"] if oldest is None else min(oldest, found["oldest"])
    return count, oldest


def stale_counts(now=None):
    """{outbox's name (its model's verbose_name_plural): how many of its records have an email
    that has waited longer than STALE_AFTER}, for the outboxes that have any."""
    now = now or timezone.now()
    counts = {}
    for outbox in outboxes():
        count = _pending(outbox.model, now).filter(created_at__lte=now - STALE_AFTER).count()
        if count:
            name = str(outbox.model._meta.verbose_name_plural)
            counts[name] = counts.get(name, 0) + count
    return counts
