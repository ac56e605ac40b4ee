"""Per-address limits, counted in the shared cache so they hold across gunicorn
workers and instances (Redis in production).

The public forms use the defaults (FORM_RATE_LIMIT per FORM_RATE_WINDOW); the
open-data API (open_data/) passes its own scope, limit and window.
"""

import time

from django.conf import settings
from django.core.cache import cache


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
        return (cache.get(_key(request, scope, window)) or 0) >= limit
    except Exception:
        return False  # no cache, no limit: never block a resident because Redis is down


def count(request, scope="form", window=None):
    window = window or settings.FORM_RATE_WINDOW
    key = _key(request, scope, window)
    try:
        # add() then incr() is atomic in Redis; the single-host file cache may
        # miss a count when two posts land in the same instant.
        cache.add(key, 0, timeout=window)
        cache.incr(key)
    except Exception:  # noqa: S110 (the limit is best effort when the cache is down)
        pass


def seconds_left(window=None):
    """Seconds until the current window ends and the count starts again (for Retry-After)."""
    window = window or settings.FORM_RATE_WINDOW
    return max(1, int(window - time.time() % window))
