import pytest

from shared_cache import purges


@pytest.fixture(autouse=True)
def empty_purge_queue():
    """Purges queued by one test (to a server since stopped) are never sent during the next."""
    yield
    with purges.queue._condition:
        purges.queue._due.clear()
