"""Who may keep each response, when a shared cache (Varnish, a CDN) is in front of the site.

An anonymous public page that the page cache serves or would store (page_cache/pages.py:
tagged, 200, no cookie set, in its address's language) says
`Cache-Control: public, max-age=0, s-maxage=SHARED_CACHE_SECONDS`: browsers ask again every
time (and get 304 Not Modified through the ETag), the shared cache keeps the page until a
change purges it. It carries its tags as the cache's surrogate keys (keys.py), and drops
`Vary: Accept-Language, Cookie`: its language is its address's, and it shows no cookie's data.
`s-maxage` never outlasts a scheduled change (an alert ending: `page_cache.register_ttl_cap`).

Anything personal is never stored by anyone but its browser: `private, no-store` on a response
that sets a cookie, to a signed-in person (a session cookie), from the admin, to a POST, and on
any page carrying a CSRF token (which always sets the CSRF cookie, so its forms work without
JavaScript: the token comes with the page, never from a cached copy). Any other response that
says nothing of caching (a 404, a redirect) gets `s-maxage=0`, so no shared cache keeps what no
purge would reach.

With SHARED_CACHE=none (the default) every response is left exactly as it was.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control

from page_cache.pages import seconds_until_change, shared_tags

from . import caches, keys

DROPPED_VARY = {"accept-language", "cookie"}


def is_personal(request, response):
    return (
        request.method not in ("GET", "HEAD")
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or bool(response.cookies)
        or bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))  # the page holds a CSRF token
        or request.path_info.startswith("/" + settings.ADMIN_URL)
        or "private" in response.get("Cache-Control", "")
    )


def shared_seconds():
    until_change = seconds_until_change()
    return min(settings.SHARED_CACHE_SECONDS, until_change) if until_change else settings.SHARED_CACHE_SECONDS


def _drop_vary(response):
    kept = [v.strip() for v in response.get("Vary", "").split(",") if v.strip().lower() not in DROPPED_VARY]
    if kept:
        response["Vary"] = ", ".join(v for v in kept if v)
    elif response.has_header("Vary"):
        del response["Vary"]


class SharedCacheHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        cache = caches.configured()
        if cache is None:
            return response
        if is_personal(request, response):
            patch_cache_control(response, private=True, no_store=True)
            return response
        tags = shared_tags(response)
        page_keys = keys.for_page(tags, cache) if tags is not None and response.status_code == 200 else None
        if page_keys is None:
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, s_maxage=0)
            return response
        response["Cache-Control"] = f"public, max-age=0, s-maxage={shared_seconds()}"
        _drop_vary(response)
        response[cache.header] = cache.header_value(page_keys)
        return response
