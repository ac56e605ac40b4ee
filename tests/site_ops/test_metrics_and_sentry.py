"""Knowing when something is wrong: /metrics for the monitoring host only, /healthz warning
about emails stuck for an hour, and Sentry error reports that carry nothing the public sent."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import sentry_sdk
from django.urls import reverse
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families
from sentry_sdk.transport import Transport

from inbox.models import Submission
from site_ops import sentry
from tests.factories import ProgramFactory, SubscriptionFactory, UpdateFactory
from updates.models import OutgoingEmail

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parents[2]

SECRET_NAME = "Zebulon Quixotic-Marchbanks"
SECRET_EMAIL = "zebulon.q.marchbanks@example.org"
SESSION_ID = "a-staff-session"  # out of the frames' source lines that Sentry sends, as for the two above
CLIENT_ADDRESS = "198.51.100.7"


@pytest.fixture
def program():
    return ProgramFactory(slug="st-charles-county", contact_email="sro@example.org")


def question(**overrides):
    return {"name": SECRET_NAME, "email": SECRET_EMAIL, "message": "Who is our officer?", "wants_reply": "yes"} | (
        overrides
    )


def scrape(client, **extra):
    response = client.get("/metrics", **extra)
    assert response.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0)


# --- /metrics ---------------------------------------------------------------------------


def test_metrics_are_answered_to_loopback_and_404_to_anyone_else(client):
    assert client.get("/metrics").status_code == 200
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 404
    assert b"sro_page_cache_total" not in response.content
    assert "no-cache" in client.get("/metrics")["Cache-Control"]


def test_metrics_allowed_addresses_are_a_setting_and_may_be_networks(client, settings):
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8", "not an address"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics").status_code == 404  # loopback is no longer listed


def test_behind_a_proxy_the_clients_address_is_checked_not_the_proxys(client, settings):
    settings.NUM_PROXIES = 1
    through_proxy = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert through_proxy.status_code == 404


def test_requests_are_counted_by_view_and_status_with_latency(client, program):
    before = scrape(client)
    client.get(program.get_absolute_url())
    client.get("/no-such-page/")
    after = scrape(client)
    counted = "django_http_responses_total_by_status_view_method_total"
    view = {"method": "GET", "view": "programs:program_detail"}
    assert value(after, counted, status="200", **view) == value(before, counted, status="200", **view) + 1
    missing = {"method": "GET", "status": "404", "view": "<no view>"}
    assert value(after, counted, **missing) == value(before, counted, **missing) + 1
    latency = "django_http_requests_latency_seconds_by_view_method_count"
    assert value(after, latency, **view) == value(before, latency, **view) + 1
    assert value(after, "django_http_requests_latency_seconds_by_view_method_bucket", le="+Inf", **view) >= 1


def test_a_made_up_method_is_counted_under_one_label_not_its_own(client, program):
    """Label values come from a bounded set: any name a client sends as its method would otherwise be a new series."""
    before = scrape(client)
    for method in ("BREW", "PROPFIND"):
        client.generic(method, program.get_absolute_url())
    after = scrape(client)
    latency = "django_http_requests_latency_seconds_by_view_method_count"
    invalid = {"method": "<invalid method>", "view": "programs:program_detail"}
    assert value(after, latency, **invalid) == value(before, latency, **invalid) + 2
    assert not [key for key in after if ("method", "BREW") in key[1] or ("method", "PROPFIND") in key[1]]


def test_a_view_that_raises_is_timed_once_and_counted_as_an_exception(client, program):
    before = scrape(client)
    assert client.generic("BREW", "/programs/no-such-program/").status_code == 404  # get_object_or_404
    after = scrape(client)
    latency = "django_http_requests_latency_seconds_by_view_method_count"
    view = {"method": "<invalid method>", "view": "programs:program_detail"}
    assert value(after, latency, **view) == value(before, latency, **view) + 1
    counted = "django_http_responses_total_by_status_view_method_total"
    assert value(after, counted, status="404", **view) == value(before, counted, status="404", **view) + 1
    raised = "django_http_exceptions_total_by_type_total"
    assert value(after, raised, type="Http404") == value(before, raised, type="Http404") + 1
    assert not [key for key in after if ("method", "BREW") in key[1]]


def test_page_cache_hits_and_misses_are_counted_and_hits_keep_their_view(client, program):
    before = scrape(client)
    for _ in range(3):
        assert client.get(program.get_absolute_url()).status_code == 200
    after = scrape(client)
    cache = "sro_page_cache_total"
    assert value(after, cache, result="miss") == value(before, cache, result="miss") + 1
    assert value(after, cache, result="hit") == value(before, cache, result="hit") + 2
    counted = "django_http_responses_total_by_status_view_method_total"
    view = {"method": "GET", "status": "200", "view": "programs:program_detail"}
    assert value(after, counted, **view) == value(before, counted, **view) + 3


def test_page_cache_hits_are_counted_by_view_without_resolving_their_address(client, program, monkeypatch):
    # Resolving the address again cost a hit more than the rest of its work: the entry names its view.
    assert client.get(program.get_absolute_url())["X-Page-Cache"] == "miss"
    before = scrape(client)

    def no_resolving(path):
        raise AssertionError(f"resolved {path} for a page-cache hit")

    monkeypatch.setattr("site_ops.metrics.resolve", no_resolving)
    assert client.get(program.get_absolute_url())["X-Page-Cache"] == "hit"
    monkeypatch.undo()
    after = scrape(client)
    counted = "django_http_responses_total_by_status_view_method_total"
    view = {"method": "GET", "status": "200", "view": "programs:program_detail"}
    assert value(after, counted, **view) == value(before, counted, **view) + 1


def test_rate_limit_refusals_are_counted(client, program, settings):
    settings.FORM_RATE_LIMIT = 0
    before = scrape(client)
    assert client.post(reverse("programs:ask_question", args=[program.slug]), question()).status_code == 429
    after = scrape(client)
    name, view = "sro_rate_limited_total", {"view": "programs:ask_question"}
    assert value(after, name, **view) == value(before, name, **view) + 1


def test_pending_emails_are_a_gauge(client, program, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens: every email fails
    assert value(scrape(client), "sro_pending_emails") == 0
    client.post(reverse("programs:ask_question", args=[program.slug]), question())
    client.post(reverse("programs:ask_question", args=[program.slug]), question())
    Submission.objects.update(created_at=timezone.now() - timedelta(minutes=90))
    samples = scrape(client)
    assert value(samples, "sro_pending_emails") == 2
    assert 89 * 60 < value(samples, "sro_oldest_pending_email_age_seconds") < 91 * 60


def test_metrics_never_show_what_the_public_sent(client, program):
    client.post(reverse("programs:ask_question", args=[program.slug]), question())
    body = client.get("/metrics").content.decode()
    assert SECRET_NAME not in body and SECRET_EMAIL not in body


# --- /healthz ----------------------------------------------------------------------------


def pending_submission(program, age):
    submission = Submission.objects.create(
        program=program, kind=Submission.Kind.QUESTION, name="A", email="a@example.org", message="?"
    )
    Submission.objects.filter(pk=submission.pk).update(
        created_at=timezone.now() - age, next_notification_at=timezone.now() + timedelta(minutes=4)
    )


def test_healthz_keeps_its_contract_with_a_fresh_pending_email(client, program, django_assert_max_num_queries):
    pending_submission(program, timedelta(minutes=10))
    from site_ops import pending_emails

    with django_assert_max_num_queries(1 + len(pending_emails.outboxes())):  # the database check, one count per outbox
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_healthz_warns_of_emails_waiting_over_an_hour_and_stays_200(client, program):
    pending_submission(program, timedelta(minutes=61))
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["warnings"] == [
        "1 record(s) in the outboxes with an email waiting for more than an hour (submissions: 1): "
        "check the mail server (EMAIL_URL) and the send_pending_notifications cron line"
    ]


def test_healthz_names_every_outbox_with_emails_waiting_over_an_hour(client, program):
    pending_submission(program, timedelta(minutes=61))
    # An update's email to a subscriber, queued two hours ago and refused since.
    SubscriptionFactory(program=program)
    UpdateFactory(program=program)
    OutgoingEmail.objects.update(created_at=timezone.now() - timedelta(hours=2))
    [warning] = client.get("/healthz").json()["warnings"]
    assert warning.startswith(
        "2 record(s) in the outboxes with an email waiting for more than an hour (submissions: 1, update emails: 1): "
    )


def test_healthz_forgets_the_warning_once_the_email_is_sent(client, program):
    pending_submission(program, timedelta(hours=3))
    Submission.objects.update(
        staff_notified_at=timezone.now(), requester_confirmed_at=timezone.now(), next_notification_at=None
    )
    assert "warnings" not in client.get("/healthz").json()


# --- Sentry ------------------------------------------------------------------------------


class FakeTransport(Transport):
    """Keeps what would have been sent to Sentry."""

    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)

    def sent(self):
        return "\n".join(item.get_bytes().decode() for envelope in self.envelopes for item in envelope.items)


@pytest.fixture
def sentry_transport(settings):
    """Sentry as settings.py turns it on with SENTRY_DSN, sending to a fake transport."""
    settings.MIDDLEWARE = ["site_ops.sentry.ScrubPostedValuesMiddleware", *settings.MIDDLEWARE]
    transport = FakeTransport()
    sentry.init("https://public@sentry.example.invalid/1", environment="test", transport=transport)
    yield transport
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # off again, as without SENTRY_DSN


def test_sentry_is_off_without_a_dsn(settings):
    assert settings.SENTRY_DSN == ""
    assert not sentry_sdk.get_client().is_active()
    assert "site_ops.sentry.ScrubPostedValuesMiddleware" not in settings.MIDDLEWARE


def test_a_dsn_turns_sentry_on_with_the_scrubbing_middleware_first():
    # In a process of its own: settings.py starts Sentry once, at import.
    check = (
        "import django; django.setup(); import sentry_sdk; from django.conf import settings; "
        "client = sentry_sdk.get_client(); "
        "print(client.is_active(), client.options['environment'], settings.MIDDLEWARE[0], "
        "client.options['max_request_body_size'], client.options['before_send'].__name__)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sro_site.settings",
        "SENTRY_DSN": "https://public@sentry.example.invalid/1",
        "SENTRY_ENVIRONMENT": "staging",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", check], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.splitlines()[-1].split() == [
        "True",
        "staging",
        "site_ops.sentry.ScrubPostedValuesMiddleware",
        "never",
        "scrub",
    ]


def test_a_crash_reaches_sentry_without_the_forms_fields_emails_or_cookies(
    client, program, monkeypatch, sentry_transport
):
    from inbox.forms import QuestionForm

    def crash(self, commit=True):
        raise ValueError(f"could not save the question from {self.cleaned_data['name']} <{self.cleaned_data['email']}>")

    monkeypatch.setattr(QuestionForm, "save", crash)
    client.raise_request_exception = False
    client.cookies["sessionid"] = SESSION_ID
    response = client.post(
        reverse("programs:ask_question", args=[program.slug]) + f"?email={SECRET_EMAIL}",
        question(),
        HTTP_X_FORWARDED_FOR=CLIENT_ADDRESS,
    )
    assert response.status_code == 500
    sentry_sdk.flush()
    sent = sentry_transport.sent()
    assert "ValueError" in sent and "inbox/views.py" in sent  # enough to fix the bug
    assert "/ask-a-question/" in sent
    for personal in (SECRET_EMAIL, "zebulon", "Marchbanks", SESSION_ID, CLIENT_ADDRESS, "Who is our officer"):
        assert personal.lower() not in sent.lower(), personal
    assert "[form field]" in sent  # the posted values, blanked where they turned up


def test_an_email_failure_logged_as_an_error_reaches_sentry_without_the_address(
    client, program, monkeypatch, sentry_transport
):
    from inbox import views

    def refused(submission):
        raise RuntimeError(f"550 mailbox {submission.email} refused for {submission.name}")

    monkeypatch.setattr(views.delivery, "deliver", refused)
    assert client.post(reverse("programs:ask_question", args=[program.slug]), question()).status_code == 302
    sentry_sdk.flush()
    sent = sentry_transport.sent()
    assert "notification bookkeeping failed" in sent
    assert SECRET_EMAIL not in sent
