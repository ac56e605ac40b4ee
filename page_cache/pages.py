"""Anonymous pages served from the shared cache, invalidated by tags.

A view names what its page shows with `tag_page(request, "agency:3", ...)`.
The cached entry remembers the version of each tag at render time; saving a
model bumps the versions of the tags it affects (programs/invalidation.py),
so exactly the pages that show it are re-rendered on their next request, on
every instance, because versions live in the shared cache (Redis, or the file
cache shared by the workers of one host).

Never cached: requests with a session cookie (staff), anything but GET/HEAD,
responses other than 200, responses that set cookies or say private/no-cache.
When the cache is unreachable, pages are rendered from the database.

Languages: a page's language is its address's (/es/... is Spanish, every other
public address English; sro_site/urls.py), and it is part of the page's key.
A page depends on its tags in its own language ("program:3@es"): `bump()`
gives new versions to a tag in every language, or, for a change to one
language's text only (a Spanish summary), in that language alone, so the
other language's pages stay cached (programs/invalidation.py). The bare tag
("program:3") is bumped by every change, for the caches that hold every
language at once (the alert list, the school search's cards).
"""

import hashlib
import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date

from .pushed import LocalCopies, listener, publish

logger = logging.getLogger(__name__)

TAG_PREFIX = "tag:"
PAGE_PREFIX = "page:"
# Changes with every bump: a page whose render overlapped a change is not stored.
GENERATION_KEY = "tag-generation"
# Headers set by the view and the middleware inside this one, replayed on a
# hit so those middleware need not run again (CSP, Permissions-Policy, ETag).
REPLAYED_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Content-Security-Policy",
    "Permissions-Policy",
    "X-Frame-Options",
    "Last-Modified",
    "ETag",
    "Vary",
    "Cache-Control",
    "Content-Disposition",  # downloads keep their file name (vCards, CSV files)
    "Link",  # the open-data API's next page
)


# Pages this process served lately, kept here as well as in the shared cache.
# While every bump reaches this process before its next hit (a live Redis
# subscription, or the host's generation file with the file cache:
# page_cache/pushed.py) a hit costs no cache access at all;
# otherwise one (the tag versions) instead of two and a transfer of the whole
# page. Each copy keeps its entry's expiry time. Bounded in number and in
# bytes, so a crawl of thousands of distinct pages cannot grow a worker.
LOCAL_PAGES = 200
LOCAL_PAGE_BYTES = 32 * 1024 * 1024


def _entry_size(entry):
    # The body and headers; Python's own overhead per entry is small beside a page.
    return len(entry["content"]) + sum(len(name) + len(value) for name, value in entry["headers"].items())


_local_pages = LocalCopies(limit=LOCAL_PAGES, max_bytes=LOCAL_PAGE_BYTES, size=_entry_size)
listener.watch(lambda: cache.get(GENERATION_KEY))  # a bump whose announcement was lost


def _remember_locally(key, entry, epoch):
    """Keep a page validated at `epoch` in memory, unless a bump was heard since."""
    if entry.get("expires", 0) > time.time():
        _local_pages.keep(key, entry, epoch)


# Small values that many pages read alike (the states with published programs:
# a count over every agency, as long as the rest of a search at national
# size), read once per process and dropped with the in-memory pages on every
# bump heard. Only while every bump reaches this process: otherwise read anew.
_remembered = LocalCopies(limit=32)


def remembered(key, compute):
    """`compute()`'s value, kept in this process until the next change anywhere (any bump)."""
    listener.ensure_started()
    # Inside a transaction the value may hold changes not yet committed (or
    # about to be rolled back), whose bump comes only after commit.
    if transaction.get_connection().in_atomic_block or not listener.trusted():
        return compute()
    epoch = listener.epoch
    value = _remembered.get(key)
    if value is None:
        value = compute()
        _remembered.keep(key, value, epoch)  # not kept if a bump was heard while it was read
    return value


# Functions returning how many seconds until something scheduled changes what
# pages show (an alert starting or ending); a cached page never outlives them.
_TTL_CAPS = []


def register_ttl_cap(seconds_until_change):
    _TTL_CAPS.append(seconds_until_change)


def seconds_until_change():
    """How long any page may be kept, by the scheduled changes (an alert ending), or None."""
    caps = [cap() for cap in _TTL_CAPS]
    return max(1, int(min(caps))) if caps else None


def _page_timeout():
    return min(settings.PAGE_CACHE_SECONDS, seconds_until_change() or settings.PAGE_CACHE_SECONDS)


# Called with (tags, languages) after every bump: a cache outside this one (a shared
# cache in front of the site: shared_cache/) drops the same pages.
_BUMP_LISTENERS = []


def on_bump(fn):
    if fn not in _BUMP_LISTENERS:
        _BUMP_LISTENERS.append(fn)


def shared_tags(response):
    """The tags, in the page's language ("program:3@es"), of a response this cache serves or
    would store (anonymous, public, tagged); None for any other response."""
    return getattr(response, "page_cache_tags", None)


def tag_page(request, *tags):
    """Declare what the page shows, e.g. tag_page(request, f"agency:{agency.pk}", "programs")."""
    request.page_cache_tags = getattr(request, "page_cache_tags", set()) | set(tags)


def page_language(request):
    """The language of the page at this address: its prefix's, or the site's default."""
    return translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def in_language(tag, language):
    """The tag as a page in `language` depends on it."""
    return f"{tag}@{language}"


def bump(tags, languages=None):
    """Give each tag a new version: every cached page that shows it is now stale.

    `languages`: only the pages in these languages (a change to their text
    alone); every language when None.
    """
    if not tags:
        return
    languages = languages or [code for code, _ in settings.LANGUAGES]
    try:
        keys = set(tags) | {in_language(tag, language) for tag in tags for language in languages}
        versions = {TAG_PREFIX + key: uuid.uuid4().hex for key in keys}
        try:
            cache.set_many({**versions, GENERATION_KEY: uuid.uuid4().hex}, timeout=None)
        finally:
            # Even when only some versions were set (the file cache writes one
            # file at a time): no process may keep serving those pages from memory.
            listener.forget()  # this process at once, the others before their next hit
            publish()  # after the new versions are set: every process drops its in-memory pages
    except Exception:
        # Pages expire after PAGE_CACHE_SECONDS anyway; a save must not fail for the cache.
        logger.exception("could not invalidate cached pages for %s", sorted(tags))
    for listener_fn in _BUMP_LISTENERS:
        try:
            listener_fn(set(tags), list(languages))
        except Exception:
            logger.exception("could not pass on the invalidation of %s", sorted(tags))


def current_versions(tags):
    keys = [TAG_PREFIX + tag for tag in tags]
    versions = cache.get_many(keys)
    missing = {key: uuid.uuid4().hex for key in keys if key not in versions}
    for key, version in missing.items():
        # add() keeps a version another worker set meanwhile; read back the winner.
        if not cache.add(key, version, timeout=None):
            missing[key] = cache.get(key, version)
    versions.update(missing)
    return {key[len(TAG_PREFIX) :]: value for key, value in versions.items()}


def _page_key(request):
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"{PAGE_PREFIX}{request.get_host()}:{page_language(request)}:{digest}"


def _bypasses_cache(request):
    return request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES


def _tags_in_language(request):
    language = page_language(request)
    return {in_language(tag, language) for tag in request.page_cache_tags}


def _is_cacheable(request, response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and getattr(request, "page_cache_tags", None) is not None
        # Never a page rendered in another language than its address's (a staff
        # page in the browser's language): its key names the address's.
        and translation.get_language() == page_language(request)
        and not response.cookies
        and not response.streaming
        and "private" not in cache_control
        and "no-cache" not in cache_control
        and "no-store" not in cache_control
    )


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _bypasses_cache(request):
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES:
                # Signed-in staff may see drafts: no shared cache may keep their pages.
                patch_cache_control(response, private=True, no_cache=True)
            return response
        if not settings.PAGE_CACHE:
            response = self.get_response(request)
            if _is_cacheable(request, response):
                response.page_cache_tags = _tags_in_language(request)  # for a shared cache in front
            return response
        listener.ensure_started()
        key = _page_key(request)
        try:
            hit = self._lookup(key)
            if hit is not None:
                # The view that rendered it, for the metrics: a hit is answered before URLs are resolved.
                request.page_cache_view = hit.view_name
                return hit
            generation = cache.get(GENERATION_KEY)
        except Exception:
            logger.exception("page cache unavailable; rendering from the database")
            return self.get_response(request)
        response = self.get_response(request)
        if _is_cacheable(request, response):
            self._store(key, request, response, generation)
        return response

    def _lookup(self, key):
        trusted = listener.trusted()  # first: it drops the in-memory pages if a bump happened
        epoch = listener.epoch
        entry = _local_pages.get(key)
        if entry is not None and entry["expires"] > time.time():
            if trusted:
                # Every bump reaches this process before its next hit: an in-memory page stands until one does.
                return self._response(entry)
            if current_versions(entry["versions"]) == entry["versions"]:
                return self._response(entry)
        # Not in memory, or stale there: another process may have stored a fresh copy.
        entry = cache.get(key)
        if entry is None or current_versions(entry["versions"]) != entry["versions"]:
            return None
        _remember_locally(key, entry, epoch)
        return self._response(entry)

    @staticmethod
    def _response(entry):
        response = HttpResponse(entry["content"], status=200)
        for header, value in entry["headers"].items():
            response[header] = value
        response["X-Page-Cache"] = "hit"
        response.page_cache_tags = set(entry["versions"])
        response.view_name = entry.get("view")
        return response

    def _store(self, key, request, response, generation):
        try:
            epoch = listener.epoch
            versions = current_versions(_tags_in_language(request))
            if cache.get(GENERATION_KEY) != generation:
                # Something changed while this page was rendered (checked after
                # reading the versions): it may mix old and new data, so it is
                # served this once and kept out of the cache.
                return
            response.setdefault("Last-Modified", http_date())
            set_response_etag(response)
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            headers = {h: response[h] for h in REPLAYED_HEADERS if h in response}
            timeout = _page_timeout()
            entry = {
                "versions": versions,
                "content": response.content,
                "headers": headers,
                "expires": time.time() + timeout,
                "view": request.resolver_match.view_name if request.resolver_match else None,
            }
            cache.set(key, entry, timeout=timeout)
            _remember_locally(key, entry, epoch)
            response["X-Page-Cache"] = "miss"
            response.page_cache_tags = set(versions)
        except Exception:
            logger.exception("could not store page in the cache")
