"""Purges of the shared cache, after every change, that never hold up or fail the change.

`page_cache.bump()` runs once the change has committed, on the thread that saved it (an admin
save); it hands the keys to this process's queue and returns. A thread of the process sends
them (purging whatever has gathered meanwhile in one go), and while the cache cannot be
reached keeps them and tries again, waiting longer each time (up to a minute), logging the
first failure and the recovery. Each purge is sent a second time SHARED_CACHE_REPURGE_SECONDS
later: a page rendered from the old data just before the change can reach the cache after the
first purge did, and would otherwise be kept for a day.

Counted in /metrics: purges sent and failed, keys purged, keys waiting. Keys still waiting when
the process stops are tried once more and, if that fails, logged: `manage.py purge_shared_cache`
sends them (or `--all`) by hand.
"""

import atexit
import logging
import os
import threading
import time

from django.conf import settings

from site_ops.metrics import SHARED_CACHE_PURGE_PENDING, SHARED_CACHE_PURGED_KEYS, SHARED_CACHE_PURGES

from . import caches, keys

logger = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 0.5
LONGEST_WAIT_SECONDS = 60


class PurgeQueue:
    def __init__(self, cache=caches.configured):
        self._cache = cache
        self._due = {}  # key: (when to send it, send it again after it has gone?)
        self._condition = threading.Condition()
        self._pid = None
        self._retry_in = 0
        self._failing = False
        self.sending = False

    def add(self, purge_keys, delay=0.0, repeat=True):
        when = time.monotonic() + delay
        with self._condition:
            for key in purge_keys:
                earlier, again = self._due.get(key, (when, False))
                self._due[key] = (min(earlier, when), again or repeat)
            SHARED_CACHE_PURGE_PENDING.set(len(self._due))
            self._condition.notify()
        self._ensure_started()

    def pending(self):
        with self._condition:
            return sorted(self._due)

    def wait_until_sent(self, timeout):
        """True once nothing is due and nothing is being sent (repeats scheduled later aside)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._condition:
                now = time.monotonic()
                if not self.sending and all(when > now + 0.05 for when, _ in self._due.values()):
                    return True
            time.sleep(0.01)
        return False

    def _ensure_started(self):
        if self._pid == os.getpid():
            return
        with self._condition:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()  # a forked worker starts its own thread
            threading.Thread(target=self._run, name="shared-cache-purges", daemon=True).start()
            atexit.register(self._last_try)

    def _take_due(self):
        """Wait for keys that are due; take them all."""
        with self._condition:
            while True:
                now = time.monotonic()
                due = {key: again for key, (when, again) in self._due.items() if when <= now}
                if due:
                    for key in due:
                        del self._due[key]
                    self.sending = True
                    return due
                waits = [when - now for when, _ in self._due.values()]
                self._condition.wait(timeout=min(waits) if waits else None)

    def _run(self):
        while True:
            due = self._take_due()
            try:
                self._send(sorted(due))
            except Exception as exc:
                self._retry_in = min(LONGEST_WAIT_SECONDS, max(FIRST_RETRY_SECONDS, self._retry_in * 2))
                if not self._failing:
                    logger.warning(
                        "shared cache purge failed (%s); %d keys kept and retried every %s s at most",
                        exc,
                        len(due),
                        LONGEST_WAIT_SECONDS,
                    )
                    self._failing = True
                for key, again in due.items():
                    self.add([key], delay=self._retry_in, repeat=again)
            else:
                if self._failing:
                    logger.info("shared cache purges delivered again (%d keys)", len(due))
                    self._failing = False
                self._retry_in = 0
                again = [key for key, repeat in due.items() if repeat]
                if again and settings.SHARED_CACHE_REPURGE_SECONDS > 0:
                    self.add(again, delay=settings.SHARED_CACHE_REPURGE_SECONDS, repeat=False)
            finally:
                with self._condition:
                    self.sending = False
                    SHARED_CACHE_PURGE_PENDING.set(len(self._due))

    def _send(self, purge_keys):
        cache = self._cache()
        if cache is None:  # SHARED_CACHE turned off meanwhile (tests)
            return
        try:
            cache.purge(purge_keys)
        except Exception:
            SHARED_CACHE_PURGES.labels(result="failed").inc()
            raise
        SHARED_CACHE_PURGES.labels(result="sent").inc()
        SHARED_CACHE_PURGED_KEYS.inc(len(purge_keys))

    def _last_try(self):
        left = self.pending()
        if not left:
            return
        try:
            self._send(left)
        except Exception as exc:
            logger.error(
                "shared cache purge not delivered before the process stopped (%s); run "
                "`manage.py purge_shared_cache %s`",
                exc,
                " ".join(left),
            )


queue = PurgeQueue()


def after_bump(tags, languages):
    """page_cache's bump listener: the same pages, at the shared cache, after the commit."""
    if settings.SHARED_CACHE == "none":
        return
    queue.add(keys.for_change(tags, languages))
