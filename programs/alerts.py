"""Alerts shown on public pages, read from the cache so pages stay within
their query budget, and expiring by themselves at their start and end times."""

from datetime import timedelta

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from page_cache import pages as page_cache
from page_cache.pushed import LocalCopies, listener

from .models import Alert

LONGEST = timedelta(hours=1)

# This process's copy of the list, used only while every bump reaches this
# process before its next request (page_cache/pushed.py): every
# bump, an alert's save among them, drops it, as it drops the in-memory pages.
# Every page shows the list, so this saves two cache round trips on each page rendered.
_local = LocalCopies(limit=1)


def _load(now):
    # One query: every alert not yet over; those not yet started only set the expiry.
    current = list(Alert.objects.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now)))
    alerts = [a for a in current if a.starts_at <= now]
    upcoming = [a.starts_at for a in current if a.starts_at > now] + [a.ends_at for a in alerts if a.ends_at]
    # The list is good until the next alert starts or ends.
    return {"alerts": alerts, "until": min(upcoming + [now + LONGEST])}


def active_alerts():
    """Every alert showing now, and until when that list holds."""
    now = timezone.now()
    listener.ensure_started()
    trusted = listener.trusted()  # first: it drops the list if a bump happened
    epoch = listener.epoch
    entry = _local.get("entry")
    if entry is not None and trusted and entry["until"] > now:
        return entry
    entry = _shared_alerts(now)
    _local.keep("entry", entry, epoch)
    return entry


def _shared_alerts(now):
    try:
        version = page_cache.current_versions({"alerts"})["alerts"]
        key = f"alerts:active:{version}"
        entry = cache.get(key)
        if entry is None or entry["until"] <= now:
            entry = _load(now)
            cache.set(key, entry, timeout=max(1, int((entry["until"] - now).total_seconds())))
    except Exception:
        entry = _load(now)  # cache down: straight from the database
    return entry


def alerts_for(program_id=None):
    return [a for a in active_alerts()["alerts"] if a.program_id is None or a.program_id == program_id]


def seconds_until_change():
    """How long a page showing alerts may stay cached."""
    return (active_alerts()["until"] - timezone.now()).total_seconds()


page_cache.register_ttl_cap(seconds_until_change)
