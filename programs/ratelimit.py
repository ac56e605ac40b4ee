"""Per-address limits, counted in a shared cache so they hold across gunicorn
workers and instances (Redis in production; without it, a folder of the file
cache of their own, CACHES["counters"], so that writing a count never lists
the thousands of cached pages beside it).

The public forms use the defaults (FORM_RATE_LIMIT per FORM_RATE_WINDOW); the
open-data API (open_data/) passes its own scope, limit and window, and counts
every request with `counted_over_limit`.
"""

import time

from django.conf import settings
from django.core.cache import caches


def _counters():
    return caches["counters"]


def client_ip(request):
    """The connection's address, or the one NUM_PROXIES trusted proxies report."""
    if settings.NUM_PROXIES:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= settings.NUM_PROXIES:
            return forwarded[-settings.NUM_PROXIES]
    return request.META.get("REMOTE_ADDR")  # None when unknown (django-axes stores it as an address)


def _key(request, scope, window):
    return f"{scope}-rate:{client_ip(request) or 'unknown'}:{int(time.time() // window)}"


def is_limited(request, scope="form", limit=None, window=None):
    limit = settings.FORM_RATE_LIMIT if limit is None else limit
    window = window or settings.FORM_RATE_WINDOW
    try:
        return (_counters().get(_key(request, scope, window)) or 0) >= limit
    except Exception:
        return False  # no cache, no limit: never block a resident because Redis is down


def count(request, scope="form", window=None):
    window = window or settings.FORM_RATE_WINDOW
    counters, key = _counters(), _key(request, scope, window)
    try:
        # add() then incr() is atomic in Redis; the single-host file cache may
        # miss a count when two posts land in the same instant.
        counters.add(key, 0, timeout=window)
        counters.incr(key)
    except Exception:  # noqa: S110 (the limit is best effort when the cache is down)
        pass


def counted_over_limit(request, scope, limit, window):
    """Count this request and say whether it is past `limit` in the current window.

    One cache operation once the window has a count, where asking then counting
    took three: for the API, which counts every request (those the page cache
    answers included), they were most of the cost of a cached answer.
    """
    counters, key = _counters(), _key(request, scope, window)
    try:
        try:
            return counters.incr(key) > limit
        except ValueError:  # the window's first request from this address
            if counters.add(key, 1, timeout=window):
                return limit < 1
            return counters.incr(key) > limit
    except Exception:
        return False  # no cache, no limit


def seconds_left(window=None):
    """Seconds until the current window ends and the count starts again (for Retry-After)."""
    window = window or settings.FORM_RATE_WINDOW
    return max(1, int(window - time.time() % window))
