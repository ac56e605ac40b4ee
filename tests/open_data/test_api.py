"""The open-data API (/api/v1/): only what the public pages show, its filters,
pages, errors, ETags, CORS, rate limit, caching and query counts."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inbox.models import Submission
from officer_feedback.models import Feedback
from programs.models import Program
from tests.factories import (
    AgencyFactory,
    AgreementFactory,
    AssignmentFactory,
    EducationTopicFactory,
    FigureSetFactory,
    OfficerFactory,
    OutcomeFactory,
    PartnershipFactory,
    ProgramFactory,
    SchoolFactory,
    StateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/"
LISTS = ["agencies", "programs", "officers", "schools", "assignments", "topics", "outcomes", "agreements", "figures"]

# Every field the API may give, per resource: what the public pages show. A new
# field must be added here on purpose, after checking that a public page shows it.
PUBLIC_FIELDS = {
    "agencies": {
        "id", "slug", "name", "kind", "county", "state", "website", "phone", "street_address", "city", "postal_code",
    },
    "programs": {
        "id", "slug", "url", "title", "name", "agency", "state", "county", "summary", "overview", "year_started",
        "funding", "partners", "mission", "primary_duty", "last_reviewed", "contact_division", "contact_name",
        "contact_phone", "contact_email", "contact_address", "contact_hours", "topics", "updated_at",
    },
    "officers": {"id", "first_name", "last_name", "rank", "role", "agency", "phone", "email", "bio", "is_example"},
    "schools": {
        "id", "slug", "url", "name", "nces_id", "nces_district_id", "district", "street_address", "city",
        "postal_code", "phone", "website", "level", "grade_lowest", "grade_highest", "agency", "state", "county",
        "is_example", "updated_at",
    },
    "assignments": {"id", "school_year", "officer", "officer_name", "school", "school_nces_id", "agency"},
    "topics": {"id", "slug", "url", "name", "description", "programs"},
    "outcomes": {"id", "program", "figure", "label", "period", "source"},
    "agreements": {
        "id", "program", "district", "status", "signed_on", "effective_on", "review_on", "expires_on",
        "agency_signatory", "district_signatory", "document_url", "is_example",
    },
    "figures": {
        "id", "program", "school_year", "data_through", "source", "note", "students_enrolled", "is_example", "measures",
    },
    "figures.measures": {"measure", "label", "status", "number", "text", "per_1000_students", "breakdowns"},
    "figures.measures.breakdowns": {"key", "label", "withheld", "groups"},
    "figures.measures.breakdowns.groups": {"label", "status", "number", "text"},
}  # fmt: skip
DETAILS = {"agencies": "slug", "programs": "slug", "officers": "id", "schools": "slug", "topics": "slug"}


@pytest.fixture
def county():
    """One published program with one of everything, and a draft program with the same beside it."""
    published = ProgramFactory(contact_email="sro@example.org")
    school = SchoolFactory(agency=published.agency, nces_id="290003000001")
    officer = OfficerFactory(agency=published.agency, email="deputy@example.org")
    AssignmentFactory(officer=officer, school=school)
    OutcomeFactory(program=published)
    AgreementFactory(partnership=PartnershipFactory(program=published))
    FigureSetFactory(
        program=published,
        figures={
            "referrals": {"count": 23, "by": {"sex": {"female": 3, "male": 20}}},
            "arrests": {"count": 6},
        },
    )
    published.topics.add(EducationTopicFactory(slug="driver-safety"))

    draft = ProgramFactory(status=Program.Status.DRAFT, slug="draft-program", contact_email="draft@example.org")
    draft_school = SchoolFactory(agency=draft.agency, name="Draft School", slug="draft-school")
    draft_officer = OfficerFactory(agency=draft.agency, last_name="Drafted", email="drafted@example.org")
    AssignmentFactory(officer=draft_officer, school=draft_school)
    OutcomeFactory(program=draft, label="draft outcome")
    AgreementFactory(partnership=PartnershipFactory(program=draft, district="Draft District"))
    FigureSetFactory(program=draft)
    return published


def get(client, path, **headers):
    return client.get(API + path, **headers)


def walk(client, path):
    """Every row of a list, following `next` to the end."""
    rows, url = [], API + path
    while url:
        body = client.get(url).json()
        rows += body["results"]
        url = body["next"]
    return rows


def assert_public(resource, value):
    assert set(value) <= PUBLIC_FIELDS[resource], set(value) - PUBLIC_FIELDS[resource]
    for name, nested in value.items():
        if f"{resource}.{name}" in PUBLIC_FIELDS:
            for item in nested:
                assert_public(f"{resource}.{name}", item)


def test_every_endpoint_gives_only_public_fields(client, county):
    for resource in LISTS:
        rows = walk(client, resource)
        assert rows, resource
        for row in rows:
            assert_public(resource, row)
        if resource in DETAILS:
            key = rows[0][DETAILS[resource]]
            detail = get(client, f"{resource}/{key}")
            assert detail.status_code == 200
            assert_public(resource, detail.json())
            assert detail.json() == rows[0]


def test_drafts_and_what_hangs_off_them_are_never_given(client, county):
    answers = " ".join(json.dumps(walk(client, resource)) for resource in LISTS)
    for text in ("draft-program", "draft@example.org", "Draft School", "Drafted", "draft outcome", "Draft District"):
        assert text not in answers
    assert get(client, "programs/draft-program").status_code == 404
    assert get(client, "schools/draft-school").status_code == 404
    assert len(walk(client, "figures")) == 1
    assert [a["slug"] for a in walk(client, "agencies")] == [county.agency.slug]


def test_no_staff_account_or_form_message_reaches_the_api(client, county):
    UserFactory(username="editor", email="editor-private@example.org", is_staff=True)
    Submission.objects.create(program=county, kind="question", name="Q", email="asker@example.org")
    Feedback.objects.create(program=county, kind="complaint", what_happened="x", email="complainer@example.org")
    answers = " ".join(json.dumps(walk(client, resource)) for resource in LISTS)
    for text in ("editor-private@example.org", "asker@example.org", "complainer@example.org"):
        assert text not in answers
    assert "sro@example.org" in answers  # the program's published contact is
    assert "deputy@example.org" in answers  # and so is the serving officer's, as on the program page


def test_officers_no_longer_serving_and_their_assignments_are_left_out(client, county):
    officer = OfficerFactory(agency=county.agency, last_name="Retired", is_active=False)
    AssignmentFactory(officer=officer, school=SchoolFactory(agency=county.agency))
    assert "Retired" not in json.dumps(walk(client, "officers") + walk(client, "assignments"))
    assert get(client, f"officers/{officer.pk}").status_code == 404


def test_yearly_figures_are_the_published_privacy_protected_values(client, county):
    (figures,) = walk(client, "figures")
    measures = {m["measure"]: m for m in figures["measures"]}
    assert measures["referrals"]["number"] == 23
    assert measures["referrals"]["per_1000_students"] == 2.9
    groups = {g["label"]: g for g in measures["referrals"]["breakdowns"][0]["groups"]}
    # 3 girls is a small count, and 20 boys would give it away: neither is published.
    assert groups["Female"] == {
        "label": "Female",
        "status": "fewer_than_threshold",
        "number": None,
        "text": "fewer than 10",
    }
    assert groups["Male"]["number"] is None
    assert "20" not in json.dumps(measures["referrals"]["breakdowns"])
    assert measures["arrests"]["status"] == "fewer_than_threshold"
    assert measures["arrests"]["number"] is None
    assert measures["use_of_force"]["status"] == "not_collected"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("schools?state=mo", {"school-a", "school-b"}),
        ("schools?state=KS", {"school-c"}),
        ("schools?county=jefferson", {"school-a"}),
        ("schools?agency=st-charles-sheriff", {"school-b"}),
        ("schools?nces_id=290003000002", {"school-b"}),
        ("schools?state=MO&county=Jefferson&nces_id=290003000002", set()),
    ],
)
def test_school_filters(client, path, expected):
    kansas = StateFactory(code="KS", name="Kansas")
    jefferson = ProgramFactory(agency=AgencyFactory(county="Jefferson")).agency
    st_charles = ProgramFactory(agency=AgencyFactory(county="St. Charles", slug="st-charles-sheriff")).agency
    johnson = ProgramFactory(agency=AgencyFactory(county="Johnson", state=kansas)).agency
    SchoolFactory(agency=jefferson, slug="school-a", nces_id="290003000001")
    SchoolFactory(agency=st_charles, slug="school-b", nces_id="290003000002")
    SchoolFactory(agency=johnson, slug="school-c")
    assert {s["slug"] for s in walk(client, path)} == expected


def test_assignments_filter_by_school_year_and_nces_id(client, county):
    officer = county.agency.officers.get()
    school = SchoolFactory(agency=county.agency, nces_id="290003000009")
    AssignmentFactory(officer=officer, school=school, school_year=2019)
    assert [a["school_year"] for a in walk(client, "assignments?school_year=2019")] == [2019]
    assert [a["school_nces_id"] for a in walk(client, "assignments?nces_id=290003000009")] == ["290003000009"]


def test_figures_outcomes_and_agreements_filter_by_program_and_year(client, county):
    other = ProgramFactory()
    FigureSetFactory(program=other, school_year=2024)
    OutcomeFactory(program=other)
    assert {f["program"] for f in walk(client, f"figures?program={county.slug}")} == {county.slug}
    assert [f["school_year"] for f in walk(client, "figures?school_year=2024")] == [2024]
    assert {o["program"] for o in walk(client, f"outcomes?agency={other.agency.slug}")} == {other.slug}
    assert walk(client, f"agreements?program={other.slug}") == []


def test_pages_follow_one_another_by_id_without_repeating_or_skipping(client):
    agency = ProgramFactory().agency
    schools = [SchoolFactory(agency=agency) for _ in range(5)]
    first = get(client, "schools?limit=2")
    body = first.json()
    assert [s["id"] for s in body["results"]] == [schools[0].pk, schools[1].pk]
    assert first["Link"] == f'<{body["next"]}>; rel="next"'
    assert body["next"].startswith("http://testserver/api/v1/schools?limit=2&cursor=")
    ids = [s["id"] for s in walk(client, "schools?limit=2")]
    assert ids == sorted(s.pk for s in schools)
    last = client.get(client.get(client.get(API + "schools?limit=2").json()["next"]).json()["next"])
    assert last.json()["next"] is None
    assert "Link" not in last


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("schools?colour=blue", 400, "Unknown filter: colour"),
        ("programs/some-program?fields=all", 400, "Unknown filter: fields"),
        ("schools?cursor=not-a-cursor", 400, "Invalid cursor"),
        ("schools?cursor=aWQ6LTE", 400, "Invalid cursor"),  # id:-1
        ("schools?limit=501", 400, "limit"),
        ("schools?nces_id=12", 400, "nces_id"),
        ("assignments?school_year=last", 400, "school_year"),
        ("programs/no-such-program", 404, "No program 'no-such-program'"),
        ("officers/999999", 404, "No officer"),
        ("officers/not-a-number", 400, "officer_id"),
        ("no/such/address", 404, "No such address"),
        ("schools?county=St%00Charles", 400, "NUL"),  # PostgreSQL refuses them in text
        ("schools/bad%00slug", 400, "slug"),
    ],
)
def test_errors_are_json_with_a_message(client, county, path, status, message):
    ProgramFactory(slug="some-program")
    response = get(client, path)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert message in response.json()["detail"]


def test_head_is_a_get_without_the_body_and_other_methods_are_refused_in_json(client, county):
    head = client.head(API + "programs")
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get(client, "programs")["ETag"]
    post = client.post(API + "programs", {})
    assert post.status_code == 405
    assert post.json()["detail"] == "The API only answers GET requests."


def test_revalidation_with_the_etag_gets_304(client, county):
    first = get(client, "programs")
    assert first["ETag"]
    again = get(client, "programs", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_any_origin_may_read_it_and_no_cookie_is_read_or_set(client, county):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)  # a signed-in editor sees the public answer, nothing more
    response = get(client, "programs", HTTP_ORIGIN="https://news.example.com")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response
    assert not response.cookies
    assert "draft-program" not in response.content.decode()
    preflight = client.options(
        API + "programs", HTTP_ORIGIN="https://news.example.com", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"


def test_too_many_requests_from_one_address_get_429_with_retry_after(client, county, settings):
    settings.API_RATE_LIMIT = 3
    for _ in range(3):
        assert get(client, "programs").status_code == 200
    limited = get(client, "programs", HTTP_ORIGIN="https://news.example.com")
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert "at most 3 a minute" in limited.json()["detail"]
    assert limited["Access-Control-Allow-Origin"] == "*"
    assert get(client, "agencies").status_code == 429  # cached answers count too: the limit is per address
    assert get(client, "programs", REMOTE_ADDR="203.0.113.9").status_code == 200


def test_the_public_pages_are_not_rate_limited_by_the_api(client, county, settings):
    settings.API_RATE_LIMIT = 1
    get(client, "programs")
    assert get(client, "programs").status_code == 429
    assert client.get(county.get_absolute_url()).status_code == 200


def test_a_change_in_the_admin_shows_in_the_api_at_once(client, county, django_capture_on_commit_callbacks):
    assert get(client, "programs")["X-Page-Cache"] == "miss"
    assert get(client, "programs")["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        county.summary = "A new summary."
        county.save()
    response = get(client, "programs")
    assert response.json()["results"][0]["summary"] == "A new summary."
    assert get(client, f"schools?agency={county.agency.slug}").json()["results"]
    with django_capture_on_commit_callbacks(execute=True):
        county.status = Program.Status.DRAFT
        county.save()
    assert get(client, "programs").json()["results"] == []
    assert get(client, f"schools?agency={county.agency.slug}").json()["results"] == []


def test_a_topic_added_to_a_program_shows_at_once(client, county, django_capture_on_commit_callbacks):
    get(client, "programs")
    with django_capture_on_commit_callbacks(execute=True):
        county.topics.add(EducationTopicFactory(slug="bullying"))
    assert get(client, "programs").json()["results"][0]["topics"] == ["bullying", "driver-safety"]


def _fill(size):
    for _ in range(size):
        program = ProgramFactory()
        school = SchoolFactory(agency=program.agency, nces_id="")
        officer = OfficerFactory(agency=program.agency)
        AssignmentFactory(officer=officer, school=school)
        OutcomeFactory(program=program)
        AgreementFactory(partnership=PartnershipFactory(program=program))
        FigureSetFactory(program=program, figures={"referrals": {"count": 40, "by": {"school": {str(school.pk): 40}}}})
        program.topics.add(EducationTopicFactory())


def _queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert get(client, path).status_code == 200
    return len(queries)


def test_every_list_costs_the_same_queries_for_one_row_and_for_many(client, no_page_cache):
    _fill(1)
    few = {resource: _queries(client, resource) for resource in LISTS}
    _fill(30)
    many = {resource: _queries(client, resource) for resource in LISTS}
    assert many == few
    assert max(few.values()) <= 4


def test_the_openapi_description_documents_the_rate_limit_and_errors(client, settings):
    description = get(client, "openapi.json").json()
    assert description["openapi"].startswith("3.")
    assert "API_RATE_LIMIT" in description["info"]["description"]
    paths = description["paths"]
    assert {f"/api/v1/{resource}" for resource in LISTS} <= set(paths)
    for path, item in paths.items():
        responses = item["get"]["responses"]
        assert "Retry-After" in responses["429"]["headers"], path
        assert "ETag" in responses["200"]["headers"], path
        assert ("400" in responses) or ("404" in responses), path
    school_filters = {p["name"] for p in paths["/api/v1/schools"]["get"]["parameters"]}
    assert school_filters == {"state", "county", "agency", "nces_id", "cursor", "limit"}
