"""Metrics in Prometheus's format at /metrics, for the people who run the site.

django-prometheus counts requests by view, method and status and times them
(latency histograms); this module adds what is particular to this site: page-cache
hits and misses, form submissions refused by the rate limit (HTTP 429), emails
waiting to be sent, and the purges of a shared cache in front (sent, failed, waiting).
Under gunicorn every worker writes its counts to files in PROMETHEUS_MULTIPROC_DIR
(gunicorn.conf.py makes one), so a scrape, whichever worker answers it, reads the
whole instance. Answered only to METRICS_ALLOWED_IPS; everyone else gets the site's
404, as if there were nothing there.
"""

import contextlib
import ipaddress
import os
import time

import prometheus_client
from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import Resolver404, resolve
from django.views.decorators.cache import never_cache
from django_prometheus.middleware import PrometheusAfterMiddleware, PrometheusBeforeMiddleware
from django_prometheus.utils import Time, TimeSince
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily

from site_ops.ratelimit import client_ip

from . import pending_emails

PAGE_CACHE = prometheus_client.Counter(
    "sro_page_cache_total", "Anonymous pages looked up in the page cache, by result.", ["result"]
)
RATE_LIMITED = prometheus_client.Counter(
    "sro_rate_limited_total", "Form submissions refused by the rate limit (HTTP 429), by view.", ["view"]
)
# A shared cache in front (shared_cache/): purges sent after each change, and those waiting.
SHARED_CACHE_PURGES = prometheus_client.Counter(
    "sro_shared_cache_purges_total", "Purges sent to the shared cache (Varnish or CDN), by result.", ["result"]
)
SHARED_CACHE_PURGED_KEYS = prometheus_client.Counter(
    "sro_shared_cache_purged_keys_total", "Surrogate keys purged at the shared cache."
)
SHARED_CACHE_PURGE_PENDING = prometheus_client.Gauge(
    "sro_shared_cache_purge_pending",
    "Surrogate keys waiting to be purged (the shared cache unreachable, or the purge being retried).",
    multiprocess_mode="livesum",
)


class MetricsBeforeMiddleware(PrometheusBeforeMiddleware):
    """First in MIDDLEWARE: every request, cached pages and redirects included."""


class MetricsAfterMiddleware(PrometheusAfterMiddleware):
    """Second in MIDDLEWARE, before the page cache, so pages it serves are counted too. The
    page cache answers before the URL is resolved: a hit carries the name of the view that
    rendered it (resolving the address again cost more than the rest of the hit). Responses
    no view gave (static files, redirects to HTTPS, unknown paths) count as "<no view>".

    Of django-prometheus's per-request metrics, only those docs/operations/monitoring.md lists: responses by
    status, view and method, latency by view and method, exceptions. The others (by
    transport, by charset, body sizes, requests by method...) were a sixth of the time
    of a cached page, written to a file each under gunicorn, and read by nobody.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each metric's child per label values: prometheus_client checks and sorts the labels at each
        # call. Bounded: views are the URL patterns', methods are normalized (`_method`), statuses few.
        self._children = {}

    def _child(self, metric, **labels):
        key = (metric._name, *labels.values())
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = metric.labels(**labels)
        return child

    def _get_view_name(self, request):
        match = request.resolver_match
        if match is None and hasattr(request, "page_cache_view"):
            if request.page_cache_view:
                return request.page_cache_view
            with contextlib.suppress(Resolver404):  # a page cached before its entry named its view
                match = resolve(request.path_info)
        return (match.view_name or "<unnamed view>") if match else "<no view>"

    def process_request(self, request):
        request.prometheus_after_middleware_event = Time()

    def process_view(self, request, view_func, *view_args, **view_kwargs):
        return None  # counted once, with its status, in process_response

    def process_exception(self, request, exception):
        # Counted by type and view. Timed once, in process_response, with the response Django
        # makes of it (a 404, a 500): django-prometheus timed it here as well, under the raw method.
        self._child(self.metrics.exceptions_by_type, type=type(exception).__name__).inc()
        match = getattr(request, "resolver_match", None)
        if match is not None:
            self._child(self.metrics.exceptions_by_view, view=match.view_name or "<unnamed view>").inc()

    def process_response(self, request, response):
        result = response.get("X-Page-Cache")
        if result in ("hit", "miss"):
            self._child(PAGE_CACHE, result=result).inc()
        view = self._get_view_name(request)
        if response.status_code == 429:
            self._child(RATE_LIMITED, view=view).inc()
        method = self._method(request)
        status = str(response.status_code)
        self._child(self.metrics.responses_by_status_view_method, status=status, view=view, method=method).inc()
        started = getattr(request, "prometheus_after_middleware_event", None)
        if started is None:
            self.metrics.requests_unknown_latency.inc()
        else:
            latency = self._child(self.metrics.requests_latency_by_view_method, view=view, method=method)
            latency.observe(TimeSince(started))
        return response


class PendingEmails:
    """Read from the database at each scrape: a gauge that is true whichever worker answers."""

    def collect(self):
        count, oldest = pending_emails.summary()
        yield GaugeMetricFamily("sro_pending_emails", "Records in the outboxes with an email not sent yet.", count)
        age = time.time() - oldest.timestamp() if oldest else 0
        yield GaugeMetricFamily(
            "sro_oldest_pending_email_age_seconds", "How long the oldest unsent email has waited (0: none).", age
        )


def allowed(request):
    address = client_ip(request)
    try:
        address = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    for entry in settings.METRICS_ALLOWED_IPS:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


@never_cache
def metrics(request):
    if not allowed(request):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = prometheus_client.REGISTRY
    site = prometheus_client.CollectorRegistry()
    site.register(PendingEmails())
    body = prometheus_client.generate_latest(registry) + prometheus_client.generate_latest(site)
    return HttpResponse(body, content_type=prometheus_client.CONTENT_TYPE_LATEST)
