"""What each process keeps in memory stays bounded, and goes at the first bump."""

import pytest

from page_cache.pushed import LocalCopies, listener


@pytest.fixture
def copies(monkeypatch):
    """A LocalCopies made for one test, unregistered from the listener afterwards."""
    monkeypatch.setattr(listener, "_on_message", list(listener._on_message))

    def make(**bounds):
        return LocalCopies(**bounds)

    return make


def keep(local, **values):
    for key, value in values.items():
        local.keep(key, value, listener.epoch)


def test_beyond_their_number_the_least_recently_used_copy_goes_first(copies):
    local = copies(limit=3)
    keep(local, a="1", b="2", c="3")
    assert local.get("a") == "1"  # used: now the most recent
    keep(local, d="4")
    assert [key for key, _ in local.items()] == ["c", "a", "d"]


def test_beyond_their_bytes_the_least_recently_used_copies_go_first(copies):
    local = copies(limit=100, max_bytes=10, size=len)
    keep(local, a="aaaa", b="bbbb")
    local.get("a")
    keep(local, c="cccc")
    assert [key for key, _ in local.items()] == ["a", "c"]
    assert local.bytes == 8
    keep(local, d="dddddddd")  # needs both of the others' room
    assert [key for key, _ in local.items()] == ["d"]
    assert local.bytes == 8


def test_a_copy_larger_than_the_whole_bound_is_not_kept_nor_its_older_version(copies):
    local = copies(limit=100, max_bytes=10, size=len)
    keep(local, a="aaaa", page="old")
    keep(local, page="x" * 11)
    assert "page" not in local
    assert local.get("a") == "aaaa" and local.bytes == 4


def test_keeping_a_key_again_replaces_its_copy_and_its_size(copies):
    local = copies(limit=2, max_bytes=10, size=len)
    keep(local, a="aaaa", b="bb")
    keep(local, a="aaaaaa")
    assert local.get("a") == "aaaaaa" and local.bytes == 8 and len(local) == 2


def test_every_bump_heard_drops_every_copy(copies):
    local = copies(limit=3, max_bytes=10, size=len)
    keep(local, a="aaaa")
    listener.forget()
    assert len(local) == 0 and local.bytes == 0


def test_a_copy_read_before_a_bump_is_not_kept_after_it(copies):
    local = copies(limit=3)
    epoch = listener.epoch
    listener.forget()
    local.keep("a", "read before the bump", epoch)
    assert "a" not in local


# Values remembered until the next change (page_cache/pages.py `remembered`) ----------------------


@pytest.mark.django_db(transaction=True)
def test_the_states_list_is_read_once_then_again_after_a_change_commits(client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import AgencyFactory, ProgramFactory, StateFactory

    ProgramFactory()
    client.get("/schools/")  # the file cache's generation file is written: from now on the process is trusted
    client.get("/schools/")

    def states_queries():
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/schools/?q=nothing+matches").content.decode()
        return sum('"programs_state"' in q["sql"] for q in queries.captured_queries), html

    count, html = states_queries()
    assert count == 0, "read from memory"
    assert "Illinois" not in html

    ProgramFactory(agency=AgencyFactory(state=StateFactory(code="IL", name="Illinois")))  # commits: a bump
    count, html = states_queries()
    assert count == 1 and "Illinois" in html, "read again after the change"
    assert states_queries()[0] == 0


def test_inside_a_transaction_nothing_is_remembered(db):
    from page_cache.pages import remembered

    calls = []
    for _ in range(2):
        remembered("test-value", lambda: calls.append(1) or len(calls))
    assert len(calls) == 2, "a value read inside a transaction may be rolled back: read every time"
