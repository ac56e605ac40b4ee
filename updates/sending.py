"""Queueing and sending the subscribers' emails, without blocking the editor and without
losing or repeating an email.

- Publishing an update queues one `OutgoingEmail` per subscribed address in the update's own
  transaction (`queue_update_emails`): a few inserts, then the editor's page returns. An update
  published while its program is a draft is queued when the program is published
  (`queue_program_updates`); either way once (`Update.announced_at`).
- `send_pending_notifications` (inbox/delivery.py's outboxes) then sends what is due
  (`send_due`): it takes a batch of rows at a time (marking them with its own batch mark and
  moving their next try a few minutes ahead, so two senders never take the same row and a
  sender that dies leaves its rows due again), sends them over one connection to the mail
  server, and marks each one sent as soon as the server has accepted it.
- Each address gets an update at most once: one row per address and update (a database
  constraint), whether it is subscribed to the program, its state, or both.

What no program can promise: if the process dies between the server's acceptance of an email
and the write that marks it sent (one statement), that one email is sent again on the next run.
"""

import logging
import secrets
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db.models import Q
from django.utils import timezone

from inbox.models import retry_wait

from . import emails
from .models import OutgoingEmail, Subscriber, Subscription, Update
from .models.subscriptions import Frequency
from .weekly import published_in

logger = logging.getLogger(__name__)

# How long a taken batch is the sender's: past it, another run may take what is left of it.
LEASE = timedelta(minutes=15)
# An email still refused after this many tries is given up (its error is kept for the count).
MAX_ATTEMPTS = 10
INSERT_BATCH = 2000


def queue_update_emails(update):
    """One email per confirmed subscriber who wants each update as it comes, for `update`, and
    the update marked announced (the weekly summaries read it). Nothing while its program is a
    draft: it has no public yet, and its updates are announced when it is published."""
    if update.program.status != update.program.Status.PUBLISHED:
        return 0
    subscriber_ids = (
        Subscription.objects.confirmed()
        .filter(frequency=Frequency.IMMEDIATELY)
        .covering(update.program)
        .subscriber_ids()
    )
    now = timezone.now()
    rows = (
        OutgoingEmail(subscriber_id=pk, update_id=update.pk, created_at=now, next_notification_at=now)
        for pk in subscriber_ids.iterator(chunk_size=INSERT_BATCH)
    )
    queued = 0
    while chunk := [row for _, row in zip(range(INSERT_BATCH), rows, strict=False)]:
        OutgoingEmail.objects.bulk_create(chunk, ignore_conflicts=True)  # already queued: nothing to add
        queued += len(chunk)
    update.announced_at = now
    Update.objects.filter(pk=update.pk).update(announced_at=now)  # no save(): no new version in its history
    return queued


def queue_program_updates(program):
    """A program published: its updates published while it was a draft go to its subscribers and
    its state's, oldest first; each once, so publishing it again queues nothing more."""
    if program.status != program.Status.PUBLISHED:
        return 0
    waiting = Update.objects.filter(program=program, status=Update.Status.PUBLISHED, announced_at__isnull=True)
    queued = 0
    for update in waiting.order_by("published_at", "pk"):
        update.program = program
        queued += queue_update_emails(update)
    return queued


def program_saved(sender, instance, raw=False, **kwargs):
    """post_save of a program (connected in apps.py): announce what waited for its publication."""
    if not raw:  # loaddata: the data as it was, nothing to send
        queue_program_updates(instance)


def _take_batch(size):
    """Up to `size` due emails, taken for this run alone."""
    now = timezone.now()
    due = list(OutgoingEmail.objects.notification_pending().order_by("pk").values_list("pk", flat=True)[:size])
    if not due:
        return None
    mark = secrets.token_hex(16)
    # Only rows still due: a row another run took in the meantime is not due any more.
    OutgoingEmail.objects.filter(pk__in=due, next_notification_at__lte=now).update(
        batch=mark, next_notification_at=now + LEASE
    )
    return list(
        OutgoingEmail.objects.filter(batch=mark, sent_at__isnull=True).select_related(
            "subscriber", "update__program__agency__state"
        )
    )


def _subscriptions_by_subscriber(batch):
    found = defaultdict(list)
    subscriptions = (
        Subscription.objects.confirmed()
        .filter(subscriber_id__in={e.subscriber_id for e in batch})
        .select_related("program__agency", "state")
        .order_by("pk")
    )
    for subscription in subscriptions:
        found[subscription.subscriber_id].append(subscription)
    return found


def _covers(subscription, program):
    return subscription.program_id == program.pk or subscription.state_id == program.agency.state_id


def _weeks_updates(weeks):
    """{week: [updates first published that week]}, for the summaries in a batch."""
    return {week: list(published_in(week).select_related("program__agency__state").newest_first()) for week in weeks}


def _message(email, subscriptions, weeks_updates, connection):
    """The email a row stands for, or None when nothing is owed any more (unsubscribed meanwhile)."""
    if email.update_id:
        program = email.update.program
        wanted = [s for s in subscriptions if s.frequency == Frequency.IMMEDIATELY and _covers(s, program)]
        if not wanted or not email.update.is_published:
            return None
        return emails.update_email(email.subscriber, email.update, wanted, connection)
    wanted = [s for s in subscriptions if s.frequency == Frequency.WEEKLY]
    updates = [u for u in weeks_updates[email.week] if any(_covers(s, u.program) for s in wanted)]
    if not updates:
        return None
    return emails.summary_email(email.subscriber, email.week, updates, wanted, connection)


def _mark(email, **fields):
    OutgoingEmail.objects.filter(pk=email.pk).update(**fields)


def _sent(attempts):
    """A RetriedEmail's delivery fields once its email has gone."""
    return {"notification_attempts": attempts, "last_notification_error": "", "next_notification_at": None}


def _failed(attempts, exc, now):
    """A RetriedEmail's delivery fields after a failed try: due again later, unless it was the last."""
    return {
        "notification_attempts": attempts,
        "last_notification_error": str(exc)[:500],
        "next_notification_at": None if attempts >= MAX_ATTEMPTS else now + retry_wait(attempts),
    }


def send_due(batch_size=None):
    """Send every due email, batch by batch over one connection. Returns (sent, failed)."""
    batch_size = batch_size or settings.UPDATE_EMAIL_BATCH_SIZE
    sent = failed = 0
    connection = get_connection()
    try:
        while batch := _take_batch(batch_size):
            subscriptions = _subscriptions_by_subscriber(batch)
            weeks_updates = _weeks_updates({e.week for e in batch if e.week})
            for email in batch:
                if _send_one(connection, email, subscriptions[email.subscriber_id], weeks_updates):
                    sent += 1
                else:
                    failed += 1
    finally:
        connection.close()
    return sent, failed


def _send_one(connection, email, subscriptions, weeks_updates):
    now = timezone.now()
    attempts = email.notification_attempts + 1
    try:
        message = _message(email, subscriptions, weeks_updates, connection)
        if message is None:
            _mark(email, next_notification_at=None, last_notification_error="nothing to send: unsubscribed")
            return True
        connection.open()  # a no-op while open; after a failure, a new connection
        connection.send_messages([message])
    except Exception as exc:  # any mail failure: server down, address refused, timeout
        logger.warning("update email %s not sent: %s", email.pk, type(exc).__name__)
        connection.close()
        _mark(email, **_failed(attempts, exc, now))
        return False
    _mark(email, sent_at=now, **_sent(attempts))
    return True


# The confirmation emails ---------------------------------------------------


def deliver_confirmation(subscription):
    """Send a subscription's confirmation email; on failure, schedule another try. True when sent."""
    attempts = subscription.notification_attempts + 1
    try:
        emails.confirmation(subscription).send()
    except Exception as exc:
        logger.warning("confirmation email of subscription %s not sent: %s", subscription.pk, type(exc).__name__)
        Subscription.objects.filter(pk=subscription.pk).update(**_failed(attempts, exc, timezone.now()))
        return False
    Subscription.objects.filter(pk=subscription.pk).update(confirmation_sent_at=timezone.now(), **_sent(attempts))
    return True


def purge_unconfirmed(now=None):
    """Addresses whose confirmation link has expired unused are not kept: for every sending run."""
    deleted, _ = Subscription.objects.expired_unconfirmed(now).delete()
    Subscriber.objects.filter(~Q(pk__in=Subscription.objects.values("subscriber_id"))).delete()
    return deleted


def send_all():
    """The outbox's turn in send_pending_notifications: forget expired requests, send what is due."""
    purge_unconfirmed()
    return send_due()
