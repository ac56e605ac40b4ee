"""Error reporting to Sentry (sentry-sdk's Django integration), off unless SENTRY_DSN is set.

What the public sends never leaves the site: no form fields (request bodies are not
sent at all), no query strings, no cookies or session ids, no addresses (IP or email),
no local variables of the failing code (they hold form data); email addresses are
blanked in messages, exception values and breadcrumbs too (a mail server's refusal
quotes the address), and any value posted in the failing request's form is blanked
wherever it turns up (a name in an exception's message). What is left is enough to fix the bug: the exception's type and
traceback (file, line, function), the view, the method and path, the release.
"""

import re

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

EMAIL = re.compile(r"[^\s@<>\"'(),;:]+@[^\s@<>\"'(),;:]+\.[A-Za-z]{2,}")
# Headers that say something about the person rather than the request.
DROPPED_HEADERS = {"cookie", "authorization", "x-forwarded-for", "x-real-ip", "referer", "user-agent"}


def _blank_emails(value):
    if isinstance(value, str):
        return EMAIL.sub("[email]", value)
    if isinstance(value, dict):
        return {key: _blank_emails(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_blank_emails(item) for item in value]
    return value


def scrub(event, hint=None):
    """before_send and before_send_transaction: the last word on what leaves the site."""
    request = event.get("request")
    if request:
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        headers = request.get("headers") or {}
        request["headers"] = {k: v for k, v in headers.items() if k.lower() not in DROPPED_HEADERS}
        if request.get("url"):
            request["url"] = request["url"].split("?")[0]
    user = event.get("user")
    if user:
        event["user"] = {"id": user["id"]} if "id" in user else {}
    for key in ("message", "logentry", "exception", "breadcrumbs", "extra"):
        if key in event:
            event[key] = _blank_emails(event[key])
    for exception in (event.get("exception") or {}).get("values", []):
        for frame in (exception.get("stacktrace") or {}).get("frames", []):
            frame.pop("vars", None)
    return event


def _blank(value, posted):
    if isinstance(value, str):
        for text in posted:
            value = re.sub(re.escape(text), "[form field]", value, flags=re.IGNORECASE)
        return value
    if isinstance(value, dict):
        return {key: _blank(item, posted) for key, item in value.items()}
    if isinstance(value, list):
        return [_blank(item, posted) for item in value]
    return value


class ScrubPostedValuesMiddleware:
    """First in MIDDLEWARE when Sentry is on: an event reported during a POST has every value
    the form carried blanked, wherever it appears (exception messages, log messages, breadcrumbs)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            sentry_sdk.get_isolation_scope().add_event_processor(lambda event, hint: _scrub_posted(event, request))
        return self.get_response(request)


def _scrub_posted(event, request):
    try:
        form = request.POST
    except Exception:  # an unreadable body: nothing was parsed, nothing to look for
        return event
    # The longest first, so a name is blanked whole before any part of it.
    posted = sorted({v.strip() for values in form.lists() for v in values[1] if len(v.strip()) >= 3}, key=len)
    posted.reverse()
    for key in ("message", "logentry", "exception", "breadcrumbs", "extra", "contexts", "tags"):
        if key in event:
            event[key] = _blank(event[key], posted)
    return event


def init(dsn, environment, release=None, traces_sample_rate=0.0, transport=None):
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration()],
        # What the integrations collect: no user details or addresses, no cookies, no bodies (the
        # public's words), no query strings, no local variables (they hold form data), no SQL values.
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "stack_frame_variables": False,
            "database_query_data": False,
        },
        max_request_body_size="never",
        before_send=scrub,
        before_send_transaction=scrub,
        traces_sample_rate=traces_sample_rate,
        transport=transport,
    )
