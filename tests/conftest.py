from pathlib import Path

import pytest
from django.core.cache import caches
from django.utils import translation

from programs import ratelimit
from programs.pushed_invalidation import listener

from .factories import UserFactory


def pytest_configure(config):
    """Passwords hashed with MD5 in tests: PBKDF2's million rounds took a quarter of a second or more
    for each user a test made or signed in (no test is about the hashing itself; the settings
    module keeps Django's default for the site)."""
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()


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
