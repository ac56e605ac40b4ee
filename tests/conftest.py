import pytest
from django.core.cache import cache

from programs.page_cache import forget_local_pages

from .factories import UserFactory


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded files go to a throw-away folder, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached pages and tag versions never leak from one test to the next."""
    cache.clear()
    forget_local_pages()
    yield
    cache.clear()
    forget_local_pages()


@pytest.fixture
def no_page_cache(settings):
    """For tests that measure rendering itself (query counts)."""
    settings.PAGE_CACHE = False


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client
