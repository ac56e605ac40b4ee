"""A response to HEAD carries the headers a GET would, and no body (RFC 9110, 9.3.2).

Django renders HEAD as a GET and leaves the body for the server to drop. gunicorn drops it
but logs a WARNING for every such response, and load balancers check /healthz with HEAD
every few seconds. First in MIDDLEWARE, so that everything inside it (the page cache, ETags,
metrics) sees the response a GET gets; only what leaves the site loses its body."""

from django.utils.deprecation import MiddlewareMixin


class HeadWithoutBodyMiddleware(MiddlewareMixin):
    def process_response(self, request, response):
        if request.method != "HEAD":
            return response
        if response.streaming:
            # Its length is unknown without reading it, as for a GET: no Content-Length is set.
            response.streaming_content = []
        else:
            response.headers.setdefault("Content-Length", str(len(response.content)))
            response.content = b""
        return response
