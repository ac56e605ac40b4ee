"""Each change purges its keys at the shared cache after it commits, as each service documents
its purge API, batched to its limits; a purge never fails the change, and waits while the cache
cannot be reached. The CDNs are played by a real HTTP server on 127.0.0.1 that checks each request."""

import base64
import hashlib
import hmac
import json
import re
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from shared_cache import caches, purges
from site_ops.metrics import SHARED_CACHE_PURGES
from tests.factories import ProgramFactory
from tests.local_tools import free_port
from tests.shared_cache.recording_server import RecordingServer

MANY = [f"school-{n}-en" for n in range(600)]


def wait_for(condition, seconds=3):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_fastly_is_purged_by_its_batch_api_256_keys_a_call(settings):
    settings.SHARED_CACHE, settings.FASTLY_SERVICE_ID, settings.FASTLY_API_TOKEN = "fastly", "SVC1", "tok"
    with RecordingServer(lambda r: (200, json.dumps({k: "id" for k in r.json()["surrogate_keys"]}).encode())) as api:
        settings.SHARED_CACHE_API_URL = api.url
        caches.configured().purge(MANY)
    assert [len(r.json()["surrogate_keys"]) for r in api.requests] == [256, 256, 88]
    for request in api.requests:
        assert (request.method, request.path) == ("POST", "/service/SVC1/purge")
        assert request.headers["Fastly-Key"] == "tok"
        assert request.headers["Content-Type"] == "application/json"
    assert sum((r.json()["surrogate_keys"] for r in api.requests), []) == MANY


def test_cloudflare_is_purged_by_tag_100_a_call(settings):
    settings.SHARED_CACHE, settings.CLOUDFLARE_ZONE_ID, settings.CLOUDFLARE_API_TOKEN = "cloudflare", "ZONE9", "cf"
    answer = {"success": True, "errors": [], "messages": [], "result": {"id": "ZONE9"}}
    with RecordingServer(lambda r: (200, json.dumps(answer).encode())) as api:
        settings.SHARED_CACHE_API_URL = api.url
        caches.configured().purge(MANY)
    assert [len(r.json()["tags"]) for r in api.requests] == [100] * 6
    for request in api.requests:
        assert (request.method, request.path) == ("POST", "/client/v4/zones/ZONE9/purge_cache")
        assert request.headers["Authorization"] == "Bearer cf"


def test_cloudflare_saying_it_failed_is_a_failure(settings):
    settings.SHARED_CACHE, settings.CLOUDFLARE_ZONE_ID, settings.CLOUDFLARE_API_TOKEN = "cloudflare", "Z", "cf"
    refused = {"success": False, "errors": [{"code": 1134, "message": "Cache purge by tag not allowed"}]}
    with RecordingServer(lambda r: (200, json.dumps(refused).encode())) as api:
        settings.SHARED_CACHE_API_URL = api.url
        with pytest.raises(caches.PurgeFailed):
            caches.configured().purge(["program-7-en"])


def edgegrid_signature_is_valid(request, url, secret):
    """Akamai's check of an EdgeGrid request, as its documentation states it."""
    auth = request.headers["Authorization"]
    match = re.fullmatch(
        r"EG1-HMAC-SHA256 client_token=(?P<ct>[^;]+);access_token=(?P<at>[^;]+);"
        r"timestamp=(?P<ts>\d{8}T\d\d:\d\d:\d\d\+0000);nonce=(?P<nonce>[^;]+);signature=(?P<sig>.+)",
        auth,
    )
    assert match, auth
    signed_part = auth[: auth.index("signature=")]
    content_hash = base64.b64encode(hashlib.sha256(request.body).digest()).decode()
    host = url.split("://", 1)[1]
    data = "\t".join(["POST", "http", host, request.path, "", content_hash, signed_part])
    key = base64.b64encode(hmac.new(secret.encode(), match["ts"].encode(), hashlib.sha256).digest())
    expected = base64.b64encode(hmac.new(key, data.encode(), hashlib.sha256).digest()).decode()
    return match["sig"] == expected and (match["ct"], match["at"]) == ("akab-client", "akab-access")


def test_akamai_is_invalidated_by_cache_tag_with_a_signed_request_under_50000_bytes(settings):
    settings.SHARED_CACHE = "akamai"
    settings.AKAMAI_HOST = "akab-host.purge.akamaiapis.net"
    settings.AKAMAI_CLIENT_TOKEN, settings.AKAMAI_ACCESS_TOKEN = "akab-client", "akab-access"
    settings.AKAMAI_CLIENT_SECRET = "c2VjcmV0"
    many = [f"school-{n}-{'x' * 100}" for n in range(800)]  # about 90 KB of tags
    with RecordingServer(lambda r: (201, b'{"httpStatus": 201, "detail": "Request accepted"}')) as api:
        settings.SHARED_CACHE_API_URL = api.url
        caches.configured().purge(many)
    assert len(api.requests) == 2
    for request in api.requests:
        assert (request.method, request.path) == ("POST", "/ccu/v3/invalidate/tag/production")
        assert len(request.body) < 50000
        assert edgegrid_signature_is_valid(request, api.url, "c2VjcmV0")
    assert sum((r.json()["objects"] for r in api.requests), []) == many


def test_varnish_is_purged_with_the_keys_in_a_purge_request_to_each_address(settings):
    settings.SHARED_CACHE = "varnish"
    with RecordingServer(lambda r: (200, b"Purged")) as one, RecordingServer(lambda r: (200, b"Purged")) as two:
        settings.SHARED_CACHE_PURGE_URLS = [one.url + "/", two.url + "/"]
        caches.configured().purge(MANY)
    for server in (one, two):
        assert {r.method for r in server.requests} == {"PURGE"}
        assert all(len(r.headers["xkey-purge"]) <= 4096 for r in server.requests)
        assert sum((r.headers["xkey-purge"].split(" ") for r in server.requests), []) == MANY


@pytest.fixture
def fastly_api(settings):
    settings.SHARED_CACHE, settings.FASTLY_SERVICE_ID, settings.FASTLY_API_TOKEN = "fastly", "SVC", "tok"
    settings.SHARED_CACHE_REPURGE_SECONDS = 0
    with RecordingServer(lambda r: (200, b"{}")) as api:
        settings.SHARED_CACHE_API_URL = api.url
        yield api


@pytest.mark.django_db(transaction=True)
def test_a_save_purges_its_pages_keys_after_the_commit_and_not_before(fastly_api):
    program = ProgramFactory()
    assert purges.queue.wait_until_sent(5)
    fastly_api.requests.clear()
    with transaction.atomic():
        program.summary = "New summary."
        program.save()
        time.sleep(0.2)
        assert fastly_api.requests == []  # not while the change may still be rolled back
    assert wait_for(lambda: fastly_api.requests)
    purged = set(sum((r.json()["surrogate_keys"] for r in fastly_api.requests), []))
    assert {f"program-{program.pk}-en", f"program-{program.pk}-es", f"agency-{program.agency_id}-en"} <= purged


@pytest.mark.django_db(transaction=True)
def test_a_save_while_the_cache_is_unreachable_succeeds_at_once_and_the_purge_lands_when_it_is_back(settings):
    settings.SHARED_CACHE, settings.SHARED_CACHE_REPURGE_SECONDS = "varnish", 0
    port = free_port()
    settings.SHARED_CACHE_PURGE_URLS = [f"http://127.0.0.1:{port}/"]  # nothing listens there yet
    failed_before = SHARED_CACHE_PURGES.labels(result="failed")._value.get()
    started = time.monotonic()
    program = ProgramFactory()
    assert time.monotonic() - started < 1
    key = f"program-{program.pk}-en"
    # The factory's rows commit one by one (the state, the agency, then the program), each bump queued
    # after its commit: wait until the program's own key has failed once and is kept for a retry.
    assert wait_for(
        lambda: (
            SHARED_CACHE_PURGES.labels(result="failed")._value.get() > failed_before and key in purges.queue.pending()
        )
    )
    server = RecordingServer(lambda r: (200, b"Purged"))
    server._httpd.server_close()  # rebind on the very port the purges go to
    from http.server import ThreadingHTTPServer

    server._httpd = ThreadingHTTPServer(("127.0.0.1", port), server._httpd.RequestHandlerClass)
    with server:
        assert wait_for(lambda: any(key in r.headers["xkey-purge"].split(" ") for r in server.requests), 5)
    assert key not in purges.queue.pending()


def test_the_command_purges_every_page_or_the_keys_given(fastly_api, capsys):
    call_command("purge_shared_cache", "--all")
    call_command("purge_shared_cache", "program:7", "agency-3-en")
    assert [r.json()["surrogate_keys"] for r in fastly_api.requests] == [
        ["site"],
        ["agency-3-en", "program-7-en", "program-7-es"],
    ]


def test_the_command_says_so_when_the_cache_cannot_be_reached(settings):
    settings.SHARED_CACHE, settings.SHARED_CACHE_PURGE_URLS = "varnish", [f"http://127.0.0.1:{free_port()}/"]
    with pytest.raises(CommandError, match="purge failed"):
        call_command("purge_shared_cache", "--all")


def test_the_command_refuses_without_a_shared_cache(settings):
    settings.SHARED_CACHE = "none"
    with pytest.raises(CommandError, match="none"):
        call_command("purge_shared_cache", "--all")


@pytest.mark.django_db
def test_the_purges_are_counted_in_the_metrics(fastly_api, client):
    purges.queue.add(["program-1-en"])
    assert wait_for(lambda: fastly_api.requests)
    body = client.get("/metrics").content.decode()
    assert re.search(r'^sro_shared_cache_purges_total\{result="sent"\} [1-9]', body, re.M)
    assert "sro_shared_cache_purge_pending" in body
