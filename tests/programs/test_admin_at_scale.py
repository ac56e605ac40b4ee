"""The admin's lists at a whole country's size: the same queries for 1 row or thousands,
no unbounded COUNT(*), and no filter listing every agency to a superuser."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.admin import large_lists
from programs.models import AgencyMembership, Assignment, Officer, School, current_school_year
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db
ROWS = 3000
LISTS = [
    "admin:programs_school_changelist",
    "admin:programs_officer_changelist",
    "admin:programs_assignment_changelist",
]


def country(agencies, schools):
    """`schools` schools, officers and assignments spread over `agencies` agencies, bulk-created."""
    agency_list = [AgencyFactory() for _ in range(agencies)]
    School.objects.bulk_create(
        School(agency=agency_list[i % agencies], name=f"Example School {i}", slug=f"example-school-{i}", city="Town")
        for i in range(schools)
    )
    Officer.objects.bulk_create(
        Officer(agency=agency_list[i % agencies], first_name="Example", last_name=f"Officer {i}", rank="Deputy")
        for i in range(schools)
    )
    officers = {o.last_name: o for o in Officer.objects.all()}
    Assignment.objects.bulk_create(
        Assignment(officer=officers[f"Officer {i}"], school=school, school_year=current_school_year())
        for i, school in enumerate(School.objects.order_by("pk"))
    )
    return agency_list


@pytest.fixture
def superuser(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("url_name", LISTS)
@pytest.mark.parametrize("rows", [1, ROWS], ids=["one", "thousands"])
def test_a_list_costs_the_same_queries_at_any_size(superuser, django_assert_max_num_queries, url_name, rows):
    country(agencies=min(rows, 300), schools=rows)
    with django_assert_max_num_queries(12):
        response = superuser.get(reverse(url_name))
    assert response.status_code == 200


@pytest.mark.parametrize("url_name", LISTS)
def test_no_list_counts_every_row(superuser, url_name, monkeypatch):
    monkeypatch.setattr(large_lists, "COUNT_CAP", 50)
    country(agencies=5, schools=120)
    with CaptureQueriesContext(connection) as queries:
        response = superuser.get(reverse(url_name))
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT" in sql.upper() for sql in counts), counts
    assert "More than 50" in response.content.decode()
    assert "search or filter to narrow the list" in response.content.decode()


def test_a_small_list_still_says_how_many(superuser):
    country(agencies=2, schools=7)
    html = superuser.get(reverse("admin:programs_school_changelist")).content.decode()
    assert "7 schools" in html and "More than" not in html


def test_superusers_get_no_filter_listing_every_agency_editors_do(client, superuser):
    agencies = country(agencies=4, schools=8)
    filter_heading = "By agency"
    assert filter_heading not in superuser.get(reverse("admin:programs_school_changelist")).content.decode()

    editor = UserFactory(is_staff=True)
    for agency in agencies[:2]:  # a filter with one choice is not shown at all
        AgencyMembership.objects.create(user=editor, agency=agency)
    from accounts.editors import editors_group

    editor.groups.add(editors_group())
    client.force_login(editor)
    html = client.get(reverse("admin:programs_school_changelist")).content.decode()
    assert filter_heading in html


def test_every_relation_in_the_admin_is_an_autocomplete():
    """A select of 100,000 schools or 25,000 officers would be megabytes of HTML."""
    from django.contrib import admin

    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "programs":
            continue
        editable = set(model_admin.get_fields(_request_for_superuser())) - set(model_admin.readonly_fields)
        for field in model._meta.get_fields():
            if field.name in editable and (field.many_to_one or field.many_to_many) and field.related_model:
                assert field.name in model_admin.autocomplete_fields or field.name in getattr(
                    model_admin, "raw_id_fields", ()
                ), f"{model.__name__}.{field.name} is a plain select"


def _request_for_superuser():
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    return request
