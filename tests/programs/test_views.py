import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from programs.models import Program, ProgramPage, current_school_year
from programs.views import PROGRAMS_PER_PAGE, SCHOOLS_PER_PAGE
from tests.factories import (
    AgreementFactory,
    AssignmentFactory,
    EducationTopicFactory,
    GoalFactory,
    MissionRoleFactory,
    OfficerFactory,
    OfficerTrainingFactory,
    OutcomeFactory,
    PhotoFactory,
    ProgramFactory,
    SchoolFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db

# Built from the tables (the first visit after a change): 13 queries (with the partner
# districts' agreements, the officers' training and the latest updates), plus 1 to find the
# document and up to 7 to create and save it. Read from its document: 1.
PROGRAM_PAGE_QUERY_BUDGET = 21


def test_home_with_one_state_lists_its_programs_compactly_with_phone(client):
    ProgramFactory(agency__county="Jefferson", agency__name="Jefferson County Sheriff", contact_phone="+16367975023")
    ProgramFactory(agency__county="Hidden", status=Program.Status.DRAFT)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "County programs in Missouri" in html
    table = html[html.index("<table") : html.index("</table>")]
    assert re.search(r'<a href="/programs/[^"]+/">Jefferson County</a>', table)
    assert "Jefferson County Sheriff" in table
    assert 'href="tel:+16367975023"' in table
    assert "(636) 797-5023" in table
    assert "Hidden County" not in html
    assert "usa-card" not in html


def test_home_leads_with_the_school_search(client):
    ProgramFactory()
    html = client.get("/").content.decode()
    assert 'action="/schools/"' in html
    assert html.index('role="search"') < html.index("<table")


def test_home_with_several_states_links_each_state_page_with_its_program_count(client):
    ProgramFactory.create_batch(2)
    ProgramFactory(agency__state=StateFactory(code="KS", name="Kansas"))
    ProgramFactory(agency__state=StateFactory(code="IA", name="Iowa"), status=Program.Status.DRAFT)
    html = client.get("/").content.decode()
    assert '<a href="/states/ks/">Kansas</a> <span class="text-base-dark">(1 program)</span>' in html
    assert '<a href="/states/mo/">Missouri</a> <span class="text-base-dark">(2 programs)</span>' in html
    assert "Iowa" not in html
    assert "<table" not in html


def test_home_with_one_state_links_to_its_page_when_it_has_more_than_a_page_of_programs(client):
    ProgramFactory.create_batch(PROGRAMS_PER_PAGE + 1)
    html = client.get("/").content.decode()
    assert html.count('<th scope="row"') == PROGRAMS_PER_PAGE
    assert f'<a href="/states/mo/">All {PROGRAMS_PER_PAGE + 1} programs in Missouri</a>' in html


def test_state_page_lists_the_states_published_programs_by_county(client):
    ProgramFactory(agency__county="Jefferson", agency__name="Jefferson County Sheriff")
    ProgramFactory(agency__county="Adair")
    ProgramFactory(agency__county="Drafty", status=Program.Status.DRAFT)
    ProgramFactory(agency__county="Johnson", agency__state=StateFactory(code="KS", name="Kansas"))
    response = client.get("/states/mo/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and "School Resource Officer programs in Missouri</h1>" in html
    counties = re.findall(r'<th scope="row" data-label="County"><a href="[^"]+">([^<]+)</a>', html)
    assert counties == ["Adair County", "Jefferson County"]
    assert "Jefferson County Sheriff" in html
    assert "Johnson County" not in html


def test_state_page_is_paginated_with_the_page_count_in_title_and_heading(client):
    ProgramFactory.create_batch(PROGRAMS_PER_PAGE + 1)
    first = client.get("/states/mo/").content.decode()
    assert "<title>School Resource Officer programs in Missouri, page 1 of 2 |" in first
    assert "County programs, page 1 of 2</h2>" in first
    assert first.count('<th scope="row"') == PROGRAMS_PER_PAGE
    nav = first[first.index('<nav aria-label="Pages of programs"') :]
    nav = nav[: nav.index("</nav>")]
    assert (
        'href="/states/mo/" class="usa-pagination__button usa-current" aria-label="Page 1" aria-current="page"' in nav
    )
    assert 'href="/states/mo/?page=2" class="usa-pagination__button" aria-label="Last page, page 2"' in nav
    assert 'aria-label="Next page"' in nav and 'aria-label="Previous page"' not in nav
    second = client.get("/states/mo/?page=2").content.decode()
    assert second.count('<th scope="row"') == 1
    assert '<link rel="canonical" href="http://testserver/states/mo/?page=2">' in second


@pytest.mark.parametrize("page", ["3", "0", "x", ""])
def test_a_page_that_does_not_exist_is_a_404(client, page):
    ProgramFactory()
    assert client.get("/states/mo/", {"page": page}).status_code == 404


def test_state_page_address_is_in_lower_case(client):
    ProgramFactory()
    response = client.get("/states/MO/")
    assert response.status_code == 301
    assert response["Location"] == "/states/mo/"


def test_state_without_a_published_program_is_a_404(client):
    ProgramFactory(status=Program.Status.DRAFT)
    assert client.get("/states/mo/").status_code == 404
    assert client.get("/states/zz/").status_code == 404


def test_state_page_search_looks_in_that_state(client):
    ProgramFactory()
    html = client.get("/states/mo/").content.decode()
    form = html[html.index('role="search"') : html.index("</form>")]
    assert '<input type="hidden" name="state" value="mo">' in form


def test_program_page_puts_contact_details_first(client):
    program = ProgramFactory(
        contact_email="sro@example.org", contact_hours="Weekdays 8-4", contact_address="1 Main St\nHillsboro"
    )
    html = client.get(program.get_absolute_url()).content.decode()
    assert 'href="tel:+16369493006"' in html
    assert 'href="mailto:sro@example.org"' in html
    assert "Weekdays 8-4" in html
    assert "1 Main St<br>Hillsboro" in html
    assert html.index("Contact the program") < html.index("About the program")


def test_program_page_says_it_is_not_for_emergencies_and_gives_the_tip_line(client):
    program = ProgramFactory()
    html = client.get(program.get_absolute_url()).content.decode()
    assert 'href="tel:911"' in html
    assert "Courage2ReportMO" in html
    assert 'href="tel:+18667487047"' in html


def test_program_page_shows_every_part(client):
    program = ProgramFactory(year_started=1997, funding="Grant-funded", last_reviewed="2026-11-01")
    MissionRoleFactory(program=program, name="Advisor")
    GoalFactory(program=program, title="Deter crime")
    OutcomeFactory(program=program, figure="60%", source="Agency estimate")
    AgreementFactory(partnership__program=program, partnership__district="Fox C-6", signed_on="2025-08-01")
    PhotoFactory(program=program, alt_text="An officer greets students")
    topic = EducationTopicFactory(name="Driver safety")
    program.topics.add(topic)
    officer = OfficerFactory(agency=program.agency, first_name="Zachary", last_name="Faulkner", role="supervisor")
    AssignmentFactory(officer=officer, school__name="Hill Elementary")
    SchoolFactory(agency=program.agency, name="Vacant Middle")
    html = client.get(program.get_absolute_url()).content.decode()
    for text in [
        "1997",
        "Grant-funded",
        "Advisor",
        "Deter crime",
        "60%",
        "Source: <span>Agency estimate</span>",
        "Fox C-6",
        "August 1, 2025",
        'alt="An officer greets students"',
        topic.get_absolute_url(),
        "Zachary Faulkner",
        "SRO Supervisor",
        "Hill Elementary",
        "Vacant Middle",
        "Not assigned",
        "November 1, 2026",
    ]:
        assert text in html, text


def test_last_years_assignment_is_not_shown_as_current(client):
    program = ProgramFactory()
    officer = OfficerFactory(agency=program.agency, last_name="Former")
    AssignmentFactory(officer=officer, school__name="Old School", school_year=current_school_year() - 1)
    html = client.get(program.get_absolute_url()).content.decode()
    assert "Old School" in html
    assert "Not assigned" in html


def test_draft_program_is_hidden_from_the_public(client):
    program = ProgramFactory(status=Program.Status.DRAFT)
    response = client.get(program.get_absolute_url())
    assert response.status_code == 404


def test_draft_program_is_previewable_by_staff(staff_client):
    program = ProgramFactory(status=Program.Status.DRAFT)
    response = staff_client.get(program.get_absolute_url())
    assert response.status_code == 200
    assert "Draft preview" in response.content.decode()


def _fill_program(program, size):
    for _ in range(size):
        officer = OfficerFactory(agency=program.agency)
        AssignmentFactory(officer=officer)
        GoalFactory(program=program)
        OutcomeFactory(program=program)
        MissionRoleFactory(program=program)
        AgreementFactory(partnership__program=program)
        OfficerTrainingFactory(officer=officer)
        program.topics.add(EducationTopicFactory())


def _count_queries(client, url):
    client.get("/")  # steady state: the alert banner's list is cached (one more query when it is not)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_program_page_query_count_does_not_grow_with_content(client, no_page_cache, django_assert_max_num_queries):
    """Built from the tables (after a change) and read from its document (every other time)."""
    small, large = ProgramFactory(), ProgramFactory()
    _fill_program(small, 1)
    _fill_program(large, 100)
    client.get("/")  # the alert list is cached, as in steady state
    with django_assert_max_num_queries(PROGRAM_PAGE_QUERY_BUDGET):
        client.get(large.get_absolute_url())
    ProgramPage.objects.all().delete()
    built = [_count_queries(client, p.get_absolute_url()) for p in (small, large)]
    read = [_count_queries(client, p.get_absolute_url()) for p in (small, large)]
    assert built[0] == built[1]
    assert read == [1, 1]


def test_home_query_count_does_not_grow_with_programs(client, no_page_cache):
    ProgramFactory()
    few = _count_queries(client, "/")
    ProgramFactory.create_batch(30)
    assert _count_queries(client, "/") == few


def test_topic_page_lists_published_programs_that_teach_it(client):
    topic = EducationTopicFactory(name="Driver safety")
    teaching = ProgramFactory(agency__county="Teaching")
    draft = ProgramFactory(agency__county="Drafty", status=Program.Status.DRAFT)
    ProgramFactory(agency__county="Other")
    teaching.topics.add(topic)
    draft.topics.add(topic)
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "Teaching County" in html
    assert "Drafty County" not in html
    assert "Other County" not in html


def test_topic_list_shows_every_topic(client):
    EducationTopicFactory(name="Problem resolution")
    assert "Problem resolution" in client.get(reverse("programs:topic_list")).content.decode()


def test_school_search_by_name_names_the_officer_and_how_to_reach_them(client):
    program = ProgramFactory(agency__county="Jefferson")
    officer = OfficerFactory(agency=program.agency, first_name="Pat", last_name="Lee", phone="+16365550111")
    AssignmentFactory(officer=officer, school__name="Hillsboro High School")
    html = client.get("/schools/", {"q": "hillsboro high"}).content.decode()
    assert "1 school found" in html
    assert "Pat Lee" in html
    assert 'href="tel:+16365550111"' in html
    assert 'href="tel:+16369493006"' in html  # the program's contact line


def test_school_search_by_city(client):
    agency = ProgramFactory().agency
    SchoolFactory(agency=agency, name="Arnold Elementary", city="Arnold")
    SchoolFactory(agency=agency, name="Elsewhere Elementary", city="Festus")
    html = client.get("/schools/", {"q": "Arnold"}).content.decode()
    assert "Arnold Elementary" in html
    assert "Elsewhere Elementary" not in html


def test_school_search_counts_the_schools_found_and_pages_them(client):
    agency = ProgramFactory().agency
    for n in range(SCHOOLS_PER_PAGE + 3):
        SchoolFactory(agency=agency, name=f"Lincoln Elementary {n:02d}")
    first = client.get("/schools/", {"q": "lincoln"}).content.decode()
    assert f"{SCHOOLS_PER_PAGE + 3} schools found for “lincoln”" in first
    assert "Page 1 of 2, best matches first." in first
    assert "<title>Schools matching “lincoln”, page 1 of 2 |" in first
    assert first.count('<li class="border-top') == SCHOOLS_PER_PAGE
    assert 'href="/schools/?q=lincoln&amp;page=2"' in first
    second = client.get("/schools/", {"q": "lincoln", "page": "2"}).content.decode()
    assert second.count('<li class="border-top') == 3
    assert client.get("/schools/", {"q": "lincoln", "page": "3"}).status_code == 404


def test_school_search_filters_by_state_and_county_with_labelled_fields(client):
    jefferson = ProgramFactory(agency__county="Jefferson").agency
    franklin = ProgramFactory(agency__county="Franklin").agency
    SchoolFactory(agency=jefferson, name="Central High (Jefferson)")
    SchoolFactory(agency=franklin, name="Central High (Franklin)")
    html = client.get("/schools/", {"q": "central", "state": "mo", "county": "Jefferson County"}).content.decode()
    assert '<label class="usa-label" for="id_state">State <span class="text-base-dark">(optional)</span>' in html
    assert '<label class="usa-label" for="id_county">County <span class="text-base-dark">(optional)</span>' in html
    assert '<option value="mo" selected>Missouri</option>' in html
    assert "1 school found for “central” in Jefferson County, Missouri" in html
    assert "Central High (Jefferson)" in html
    assert "Central High (Franklin)" not in html


def test_school_search_lists_the_states_in_alphabetical_order(client):
    for code, name in [("WY", "Wyoming"), ("AL", "Alabama"), ("KS", "Kansas")]:
        ProgramFactory(agency__state=StateFactory(code=code, name=name))
    html = client.get("/schools/").content.decode()
    select = html[html.index('<select name="state"') : html.index("</select>")]
    assert '<select name="state" class="usa-select" id="id_state">' in select
    names = [name for name in ("Alabama", "Kansas", "Missouri", "Wyoming") if name in select]
    assert sorted(names, key=select.index) == ["Alabama", "Kansas", "Wyoming"]


def test_school_search_explains_an_unknown_state(client):
    ProgramFactory()
    html = client.get("/schools/", {"q": "central", "state": "zz"}).content.decode()
    assert "Choose a state from the list, or leave it empty to search every state." in html
    assert 'aria-invalid="true"' in html


def test_school_search_forgives_a_misspelling(client):
    SchoolFactory(agency=ProgramFactory().agency, name="Hillsboro High School")
    html = client.get("/schools/", {"q": "hillsbro"}).content.decode()
    assert "1 school found for “hillsboro”" in html
    assert "No school matched “hillsbro”, so these are the schools matching “hillsboro”" in html
    assert "Hillsboro High School" in html


def test_school_search_says_when_a_post_is_vacant(client):
    SchoolFactory(agency=ProgramFactory().agency, name="Quiet Elementary")
    html = client.get("/schools/", {"q": "Quiet"}).content.decode()
    assert "No officer is assigned to this school this school year." in html


def test_school_search_with_no_results_suggests_what_to_do(client):
    html = client.get("/schools/", {"q": "Atlantis"}).content.decode()
    assert "No schools found for “Atlantis”" in html
    assert "browse the county programs" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [("", "Enter a school name or a city to search."), ("x", "at least 2 letters"), ("y" * 101, "at most 100")],
)
def test_school_search_explains_bad_input(client, query, message):
    response = client.get("/schools/", {"q": query})
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'aria-invalid="true"' in html


def test_school_search_without_a_query_shows_the_form_only(client):
    html = client.get("/schools/").content.decode()
    assert "usa-error-message" not in html
    assert "found for" not in html


def test_school_search_query_count_does_not_grow_with_results(client, no_page_cache):
    program = ProgramFactory()
    AssignmentFactory(officer__agency=program.agency, school__city="Festus")
    few = _count_queries(client, "/schools/?q=Festus")
    for _ in range(20):
        AssignmentFactory(officer__agency=program.agency, school__city="Festus")
    assert _count_queries(client, "/schools/?q=Festus") == few


def test_schools_of_a_county_without_a_published_program_are_hidden(client):
    draft = ProgramFactory(status=Program.Status.DRAFT)
    school = SchoolFactory(agency=draft.agency, name="Not Yet Elementary")
    assert "Not Yet Elementary" not in client.get("/schools/", {"q": "Not Yet"}).content.decode()
    assert client.get(school.get_absolute_url()).status_code == 404


def test_school_page_shows_this_years_officer(client):
    program = ProgramFactory()
    assignment = AssignmentFactory(
        officer__agency=program.agency, officer__first_name="Sam", officer__last_name="Ortiz"
    )
    html = client.get(assignment.school.get_absolute_url()).content.decode()
    assert "Sam Ortiz" in html


def test_unknown_page_gives_a_helpful_404(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html
    assert 'action="/schools/"' in html
    assert 'href="/"' in html


def test_unknown_program_is_a_404(client):
    assert client.get("/programs/nowhere/").status_code == 404


def test_server_error_page_renders_without_a_database(client):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong" in html
    assert "911" in html


@pytest.mark.parametrize("page", ["program_detail", "ask_question"])
def test_footer_names_the_agency_and_how_to_reach_the_program(client, page):
    program = ProgramFactory(contact_phone="+16367975023", contact_email="sro@example.org")
    html = client.get(reverse(f"programs:{page}", args=[program.slug])).content.decode()
    footer = html[html.index('aria-label="Agency identifier"') :]
    assert escape(program.agency.name) in footer
    assert 'href="tel:+16367975023"' in footer
    assert 'href="mailto:sro@example.org"' in footer


def test_footer_of_other_pages_points_to_the_county_contacts(client):
    html = client.get("/topics/").content.decode()
    footer = html[html.index('aria-label="Site identifier"') :]
    assert 'href="/"' in footer and "phone and email" in footer


@pytest.mark.parametrize(
    ("url", "current"),
    [("/", "/"), ("/schools/", "/schools/"), ("/topics/", "/topics/")],
)
def test_header_links_to_each_section_and_marks_the_current_one(client, url, current):
    html = client.get(url).content.decode()
    nav = html[html.index('<nav aria-label="Primary">') : html.index("</nav>")]
    assert re.findall(r'<a href="([^"]+)"', nav) == ["/", "/schools/", "/topics/"]
    assert re.findall(r'<a href="([^"]+)" aria-current="page"', nav) == [current]


def test_state_page_breadcrumbs_and_their_structured_data(client):
    ProgramFactory()
    html = client.get("/states/mo/").content.decode()
    trail = html[html.index('aria-label="Breadcrumbs"') : html.index("</nav>", html.index('aria-label="Breadcrumbs"'))]
    assert re.findall(r'href="([^"]+)"', trail) == ["/"]
    assert 'aria-current="page"><span>Missouri</span>' in trail
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "BreadcrumbList"
    assert [(i["position"], i["name"], i["item"]) for i in data["itemListElement"]] == [
        (1, "Home", "http://testserver/"),
        (2, "Missouri", "http://testserver/states/mo/"),
    ]


def test_breadcrumbs_lead_back_through_the_section(client):
    school = SchoolFactory(agency=ProgramFactory().agency)
    html = client.get(school.get_absolute_url()).content.decode()
    trail = html[html.index('aria-label="Breadcrumbs"') : html.index("</nav>", html.index('aria-label="Breadcrumbs"'))]
    assert re.findall(r'href="([^"]+)"', trail) == ["/", "/schools/"]


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Access denied"), ("es", "Acceso denegado")], ids=["english", "spanish"]
)
def test_a_public_refusal_is_the_sites_own_page_in_its_language(rf, language, heading):
    from django.utils import translation

    from programs.views import permission_denied

    with translation.override(language):
        response = permission_denied(rf.get("/programs/x/"), PermissionError())
    assert response.status_code == 403
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f'<h1 class="margin-top-4">{heading}</h1>' in html
    assert '<meta name="robots" content="noindex">' in html
