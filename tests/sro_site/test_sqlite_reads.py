"""The embedded default reads its database file through memory mapping (sro_site/settings.py).

Each of a gunicorn worker's threads holds a SQLite connection of its own, with a
page cache of its own that starts cold; mapped pages are shared by all of them.
"""

import pytest
from django.conf import settings
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only: the embedded default")


def test_a_connection_to_the_database_file_maps_it_into_memory(tmp_path, django_db_blocker):
    database = {**settings.DATABASES["default"], "NAME": str(tmp_path / "site.sqlite3")}
    wrapper = DatabaseWrapper(database, alias="mmap-check")
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("PRAGMA mmap_size")
            (mapped,) = cursor.fetchone()
    finally:
        wrapper.close()
    assert mapped == settings.SQLITE_MMAP_BYTES > 0
