"""Per-address limits, counted in a shared cache so they hold across gunicorn
workers and instances (Redis in production; without it, a folder of the file
cache of their own, CACHES["counters"], so that writing a count never lists
the thousands of cached pages beside it).

The public forms use the defaults (FORM_RATE_LIMIT per FORM_RATE_WINDOW); the
open-data API (open_data/) passes its own scope, limit and window, and counts
every request with `counted_over_limit`.
"""

import contextlib
import threading
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
    return _window_key(scope, _address(request), int(time.time() // window))


def _window_key(scope, address, window_number):
    return f"{scope}-rate:{address}:{window_number}"


def _address(request):
    return client_ip(request) or "unknown"


def is_limited(request, scope="form", limit=None, window=None):
    limit = settings.FORM_RATE_LIMIT if limit is None else limit
    window = window or settings.FORM_RATE_WINDOW
    try:
        return (_counters().get(_key(request, scope, window)) or 0) >= limit
    except Exception:
        return False  # no cache, no limit: never block a resident because Redis is down


def count(request, scope="form", window=None):
    window = window or settings.FORM_RATE_WINDOW
    with contextlib.suppress(Exception):  # the limit is best effort when the cache is down
        _add_to_shared_count(_key(request, scope, window), 1, window)


def counted_over_limit(request, scope, limit, window):
    """Count this request and say whether it is past `limit` in the current window.

    Counted in this process and added to the shared count in batches (see
    `BatchedCounts`): for the API, which counts every request (those the page
    cache answers included), one shared write per request was half the cost
    of a cached answer, with Redis as with the file cache.
    """
    batches = _batches.get((scope, window))
    if batches is None:
        batches = _batches.setdefault((scope, window), BatchedCounts(scope, window))
    return batches.over_limit(_address(request), limit)


def _add_to_shared_count(key, n, window):
    """The shared count of `key` after adding `n` (created with the window as its lifetime).

    Atomic in Redis; the single-host file cache may miss a count when two
    adds land in the same instant.
    """
    counters = _counters()
    try:
        return counters.incr(key, n)
    except ValueError:  # the window's first count from this address
        if counters.add(key, n, timeout=window):
            return n
        return counters.incr(key, n)


# Past this many addresses in one window, a process counts new ones straight in the shared
# cache: a flood from many addresses cannot grow a worker.
LOCAL_ADDRESSES = 50_000


class BatchedCounts:
    """One scope's per-address counts in this process, added to the shared count in batches.

    An address's requests are added once `batch_size(limit)` of them are
    pending here, or as soon as its count here could pass the limit, when the
    shared count decides. So one process alone refuses exactly the request
    past the limit; with several workers and instances, an address may make
    up to (batch - 1) more per process before the shared count sees them: 5
    per worker at the API's default of 120 a minute. An address past the limit
    is refused without asking again until the window ends.
    """

    def __init__(self, scope, window):
        self.scope, self.window = scope, window
        self._lock = threading.Lock()
        self._current = None  # the window these counts are for
        self._pending = {}  # address -> requests not added to the shared count yet
        self._shared = {}  # address -> the shared count when last added to

    def over_limit(self, address, limit):
        now = int(time.time() // self.window)
        key = _window_key(self.scope, address, now)
        with self._lock:
            if self._current is None or now > self._current:  # a new window: every count starts again
                self._current, self._pending, self._shared = now, {}, {}
            if now < self._current or (address not in self._pending and len(self._pending) >= LOCAL_ADDRESSES):
                # A thread that read the clock just before the window turned (counted in its own
                # window, without turning this process's counts back), or a flood of addresses.
                pending = None
            else:
                shared = self._shared.get(address, 0)
                if shared > limit:
                    return True
                pending = self._pending[address] = self._pending.get(address, 0) + 1
                if pending < batch_size(limit) and shared + pending <= limit:
                    return False
                self._pending[address] = 0
                # This process's own count of the address, exact: the other threads count from it
                # until the shared count answers, and it decides if that answer comes back lower
                # (another thread's add still on its way). One process alone lets none past.
                counted = self._shared[address] = shared + pending
        try:
            total = _add_to_shared_count(key, pending or 1, self.window)
        except Exception:
            return False  # no cache, no limit: never block a resident because Redis is down
        if pending is None:
            return total > limit
        with self._lock:
            if self._current == now:
                self._shared[address] = max(total, self._shared.get(address, 0))
        return max(total, counted) > limit

    def forget(self):
        with self._lock:
            self._current, self._pending, self._shared = None, {}, {}


def batch_size(limit):
    """Requests of an address counted here before they are added to the shared count."""
    return max(1, min(limit // 20, 100))


_batches = {}


def forget_local_counts():
    """Drop the counts this process has not added to the shared cache yet (tests, after clearing it)."""
    for batches in list(_batches.values()):
        batches.forget()


def seconds_left(window=None):
    """Seconds until the current window ends and the count starts again (for Retry-After)."""
    window = window or settings.FORM_RATE_WINDOW
    return max(1, int(window - time.time() % window))
