"""The school search's result cards, rendered once and read from the cache (programs/search_cards.py)."""

from datetime import date

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from page_cache.pages import GENERATION_KEY, bump
from programs import search_cards
from programs.models import Program, current_school_year
from programs.search import SearchResults
from tests.factories import AssignmentFactory, OfficerFactory, ProgramFactory, SchoolFactory

# The page cache off: each request renders the page, so only the cards can come from the cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

URL = "/schools/?q=Festus"


@pytest.fixture(autouse=True, params=["file cache", "Redis"])
def tag_versions(request, monkeypatch):
    """Tag versions read as with the file cache (never written) and as with Redis (created when missing)."""
    if request.param == "Redis":
        monkeypatch.setattr(search_cards, "creates_tag_versions", lambda: True)
    else:
        cache.set(
            GENERATION_KEY, "since-the-last-save", timeout=None
        )  # something was saved since the cache was cleared
    return request.param


@pytest.fixture
def county():
    """Three schools in Festus, two with an officer this year, an agency with two published programs."""
    program = ProgramFactory(contact_division="Community Education Division")
    ProgramFactory(agency=program.agency, contact_division="Patrol Division", contact_phone="+16365550199")
    agency = program.agency
    first = AssignmentFactory(
        officer=OfficerFactory(agency=agency, first_name="Pat", last_name="Lee", email="pat.lee@example.org"),
        school=SchoolFactory(agency=agency, name="Festus High School", city="Festus", district="Festus R-VI"),
    )
    AssignmentFactory(
        officer=OfficerFactory(agency=agency, first_name="Sam", last_name="Ray"),
        school=SchoolFactory(agency=agency, name="Festus Middle School", city="Festus", is_example=True),
    )
    SchoolFactory(agency=agency, name='Festus <Elementary> & "Annex"', city="Festus")
    return first


def search(client, url=URL):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(captured.captured_queries)


def test_a_second_identical_search_reads_its_cards_from_the_cache(client, county, django_assert_num_queries):
    client.get("/")  # steady state: the alert banner's list is in the cache
    first, queries = search(client)
    # The cards' three queries (the schools, their officers, their agency's programs) are gone.
    with django_assert_num_queries(queries - 3):
        second = client.get(URL).content.decode()
    assert second == first


def test_the_page_is_byte_identical_with_and_without_cached_cards(client, county):
    uncached, _ = search(client)
    cached, _ = search(client)
    caches["cards"].clear()
    rendered_again, _ = search(client)
    assert cached == uncached == rendered_again
    assert uncached.count('<li class="border-top') == 3
    # Stored as rendered: escaped once, never twice nor not at all.
    assert "Festus &lt;Elementary&gt; &amp; &quot;Annex&quot;" in cached
    assert '<span class="usa-tag">Example</span>' in cached


def test_pages_share_the_cards_of_the_schools_they_both_show(client, county):
    search(client)  # every Festus school's card
    _, queries = search(client, "/schools/?q=Festus+High")
    caches["cards"].clear()
    _, rendering = search(client, "/schools/?q=Festus+High")
    assert queries == rendering - 3


def test_the_page_renders_every_card_when_the_cache_is_down(client, county, monkeypatch):
    expected, _ = search(client)

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(caches["cards"], "get_many", down)
    assert search(client)[0] == expected


def test_a_renamed_officer_shows_on_the_next_search(client, county, django_capture_on_commit_callbacks):
    search(client)
    officer = county.officer
    officer.first_name = "Patricia"
    with django_capture_on_commit_callbacks(execute=True):
        officer.save()
    html, _ = search(client)
    assert "Patricia Lee" in html
    assert "Pat Lee" not in html


def test_a_reassigned_officer_shows_on_the_next_search(client, county, django_capture_on_commit_callbacks):
    search(client)
    county.officer = OfficerFactory(agency=county.school.agency, first_name="Kim", last_name="Fox")
    with django_capture_on_commit_callbacks(execute=True):
        county.save()
    html, _ = search(client)
    assert "Kim Fox" in html
    assert "Pat Lee" not in html


def test_a_renamed_school_shows_on_the_next_search(client, county, django_capture_on_commit_callbacks):
    search(client)
    school = county.school
    school.name = "Festus Senior High School"
    with django_capture_on_commit_callbacks(execute=True):
        school.save()
    html, _ = search(client)
    assert "Festus Senior High School" in html


def test_an_unpublished_program_leaves_the_cards_on_the_next_search(client, county, django_capture_on_commit_callbacks):
    assert search(client)[0].count("Patrol Division") == 3
    patrol = Program.objects.get(contact_division="Patrol Division")
    patrol.status = Program.Status.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        patrol.save()
    html, _ = search(client)
    assert "Patrol Division" not in html
    assert html.count("Community Education Division") == 3


def test_a_card_rendered_while_a_change_commits_is_not_kept_as_current(client, county, monkeypatch):
    """The change's bump lands after the schools were read: the card stored is already stale."""
    read = SearchResults.schools

    def read_then_change(self, ids):
        schools = read(self, ids)
        bump({f"school:{pk}" for pk in ids})
        return schools

    monkeypatch.setattr(SearchResults, "schools", read_then_change)
    client.get("/")
    _, queries = search(client)
    monkeypatch.setattr(SearchResults, "schools", read)
    assert search(client)[1] == queries  # rendered again from the database


def test_a_new_school_year_renders_the_cards_anew(client, county, monkeypatch):
    year = current_school_year()
    assert "Pat Lee" in search(client)[0]
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(year + 1, 7, 1))
    html, _ = search(client)
    assert "Pat Lee" not in html
    assert html.count("No officer is assigned to this school this school year.") == 3


def test_with_the_file_cache_a_search_writes_no_tag_version_per_school(client, county, tag_versions):
    search(client)
    school_tag, agency_tag = f"tag:school:{county.school_id}", f"tag:agency:{county.school.agency_id}"
    if tag_versions == "file cache":
        assert cache.get(school_tag) is None
        assert cache.get(agency_tag) is None
    else:
        assert cache.get(school_tag) is not None
    assert search(client)[0].count('<li class="border-top') == 3


def test_a_change_whose_tag_version_was_culled_still_shows(client, county, django_capture_on_commit_callbacks):
    """The file cache drops entries when full: a tag gone after a change must not bring back the old card."""
    search(client)
    officer = county.officer
    officer.first_name = "Patricia"
    with django_capture_on_commit_callbacks(execute=True):
        officer.save()
    cache.delete_many([f"tag:school:{county.school_id}", f"tag:agency:{officer.agency_id}"])
    assert "Patricia Lee" in search(client)[0]


def test_before_anything_is_saved_cards_are_cached_under_versions_created_for_them(client, county):
    cache.delete(GENERATION_KEY)  # a cleared cache
    first, _ = search(client)
    assert cache.get(GENERATION_KEY) is None  # a marker appearing mid-render would keep the page out of the cache
    assert cache.get(f"tag:school:{county.school_id}") is not None
    _, queries = search(client)
    caches["cards"].clear()
    second, rendering = search(client)
    assert second == first
    assert queries == rendering - 3


def test_after_a_change_in_bulk_the_cards_are_rendered_anew(client, county, django_capture_on_commit_callbacks):
    """The scale data set rewrites thousands of rows without signals, then says so once for the whole site."""
    from programs import invalidation
    from programs.models import Officer

    assert "Pat Lee" in search(client)[0]
    Officer.objects.filter(pk=county.officer_id).update(first_name="Patricia")
    with django_capture_on_commit_callbacks(execute=True):
        invalidation.site_changed_in_bulk()
    html, _ = search(client)
    assert "Patricia Lee" in html
    assert "Pat Lee" not in html
