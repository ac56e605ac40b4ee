"""/healthz for load balancers: 200 when the database and the cache answer, 503 otherwise.

What needs a person but not a restart (emails waiting for more than an hour) is
listed under "warnings" in the body, with the status still 200: a load balancer
must not take an instance out of service because the mail server is down."""

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from site_ops import pending_emails

logger = logging.getLogger(__name__)


def _database_ok():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache_ok():
    # A key of its own per probe: with one shared key, two instances probed at
    # once would read each other's token and report a healthy Redis as failing.
    key, token = f"healthz:{uuid.uuid4().hex}", "ok"
    cache.set(key, token, 10)
    try:
        return cache.get(key) == token
    finally:
        cache.delete(key)


@never_cache
def healthz(request):
    # Deliberately no session or user lookup: probes every few seconds must stay cheap.
    checks = {}
    for name, check in (("database", _database_ok), ("cache", _cache_ok)):
        try:
            checks[name] = "ok" if check() else "failing"
        except Exception:
            logger.exception("health check %s failed", name)
            checks[name] = "failing"
    healthy = all(state == "ok" for state in checks.values())
    body = {"status": "ok" if healthy else "failing", **checks}
    if checks["database"] == "ok":
        warnings = _warnings()
        if warnings:
            body["warnings"] = warnings
    return JsonResponse(body, status=200 if healthy else 503)


def _warnings():
    try:
        stale = pending_emails.stale_counts()
    except Exception:
        logger.exception("health check of pending emails failed")
        return ["pending emails could not be counted"]
    if not stale:
        return []
    # Every outbox an app registers, named by its records (submissions, update emails...).
    outboxes = ", ".join(f"{name}: {count}" for name, count in stale.items())
    return [
        f"{sum(stale.values())} record(s) in the outboxes with an email waiting for more than an hour "
        f"({outboxes}): check the mail server (EMAIL_URL) and the send_pending_notifications cron line"
    ]
