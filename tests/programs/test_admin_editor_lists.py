"""An editor's admin lists offer what the editor may do, and say so when the address asks for more."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse

from inbox.models import Submission
from tests.factories import AgencyFactory, OfficerFactory, ProgramFactory

pytestmark = pytest.mark.django_db

PROGRAMS = reverse("admin:programs_program_changelist")
OFFICERS = reverse("admin:programs_officer_changelist")


@pytest.fixture
def mine():
    return ProgramFactory(agency=AgencyFactory(name="Mine County Sheriff"), name="My program")


@pytest.fixture
def theirs():
    return ProgramFactory(agency=AgencyFactory(name="Their County Sheriff"), name="Their program")


@pytest.fixture
def editor(client, mine):
    call_command("add_editor", "jeff-editor", mine.agency.slug, "--no-invite", stdout=StringIO())
    client.force_login(get_user_model().objects.get(username="jeff-editor"))
    return client


def actions_offered(client, url):
    form = client.get(url).context["action_form"]  # None: no action at all, and no action bar
    return [value for value, _ in form.fields["action"].choices if value] if form else []


def test_another_agencys_filter_in_the_address_leads_back_to_the_list_with_a_message(editor, mine, theirs):
    response = editor.get(PROGRAMS, {"agency__id__exact": theirs.agency.pk, "status__exact": "published"})
    assert response.status_code == 302
    assert response.url == f"{PROGRAMS}?status__exact=published"  # the other filters are kept
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert "another agency's programs, which your account cannot see" in message
    assert "The list shows those of Mine County Sheriff instead." in message
    assert theirs.agency.name not in message
    listed = editor.get(response.url)
    assert list(listed.context["cl"].result_list) == [mine]


def test_the_editors_own_agency_in_the_address_is_simply_the_list(editor, mine):
    response = editor.get(PROGRAMS, {"agency__id__exact": mine.agency.pk})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [mine]


def test_another_agencys_filter_on_a_list_reached_through_a_program(editor, theirs):
    OfficerFactory(agency=theirs.agency)
    response = editor.get(OFFICERS, {"agency__id__exact": theirs.agency.pk})
    assert response.status_code == 302 and response.url == OFFICERS


def test_a_superuser_may_filter_by_any_agency(staff_client, mine, theirs):
    response = staff_client.get(PROGRAMS, {"agency__id__exact": theirs.agency.pk})
    assert response.status_code == 200


def test_delete_selected_is_offered_only_where_the_editor_may_delete_all_it_concerns(editor, mine):
    # Deleting a program would take its partnerships' agreements, or be stopped by the public's
    # messages: an editor may delete neither, so Django answered "Cannot delete program".
    Submission.objects.create(program=mine, kind="question", name="Q", email="q@example.org")
    assert "delete_selected" not in actions_offered(editor, PROGRAMS)
    assert "delete_selected" in actions_offered(editor, OFFICERS)


def test_a_superuser_is_offered_delete_selected_on_programs(staff_client, mine):
    assert "delete_selected" in actions_offered(staff_client, PROGRAMS)
