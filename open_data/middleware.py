"""Before the page cache, for the open data (the API, the CSV files, /data.json):

- the site's per-address rate limit (site_ops/ratelimit.py), API_RATE_LIMIT
  requests a minute, answered with 429 and Retry-After, cached answers included;
- no cookies and no sessions: the cookies a browser sends are set aside, so
  staff signed in get the same public answers as anyone (from the cache), and
  no answer sets one;
- errors as JSON: a 404 raised before the API's own handlers (an address no
  route matches), or a 405 (a POST), says so in JSON rather than in HTML;
- HEAD is answered as GET without the body (monitors and caches ask with it).

CORS headers are django-cors-headers' (CORS_URLS_REGEX in settings), placed
before this middleware so 429s carry them too.
"""

import re

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _

from site_ops import ratelimit

API_PATHS = re.compile(r"^/api/v1/")
WINDOW = 60  # API_RATE_LIMIT is per minute


def is_open_data(path):
    """The API, the CSV files and /data.json: the addresses CORS is open on (one definition, in settings)."""
    return bool(re.match(settings.CORS_URLS_REGEX, path))


class OpenDataMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_open_data(request.path_info):
            return self.get_response(request)
        request.COOKIES = {}
        request.META.pop("HTTP_COOKIE", None)
        # CORS preflights are answered before this, and are not counted.
        limit = settings.API_RATE_LIMIT
        if request.method != "OPTIONS" and ratelimit.counted_over_limit(request, "api", limit, WINDOW):
            return self._too_many()
        head = request.method == "HEAD"
        if head:  # the API's operations are GETs: a HEAD is one without the body
            request.method = "GET"
        response = self.get_response(request)
        response.cookies.clear()
        if API_PATHS.match(request.path_info) and not _is_json(response):
            if response.status_code == 404:
                response = JsonResponse(
                    {"detail": _("No such address in the API: see /api/v1/openapi.json.")}, status=404
                )
            elif response.status_code == 405:
                response = JsonResponse({"detail": _("The API only answers GET requests.")}, status=405)
        if head and not response.streaming:
            response.content = b""
        return response

    @staticmethod
    def _too_many():
        seconds = ratelimit.seconds_left(WINDOW)
        response = JsonResponse(
            {
                "detail": _(
                    "Too many requests from your address: at most %(limit)s a minute. Try again in %(seconds)s s."
                )
                % {"limit": settings.API_RATE_LIMIT, "seconds": seconds}
            },
            status=429,
        )
        response["Retry-After"] = str(seconds)
        response["Cache-Control"] = "no-store"
        return response


def _is_json(response):
    return response.get("Content-Type", "").startswith("application/json")
