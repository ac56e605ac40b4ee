"""When a program page is due for its content owner's review, and confirming it."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

# The history's reason for a confirmed review: stored in English, shown in the admin's language (home.py).
REVIEWED_TODAY = gettext_noop("Reviewed today: every fact on the page checked")


def review_cutoff(today: date | None = None) -> date:
    """Pages last reviewed before this date are due for review."""
    return (today or timezone.localdate()) - timedelta(days=settings.REVIEW_INTERVAL_DAYS)


def review_due_condition(today: date | None = None) -> Q:
    return Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=review_cutoff(today))


def is_review_due(program, today: date | None = None) -> bool:
    return program.last_reviewed is None or program.last_reviewed < review_cutoff(today)


def mark_reviewed_today(program, user):
    """Record that `user` checked every fact on the page today.

    Saved through the model, so the history names who confirmed it, the public
    page's cache and document are invalidated like any edit, and an editor who
    has the program's form open is told someone saved in between.
    """
    program.last_reviewed = timezone.localdate()
    program.version += 1
    program._history_user = user
    program._change_reason = REVIEWED_TODAY
    program.save(update_fields=["last_reviewed", "version", "updated_at"])
