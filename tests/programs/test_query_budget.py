"""Rendering a page (a cache miss) costs the same queries for a county of 1 or of 200 officers and schools."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from agreements.models import Agreement
from tests.factories import (
    AgreementFactory,
    AssignmentFactory,
    OfficerFactory,
    OfficerTrainingFactory,
    ProgramFactory,
    SchoolFactory,
)

pytestmark = pytest.mark.django_db

# Upper bounds, so a change that adds queries to every page is noticed too.
# search: the state list, the check for exact matches, the count, the page, its officers and programs.
# program: built afresh (tests/programs/test_views.py), its latest updates one of them (updates/page.py).
BUDGETS = {"home": 2, "state": 3, "program": 21, "search": 6}


def county(size):
    """A published program whose agency has `size` officers, each at a school in Festus this year."""
    program = ProgramFactory()
    officers = OfficerFactory.create_batch(size, agency=program.agency)
    schools = SchoolFactory.create_batch(size, agency=program.agency, city="Festus")
    for officer, school in zip(officers, schools, strict=True):
        AssignmentFactory(officer=officer, school=school)
        OfficerTrainingFactory(officer=officer)
        AgreementFactory(partnership__program=program)
    return program


def address(urls, page, program, language):
    with translation.override("en"):  # the last request's language stays active in the test's thread
        return language + urls[page](program)


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert "X-Page-Cache" not in response  # rendered, not served from the cache
    return len(captured.captured_queries)


@pytest.fixture
def urls():
    return {
        "home": lambda p: "/",
        "state": lambda p: "/states/mo/",
        "program": lambda p: p.get_absolute_url(),
        "search": lambda p: "/schools/?q=Festus",
    }


@pytest.mark.parametrize("language", ["", "/es"], ids=["english", "spanish"])
@pytest.mark.parametrize("page", BUDGETS)
def test_query_count_is_the_same_for_1_and_200_officers_and_schools(
    client, no_page_cache, urls, page, language, django_assert_max_num_queries
):
    """The same budgets in Spanish (/es/...) as in English."""
    client.get(language + "/")  # steady state: the alert banner's list is in the cache
    small = county(1)
    with_one = queries(client, address(urls, page, small, language))
    small.agency.schools.all().delete()
    Agreement.objects.filter(partnership__program=small).delete()  # a public record: kept unless deleted first
    small.delete()
    large = county(200)
    with django_assert_max_num_queries(BUDGETS[page]):
        with_200 = queries(client, address(urls, page, large, language))
    assert with_200 == with_one
