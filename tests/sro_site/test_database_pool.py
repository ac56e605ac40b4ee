"""gunicorn's threads share a bounded pool of PostgreSQL connections (sro_site/settings.py DATABASE_POOL_SIZE)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: SQLite has no pool")


@pytest.mark.django_db(transaction=True)
def test_many_threads_use_at_most_the_pool_size_of_connections(settings):
    def request(_):
        """What a request on one of gunicorn's threads does with the database."""
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid(), pg_sleep(0.02)")
                return cursor.fetchone()[0]
        finally:
            connections.close_all()  # as Django does at the end of each request: back to the pool

    with ThreadPoolExecutor(max_workers=32) as threads:
        backends = set(threads.map(request, range(128)))
    assert settings.DATABASE_POOL_SIZE < 32
    assert 1 <= len(backends) <= settings.DATABASE_POOL_SIZE
