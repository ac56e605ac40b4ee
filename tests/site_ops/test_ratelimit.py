"""Per-address counts (site_ops/ratelimit.py): the API's single-operation count, in a cache of their own."""

from django.core.cache import caches
from django.test import RequestFactory

from site_ops import ratelimit


def request_from(address):
    return RequestFactory().get("/api/v1/programs", REMOTE_ADDR=address)


def test_the_request_past_the_limit_is_the_first_refused_and_addresses_count_apart():
    verdicts = [ratelimit.counted_over_limit(request_from("192.0.2.1"), "api", 3, 60) for _ in range(5)]
    assert verdicts == [False, False, False, True, True]
    assert ratelimit.counted_over_limit(request_from("192.0.2.2"), "api", 3, 60) is False


def test_once_the_window_has_a_count_each_request_is_one_cache_operation(monkeypatch):
    counters = caches["counters"]
    ratelimit.counted_over_limit(request_from("192.0.2.3"), "api", 10, 60)
    calls, inside = [], []

    def recorded(name, original):
        def call(*args, **kwargs):
            # What ratelimit asks, not how the backend does it (the file cache's incr is a get and a set).
            if not inside:
                calls.append(name)
            inside.append(name)
            try:
                return original(*args, **kwargs)
            finally:
                inside.pop()

        return call

    for name in ("get", "set", "add", "incr", "has_key"):
        monkeypatch.setattr(counters, name, recorded(name, getattr(counters, name)))
    ratelimit.counted_over_limit(request_from("192.0.2.3"), "api", 10, 60)
    assert calls == ["incr"]


def test_counts_live_apart_from_the_cached_pages():
    ratelimit.counted_over_limit(request_from("192.0.2.4"), "api", 10, 60)
    key = ratelimit._key(request_from("192.0.2.4"), "api", 60)
    assert caches["counters"].get(key) == 1
    assert caches["default"].get(key) is None


def test_a_cache_that_fails_limits_nobody(monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(caches["counters"], "incr", down)
    monkeypatch.setattr(caches["counters"], "add", down)
    assert ratelimit.counted_over_limit(request_from("192.0.2.5"), "api", 0, 60) is False


def test_with_a_large_limit_requests_are_added_to_the_shared_count_in_batches(monkeypatch):
    counters = caches["counters"]
    limit = 200
    batch = ratelimit.batch_size(limit)
    assert batch > 1
    writes = []
    original = ratelimit._add_to_shared_count
    monkeypatch.setattr(ratelimit, "_add_to_shared_count", lambda *args: writes.append(args[1]) or original(*args))
    verdicts = [ratelimit.counted_over_limit(request_from("192.0.2.6"), "api", limit, 60) for _ in range(batch * 3)]
    assert verdicts == [False] * (batch * 3)
    assert writes == [batch] * 3  # one shared write per batch, not per request
    assert counters.get(ratelimit._key(request_from("192.0.2.6"), "api", 60)) == batch * 3


def test_batched_counts_still_refuse_exactly_the_request_past_the_limit():
    limit = 200
    verdicts = [ratelimit.counted_over_limit(request_from("192.0.2.7"), "api", limit, 60) for _ in range(limit + 3)]
    assert verdicts == [False] * limit + [True] * 3


def test_other_workers_counts_are_seen_at_the_next_batch():
    """Another process's requests are in the shared count: this one refuses once its batch adds up past the limit."""
    limit = 200
    batch = ratelimit.batch_size(limit)
    key = ratelimit._key(request_from("192.0.2.8"), "api", 60)
    caches["counters"].set(key, limit - batch + 1, timeout=60)  # counted by the other workers
    verdicts = [ratelimit.counted_over_limit(request_from("192.0.2.8"), "api", limit, 60) for _ in range(batch + 1)]
    assert verdicts[: batch - 1] == [False] * (batch - 1)
    assert verdicts[batch - 1 :] == [True, True]


def test_a_new_window_starts_every_count_again(monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    verdicts = [ratelimit.counted_over_limit(request_from("192.0.2.9"), "api", 200, 60) for _ in range(203)]
    assert verdicts[-1] is True
    now[0] += 60
    assert ratelimit.counted_over_limit(request_from("192.0.2.9"), "api", 200, 60) is False


def test_threads_of_one_worker_let_exactly_the_limit_through(monkeypatch):
    """While one thread adds its batch to the shared count, the others count from what it added."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    original = ratelimit._add_to_shared_count

    def slow(*args):
        time.sleep(0.002)  # a round trip to Redis, during which other threads run
        return original(*args)

    monkeypatch.setattr(ratelimit, "_add_to_shared_count", slow)
    monkeypatch.setattr(ratelimit.time, "time", lambda: 1_000_020.0)  # one window throughout
    limit, requests, barrier = 120, 300, threading.Barrier(16)

    def one(_):
        if _ < 16:
            barrier.wait()
        return ratelimit.counted_over_limit(request_from("192.0.2.10"), "api", limit, 60)

    with ThreadPoolExecutor(16) as pool:
        verdicts = list(pool.map(one, range(requests)))
    assert verdicts.count(False) == limit


def test_a_thread_that_read_the_clock_before_the_window_turned_does_not_turn_the_counts_back(monkeypatch):
    now = [1_000_020.0]  # window 16,667 of 60 s
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    limit = 200
    batch = ratelimit.batch_size(limit)
    for _ in range(batch - 1):
        ratelimit.counted_over_limit(request_from("192.0.2.11"), "api", limit, 60)  # pending here
    now[0] -= 60  # a request whose thread read the previous window's time
    ratelimit.counted_over_limit(request_from("192.0.2.11"), "api", limit, 60)
    now[0] += 60
    ratelimit.counted_over_limit(request_from("192.0.2.11"), "api", limit, 60)  # completes the batch
    assert caches["counters"].get(ratelimit._key(request_from("192.0.2.11"), "api", 60)) == batch
