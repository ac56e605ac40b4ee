"""Anonymous pages come from the cache, and every change re-renders exactly the pages that show it."""

import multiprocessing

import pytest
from django.apps import apps
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from page_cache import invalidation
from page_cache import pages as page_cache
from page_cache import pushed as pushed_invalidation
from page_cache.pages import PageCacheMiddleware, tag_page
from programs.models import Alert
from tests.factories import (
    AssignmentFactory,
    EducationTopicFactory,
    GoalFactory,
    OfficerFactory,
    PhotoFactory,
    ProgramFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def is_cached(client, url):
    return fetch(client, url).get("X-Page-Cache") == "hit"


@pytest.fixture
def site(client):
    """Two counties with an officer at a school each, every page visited once (cached)."""
    program = ProgramFactory(agency__county="Jefferson")
    other = ProgramFactory(agency__county="Franklin", agency__state=StateFactory(code="KS", name="Kansas"))
    topic = EducationTopicFactory(name="Driver safety")
    program.topics.add(topic)
    assignment = AssignmentFactory(officer__agency=program.agency, school__name="Hill Elementary")
    other_assignment = AssignmentFactory(officer__agency=other.agency, school__name="Far Away High")
    pages = {
        "home": "/",
        "program": program.get_absolute_url(),
        "other_program": other.get_absolute_url(),
        "topic": topic.get_absolute_url(),
        "topics": "/topics/",
        "search": "/schools/?q=hill",
        "school": assignment.school.get_absolute_url(),
        "other_school": other_assignment.school.get_absolute_url(),
        "state": "/states/mo/",
        "other_state": "/states/ks/",
    }
    for url in pages.values():
        fetch(client, url)
    for url in pages.values():
        assert is_cached(client, url), url
    return {
        "program": program,
        "other": other,
        "topic": topic,
        "assignment": assignment,
        "pages": pages,
    }


def stale_pages(client, site):
    return {name for name, url in site["pages"].items() if not is_cached(client, url)}


def test_repeat_visit_is_served_from_the_cache_without_queries(client, django_assert_num_queries):
    program = ProgramFactory()
    first = fetch(client, program.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = fetch(client, program.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


ALL_PAGES = {
    "home",
    "program",
    "other_program",
    "topic",
    "topics",
    "search",
    "school",
    "other_school",
    "state",
    "other_state",
}
CHANGES = {
    "program summary": (
        lambda s: setattr(s["program"], "summary", "New summary.") or s["program"].save(),
        {"home", "program", "topic", "topics", "search", "school", "state"},
    ),
    "other state's program phone": (
        lambda s: setattr(s["other"], "contact_phone", "+16365550123") or s["other"].save(),
        {"home", "other_program", "topic", "topics", "search", "other_school", "other_state"},
    ),
    "goal": (lambda s: GoalFactory(program=s["program"]), {"program"}),
    "photo": (lambda s: PhotoFactory(program=s["program"]), {"program"}),
    "officer phone": (
        lambda s: setattr(s["assignment"].officer, "phone", "+16365550199") or s["assignment"].officer.save(),
        {"program", "search", "school"},
    ),
    "new officer of the county": (
        lambda s: OfficerFactory(agency=s["program"].agency),
        {"program", "search", "school"},
    ),
    "school renamed": (
        lambda s: setattr(s["assignment"].school, "name", "Hill Middle") or s["assignment"].school.save(),
        {"program", "search", "school"},
    ),
    "assignment removed": (lambda s: s["assignment"].delete(), {"program", "search", "school"}),
    "topic renamed": (
        lambda s: setattr(s["topic"], "name", "Safe driving") or s["topic"].save(),
        {"topic", "topics", "program"},
    ),
    "topic added to program": (
        lambda s: s["program"].topics.add(EducationTopicFactory()),
        {"program", "topics"},
    ),
    "topic removed from program": (lambda s: s["program"].topics.remove(s["topic"]), {"program", "topic", "topics"}),
    "program's topics cleared": (lambda s: s["program"].topics.clear(), {"program", "topic", "topics"}),
    "topic's programs cleared": (lambda s: s["topic"].programs.clear(), {"program", "topic", "topics"}),
    "program added to topic": (lambda s: s["topic"].programs.add(s["other"]), {"other_program", "topic", "topics"}),
    "agency renamed": (
        lambda s: setattr(s["program"].agency, "name", "New name") or s["program"].agency.save(),
        {"home", "program", "search", "school", "topic", "topics", "state"},
    ),
    # The state's name is on the home page, the search's state list and its page:
    # any change to a state re-renders them (states are seldom edited).
    "tip line changed": (
        lambda s: (
            setattr(s["program"].agency.state, "tip_line_phone", "+18005550100") or s["program"].agency.state.save()
        ),
        {"program", "home", "search", "state"},
    ),
    "sitewide alert posted": (
        lambda s: Alert.objects.create(title="Schools closed", message="Snow.", starts_at=timezone.now()),
        ALL_PAGES,
    ),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_a_change_re_renders_exactly_the_pages_that_show_it(client, site, django_capture_on_commit_callbacks, change):
    make_change, expected_stale = CHANGES[change]
    with django_capture_on_commit_callbacks(execute=True):
        make_change(site)
    assert stale_pages(client, site) == expected_stale


def test_an_agency_moving_to_another_state_re_renders_both_state_pages(client, django_capture_on_commit_callbacks):
    moving = ProgramFactory(agency__county="Moving")
    ProgramFactory(agency__county="Staying")
    kansas = ProgramFactory(agency__state=StateFactory(code="KS", name="Kansas")).agency.state
    for url in ("/states/mo/", "/states/ks/"):
        fetch(client, url)
        assert is_cached(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        moving.agency.state = kansas
        moving.agency.save()
    assert "Moving County" not in fetch(client, "/states/mo/").content.decode()
    assert "Moving County" in fetch(client, "/states/ks/").content.decode()


# The apps whose models public pages show (accounts holds staff accounts only).
CONTENT_APPS = ["programs", "agreements", "training", "program_data", "officer_feedback"]


@pytest.mark.parametrize("app", CONTENT_APPS)
def test_every_model_is_either_invalidated_or_declared_not_public(app):
    """Adding a model that public pages show means adding its line to the registry."""
    for model in apps.get_app_config(app).get_models():
        label = model._meta.label_lower
        if label.startswith(f"{app}.historical"):  # django-simple-history's own tables
            continue
        assert (
            model in invalidation.REGISTRY or label in invalidation.NOT_ON_PUBLIC_PAGES or label in invalidation.DERIVED
        ), label


def test_moving_a_school_to_another_county_refreshes_both_counties(client, site, django_capture_on_commit_callbacks):
    school = site["assignment"].school
    with django_capture_on_commit_callbacks(execute=True):
        school.agency = site["other"].agency
        school.save()
    assert {"program", "other_program"} <= stale_pages(client, site)


def test_the_changed_content_is_what_the_next_visitor_sees(client, site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        site["topic"].name = "Safe driving"
        site["topic"].save()
    assert "Safe driving" in fetch(client, site["pages"]["program"]).content.decode()


def test_signed_in_staff_are_never_served_or_stored_in_the_cache(staff_client):
    program = ProgramFactory()
    response = staff_client.get(program.get_absolute_url())
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]
    assert fetch(Client(), program.get_absolute_url())["X-Page-Cache"] == "miss"


def test_not_found_pages_are_not_cached(client):
    assert client.get("/programs/not-yet/").status_code == 404
    ProgramFactory(slug="not-yet")
    assert client.get("/programs/not-yet/").status_code == 200


def test_a_page_rendered_during_a_change_is_not_stored():
    def view_that_sees_a_change(request):
        tag_page(request, "agency:1")
        page_cache.bump({"agency:1"})  # someone saves while we render
        return HttpResponse("mixed old and new")

    middleware = PageCacheMiddleware(view_that_sees_a_change)
    middleware(RequestFactory().get("/racy/"))
    assert middleware(RequestFactory().get("/racy/")).get("X-Page-Cache") != "hit"


def test_pages_are_rendered_from_the_database_when_the_cache_is_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    program = ProgramFactory()
    assert client.get(program.get_absolute_url()).status_code == 200
    assert client.get("/").status_code == 200


def test_repeat_visit_gets_304_not_modified(client):
    program = ProgramFactory()
    first = fetch(client, program.get_absolute_url())
    assert first["ETag"]
    assert first["Last-Modified"]
    repeat = client.get(program.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert repeat.status_code == 304


def test_page_cache_can_be_switched_off(client, settings):
    settings.PAGE_CACHE = False
    program = ProgramFactory()
    fetch(client, program.get_absolute_url())
    assert "X-Page-Cache" not in fetch(client, program.get_absolute_url())


def test_with_pushed_invalidation_a_page_in_memory_needs_no_cache_round_trip(client, pushed_invalidation, monkeypatch):
    program = ProgramFactory()
    url = program.get_absolute_url()
    fetch(client, url)  # rendered, stored in the shared cache and in memory

    def refuse(*args, **kwargs):
        raise AssertionError("the shared cache was asked")

    monkeypatch.setattr(page_cache.cache, "get", refuse)
    monkeypatch.setattr(page_cache.cache, "get_many", refuse)
    assert is_cached(client, url)


def test_a_bump_heard_drops_the_pages_in_memory(client, pushed_invalidation, django_capture_on_commit_callbacks):
    program = ProgramFactory(summary="Before.")
    url = program.get_absolute_url()
    fetch(client, url)
    key, old_copy = next(iter(page_cache._local_pages.items()))
    with django_capture_on_commit_callbacks(execute=True):
        program.summary = "After."
        program.save()
    assert key not in page_cache._local_pages  # the process that saved drops its copy at once
    page_cache._local_pages.keep(key, old_copy, pushed_invalidation.epoch)  # another process, before the message
    assert "Before." in fetch(client, url).content.decode()
    pushed_invalidation._forget()  # the message arrives
    response = fetch(client, url)
    assert response["X-Page-Cache"] == "miss" and "After." in response.content.decode()


def test_the_listener_watches_a_marker_that_every_bump_changes():
    before = page_cache.listener._marker()
    page_cache.bump({"programs"})
    after = page_cache.listener._marker()
    assert after is not None and after != before


def test_a_page_read_while_a_bump_is_heard_is_not_kept_in_memory(pushed_invalidation):
    entry = {"versions": {}, "content": b"old", "headers": {}, "expires": timezone.now().timestamp() + 60}
    epoch = pushed_invalidation.epoch
    pushed_invalidation._forget()  # a message arrives between the version check and keeping the page
    page_cache._remember_locally("page:x", entry, epoch)
    assert "page:x" not in page_cache._local_pages


def test_with_the_file_cache_a_page_in_memory_needs_no_cache_access(client, generation_file, monkeypatch):
    program = ProgramFactory()
    url = program.get_absolute_url()
    fetch(client, url)  # rendered, stored in the file cache and in memory
    fetch(client, url)
    assert not page_cache.listener.listening  # no Redis channel: the host's generation file instead
    assert generation_file.is_file()

    def refuse(*args, **kwargs):
        raise AssertionError("the shared cache was asked")

    monkeypatch.setattr(page_cache.cache, "get", refuse)
    monkeypatch.setattr(page_cache.cache, "get_many", refuse)
    assert is_cached(client, url)


def copy_kept_in_memory(client, url, content):
    """The page fetched, and its in-memory copy replaced by one showing `content`, as
    if this process had kept it before a change made elsewhere."""
    fetch(client, url)
    key, entry = next(iter(page_cache._local_pages.items()))
    page_cache._local_pages.keep(key, {**entry, "content": content}, page_cache.listener.epoch)
    assert fetch(client, url).content == content  # served from memory while nothing says otherwise
    return key


def test_a_new_generation_written_by_another_process_drops_the_pages_in_memory(client, generation_file):
    url = ProgramFactory().get_absolute_url()
    copy_kept_in_memory(client, url, b"before the change")
    generation_file.write_text("another-process-bumped")  # what another worker's bump() leaves there
    assert fetch(client, url).content != b"before the change"


def test_a_change_saved_in_another_process_shows_on_this_processs_next_hit(
    client, generation_file, django_capture_on_commit_callbacks
):
    program = ProgramFactory(summary="Before.")
    url = program.get_absolute_url()
    fetch(client, url)
    assert "Before." in fetch(client, url).content.decode()  # from memory
    with django_capture_on_commit_callbacks() as after_commit:
        program.summary = "After."
        program.save()  # the program's document is stale now; the bump waits for the commit
    # The commit's bump runs in another process of this host: nothing tells this one but the file.
    other = multiprocessing.get_context("fork").Process(target=lambda: [bump() for bump in after_commit])
    other.start()
    other.join(timeout=30)
    assert other.exitcode == 0
    response = fetch(client, url)
    assert response["X-Page-Cache"] == "miss" and "After." in response.content.decode()


@pytest.mark.parametrize("how", ["deleted", "unreadable"])
def test_without_the_generation_file_every_hit_checks_the_tag_versions(client, generation_file, monkeypatch, how):
    program = ProgramFactory()
    url = program.get_absolute_url()
    key = copy_kept_in_memory(client, url, b"stale")
    stale = page_cache._local_pages.get(key)
    page_cache._local_pages.keep(key, {**stale, "versions": {"programs": "an old version"}}, page_cache.listener.epoch)
    generation_file.unlink()
    if how == "unreadable":
        generation_file.mkdir()
    checked = []
    original = page_cache.current_versions
    monkeypatch.setattr(page_cache, "current_versions", lambda tags: checked.append(tags) or original(tags))
    response = fetch(client, url)
    assert checked
    assert response.content != b"stale"
    # A missing file is written anew (a new token: every process drops its copies once).
    assert generation_file.is_file() == (how == "deleted")


def test_a_bump_that_cannot_write_the_generation_file_takes_it_away(generation_file, monkeypatch):
    page_cache.bump({"programs"})
    assert generation_file.is_file()

    def disk_full(path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pushed_invalidation, "_write_token", disk_full)
    page_cache.bump({"programs"})  # logged, never raised: a save must not fail for the cache
    assert not generation_file.exists()  # so every process checks the tag versions instead


def test_a_bump_whose_versions_were_not_all_written_still_gives_a_new_generation(generation_file, monkeypatch):
    page_cache.bump({"programs"})
    before = generation_file.read_bytes()

    def fails_part_way(*args, **kwargs):
        raise OSError(28, "No space left on device")  # some versions may be written already

    monkeypatch.setattr(page_cache.cache, "set_many", fails_part_way)
    page_cache.bump({"programs", "topics"})  # logged, never raised
    assert generation_file.read_bytes() != before


def test_clearing_the_cache_drops_every_workers_pages_in_memory(client, generation_file):
    url = ProgramFactory().get_absolute_url()
    copy_kept_in_memory(client, url, b"before the cache was cleared")
    page_cache.cache.clear()  # in any process of the host
    assert not generation_file.exists()
    assert fetch(client, url).content != b"before the cache was cleared"
    assert generation_file.is_file()  # written anew


def test_every_bump_gives_the_host_a_new_generation(generation_file):
    page_cache.bump({"programs"})
    before = generation_file.read_bytes()
    page_cache.bump({"programs"})
    assert generation_file.read_bytes() != before


def test_pages_in_memory_are_bounded_in_number_and_in_bytes(client, monkeypatch):
    program = ProgramFactory()
    monkeypatch.setattr(page_cache._local_pages, "limit", 3)
    for n in range(5):
        fetch(client, f"{program.get_absolute_url()}?visit={n}")
    assert len(page_cache._local_pages) == 3
    page_size = page_cache._local_pages.bytes // 3
    monkeypatch.setattr(page_cache._local_pages, "max_bytes", page_size * 2 + page_size // 2)
    for n in range(5, 8):
        fetch(client, f"{program.get_absolute_url()}?visit={n}")
    assert len(page_cache._local_pages) == 2
    assert page_cache._local_pages.bytes <= page_cache._local_pages.max_bytes


def test_a_state_change_refreshes_the_program_vcard(client, django_capture_on_commit_callbacks):
    program = ProgramFactory(agency__street_address="1 Main St")
    url = reverse("programs:program_vcard", args=[program.slug])
    fetch(client, url)
    assert is_cached(client, url)
    state = program.agency.state
    with django_capture_on_commit_callbacks(execute=True):
        state.code = "ZZ"
        state.save()
    response = fetch(client, url)
    assert response["X-Page-Cache"] == "miss" and ";ZZ;" in response.content.decode()


def test_a_stale_page_in_memory_gives_way_to_a_fresh_copy_another_process_stored(client, without_generation_file):
    program = ProgramFactory()
    url = program.get_absolute_url()
    fetch(client, url)
    key, stale = next(iter(page_cache._local_pages.items()))
    page_cache.bump({f"program:{program.pk}"})
    fetch(client, url)  # "another worker" renders and stores the fresh page
    page_cache._local_pages.keep(key, stale, page_cache.listener.epoch)  # while this process still holds the old one
    response = fetch(client, url)
    assert response["X-Page-Cache"] == "hit"
    assert page_cache._local_pages.get(key) is not stale


def test_the_listener_hears_a_bump_published_through_redis(settings):
    import os
    import socket
    import time

    from django.core.cache import caches

    from page_cache.pushed import Listener, publish

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        if os.environ.get("CI"):
            pytest.fail("Redis does not answer on 127.0.0.1:6379 (CI must run this test)")
        pytest.skip("LISTENER TEST NOT RUN: Redis does not answer on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "page_cache.redis_cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": f"sro-test-listener-{os.getpid()}",
        }
    }
    listener, heard = Listener(), []
    listener.on_message(lambda: heard.append(listener.epoch))
    listener.ensure_started()

    def wait_for(condition):
        deadline = time.monotonic() + 5
        while not condition() and time.monotonic() < deadline:
            time.sleep(0.01)
        return condition()

    assert wait_for(lambda: listener.listening)
    subscribed = len(heard)
    caches["default"]._cache.get_client(write=True).publish(listener.channel, b"bump")
    assert wait_for(lambda: len(heard) > subscribed)
    publish()  # what page_cache.bump() calls, on the same channel
    assert wait_for(lambda: len(heard) > subscribed + 1)
