import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from programs.models import Program, ProgramPage, current_school_year

from .factories import (
    AssignmentFactory,
    EducationTopicFactory,
    GoalFactory,
    MissionRoleFactory,
    OfficerFactory,
    OutcomeFactory,
    PartnershipFactory,
    PhotoFactory,
    ProgramFactory,
    SchoolFactory,
)

pytestmark = pytest.mark.django_db

# Built from the tables (the first visit after a change): 10 queries, plus 1 to find
# the document and up to 7 to create and save it. Read from its document: 1.
PROGRAM_PAGE_QUERY_BUDGET = 18


def test_home_lists_published_programs_as_cards_with_phone(client):
    ProgramFactory(agency__county="Jefferson", contact_phone="+16367975023")
    ProgramFactory(agency__county="Hidden", status=Program.Status.DRAFT)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Jefferson County School Resource Officer Program" in html
    assert 'href="tel:+16367975023"' in html
    assert "(636) 797-5023" in html
    assert "Hidden County" not in html
    assert 'action="/schools/"' in html


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
    PartnershipFactory(program=program, district="Fox C-6", mou_signed_on="2025-08-01")
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
        "Source: Agency estimate",
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
        PartnershipFactory(program=program)
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


def test_breadcrumbs_lead_back_through_the_section(client):
    school = SchoolFactory(agency=ProgramFactory().agency)
    html = client.get(school.get_absolute_url()).content.decode()
    trail = html[html.index('aria-label="Breadcrumbs"') : html.index("</nav>", html.index('aria-label="Breadcrumbs"'))]
    assert re.findall(r'href="([^"]+)"', trail) == ["/", "/schools/"]
