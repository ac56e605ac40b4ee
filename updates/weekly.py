"""The weekly summary: one email per subscriber who chose it, with the updates first public
in the week just ended (Monday to Sunday, the site's time zone) by the programs and states they
follow; none for a week with nothing new. Queued once per subscriber and week (a database
constraint), so running the command twice sends nothing twice; sent like the updates' emails
(sending.py)."""

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from .models import OutgoingEmail, Subscription, Update
from .models.subscriptions import Frequency


def last_week(today=None):
    """The Monday the week before `today`'s begins on."""
    today = today or timezone.localdate()
    return today - timedelta(days=today.weekday() + 7)


def published_in(week):
    """The updates first public in the week beginning on `week` (a Monday), in the site's time zone:
    published then, or published earlier while their program was a draft and announced with it."""
    start = timezone.make_aware(datetime.combine(week, time.min))
    end = timezone.make_aware(datetime.combine(week + timedelta(days=7), time.min))
    return Update.objects.published().filter(announced_at__gte=start, announced_at__lt=end)


def queue_weekly_summaries(week):
    published = published_in(week)
    program_ids = set(published.values_list("program_id", flat=True))
    if not program_ids:
        return 0
    state_ids = set(published.values_list("program__agency__state_id", flat=True))
    subscriber_ids = (
        Subscription.objects.confirmed()
        .filter(frequency=Frequency.WEEKLY)
        .filter(Q(program_id__in=program_ids) | Q(state_id__in=state_ids))
        .subscriber_ids()
    )
    now = timezone.now()
    rows = [
        OutgoingEmail(subscriber_id=pk, week=week, created_at=now, next_notification_at=now) for pk in subscriber_ids
    ]
    OutgoingEmail.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)  # queued already: kept as it is
    return len(rows)
