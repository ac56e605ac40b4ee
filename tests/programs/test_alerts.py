"""Alerts: posted by staff, shown at the top of the right pages, gone by themselves at their end."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from page_cache import pages as page_cache
from page_cache.pushed import listener
from programs import alerts
from programs.models import Alert
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def now():
    return timezone.now()


def alert(title, starts_in, ends_in=None):
    """An alert starting (and ending) that long from now; negative is in the past."""
    ends_at = now() + ends_in if ends_in is not None else None
    return Alert.objects.create(title=title, message="x", starts_at=now() + starts_in, ends_at=ends_at)


def test_sitewide_alert_shows_on_every_page(client):
    program = ProgramFactory()
    Alert.objects.create(title="Storm closes schools", message="All schools closed Friday.")
    for url in ["/", program.get_absolute_url(), "/schools/", "/topics/"]:
        assert "Storm closes schools" in client.get(url).content.decode(), url


def test_program_alert_shows_only_on_its_programs_pages(client):
    program, other = ProgramFactory(), ProgramFactory()
    Alert.objects.create(program=program, title="Office moved", message="New address from Monday.")
    assert "Office moved" in client.get(program.get_absolute_url()).content.decode()
    assert "Office moved" in client.get(reverse("programs:ask_question", args=[program.slug])).content.decode()
    assert "Office moved" not in client.get(other.get_absolute_url()).content.decode()
    assert "Office moved" not in client.get("/").content.decode()


def test_only_an_emergency_interrupts_screen_readers(client):
    Alert.objects.create(title="Lockdown drill", message="Drill at 10.", level=Alert.Level.INFO)
    html = client.get("/").content.decode()
    assert 'aria-label="Information alert"' in html
    assert 'role="alert"' not in html
    Alert.objects.create(title="Shelter in place", message="Stay inside.", level=Alert.Level.EMERGENCY)
    alerts_cache_reset()
    html = client.get("/").content.decode()
    assert 'role="alert"' in html
    assert "usa-site-alert--emergency" in html


def alerts_cache_reset():
    cache.clear()


def test_alerts_show_only_between_their_start_and_end(client):
    Alert.objects.create(
        title="Past", message="x", starts_at=now() - timedelta(days=2), ends_at=now() - timedelta(days=1)
    )
    Alert.objects.create(title="Future", message="x", starts_at=now() + timedelta(days=1))
    Alert.objects.create(
        title="Current", message="x", starts_at=now() - timedelta(hours=1), ends_at=now() + timedelta(hours=1)
    )
    html = client.get("/").content.decode()
    assert "Current" in html
    assert "Past" not in html
    assert "Future" not in html


def test_a_cached_page_expires_when_an_alert_starts_or_ends():
    alert("Soon", timedelta(seconds=30))
    assert 0 < alerts.seconds_until_change() <= 30
    Alert.objects.all().delete()
    alerts_cache_reset()
    Alert.objects.create(
        title="Ending", message="x", starts_at=now() - timedelta(hours=1), ends_at=now() + timedelta(seconds=90)
    )
    assert 60 < alerts.seconds_until_change() <= 90


def test_posting_an_alert_refreshes_cached_pages(client, django_capture_on_commit_callbacks):
    program = ProgramFactory()
    client.get(program.get_absolute_url())
    assert client.get(program.get_absolute_url())["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        Alert.objects.create(title="New alert", message="x")
    response = client.get(program.get_absolute_url())
    assert "New alert" in response.content.decode()


def test_editors_post_alerts_on_their_own_programs_only(client):
    program = ProgramFactory()
    call_command("add_editor", "ed", program.agency.slug, stdout=StringIO())
    client.force_login(get_user_model().objects.get(username="ed"))
    start = timezone.localtime()
    data = {"level": "info", "title_en": "Sitewide?", "message_en": "x"}
    data |= {"starts_at_0": start.date(), "starts_at_1": "00:00"}
    response = client.post(reverse("admin:programs_alert_add"), data)
    assert response.status_code == 200  # the program is required for editors
    assert not Alert.objects.exists()
    response = client.post(reverse("admin:programs_alert_add"), data | {"program": program.pk})
    assert response.status_code == 302
    assert Alert.objects.get().program == program


def test_an_alert_must_end_after_it_starts():
    from django.core.exceptions import ValidationError

    alert = Alert(title="x", message="x", starts_at=now(), ends_at=now() - timedelta(hours=1))
    with pytest.raises(ValidationError, match="end must come after the start"):
        alert.full_clean()


def test_while_invalidations_are_pushed_the_list_is_read_from_memory(
    client,
    no_page_cache,
    pushed_invalidation,
    monkeypatch,
):
    program = ProgramFactory()
    Alert.objects.create(title="Storm closes schools", message="x")
    assert "Storm closes schools" in client.get(program.get_absolute_url()).content.decode()

    def refuse(*args, **kwargs):
        raise AssertionError("the shared cache was asked")

    monkeypatch.setattr(alerts.cache, "get", refuse)
    monkeypatch.setattr(alerts.cache, "get_many", refuse)
    assert "Storm closes schools" in client.get(program.get_absolute_url()).content.decode()


def test_an_alert_saved_drops_the_list_in_memory(
    client,
    no_page_cache,
    pushed_invalidation,
    django_capture_on_commit_callbacks,
):
    program = ProgramFactory()
    client.get(program.get_absolute_url())  # the list (empty) is now in memory
    with django_capture_on_commit_callbacks(execute=True):
        Alert.objects.create(title="Storm closes schools", message="x")
    assert "Storm closes schools" in client.get(program.get_absolute_url()).content.decode()


def test_a_bump_in_another_worker_drops_the_list_in_memory(client, no_page_cache, generation_file, monkeypatch):
    """With the file cache, another worker's save reaches this one through the host's generation file."""
    program = ProgramFactory()
    client.get(program.get_absolute_url())  # the list (empty) is now in memory
    Alert.objects.create(title="Storm closes schools", message="x")  # as if saved by another worker:
    monkeypatch.setattr(listener, "forget", lambda: None)  # its bump drops nothing in this process itself,
    page_cache.bump({"alerts"})  # it sets the shared versions and writes the generation file
    assert "Storm closes schools" in client.get(program.get_absolute_url()).content.decode()


def test_without_the_generation_file_the_list_in_memory_is_not_trusted(client, no_page_cache, without_generation_file):
    """Another worker's save is then seen through the shared cache's versions."""
    program = ProgramFactory()
    client.get(program.get_absolute_url())
    Alert.objects.create(title="Storm closes schools", message="x")  # as if from another worker, whose
    cache.set(page_cache.TAG_PREFIX + "alerts", "a new version", timeout=None)  # bump reached only the cache
    assert "Storm closes schools" in client.get(program.get_absolute_url()).content.decode()
