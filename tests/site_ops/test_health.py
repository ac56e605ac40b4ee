import pytest
from django.core.cache import cache
from django.db import connection

pytestmark = pytest.mark.django_db


def test_healthy_when_database_and_cache_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_unhealthy_when_the_cache_fails(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "set", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "failing"
    assert response.json()["database"] == "ok"


def test_unhealthy_when_the_database_fails(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("database is down")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "failing"


def test_health_check_starts_no_session(client):
    response = client.get("/healthz")
    assert not response.cookies


def test_probes_of_several_instances_at_once_do_not_fail_each_other(client, monkeypatch):
    """A load balancer probes every instance; their writes to the shared cache interleave."""
    real_set = cache.set
    other_probe = []

    def set_while_another_instance_probes(*args, **kwargs):
        real_set(*args, **kwargs)
        if not other_probe:
            other_probe.append("running")
            other_probe.append(client.get("/healthz").status_code)  # between our write and our read

    monkeypatch.setattr(cache, "set", set_while_another_instance_probes)
    assert client.get("/healthz").status_code == 200
    assert other_probe == ["running", 200]


def test_health_check_leaves_nothing_in_the_cache(client, monkeypatch):
    written = []
    real_set = cache.set

    def recording_set(key, *args, **kwargs):
        written.append(key)
        real_set(key, *args, **kwargs)

    monkeypatch.setattr(cache, "set", recording_set)
    client.get("/healthz")
    assert written
    assert all(cache.get(key) is None for key in written)


def test_health_check_reads_no_session(client, django_assert_num_queries):
    client.cookies["sessionid"] = "a-session-that-does-not-exist"
    from site_ops import pending_emails

    # SELECT 1, the pending emails of each outbox (submissions, complaints, subscriptions' confirmations,
    # updates' emails), and no django_session lookup
    with django_assert_num_queries(1 + len(pending_emails.outboxes())) as queries:
        response = client.get("/healthz")
    assert not any("django_session" in query["sql"] for query in queries.captured_queries)
    assert response.status_code == 200
    assert not response.cookies
