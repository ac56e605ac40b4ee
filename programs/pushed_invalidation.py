"""Invalidation pushed to every process, so a page kept in memory is served
without asking Redis first.

`page_cache.bump()` publishes on a Redis channel after it has given the tags
new versions; a thread in each gunicorn worker listens and, on any message,
drops that process's in-memory pages. While the subscription is live, an
in-memory page is good until such a message arrives: a hit then costs no
round trip at all, and a change saved on any instance reaches the others
within milliseconds (the time Redis takes to deliver the message).

Safety: when the subscription is lost (Redis restarted or unreachable), the
in-memory pages are dropped and the fast path is off until the listener has
subscribed again, so a message missed meanwhile can never leave a stale page
in use; meanwhile every hit checks the tag versions in Redis as before. The
`epoch` counts messages and subscription changes: a page read before a bump
is not kept in memory if a message arrived while it was being read.

Only with the Redis cache backend; with the single-host file cache there is
no channel, and every hit checks the versions.
"""

import contextlib
import logging
import os
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger(__name__)

RETRY_SECONDS = 1
# A connection that dies silently (no reset) would otherwise leave the listener
# waiting forever while in-memory pages are served: ping when idle, and give up
# on the subscription when nothing at all has come back for this long.
PING_EVERY_SECONDS = 5
SILENCE_LIMIT_SECONDS = 15


class Listener:
    def __init__(self):
        self.epoch = 0
        self.listening = False
        self._pid = None
        self._on_message = []
        self._watch = None
        self._start_lock = threading.Lock()

    @property
    def channel(self):
        return f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:page-cache:bumps"

    def on_message(self, callback):
        """Call `callback()` for every bump heard and every change of the subscription."""
        self._on_message.append(callback)

    def watch(self, read_marker):
        """`read_marker()` reads a value that changes with every bump; the listener
        compares it whenever it is idle, so a bump whose message was lost (the
        publish failed) still drops the in-memory pages within seconds."""
        self._watch = read_marker

    def _marker(self):
        return self._watch() if self._watch else None

    def forget(self):
        """Drop this process's in-memory pages now (it has just bumped tags itself)."""
        self._forget()

    def _forget(self):
        self.epoch += 1
        for callback in self._on_message:
            callback()

    def ensure_started(self):
        """Start this process's listener (once per process: gunicorn forks its workers)."""
        if self._pid == os.getpid():
            return
        with self._start_lock:  # threaded servers: one listener per process
            if self._pid == os.getpid():
                return
            self.listening = False
            if supported():
                thread = threading.Thread(target=self._run, name="page-cache-invalidations", daemon=True)
                thread.start()
            self._pid = os.getpid()

    def _run(self):
        import redis

        failing = False
        while True:
            pubsub = None
            try:
                client = redis.Redis.from_url(
                    settings.CACHES["default"]["LOCATION"], socket_connect_timeout=0.5, socket_keepalive=True
                )
                pubsub = client.pubsub()
                pubsub.subscribe(self.channel)
                last_heard = time.monotonic()
                marker = None
                while True:
                    message = pubsub.get_message(timeout=PING_EVERY_SECONDS)
                    if message is None:
                        if time.monotonic() - last_heard > SILENCE_LIMIT_SECONDS:
                            raise ConnectionError("no answer from Redis")
                        pubsub.ping()
                        current = self._marker()
                        if current != marker:  # a bump was not announced
                            marker = current
                            self._forget()
                        continue
                    last_heard = time.monotonic()
                    if message["type"] == "subscribe":
                        marker = self._marker()
                        self._forget()  # anything kept before this moment may have missed a message
                        self.listening = True
                        if failing:
                            logger.info("page cache invalidations heard again")
                            failing = False
                    elif message["type"] == "message":
                        self._forget()
                        marker = self._marker()
            except Exception as exc:
                if not failing:
                    logger.warning("page cache invalidations not heard (%s); checking Redis on every hit", exc)
                    failing = True
            self.listening = False
            if pubsub is not None:
                with contextlib.suppress(Exception):  # already broken; a new one follows
                    pubsub.close()
            self._forget()
            time.sleep(RETRY_SECONDS)


def supported():
    from sro_site.redis_cache import RedisCache

    return isinstance(caches["default"], RedisCache)


def publish():
    """Tell every process that tags were bumped (after their new versions are set)."""
    if supported():
        caches["default"]._cache.get_client(write=True).publish(listener.channel, b"bump")


listener = Listener()


class LocalCopies:
    """Values this process keeps in memory: dropped on every bump heard, never
    kept if a bump was heard while they were being read, and bounded both in
    number (`limit`) and in size (`max_bytes` in all, each value measured by
    `size`), the least recently used dropped first."""

    def __init__(self, limit, max_bytes=None, size=None):
        self.limit = limit
        self.max_bytes = max_bytes
        self.bytes = 0
        self._size = size or (lambda value: 0)
        self._values = OrderedDict()  # key: (value, size), least recently used first
        self._lock = threading.Lock()  # request threads, and the listener clears from its own
        listener.on_message(self.clear)

    def __len__(self):
        return len(self._values)

    def __contains__(self, key):
        return key in self._values

    def items(self):
        with self._lock:
            return [(key, value) for key, (value, _) in self._values.items()]

    def get(self, key):
        with self._lock:
            kept = self._values.get(key)
            if kept is None:
                return None
            self._values.move_to_end(key)
            return kept[0]

    def clear(self):
        with self._lock:
            self._values.clear()
            self.bytes = 0

    def keep(self, key, value, epoch):
        """Keep `value`, read when `listener.epoch` was `epoch`, unless a bump was heard since."""
        size = self._size(value)
        with self._lock:
            if listener.epoch != epoch:
                return
            _, old_size = self._values.pop(key, (None, 0))
            self.bytes -= old_size
            if self.max_bytes is not None and size > self.max_bytes:
                return
            self._values[key] = (value, size)
            self.bytes += size
            while len(self._values) > self.limit or (self.max_bytes is not None and self.bytes > self.max_bytes):
                _, (_, dropped_size) = self._values.popitem(last=False)
                self.bytes -= dropped_size
