"""Staff enter a program's yearly figures in the admin: scoped to their agencies, checked box by box,
with history and revert of the whole year (issue 13)."""

from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.test import Client
from django.urls import reverse

from program_data.measures import MEASURES
from program_data.models import FigureSet
from tests.factories import FigureSetFactory, ProgramFactory, SchoolFactory
from tests.programs.test_staff_editing import form_as_posted

pytestmark = pytest.mark.django_db


def url(view, *args):
    return reverse(f"admin:program_data_figureset_{view}", args=args)


@pytest.fixture
def programs():
    mine = ProgramFactory(agency__name="Mine")
    theirs = ProgramFactory(agency__name="Theirs")
    return {
        "mine": mine,
        "theirs": theirs,
        "my_school": SchoolFactory(agency=mine.agency, name="Hill High"),
        "their_school": SchoolFactory(agency=theirs.agency, name="Far High"),
        "my_figures": FigureSetFactory(program=mine, school_year=2024),
        "their_figures": FigureSetFactory(program=theirs, school_year=2024),
    }


@pytest.fixture
def editor(client, programs):
    call_command("add_editor", "figures-editor", programs["mine"].agency.slug, stdout=StringIO())
    client.force_login(get_user_model().objects.get(username="figures-editor"))
    return client


def new_year(program, **boxes):
    """The add form as an editor fills it: every measure not collected unless given."""
    data = {
        "program": program.pk,
        "school_year": 2025,
        "data_through": "2026-06-30",
        "source": "Sheriff's Office records",
        "enrollment": "8000",
    }
    for measure in MEASURES:
        data[f"{measure.key}__not_collected"] = "on"
    for name, value in boxes.items():
        data[name] = str(value)
        if name.endswith("__count"):
            data.pop(name.replace("__count", "__not_collected"), None)
    return data


def test_an_editor_enters_a_years_figures_and_the_public_sees_them(editor, programs):
    program = programs["mine"]
    response = editor.post(
        url("add"),
        new_year(
            program,
            referrals__count=23,
            referrals__sex__male=15,
            referrals__sex__female=8,
            arrests__count=0,
            presentations__count=148,
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    figures = FigureSet.objects.get(program=program, school_year=2025)
    assert figures.figures["referrals"] == {"count": 23, "by": {"sex": {"male": 15, "female": 8}}}
    assert figures.figures["arrests"] == {"count": 0}
    assert figures.figures["use_of_force"] == {"count": None}  # not collected, not zero
    html = Client().get(f"/programs/{program.slug}/data/").content.decode()
    assert "fewer than 10" in html  # the 8 girls
    assert ">148<" in html


def test_a_figure_is_a_number_or_not_collected_never_blank_or_both(editor, programs):
    data = new_year(programs["mine"])
    data.pop("referrals__not_collected")  # left blank
    data["arrests__count"] = "3"  # and ticked "not collected" as well
    form = editor.post(url("add"), data).context["adminform"].form
    assert form.errors["referrals__count"] == ["Enter the number (0 if there were none), or tick “not collected”."]
    assert form.errors["arrests__count"] == ["Give a number or tick “not collected”, not both."]
    assert not FigureSet.objects.filter(school_year=2025).exists()


def test_a_breakdown_must_add_up_to_the_total(editor, programs):
    data = new_year(programs["mine"], referrals__count=23, referrals__race__white=13, referrals__race__black=6)
    form = editor.post(url("add"), data).context["adminform"].form
    assert "the groups add up to 19, but the total is 23" in form.errors["referrals__race__hispanic"][0]


def test_a_breakdown_needs_its_total(editor, programs):
    data = new_year(programs["mine"], arrests__sex__male=4)
    form = editor.post(url("add"), data).context["adminform"].form
    assert "a breakdown needs the total" in form.errors["arrests__sex__male"][0]


def test_arrests_cannot_outnumber_referrals(editor, programs):
    data = new_year(programs["mine"], referrals__count=5, arrests__count=6)
    form = editor.post(url("add"), data).context["adminform"].form
    assert form.errors["arrests__count"] == [
        "School-related arrests (6) cannot be more than referrals to law enforcement (5)."
    ]


def test_per_school_boxes_are_the_programs_schools(editor, programs):
    page = editor.get(url("change", programs["my_figures"].pk)).content.decode()
    assert "Hill High" in page
    assert "Far High" not in page
    assert f'name="referrals__school__{programs["my_school"].pk}"' in page


def test_per_school_figures_are_saved_and_checked(editor, programs):
    figures = programs["my_figures"]
    change = url("change", figures.pk)
    school = programs["my_school"].pk
    posted = form_as_posted(editor.get(change), **{f"referrals__school__{school}": "23"})
    assert editor.post(change, posted).status_code == 302
    figures.refresh_from_db()
    assert figures.figures["referrals"]["by"] == {"school": {str(school): 23}}
    posted = form_as_posted(editor.get(change), **{f"referrals__school__{school}": "20"})
    form = editor.post(change, posted).context["adminform"].form
    assert "add up to 20, but the total is 23" in form.errors[f"referrals__school__{school}"][0]


def test_each_measures_definition_is_shown_beside_its_boxes(editor, programs):
    page = editor.get(url("change", programs["my_figures"].pk)).content.decode()
    for measure in MEASURES:
        assert str(measure.definition) in page  # the fieldset's description, from program_data/measures.py


def test_changes_are_in_the_history_and_a_year_reverts_whole(editor, programs):
    figures = programs["my_figures"]
    change = url("change", figures.pk)
    posted = form_as_posted(editor.get(change), referrals__count="31", note="Recounted.")
    assert editor.post(change, posted).status_code == 302
    figures.refresh_from_db()
    assert figures.figures["referrals"]["count"] == 31
    assert figures.history.count() == 2
    assert "Recounted." in editor.get(url("history", figures.pk)).content.decode()
    first = figures.history.earliest()
    revert = reverse("admin:program_data_figureset_simple_history", args=[figures.pk, first.history_id])
    response = editor.get(revert)
    assert response.context["adminform"].form.initial["referrals__count"] == 23
    old = {"adminform": response.context["adminform"], "inline_admin_formsets": []}  # no inlines here
    assert editor.post(revert, form_as_posted(SimpleNamespace(context=old))).status_code == 302
    figures.refresh_from_db()
    assert (figures.figures["referrals"]["count"], figures.note) == (23, "")


def test_a_stale_save_is_refused(editor, programs):
    figures = programs["my_figures"]
    change = url("change", figures.pk)
    opened = form_as_posted(editor.get(change), referrals__count="30")
    assert editor.post(change, form_as_posted(editor.get(change), referrals__count="31")).status_code == 302
    response = editor.post(change, opened)
    assert "Someone else saved this page" in response.content.decode()
    figures.refresh_from_db()
    assert figures.figures["referrals"]["count"] == 31


# Scoping: an editor sees and changes only their agencies' figures.


def test_an_editor_lists_only_their_agencys_figures(editor, programs):
    listed = set(editor.get(url("changelist")).context["cl"].result_list)
    assert listed == {programs["my_figures"]}


@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_another_agencys_figures_are_refused(editor, programs, view):
    theirs = programs["their_figures"]
    assert editor.get(url(view, theirs.pk)).status_code == 403
    assert editor.post(url(view, theirs.pk), {"post": "yes", "referrals__count": "1"}).status_code == 403
    theirs.refresh_from_db()
    assert theirs.figures["referrals"]["count"] == 23


def test_figures_cannot_be_added_to_another_agencys_program(editor, programs):
    response = editor.post(url("add"), new_year(programs["theirs"], referrals__count=1))
    assert "Select a valid choice" in response.content.decode()
    assert not FigureSet.objects.filter(school_year=2025).exists()
    form = editor.get(url("add")).context["adminform"].form
    assert list(form.fields["program"].queryset) == [programs["mine"]]


def test_figures_cannot_name_another_agencys_school(programs):
    figures = programs["my_figures"]
    figures.figures = {"referrals": {"count": 23, "by": {"school": {str(programs["their_school"].pk): 23}}}}
    with pytest.raises(ValidationError, match="schools of the program's agency"):
        figures.full_clean()


def test_editors_invited_before_the_figures_existed_get_rights_on_them_at_migrate():
    group = Group.objects.create(name="Agency editors")
    # What `migrate` sends once this app's migrations are applied (accounts/apps.py listens).
    config = apps.get_app_config("program_data")
    post_migrate.send(
        sender=config, app_config=config, verbosity=0, interactive=False, using="default", apps=apps, plan=[]
    )
    assert {"view_figureset", "add_figureset", "change_figureset", "delete_figureset"} <= set(
        group.permissions.values_list("codename", flat=True)
    )
