"""Per-address limit on form submissions, counted in the shared cache so it
holds across gunicorn workers and instances (Redis in production)."""

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


def _key(request):
    window = int(time.time() // settings.FORM_RATE_WINDOW)
    return f"form-rate:{client_ip(request) or 'unknown'}:{window}"


def is_limited(request):
    try:
        return (cache.get(_key(request)) or 0) >= settings.FORM_RATE_LIMIT
    except Exception:
        return False  # no cache, no limit: never block a resident because Redis is down


def count(request):
    key = _key(request)
    try:
        # add() then incr() is atomic in Redis; the single-host file cache may
        # miss a count when two posts land in the same instant.
        cache.add(key, 0, timeout=settings.FORM_RATE_WINDOW)
        cache.incr(key)
    except Exception:  # noqa: S110 (the limit is best effort when the cache is down)
        pass
