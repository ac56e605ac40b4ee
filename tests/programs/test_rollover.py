"""The school-year rollover: `rollover_assignments FROM_YEAR` and the admin's "Copy to the next school year"."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from programs.models import Assignment, current_school_year
from tests.factories import AgencyFactory, AssignmentFactory, OfficerFactory, ProgramFactory

pytestmark = pytest.mark.django_db

YEAR = 2025


def rollover(*args):
    out = io.StringIO()
    call_command("rollover_assignments", *map(str, args), stdout=out)
    return out.getvalue()


def years_of(officer):
    return sorted(officer.assignments.values_list("school_year", flat=True))


@pytest.fixture
def agency():
    return AgencyFactory(slug="jefferson")


@pytest.fixture
def assignments(agency):
    """Two officers at two schools in 2025–26, and last year's assignment of one of them."""
    first = AssignmentFactory(officer__agency=agency, school__agency=agency, school_year=YEAR)
    second = AssignmentFactory(officer__agency=agency, school__agency=agency, school_year=YEAR)
    AssignmentFactory(officer=first.officer, school__agency=agency, school_year=YEAR - 1)
    return first, second


def test_the_years_assignments_are_copied_to_the_next_school_year(assignments):
    out = rollover(YEAR)
    assert "copied to 2026–27: 2" in out
    for assignment in assignments:
        assert Assignment.objects.filter(
            officer=assignment.officer, school=assignment.school, school_year=YEAR + 1
        ).exists()
    assert Assignment.objects.filter(school_year=YEAR + 1).count() == 2, "only 2025–26 is copied"


def test_running_it_again_copies_nothing(assignments):
    rollover(YEAR)
    count = Assignment.objects.count()
    out = rollover(YEAR)
    assert "copied to 2026–27: 0" in out
    assert "already there: 2" in out
    assert Assignment.objects.count() == count


def test_an_assignment_already_made_for_next_year_is_left_as_it_is(assignments):
    first, _ = assignments
    made_by_hand = AssignmentFactory(officer=first.officer, school=first.school, school_year=YEAR + 1)
    out = rollover(YEAR)
    assert "copied to 2026–27: 1" in out
    assert "already there: 1" in out
    assert list(Assignment.objects.filter(officer=first.officer, school_year=YEAR + 1)) == [made_by_hand]


def test_an_officer_no_longer_serving_is_not_carried_over(assignments):
    first, second = assignments
    second.officer.is_active = False
    second.officer.save()
    out = rollover(YEAR)
    assert "left out, the officer no longer serving: 1" in out
    assert years_of(second.officer) == [YEAR]
    assert years_of(first.officer) == [YEAR - 1, YEAR, YEAR + 1]


def test_the_agency_option_copies_that_agencys_assignments_only(assignments):
    other = AssignmentFactory(school_year=YEAR)
    rollover(YEAR, "--agency=jefferson")
    assert years_of(other.officer) == [YEAR]
    assert Assignment.objects.filter(school_year=YEAR + 1).count() == 2


def test_a_dry_run_copies_nothing(assignments):
    out = rollover(YEAR, "--dry-run")
    assert "copied to 2026–27: 2" in out
    assert "Dry run: nothing was saved." in out
    assert not Assignment.objects.filter(school_year=YEAR + 1).exists()


def test_a_copy_is_recorded_in_history(assignments):
    rollover(YEAR)
    record = Assignment.history.filter(school_year=YEAR + 1).first()
    assert record.history_type == "+"
    assert record.history_change_reason == "Copied to the next school year"


@pytest.mark.parametrize(
    "args, message",
    [(["26"], "give the year it starts"), ([YEAR, "--agency=nowhere"], "No agency has the slug 'nowhere'")],
)
def test_a_wrong_year_or_agency_is_refused(agency, args, message):
    with pytest.raises(CommandError, match=message):
        rollover(*args)


def test_after_the_rollover_the_program_page_shows_this_years_officers(client, django_capture_on_commit_callbacks):
    this_year = current_school_year()
    program = ProgramFactory()
    officer = OfficerFactory(agency=program.agency, last_name="Rollingover")
    AssignmentFactory(officer=officer, school__name="Carried Over Elementary", school_year=this_year - 1)
    page = client.get(program.get_absolute_url()).content.decode()  # now cached, and its document built
    assert "Rollingover" in page and "Carried Over Elementary" in page
    assert "Not assigned" in page, "last year's assignment does not count this year"
    with django_capture_on_commit_callbacks(execute=True):
        rollover(this_year - 1)
    assert "Not assigned" not in client.get(program.get_absolute_url()).content.decode()


# The admin action ------------------------------------------------------------

CHANGELIST = "admin:programs_assignment_changelist"


def copy_action(client, *assignments, select_across=False):
    data = {"action": "copy_to_next_school_year", "_selected_action": [a.pk for a in assignments]}
    if select_across:
        data["select_across"] = "1"
    return client.post(reverse(CHANGELIST), data, follow=True)


@pytest.fixture
def editor_client(client, agency):
    call_command("add_editor", "jeff-editor", agency.slug, stdout=io.StringIO())
    client.force_login(get_user_model().objects.get(username="jeff-editor"))
    return client


def test_the_admin_action_copies_the_selected_assignments(staff_client, assignments):
    first, second = assignments
    response = copy_action(staff_client, first)
    assert "1 assignment copied to the next school year." in response.content.decode()
    assert years_of(first.officer) == [YEAR - 1, YEAR, YEAR + 1]
    assert years_of(second.officer) == [YEAR]
    response = copy_action(staff_client, first)
    assert "0 assignments copied to the next school year; 1 already there." in response.content.decode()


def test_an_editors_action_copies_only_their_agencys_assignments(editor_client, assignments):
    theirs = AssignmentFactory(school_year=YEAR)
    copy_action(editor_client, assignments[0], theirs)
    assert years_of(assignments[0].officer) == [YEAR - 1, YEAR, YEAR + 1]
    assert years_of(theirs.officer) == [YEAR]


def test_an_editors_action_on_all_assignments_copies_only_their_agencys(editor_client, assignments):
    theirs = AssignmentFactory(school_year=YEAR)
    response = copy_action(editor_client, theirs, select_across=True)
    assert response.status_code == 200
    assert years_of(theirs.officer) == [YEAR]
    first, second = assignments
    assert years_of(first.officer) == [YEAR - 1, YEAR, YEAR, YEAR + 1], "each year's to the year after"
    assert years_of(second.officer) == [YEAR, YEAR + 1]
