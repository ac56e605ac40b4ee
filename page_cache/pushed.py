"""Invalidation every process learns of before its next hit, so a page kept in
memory is served without asking the shared cache first.

With Redis (several hosts), `page_cache.bump()` publishes on a Redis channel
after it has given the tags new versions; a thread in each gunicorn worker
listens and, on any message, drops that process's in-memory pages. While the
subscription is live, an in-memory page is good until such a message
arrives: a hit then costs no round trip at all, and a change saved on any
instance reaches the others within milliseconds (the time Redis takes to
deliver the message).

Safety: when the subscription is lost (Redis restarted or unreachable), the
in-memory pages are dropped and the fast path is off until the listener has
subscribed again, so a message missed meanwhile can never leave a stale page
in use; meanwhile every hit checks the tag versions in Redis as before. The
`epoch` counts messages and subscription changes: a page read before a bump
is not kept in memory if a message arrived while it was being read.

With the file cache (one host, no REDIS_URL) there is no channel, and no
need for one: every process of the host sees the same folder. `bump()`
replaces a small file there (`HostGeneration`) with a new random token, after
the new versions are written, and every hit reads that file first: one open
and read of a few bytes, where checking the tag versions meant opening and
unpickling one cache file per tag. While the token is the one this process
read last, its in-memory pages stand; when it has changed they are dropped
before the hit is served, so a save is seen by every worker's next hit. When
the file cannot be read (deleted, by clearing the cache among others, or
unreadable), that hit checks the tag versions as before, and a missing file
is written anew.
"""

import contextlib
import logging
import os
import tempfile
import threading
import time
import uuid
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

RETRY_SECONDS = 1
# A connection that dies silently (no reset) would otherwise leave the listener
# waiting forever while in-memory pages are served: ping when idle, and give up
# on the subscription when nothing at all has come back for this long.
PING_EVERY_SECONDS = 5
SILENCE_LIMIT_SECONDS = 15
# In the file cache's folder, named like its entries on purpose: clearing the
# cache deletes it too, so every worker checks the versions and drops its
# in-memory pages, as clearing the cache always meant (and culling, now and
# then, costs a re-read of the pages from the cache folder).
HOST_GENERATION_FILE = f"page-cache-generation{FileBasedCache.cache_suffix}"


class HostGeneration:
    """The file cache's announcement of bumps to every process of the host: a
    file in the cache folder whose random token every bump replaces."""

    def __init__(self, forget):
        self._forget = forget
        self._seen = None  # the token this process read last
        self._lock = threading.Lock()
        self._conf = None
        self._path = None
        self._failing = False

    def path(self):
        """The file, or None when the cache is not the file cache."""
        conf = settings.CACHES["default"]
        if conf is not self._conf:  # worked out again only when the settings change (tests)
            backend = import_string(conf["BACKEND"])
            folder = os.path.abspath(conf["LOCATION"])
            self._path = os.path.join(folder, HOST_GENERATION_FILE) if issubclass(backend, FileBasedCache) else None
            self._conf = conf
        return self._path

    def unchanged(self):
        """True while this process may serve its in-memory copies: the host's
        generation is the one it read last, or has just been read anew after the
        copies were dropped. False when the file cannot be read."""
        path = self.path()
        if path is None:
            return False
        try:
            fd = os.open(path, os.O_RDONLY)
            try:
                token = os.read(fd, 64)
            finally:
                os.close(fd)
        except OSError as exc:
            self._seen = None  # whatever is kept meanwhile is dropped when the file is back
            if isinstance(exc, FileNotFoundError):
                self._repair(path)
            return False
        if token != self._seen:
            with self._lock:
                if token != self._seen:
                    # Dropped before the new token counts as seen: no thread that
                    # reads it can find a copy kept before it.
                    self._forget()
                    self._seen = token
        return True

    def bump(self):
        """A new generation: every process of the host drops its in-memory copies before its next hit."""
        path = self.path()
        if path is None:
            return
        try:
            _write_token(path)
        except OSError:
            # The old token would let the other processes keep serving their
            # copies: without the file, they check the tag versions instead.
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            raise

    def _repair(self, path):
        """Write a missing file (a fresh host, a cleared cache). Any new token
        only makes every process drop its copies, so this is always safe."""
        try:
            _write_token(path)
            self._failing = False
        except OSError as exc:
            if not self._failing:
                logger.warning("cannot write %s (%s); checking the tag versions on every hit", path, exc)
                self._failing = True


def _write_token(path):
    """Replace the file in one step (a rename): a reader sees the old token or the new, never half of one."""
    folder = os.path.dirname(path)
    os.makedirs(folder, 0o700, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{HOST_GENERATION_FILE}-")
    try:
        try:
            os.write(fd, uuid.uuid4().hex.encode())
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


class Listener:
    def __init__(self):
        self.epoch = 0
        self.listening = False
        self._pid = None
        self._on_message = []
        self._watch = None
        self._start_lock = threading.Lock()
        self._forget_lock = threading.Lock()
        self.host = HostGeneration(self._forget)

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
        with self._forget_lock:
            self.epoch += 1  # before the copies go: a copy read before this is never kept after it
        for callback in self._on_message:
            callback()

    def trusted(self):
        """May this process serve its in-memory copies without asking the shared
        cache? With Redis, while the subscription is live; with the file cache,
        while the host's generation file can be read (the copies are dropped
        first if it has changed). Call it before reading `epoch` and the copies."""
        return self.listening or self.host.unchanged()

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
    from .redis_cache import RedisCache

    return isinstance(caches["default"], RedisCache)


def publish():
    """Tell every process that tags were bumped (after their new versions are set)."""
    if supported():
        caches["default"]._cache.get_client(write=True).publish(listener.channel, b"bump")
    else:
        listener.host.bump()


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
