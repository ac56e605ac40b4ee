"""The shared caches the site can sit behind: the header each reads its keys from, its limits,
and how a purge by key reaches it (settings: SHARED_CACHE and the variables each one needs).

Purges are plain HTTP requests as each service documents them; the official clients
(`fastly`, `cloudflare`) would each bring a whole API client, its models and often `httpx`, for
one call. Each `purge()` sends every batch or raises `PurgeFailed`: the queue (purges.py) then
tries all of them again, as purging a key twice is harmless.
"""

import json
from urllib.parse import quote

import urllib3
from django.conf import settings

from . import edgegrid

_http = urllib3.PoolManager(timeout=urllib3.Timeout(connect=2, read=10), retries=False)


class PurgeFailed(Exception):
    pass


def _batches(keys, size=None, max_bytes=None, separator_bytes=1, overhead=0):
    """`keys` in runs of at most `size` keys and `max_bytes` bytes once joined."""
    batch, length = [], overhead
    for key in keys:
        added = len(key) + (separator_bytes if batch else 0)
        if batch and ((size and len(batch) >= size) or (max_bytes and length + added > max_bytes)):
            yield batch
            batch, length = [], overhead
            added = len(key)
        batch.append(key)
        length += added
    if batch:
        yield batch


def _send(method, url, headers, body=None, ok=(200,)):
    try:
        response = _http.request(method, url, headers=headers, body=body)
    except urllib3.exceptions.HTTPError as exc:
        raise PurgeFailed(f"{method} {url}: {exc}") from exc
    if response.status not in ok:
        raise PurgeFailed(f"{method} {url}: HTTP {response.status} {response.data[:200]!r}")
    return response


def _api_url(service_base, path):
    """A purge API's address: at SHARED_CACHE_API_URL instead of the service's own when it is set
    (a proxy, or the stand-in the tests run)."""
    base = settings.SHARED_CACHE_API_URL or service_base
    return f"{base.rstrip('/')}{path}"


def _json(data):
    return json.dumps(data, separators=(",", ":")).encode()


class SharedCache:
    name = ""
    header = ""  # the response header it reads a page's keys from
    separator = " "
    max_keys = None
    max_key_length = None
    max_bytes = 8192  # of the header's value

    def header_value(self, keys):
        return self.separator.join(keys)

    def purge(self, keys):
        raise NotImplementedError


class Varnish(SharedCache):
    """Varnish with the xkey module (deploy/varnish/default.vcl): a PURGE request carrying the
    keys in `xkey-purge`, to each address in SHARED_CACHE_PURGE_URLS, from an address its VCL
    allows. Its headers are limited by `http_req_hdr_len` and `http_resp_hdr_len` (8 KB)."""

    name = "varnish"
    header = "xkey"
    max_bytes = 4096

    def purge(self, keys):
        for url in settings.SHARED_CACHE_PURGE_URLS:
            for batch in _batches(keys, max_bytes=self.max_bytes):
                _send("PURGE", url, {"xkey-purge": " ".join(batch)})


class Fastly(SharedCache):
    """Fastly: `Surrogate-Key` (space-separated, 16 KB at most); purged by the batch purge API,
    up to 256 keys a call."""

    name = "fastly"
    header = "Surrogate-Key"
    max_bytes = 16384
    max_key_length = 1024
    per_call = 256

    def purge(self, keys):
        url = _api_url("https://api.fastly.com", f"/service/{quote(settings.FASTLY_SERVICE_ID, safe='')}/purge")
        headers = {"Fastly-Key": settings.FASTLY_API_TOKEN, "Accept": "application/json"}
        headers["Content-Type"] = "application/json"
        for batch in _batches(keys, size=self.per_call):
            _send("POST", url, headers, _json({"surrogate_keys": batch}))


class Cloudflare(SharedCache):
    """Cloudflare: `Cache-Tag` (comma-separated, 16 KB in all); purged by tag through the
    zone's purge_cache API, up to 100 tags a call."""

    name = "cloudflare"
    header = "Cache-Tag"
    separator = ","
    max_bytes = 16384
    max_key_length = 1024
    per_call = 100

    def purge(self, keys):
        zone = quote(settings.CLOUDFLARE_ZONE_ID, safe="")
        url = _api_url("https://api.cloudflare.com", f"/client/v4/zones/{zone}/purge_cache")
        headers = {"Authorization": f"Bearer {settings.CLOUDFLARE_API_TOKEN}", "Content-Type": "application/json"}
        for batch in _batches(keys, size=self.per_call):
            response = _send("POST", url, headers, _json({"tags": batch}))
            try:
                succeeded = json.loads(response.data).get("success") is True
            except ValueError:
                succeeded = False
            if not succeeded:
                raise PurgeFailed(f"POST {url}: {response.data[:200]!r}")


class Akamai(SharedCache):
    """Akamai: `Edge-Cache-Tag` (comma-separated, at most 128 tags of 128 characters); purged by
    the Fast Purge API's invalidation by cache tag (the edge then asks the site again, which
    answers with the new page), bodies under 50,000 bytes, signed with EdgeGrid."""

    name = "akamai"
    header = "Edge-Cache-Tag"
    separator = ","
    max_keys = 128
    max_key_length = 128
    max_bytes = 16384
    body_bytes = 50000

    def purge(self, keys):
        network = quote(settings.AKAMAI_NETWORK, safe="")
        url = _api_url(f"https://{settings.AKAMAI_HOST}", f"/ccu/v3/invalidate/tag/{network}")
        # Each key costs its quotes and comma in the JSON body.
        for batch in _batches(keys, max_bytes=self.body_bytes - 100, separator_bytes=3, overhead=2):
            body = _json({"objects": batch})
            auth = edgegrid.authorization(
                "POST",
                url,
                body,
                settings.AKAMAI_CLIENT_TOKEN,
                settings.AKAMAI_CLIENT_SECRET,
                settings.AKAMAI_ACCESS_TOKEN,
            )
            _send("POST", url, {"Authorization": auth, "Content-Type": "application/json"}, body, ok=(201,))


CACHES = {cache.name: cache for cache in (Varnish, Fastly, Cloudflare, Akamai)}


def configured():
    """The shared cache SHARED_CACHE names, or None."""
    cls = CACHES.get(settings.SHARED_CACHE)
    return cls() if cls else None
