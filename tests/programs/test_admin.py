"""Every admin page a superuser can reach renders; each model has search and 'view on site' where useful."""

from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse

from inbox.models import Submission
from programs.models import Officer, Program, ProgramPage, School, SearchWord

pytestmark = pytest.mark.django_db

PROGRAM_MODELS = [m for m in admin.site._registry if m._meta.app_label == "programs"]


@pytest.fixture
def demo():
    call_command("load_demo", stdout=StringIO())


@pytest.mark.parametrize("model", PROGRAM_MODELS, ids=lambda m: m.__name__)
def test_changelist_add_and_change_pages_render(staff_client, demo, model):
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert staff_client.get(reverse(f"{prefix}_changelist"), {"q": "a"}).status_code == 200
    # The inbox is filled by the public forms only; everything else can be added by staff.
    assert staff_client.get(reverse(f"{prefix}_add")).status_code == (403 if model is Submission else 200)
    obj = model.objects.first()
    if obj is not None:
        assert staff_client.get(reverse(f"{prefix}_change", args=[obj.pk])).status_code == 200


def test_every_program_model_is_registered():
    """Everything staff edit; the program pages' documents and the search's vocabulary are built from it."""
    from django.apps import apps

    models = {m for m in apps.get_app_config("programs").get_models() if not m.__name__.startswith("Historical")}
    assert models - {ProgramPage, SearchWord} <= set(admin.site._registry)
    assert ProgramPage not in admin.site._registry
    assert SearchWord not in admin.site._registry


def test_program_change_page_has_inlines_and_view_on_site(staff_client, demo):
    program = Program.objects.get(slug="jefferson-county")
    html = staff_client.get(reverse("admin:programs_program_change", args=[program.pk])).content.decode()
    assert "Deter crime in and around the school" in html  # goals inline
    content_type = ContentType.objects.get_for_model(Program)
    view_on_site = reverse("admin:view_on_site", args=[content_type.pk, program.pk])
    assert view_on_site in html
    assert staff_client.get(view_on_site)["Location"].endswith(program.get_absolute_url())


def test_officer_and_school_pages_offer_assignments_inline(staff_client, demo):
    officer = Officer.objects.filter(is_example=True).first()
    school = School.objects.first()
    assert (
        "assignments-TOTAL_FORMS"
        in staff_client.get(reverse("admin:programs_officer_change", args=[officer.pk])).content.decode()
    )
    assert (
        "assignments-TOTAL_FORMS"
        in staff_client.get(reverse("admin:programs_school_change", args=[school.pk])).content.decode()
    )


def test_admin_requires_login(client):
    response = client.get(reverse("admin:programs_program_changelist"))
    assert response.status_code == 302
    assert "login" in response["Location"]
