"""Public pages at a real deployment's size (issue 12): the same queries for one county as for
3,100 county programs in 50 states and 5,000 schools, and pages that stay short."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import Agency, Program, School, State
from tests.factories import AssignmentFactory, ProgramFactory, SchoolFactory, synthetic_schools

pytestmark = pytest.mark.django_db

COUNTIES = 3100
SCHOOLS = 5000
# Upper bounds, the same with one county and with all of them.
BUDGETS = {
    "home": 2,  # the states with their program counts; with one state, its first programs
    "state": 3,  # the state, the count of its programs, one page of them
    "search": 6,  # states, exact matches?, count, one page, its officers, its programs
    "school": 3,  # the school and its agency, this year's officers, the program
}
URLS = {
    "home": "/",
    "state": "/states/mo/",
    "search": "/schools/?q=hillsboro+high",
    "school": "/schools/hillsboro-high/",
}


@pytest.fixture
def one_county():
    program = ProgramFactory(agency__county="Jefferson")
    school = SchoolFactory(agency=program.agency, name="Hillsboro High School", slug="hillsboro-high")
    AssignmentFactory(officer__agency=program.agency, school=school)
    return program


def add_the_country():
    """3,100 published county programs in 50 states (Missouri's among them) and 5,000 schools, in bulk."""
    states = [State.objects.get(code="MO")] + State.objects.bulk_create(
        State(code=f"{chr(65 + n // 26)}{chr(65 + n % 26)}", name=f"State {n}") for n in range(1, 50)
    )
    agencies = Agency.objects.bulk_create(
        Agency(
            name=f"Bulk County {n} Sheriff's Office",
            slug=f"bulk-county-{n}",
            county=f"Bulk{n}",
            kind=Agency.Kind.SHERIFFS_OFFICE,
            state=states[n % len(states)],
        )
        for n in range(COUNTIES)
    )
    Program.objects.bulk_create(
        Program(
            agency=agency,
            name="School Resource Officer Program",
            slug=agency.slug,
            summary="Officers in schools.",
            overview="Officers in schools.",
            status=Program.Status.PUBLISHED,
            contact_division="Sheriff's Office",
            contact_phone="+16365550100",
        )
        for agency in agencies
    )
    School.objects.bulk_create(synthetic_schools(SCHOOLS, agencies), batch_size=2000)


def render(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(captured.captured_queries)


@pytest.mark.parametrize("page", BUDGETS)
def test_a_page_costs_the_same_queries_for_one_county_and_for_the_country(
    client, no_page_cache, one_county, page, django_assert_max_num_queries
):
    client.get("/")  # steady state: the alert banner's list is in the cache
    with django_assert_max_num_queries(BUDGETS[page]):
        render(client, URLS[page])
    add_the_country()
    with django_assert_max_num_queries(BUDGETS[page]):
        render(client, URLS[page])


def test_at_size_pages_stay_short(client, no_page_cache, one_county):
    add_the_country()
    home, _ = render(client, "/")
    assert home.count('href="/states/') == 50
    assert "<table" not in home
    state, _ = render(client, "/states/mo/")
    programs_in_missouri = Program.objects.filter(agency__state__code="MO").count()  # 63
    assert state.count('<th scope="row"') == 50
    assert f"page 1 of {-(-programs_in_missouri // 50)}" in state
    broad, _ = render(client, "/schools/?q=high")
    assert broad.count('<li class="border-top') == 20
    assert re.search(r"[\d,]{3,} schools found for “high”", broad)
    search, _ = render(client, URLS["search"])
    first_result = search[search.index('<li class="border-top') :]
    assert first_result.index("Hillsboro High School") < first_result.index("</li>")
