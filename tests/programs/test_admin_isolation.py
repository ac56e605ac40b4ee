"""An editor of one agency cannot see or change anything of another agency, by any admin route.

Every registered ModelAdmin that is scoped by agency is walked: changelist,
change (GET and POST), delete (GET and POST), history, revert of a historical
version, autocomplete, add with another agency's id, and the choices offered
in forms and inlines."""

from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from agreements.models import Agreement
from inbox.models import Submission
from officer_feedback.models import SchoolMattersContact
from program_data.models import FigureSet
from programs.admin.scoping import AgencyScopedAdmin
from programs.models import (
    Agency,
    Alert,
    Assignment,
    EducationTopic,
    Goal,
    MissionRole,
    Officer,
    Outcome,
    Partnership,
    Photo,
    Program,
    School,
    State,
)
from tests.factories import (
    AgencyFactory,
    AgreementFactory,
    AssignmentFactory,
    EducationTopicFactory,
    FigureSetFactory,
    GoalFactory,
    MissionRoleFactory,
    OutcomeFactory,
    PartnershipFactory,
    PhotoFactory,
    ProgramFactory,
    UpdateFactory,
)
from updates.models import Update

pytestmark = pytest.mark.django_db

SCOPED_MODELS = [m for m, a in admin.site._registry.items() if isinstance(a, AgencyScopedAdmin)]


def build_agency_content(agency):
    program = ProgramFactory(agency=agency)
    assignment = AssignmentFactory(officer__agency=agency, school__agency=agency)
    partnership = PartnershipFactory(program=program)
    content = {
        Agency: agency,
        Program: program,
        MissionRole: MissionRoleFactory(program=program),
        Goal: GoalFactory(program=program),
        Outcome: OutcomeFactory(program=program),
        Partnership: partnership,
        Agreement: AgreementFactory(partnership=partnership),
        Photo: PhotoFactory(program=program),
        Officer: assignment.officer,
        School: assignment.school,
        Assignment: assignment,
        Submission: Submission.objects.create(program=program, kind="question", name="Q", email="q@example.org"),
        Alert: Alert.objects.create(program=program, title="Closed", message="Closed today."),
        FigureSet: FigureSetFactory(program=program),
        Update: UpdateFactory(program=program),
    }
    content[SchoolMattersContact] = SchoolMattersContact.objects.create(
        partnership=content[Partnership], office="Student Services", phone="+16365550160"
    )
    return content


@pytest.fixture
def content():
    return {"mine": build_agency_content(AgencyFactory(name="Mine")), "theirs": build_agency_content(AgencyFactory())}


@pytest.fixture
def editor_client(client, content):
    call_command("add_editor", "jeff-editor", content["mine"][Agency].slug, stdout=StringIO())
    client.force_login(get_user_model().objects.get(username="jeff-editor"))
    return client


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_agency_owned_model_is_scoped():
    assert set(SCOPED_MODELS) == {
        Agency,
        Program,
        MissionRole,
        Goal,
        Outcome,
        Partnership,
        Photo,
        Officer,
        School,
        Assignment,
        Submission,
        Alert,
        Agreement,
        FigureSet,
        SchoolMattersContact,
        Update,
    }


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_changelist_lists_only_my_agencys_objects(editor_client, content, model):
    response = editor_client.get(url(model, "changelist"))
    listed = set(response.context["cl"].result_list)
    assert content["mine"][model] in listed
    assert content["theirs"][model] not in listed


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_my_agencys_objects_open_for_editing(editor_client, content, model):
    assert editor_client.get(url(model, "change", content["mine"][model].pk)).status_code == 200


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_another_agencys_object_is_refused_on_every_view(editor_client, content, model, view):
    other = content["theirs"][model]
    assert editor_client.get(url(model, view, other.pk)).status_code == 403
    assert editor_client.post(url(model, view, other.pk), {"post": "yes", "name": "Hijacked"}).status_code == 403
    assert model.objects.filter(pk=other.pk).exists()
    other.refresh_from_db()
    assert getattr(other, "name", "") != "Hijacked"


@pytest.mark.parametrize("model", [m for m in SCOPED_MODELS if hasattr(m, "history")], ids=lambda m: m.__name__)
def test_reverting_another_agencys_history_is_refused(editor_client, content, model):
    other = content["theirs"][model]
    record = other.history.first()
    revert = reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_simple_history", args=[other.pk, record.history_id]
    )
    assert editor_client.get(revert).status_code == 403
    assert editor_client.post(revert, {"name": "Reverted"}).status_code == 403


def test_history_of_a_deleted_object_of_another_agency_stays_hidden(editor_client, content):
    goal = content["theirs"][Goal]
    goal_id = goal.pk
    goal.delete()
    assert editor_client.get(url(Goal, "history", goal_id)).status_code in (403, 404)


AUTOCOMPLETES = [
    # (model with the field, field name, model the choices come from)
    (Program, "agency", Agency),
    (Officer, "agency", Agency),
    (School, "agency", Agency),
    (Assignment, "officer", Officer),
    (Assignment, "school", School),
    (Goal, "program", Program),
    (Partnership, "program", Program),
    (Submission, "assigned_officer", Officer),
    (Agreement, "partnership", Partnership),
]


@pytest.mark.parametrize(("source", "field", "target"), AUTOCOMPLETES, ids=lambda x: getattr(x, "__name__", x))
def test_autocomplete_offers_only_my_agencys_objects(editor_client, content, source, field, target):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": source._meta.app_label, "model_name": source._meta.model_name, "field_name": field, "term": ""},
    )
    ids = {int(r["id"]) for r in response.json()["results"]}
    assert content["mine"][target].pk in ids
    assert content["theirs"][target].pk not in ids


ADD_WITH_OTHERS_ID = [
    (
        Program,
        lambda c: {"agency": c[Agency].pk, "name": "Sneaky", "slug": "sneaky", "summary_en": "x", "overview_en": "x"},
    ),
    (Officer, lambda c: {"agency": c[Agency].pk, "first_name": "Sneaky", "last_name": "Officer", "role": "sro"}),
    (School, lambda c: {"agency": c[Agency].pk, "name": "Sneaky School", "slug": "sneaky-school", "city": "X"}),
    (Goal, lambda c: {"program": c[Program].pk, "title_en": "Sneaky goal", "order": 1}),
    (Assignment, lambda c: {"officer": c[Officer].pk, "school": c[School].pk, "school_year": 2026}),
    (Outcome, lambda c: {"program": c[Program].pk, "figure": "9%", "label_en": "Sneaky", "order": 1}),
    (MissionRole, lambda c: {"program": c[Program].pk, "name_en": "Sneaky role", "order": 1}),
    (Partnership, lambda c: {"program": c[Program].pk, "district": "Sneaky District"}),
    (Photo, lambda c: {"program": c[Program].pk, "alt_text_en": "Sneaky photo", "order": 1}),
    (Alert, lambda c: {"program": c[Program].pk, "level": "info", "title_en": "Sneaky", "message_en": "x"}),
    (
        Agreement,
        lambda c: {"partnership": c[Partnership].pk, "signed_on": "2026-01-02", "effective_on": "2026-01-02"},
    ),
    (SchoolMattersContact, lambda c: {"partnership": c[Partnership].pk, "office": "Sneaky", "phone": "636-555-0199"}),
]


@pytest.mark.parametrize(("model", "data"), ADD_WITH_OTHERS_ID, ids=lambda x: getattr(x, "__name__", ""))
def test_adding_with_another_agencys_id_is_refused(editor_client, content, model, data):
    before = model.objects.count()
    response = editor_client.post(url(model, "add"), data(content["theirs"]))
    assert response.status_code == 200  # the form comes back with "Select a valid choice"
    assert "Select a valid choice" in response.content.decode()
    assert model.objects.count() == before


def test_foreign_key_choices_in_forms_are_my_agencys(editor_client, content):
    form = editor_client.get(url(Officer, "add")).context["adminform"].form
    assert list(form.fields["agency"].queryset) == [content["mine"][Agency]]
    form = editor_client.get(url(Goal, "add")).context["adminform"].form
    assert list(form.fields["program"].queryset) == [content["mine"][Program]]


def test_inline_choices_are_my_agencys(editor_client, content):
    officer = content["mine"][Officer]
    response = editor_client.get(url(Officer, "change", officer.pk))
    inline_formset = response.context["inline_admin_formsets"][0].formset
    schools = set(inline_formset.forms[0].fields["school"].queryset)
    assert content["mine"][School] in schools
    assert content["theirs"][School] not in schools


def test_editor_cannot_add_or_delete_agencies(editor_client, content):
    assert editor_client.get(url(Agency, "add")).status_code == 403
    assert editor_client.get(url(Agency, "delete", content["mine"][Agency].pk)).status_code == 403


def test_editor_may_propose_topics_but_only_superusers_delete_them(editor_client):
    response = editor_client.post(url(EducationTopic, "add"), {"name_en": "Internet safety", "slug": "internet-safety"})
    assert response.status_code == 302
    topic = EducationTopic.objects.get(slug="internet-safety")
    assert editor_client.get(url(EducationTopic, "delete", topic.pk)).status_code == 403
    assert editor_client.post(url(EducationTopic, "delete", topic.pk), {"post": "yes"}).status_code == 403
    assert EducationTopic.objects.filter(pk=topic.pk).exists()


def test_editor_sees_the_tip_line_but_cannot_change_it(editor_client):
    state = State.objects.first()
    assert editor_client.get(url(State, "change", state.pk)).status_code == 200
    editor_client.post(url(State, "change", state.pk), {"code": "MO", "name": "Hacked"})
    state.refresh_from_db()
    assert state.name != "Hacked"


def test_memberships_are_for_superusers_only(editor_client):
    assert editor_client.get(reverse("admin:programs_agencymembership_changelist")).status_code == 403


def test_superuser_sees_every_agency(staff_client, content):
    listed = set(staff_client.get(url(Program, "changelist")).context["cl"].result_list)
    assert {content["mine"][Program], content["theirs"][Program]} <= listed


def test_staff_without_a_membership_see_nothing(client, content):
    from tests.factories import UserFactory

    user = UserFactory(is_staff=True)
    call_command("add_editor", user.username, content["mine"][Agency].slug, stdout=StringIO())
    user.agency_memberships.all().delete()
    client.force_login(user)
    assert list(client.get(url(Program, "changelist")).context["cl"].result_list) == []


def test_inbox_count_on_the_admin_index_is_my_agencys(editor_client, content):
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert "1 new request and question waiting for a reply" in html


def test_topic_choices_are_shared(editor_client, content):
    topic = EducationTopicFactory(name="Shared topic")
    form = editor_client.get(url(Program, "change", content["mine"][Program].pk)).context["adminform"].form
    assert topic in form.fields["topics"].queryset


def test_reverting_my_old_version_of_an_object_now_in_another_agency_is_refused(editor_client, content):
    program = content["mine"][Program]
    mine_version = program.history.first()
    program.agency = content["theirs"][Agency]  # a superuser moved it
    program.save()
    revert = reverse("admin:programs_program_simple_history", args=[program.pk, mine_version.history_id])
    assert editor_client.get(revert).status_code == 403
    assert editor_client.post(revert, {"agency": content["mine"][Agency].pk, "name": "Pulled back"}).status_code == 403
    program.refresh_from_db()
    assert program.agency == content["theirs"][Agency]


FILTERED_CHANGELISTS = [Program, Officer, School, Assignment, Goal, Partnership, Submission, Alert, Agreement]


@pytest.mark.parametrize("model", FILTERED_CHANGELISTS, ids=lambda m: m.__name__)
def test_changelist_filters_name_nothing_of_another_agency(editor_client, content, model):
    theirs = content["theirs"]
    theirs[Program].name = "Their Secret Draft"
    theirs[Program].status = Program.Status.DRAFT
    theirs[Program].save()
    response = editor_client.get(url(model, "changelist"))
    offered = {
        (spec.field.related_model, pk)
        for spec in response.context["cl"].filter_specs
        if hasattr(spec, "lookup_choices") and getattr(spec, "field", None) is not None and spec.field.is_relation
        for pk, _label in spec.lookup_choices
    }
    assert (Program, theirs[Program].pk) not in offered
    assert (Agency, theirs[Agency].pk) not in offered
    assert "Their Secret Draft" not in response.content.decode()


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_bulk_delete_with_another_agencys_ids_deletes_nothing_of_theirs(editor_client, content, model):
    other = content["theirs"][model]
    editor_client.post(
        url(model, "changelist"), {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"}
    )
    assert model.objects.filter(pk=other.pk).exists()


def test_another_agencys_draft_cannot_be_previewed_on_the_public_site(editor_client, content):
    theirs, mine = content["theirs"][Program], content["mine"][Program]
    Program.objects.filter(pk__in=[theirs.pk, mine.pk]).update(status=Program.Status.DRAFT)
    assert editor_client.get(theirs.get_absolute_url()).status_code == 404
    assert editor_client.get(mine.get_absolute_url()).status_code == 200


def test_the_refusal_says_why_and_leads_back_to_the_editors_home(editor_client, content):
    other = content["theirs"][Program]
    response = editor_client.get(url(Program, "change", other.pk))
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>You do not have access to this page</h1>" in html
    assert html.count("<h1") == 1, "one heading: the admin's own, from the title"
    assert "only the content of their own agency (Mine)" in html
    assert 'href="/admin/">Back to your editing home</a>' in html
    assert other.agency.name not in html, "the other agency is not named"
