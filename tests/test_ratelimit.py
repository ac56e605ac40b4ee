"""Per-address counts (programs/ratelimit.py): the API's single-operation count, in a cache of their own."""

from django.core.cache import caches
from django.test import RequestFactory

from programs import ratelimit


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
