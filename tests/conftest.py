from collections import Counter
from pathlib import Path

import pytest
from django.core.cache import caches
from django.utils import translation

from page_cache.pushed import listener
from site_ops import ratelimit
from tests.factories import UserFactory


def pytest_configure(config):
    """Passwords hashed with MD5 in tests: PBKDF2's million rounds took a quarter of a second or more
    for each user a test made or signed in (no test is about the hashing itself; the settings
    module keeps Django's default for the site)."""
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()


def uses_the_test_database(item):
    """As pytest-django decides whether to set up the test database for a test."""
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(item.get_closest_marker("django_db") or fixtures & {"db", "transactional_db", "live_server"})


def module_scoped(item):
    return any(
        definition.scope == "module"
        for definitions in item._fixtureinfo.name2fixturedefs.values()
        for definition in definitions
    )


def set_nodeid(item, nodeid):
    """pytest 9.2 reads a test's id from `_id`; pytest-xdist 3.8 (for its groups) and Schemathesis 4
    still write `_nodeid`, which it no longer reads."""
    from _pytest.nodeid import NodeId

    item._id = NodeId.parse(nodeid)


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    """Marks the tests that use the test database (`database`: CI's PostgreSQL pass runs those).

    Schemathesis gives each API operation's test the same id (test_open_data_schemathesis.py: 14
    tests, one id), and pytest-xdist sends tests to its workers by id: all but one of them would
    never run. Each gets the id of a parametrized test, its own name after its module's id.

    For pytest-xdist's `--dist loadgroup` (make test): the scale tests share their PostgreSQL and
    SQLite sites (session fixtures that take a minute to build), so they run on one worker, and
    first, as the longest piece of work; a module whose tests share a module-scoped fixture (a
    gunicorn or collectstatic started once) runs on one worker too. Every other test goes to
    whichever worker is free. The group goes at the end of the id (`...@scale`), as xdist would
    do itself with its `xdist_group` mark under an older pytest."""
    for item in items:
        if uses_the_test_database(item):
            item.add_marker(pytest.mark.database)
    yield
    nodeids = Counter(item.nodeid for item in items)
    for item in items:
        if nodeids[item.nodeid] > 1:
            set_nodeid(item, f"{item.parent.nodeid.rsplit('::', 1)[0]}::{item.name}")
    if getattr(config.option, "loadgroup", False):  # set by pytest-xdist in its workers
        for item in items:
            if item.get_closest_marker("scale"):
                set_nodeid(item, f"{item.nodeid}@scale")
            elif module_scoped(item):
                set_nodeid(item, f"{item.nodeid}@{item.module.__name__}")
    # After pytest-django's own order (database tests, then transactional ones, then the rest);
    # the scale tests use no test database, so their place does not matter to it.
    items.sort(key=lambda item: item.get_closest_marker("scale") is None)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded files go to a throw-away folder, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached pages, tag versions, search result cards, rate-limit counts and in-memory copies never leak
    from one test to the next."""
    for alias in ("default", "cards", "counters"):
        caches[alias].clear()
    listener.forget()
    ratelimit.forget_local_counts()
    yield
    for alias in ("default", "cards", "counters"):
        caches[alias].clear()
    listener.forget()
    ratelimit.forget_local_counts()


@pytest.fixture(autouse=True)
def english_to_begin_with():
    """A request in Spanish leaves Spanish active in the thread (LocaleMiddleware): each test starts in English."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def no_page_cache(settings):
    """For tests that measure rendering itself (query counts)."""
    settings.PAGE_CACHE = False


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def pushed_invalidation(monkeypatch):
    """As under gunicorn with Redis: the listener is subscribed (no thread needed here)."""
    import os

    monkeypatch.setattr(listener, "_pid", os.getpid())  # started already, in this process
    monkeypatch.setattr(listener, "listening", True)
    return listener


@pytest.fixture
def generation_file():
    """The file through which the file cache tells every process of this host about bumps
    (clearing the cache between tests deletes it; the first hit would write it anew)."""
    listener.host.bump()
    path = Path(listener.host.path())
    yield path
    if path.is_dir():
        path.rmdir()


@pytest.fixture
def without_generation_file(generation_file):
    """Something unreadable where that file should be: a folder (root can read any file)."""
    generation_file.unlink(missing_ok=True)
    generation_file.mkdir()
    return generation_file
