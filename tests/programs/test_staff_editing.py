"""Editors' accounts, history with revert, no lost edits, review reminders, and log-in protection."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models.fields.files import FieldFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from programs.models import Program
from tests.factories import EducationTopicFactory, OfficerFactory, ProgramFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def add_editor(*args):
    out = StringIO()
    call_command("add_editor", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def editor(client):
    program = ProgramFactory(summary="Original summary.")
    add_editor("editor", program.agency.slug)
    user = get_user_model().objects.get(username="editor")
    client.force_login(user)
    return client, program


def program_form_data(program, **changes):
    data = {
        "agency": program.agency.pk,
        "name": program.name,
        "slug": program.slug,
        "status": program.status,
        # English and Spanish side by side (django-modeltranslation, programs/translation.py).
        "summary_en": program.summary,
        "overview_en": program.overview,
        "contact_division": program.contact_division,
        "contact_phone": "636-949-3006",
        "opened_at_version": program.version,
    }
    for prefix in ["roles", "goals", "outcomes", "partnerships", "photos"]:
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    return data | changes


def test_an_editor_changes_the_page_and_the_public_sees_it(editor):
    client, program = editor
    change_url = reverse("admin:programs_program_change", args=[program.pk])
    response = client.post(change_url, program_form_data(program, summary_en="Updated summary."))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert "Updated summary." in Client().get(program.get_absolute_url()).content.decode()


def test_second_of_two_simultaneous_edits_is_refused_with_a_link(editor):
    client, program = editor
    change_url = reverse("admin:programs_program_change", args=[program.pk])
    opened_at = program.version
    assert client.post(change_url, program_form_data(program, summary_en="First save.")).status_code == 302
    stale = client.post(change_url, program_form_data(program, summary_en="Second save.", opened_at_version=opened_at))
    html = stale.content.decode()
    assert stale.status_code == 200
    assert "Someone else saved this page while you were editing it" in html
    assert f'href="{change_url}"' in html
    program.refresh_from_db()
    assert program.summary == "First save."


def form_as_posted(response, **changes):
    """The admin change form (with its inlines) as the browser would send it back."""
    data = {}

    def add(form):
        for field in form:
            value = field.value()
            if isinstance(value, bool):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(v) for v in value]
            elif value is not None and not isinstance(value, FieldFile):  # files stay as they are
                data[field.html_name] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.initial_forms:
            add(form)
        data[f"{inline.formset.prefix}-TOTAL_FORMS"] = str(len(inline.formset.initial_forms))
    return data | changes


@pytest.mark.parametrize(
    ("factory", "field"),
    [
        (lambda agency: OfficerFactory(agency=agency), "bio_en"),
        (lambda agency: SchoolFactory(agency=agency), "street_address"),
    ],
    ids=["officer", "school"],
)
def test_second_of_two_simultaneous_edits_of_an_officer_or_school_is_refused(editor, factory, field):
    client, program = editor
    obj = factory(program.agency)
    change_url = reverse(f"admin:programs_{obj._meta.model_name}_change", args=[obj.pk])
    first_tab, second_tab = client.get(change_url), client.get(change_url)  # both opened before either saves
    saved = client.post(change_url, form_as_posted(first_tab, **{field: "First save."}))
    assert saved.status_code == 302, saved.context and saved.context["adminform"].form.errors
    stale = client.post(change_url, form_as_posted(second_tab, **{field: "Second save."}))
    assert stale.status_code == 200
    assert "while you were editing" in stale.content.decode()
    assert f'href="{change_url}"' in stale.content.decode()
    obj.refresh_from_db()
    assert getattr(obj, field) == "First save."


def test_history_records_who_changed_what_and_reverts(editor):
    client, program = editor
    change_url = reverse("admin:programs_program_change", args=[program.pk])
    client.post(change_url, program_form_data(program, summary_en="Changed by the editor."))
    program.refresh_from_db()
    latest = program.history.first()
    assert latest.history_user.username == "editor"
    history = client.get(reverse("admin:programs_program_history", args=[program.pk])).content.decode()
    assert "Changed by the editor." in history  # the diff shows the new value
    original = program.history.last()
    revert_url = reverse("admin:programs_program_simple_history", args=[program.pk, original.history_id])
    form = client.get(revert_url)
    assert form.status_code == 200
    data = program_form_data(program, summary_en=original.summary, opened_at_version=program.version)
    assert client.post(revert_url, data).status_code == 302
    program.refresh_from_db()
    assert program.summary == "Original summary."


def test_history_records_which_topics_a_program_teaches(editor):
    client, program = editor
    topic = EducationTopicFactory(name="Internet safety")
    program.topics.add(topic)
    latest = program.history.first()
    assert [row.educationtopic for row in latest.topics.all()] == [topic]
    history = client.get(reverse("admin:programs_program_history", args=[program.pk]))
    assert history.status_code == 200


def test_changelist_filter_finds_pages_due_for_review(staff_client, settings):
    settings.REVIEW_INTERVAL_DAYS = 180
    stale = ProgramFactory(last_reviewed=timezone.localdate() - timedelta(days=181))
    never = ProgramFactory(last_reviewed=None)
    fresh = ProgramFactory(last_reviewed=timezone.localdate() - timedelta(days=30))
    response = staff_client.get(reverse("admin:programs_program_changelist"), {"attention": "review-due"})
    listed = set(response.context["cl"].result_list)
    assert {stale, never} <= listed
    assert fresh not in listed


def test_drafts_have_a_preview_link_in_the_changelist(staff_client):
    draft = ProgramFactory(status=Program.Status.DRAFT)
    html = staff_client.get(reverse("admin:programs_program_changelist")).content.decode()
    assert f'<a href="{draft.get_absolute_url()}">Preview draft</a>' in html


def test_admin_pages_are_never_cached(staff_client):
    response = staff_client.get(reverse("admin:programs_program_changelist"))
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
