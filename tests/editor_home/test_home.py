"""The editor's home (the admin index): my programs and their review, what needs attention,
recent changes by others, models grouped by task, and defaults for single-agency editors."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement
from editor_home.attention import CHECKS, attention_items
from inbox.models import Submission
from programs.models import Alert, Assignment, Officer, Program, School, current_school_year
from tests.factories import AgreementFactory, AssignmentFactory, OfficerFactory, ProgramFactory, SchoolFactory

pytestmark = pytest.mark.django_db

HOME = "admin:index"


def make_editor(username, *agencies, email=True):
    for agency in agencies:
        call_command("add_editor", username, agency.slug, "--no-invite", stdout=StringIO())
    user = get_user_model().objects.get(username=username)
    if email:
        user.email = f"{username}@example.org"
        user.save()
    return user


@pytest.fixture
def mine():
    return ProgramFactory(agency__name="Mine Sheriff", contact_email="sro@mine.example.org")


@pytest.fixture
def theirs():
    return ProgramFactory(agency__name="Theirs Police", contact_email="sro@theirs.example.org")


@pytest.fixture
def editor(client, mine, theirs):
    user = make_editor("mine-editor", mine.agency)
    client.force_login(user)
    client.user = user
    return client


def home(client):
    return client.get(reverse(HOME))


def keys(response):
    return {item.check.key for item in response.context["attention_items"]}


# My programs ---------------------------------------------------------------------


def test_my_programs_lists_only_my_agencys_programs_with_their_links(editor, mine, theirs):
    draft = ProgramFactory(agency=mine.agency, status=Program.Status.DRAFT, name="Second Program")
    response = home(editor)
    shown = [row.program for row in response.context["my_programs"]]
    assert set(shown) == {mine, draft}
    html = response.content.decode()
    assert reverse("admin:programs_program_change", args=[mine.pk]) in html
    assert f'<a href="{mine.get_absolute_url()}">View on the site' in html
    assert f'<a href="{draft.get_absolute_url()}">Preview the draft' in html
    assert theirs.page_title not in html


def test_a_program_is_review_due_when_older_than_the_interval(editor, mine, settings):
    settings.REVIEW_INTERVAL_DAYS = 180
    mine.last_reviewed = timezone.localdate() - timedelta(days=179)
    mine.save()
    assert "Review due" not in home(editor).content.decode()
    mine.last_reviewed = timezone.localdate() - timedelta(days=181)
    mine.save()
    html = home(editor).content.decode()
    assert '<strong class="review-due">Review due</strong>' in html
    assert "review-due" in keys(home(editor))


def test_reviewed_today_records_the_date_and_who_confirmed_it(editor, mine):
    mine.last_reviewed = date(2020, 1, 1)
    mine.save()
    version = Program.objects.get(pk=mine.pk).version
    response = editor.post(reverse("admin:editor_home_reviewed_today", args=[mine.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse(HOME))
    mine.refresh_from_db()
    assert mine.last_reviewed == timezone.localdate()
    assert mine.version == version + 1  # a form opened before the confirmation is told
    latest = mine.history.first()
    assert latest.history_user == editor.user
    assert latest.history_change_reason.startswith("Reviewed today")
    assert "Review due" not in home(editor).content.decode()


def test_reviewed_today_is_refused_for_another_agencys_program(editor, theirs):
    theirs.last_reviewed = date(2020, 1, 1)
    theirs.save()
    assert editor.post(reverse("admin:editor_home_reviewed_today", args=[theirs.pk])).status_code == 403
    theirs.refresh_from_db()
    assert theirs.last_reviewed == date(2020, 1, 1)


def test_reviewed_today_takes_a_post_only(editor, mine):
    assert editor.get(reverse("admin:editor_home_reviewed_today", args=[mine.pk])).status_code == 405


def test_reviewed_today_needs_a_signed_in_staff_member(client, mine):
    response = client.post(reverse("admin:editor_home_reviewed_today", args=[mine.pk]))
    assert response.status_code == 302 and "login" in response.url
    mine.refresh_from_db()
    assert mine.last_reviewed is None


def test_superusers_see_every_agencys_programs(staff_client, mine, theirs):
    shown = {row.program for row in home(staff_client).context["my_programs"]}
    assert {mine, theirs} <= shown


# Needs attention: each item appears exactly when its condition holds -----------


def fixed_and_broken(key, agency, program):
    """(make it need attention, fix it) for each check, in `agency`."""
    if key == "new-requests":
        submission = Submission.objects.create(program=program, kind="question", name="Q", email="q@example.org")
        return lambda: Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.CLOSED)
    if key == "unassigned-requests":
        submission = Submission.objects.create(
            program=program, kind="question", name="Q", email="q@example.org", status=Submission.Status.IN_PROGRESS
        )
        officer = OfficerFactory(agency=agency)
        return lambda: Submission.objects.filter(pk=submission.pk).update(assigned_officer=officer)
    if key == "review-due":
        Program.objects.filter(pk=program.pk).update(last_reviewed=None)
        return lambda: Program.objects.filter(pk=program.pk).update(last_reviewed=timezone.localdate())
    if key == "no-officer-this-year":
        school = SchoolFactory(agency=agency)
        return lambda: AssignmentFactory(school=school, officer=OfficerFactory(agency=agency))
    if key == "officer-photo":
        officer = OfficerFactory(agency=agency)
        return lambda: Officer.objects.filter(pk=officer.pk).update(photo="officers/a.jpg", photo_alt="Deputy smiling")
    if key == "no-contact-email":
        Program.objects.filter(pk=program.pk).update(contact_email="")
        return lambda: Program.objects.filter(pk=program.pk).update(contact_email="sro@example.org")
    if key == "alert-ends-today":
        now = timezone.localtime()
        ends = now + timedelta(minutes=1) if now.hour < 23 else now + timedelta(seconds=30)
        alert = Alert.objects.create(program=program, title="Closed", message="x", starts_at=now - timedelta(days=1))
        Alert.objects.filter(pk=alert.pk).update(ends_at=ends)
        return lambda: Alert.objects.filter(pk=alert.pk).update(ends_at=now + timedelta(days=2))
    if key == "agreements-due":
        agreement = AgreementFactory(partnership__program=program, review_on=timezone.localdate() + timedelta(days=10))
        later = timezone.localdate() + timedelta(days=300)
        return lambda: Agreement.objects.filter(pk=agreement.pk).update(review_on=later)
    raise AssertionError(key)


EVERY_DAY_CHECKS = [key for key, check in CHECKS.items() if key != "no-officer-next-year"]


@pytest.mark.parametrize("key", EVERY_DAY_CHECKS)
def test_an_attention_item_appears_when_its_condition_holds_and_goes_when_fixed(editor, mine, theirs, key):
    Program.objects.filter(pk=mine.pk).update(last_reviewed=timezone.localdate())
    assert key not in keys(home(editor))
    fix = fixed_and_broken(key, mine.agency, mine)
    response = home(editor)
    [item] = [i for i in response.context["attention_items"] if i.check.key == key]
    assert item.count == 1
    assert f'<a href="{item.url}">{item.text}</a>' in response.content.decode()
    # The link opens the admin list that fixes it, showing exactly that.
    listed = editor.get(item.url).context["cl"].result_list
    assert len(listed) == 1
    fix()
    assert key not in keys(home(editor))
    assert len(editor.get(item.url).context["cl"].result_list) == 0


@pytest.mark.parametrize("key", EVERY_DAY_CHECKS)
def test_another_agencys_items_never_count(editor, mine, theirs, key):
    Program.objects.filter(pk=mine.pk).update(last_reviewed=timezone.localdate())
    fixed_and_broken(key, theirs.agency, theirs)
    assert key not in keys(home(editor))


def test_schools_without_an_officer_for_next_year_show_from_may(mine):
    school = SchoolFactory(agency=mine.agency)
    AssignmentFactory(school=school, officer=OfficerFactory(agency=mine.agency), school_year=2026)
    march, may = date(2027, 3, 10), date(2027, 5, 3)
    assert "no-officer-next-year" not in {i.check.key for i in attention_items({mine.agency_id}, march)}
    [item] = [i for i in attention_items({mine.agency_id}, may) if i.check.key == "no-officer-next-year"]
    assert item.count == 1 and "2027–28" in item.text
    AssignmentFactory(school=school, officer=OfficerFactory(agency=mine.agency), school_year=2027)
    assert "no-officer-next-year" not in {i.check.key for i in attention_items({mine.agency_id}, may)}


def test_a_school_served_only_by_an_officer_who_left_has_no_officer(mine):
    assignment = AssignmentFactory(school__agency=mine.agency, officer__agency=mine.agency)
    assert "no-officer-this-year" not in {i.check.key for i in attention_items({mine.agency_id})}
    Officer.objects.filter(pk=assignment.officer_id).update(is_active=False)
    assert "no-officer-this-year" in {i.check.key for i in attention_items({mine.agency_id})}


def test_nothing_to_do_says_so(editor, mine):
    Program.objects.filter(pk=mine.pk).update(last_reviewed=timezone.localdate())
    response = home(editor)
    assert response.context["attention_items"] == []
    assert "Nothing needs your attention" in response.content.decode()


def test_superusers_see_every_agencys_items(staff_client, mine, theirs):
    Program.objects.update(last_reviewed=timezone.localdate())
    Submission.objects.create(program=theirs, kind="question", name="Q", email="q@example.org")
    assert "new-requests" in keys(home(staff_client))


# Recent changes by others --------------------------------------------------------


def test_recent_changes_show_other_editors_work_in_my_agencies_only(editor, mine, theirs, client):
    colleague = make_editor("colleague", mine.agency)
    stranger = make_editor("stranger", theirs.agency)
    for user, program, summary in ((colleague, mine, "By my colleague."), (stranger, theirs, "By a stranger.")):
        program.summary = summary
        program._history_user = user
        program.save()
    mine.name = "Changed by me"
    mine._history_user = editor.user
    mine.save()
    changes = home(editor).context["recent_changes"]
    assert [(c.who, c.action, c.name) for c in changes] == [("colleague", "changed", "School Resource Officer Program")]


def test_a_superusers_quiet_home_speaks_of_every_agency_not_of_their_own(staff_client, mine):
    Program.objects.update(last_reviewed=timezone.localdate())
    html = home(staff_client).content.decode()
    assert "Nobody else has changed any agency's pages lately." in html
    assert "Nothing needs attention in any agency." in html
    assert "your agency" not in html and "your pages" not in html


def test_an_editors_quiet_home_speaks_of_their_agency(editor, mine):
    Program.objects.filter(pk=mine.pk).update(last_reviewed=timezone.localdate())
    html = home(editor).content.decode()
    assert "Nobody else has changed your agency's pages lately." in html
    assert "any agency" not in html


# Models grouped as an editor thinks of them -------------------------------------


def test_an_editor_sees_the_models_grouped_by_task(editor):
    app_list = home(editor).context["app_list"]
    assert [section["name"] for section in app_list] == [
        "Your program",
        "People and schools",
        "Requests from the public",
        "Shared",
    ]
    names = {s["name"]: [m["object_name"] for m in s["models"]] for s in app_list}
    assert names["Your program"][0] == "Program"
    assert {"Goal", "MissionRole", "Outcome", "Photo", "Alert", "Agreement", "FigureSet"} <= set(names["Your program"])
    assert names["People and schools"] == ["Officer", "School", "Assignment"]
    assert names["Requests from the public"] == ["Submission"]  # complaints: professional standards only
    assert names["Shared"] == ["EducationTopic", "State", "Course"]


def test_superusers_also_see_site_administration_last(staff_client):
    app_list = home(staff_client).context["app_list"]
    assert app_list[-1]["name"] == "Site administration"
    models = {m["object_name"] for m in app_list[-1]["models"]}
    assert {"User", "Group", "AgencyMembership", "TOTPDevice", "AccessAttempt"} <= models


def test_an_apps_own_page_still_lists_its_models(staff_client):
    assert staff_client.get(reverse("admin:app_list", args=["programs"])).status_code == 200


@pytest.mark.parametrize("app_label", ["programs", "inbox", "agreements"])
def test_an_apps_own_page_lists_its_models_without_an_empty_home(editor, app_label):
    """It used to show the home's boxes with nothing in them: 'You are not an editor of any program yet'."""
    html = editor.get(reverse("admin:app_list", args=[app_label])).content.decode()
    assert "not an editor of any program" not in html
    assert "Nothing needs your attention" not in html
    assert f'href="/admin/{app_label}/' in html  # its models' lists


# Sensible defaults ---------------------------------------------------------------


def initial(client, model_name, field):
    form = client.get(reverse(f"admin:programs_{model_name}_add")).context["adminform"].form
    return form.initial.get(field)


@pytest.mark.parametrize(("model_name", "field"), [("school", "agency"), ("officer", "agency")])
def test_a_single_agency_editor_gets_their_agency_on_new_objects(editor, mine, model_name, field):
    assert initial(editor, model_name, field) == mine.agency_id
    html = editor.get(reverse(f"admin:programs_{model_name}_add")).content.decode()
    assert f'<option value="{mine.agency_id}" selected>{mine.agency.name}</option>' in html  # not an empty choice


def test_a_single_program_editor_gets_their_program_on_a_new_alert(editor, mine):
    assert initial(editor, "alert", "program") == mine.pk


def test_an_editor_of_two_agencies_chooses(client, mine, theirs):
    client.force_login(make_editor("both", mine.agency, theirs.agency))
    assert initial(client, "school", "agency") is None
    assert initial(client, "alert", "program") is None


def test_superusers_choose_the_agency_themselves(staff_client, mine):
    assert initial(staff_client, "school", "agency") is None


def test_the_school_year_defaults_to_the_current_one(editor):
    form = editor.get(reverse("admin:programs_assignment_add")).context["adminform"].form
    assert form["school_year"].value() == current_school_year()


def test_slugs_fill_from_names_as_they_are_typed(editor):
    from django.contrib import admin

    assert admin.site._registry[School].prepopulated_fields == {"slug": ["name"]}
    # As a tuple once django-modeltranslation has looked at the Program admin (its name is not translated).
    assert list(admin.site._registry[Program].prepopulated_fields["slug"]) == ["name"]


def add_school(client, agency, name):
    data = {"agency": agency.pk, "name": name, "slug": "", "city": "Hillsboro", "opened_at_version": ""}
    for prefix in ("assignments",):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    response = client.post(reverse("admin:programs_school_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return School.objects.get(name=name, agency=agency)


def test_a_slug_left_empty_is_made_from_the_name_and_kept_free(editor, mine):
    SchoolFactory(slug="lincoln-elementary-school")
    school = add_school(editor, mine.agency, "Lincoln Elementary School")
    assert school.slug == "lincoln-elementary-school-2"
    assert add_school(editor, mine.agency, "Jefferson High").slug == "jefferson-high"


# The home page's queries do not grow with the content -----------------------------

# Sign-in and session, 11 history reads, one count per attention check, the programs
# (and, past 25 of them, their count): the same at 1 row as at hundreds.
# 28 for the home itself; the agreements and professional-standards boxes add one query each.
HOME_QUERY_BUDGET = 30


def fill(agency, count):
    Program.objects.bulk_create(
        Program(
            agency=agency,
            name=f"Program {n}",
            slug=f"bulk-{agency.pk}-{n}",
            summary="s",
            overview="o",
            contact_division="d",
            contact_phone="+16369493006",
        )
        for n in range(count)
    )
    School.objects.bulk_create(
        School(agency=agency, name=f"School {n}", slug=f"bulk-school-{agency.pk}-{n}", city="Hillsboro")
        for n in range(count)
    )
    program = Program.objects.filter(agency=agency).first()
    Submission.objects.bulk_create(
        Submission(program=program, kind="question", name="Q", email="q@example.org", reference=f"R{agency.pk}X{n}")
        for n in range(count)
    )
    officers = Officer.objects.bulk_create(
        Officer(agency=agency, first_name="A", last_name=f"B{n}") for n in range(count)
    )
    schools = list(School.objects.filter(agency=agency)[: count // 2])
    Assignment.objects.bulk_create(
        Assignment(officer=officer, school=school) for officer, school in zip(officers, schools, strict=False)
    )


@pytest.mark.parametrize("count", [1, 300])
def test_an_editors_home_takes_the_same_queries_at_any_size(editor, mine, count, django_assert_max_num_queries):
    fill(mine.agency, count)
    colleague = make_editor("colleague", mine.agency)
    mine._history_user = colleague
    mine.save()
    with django_assert_max_num_queries(HOME_QUERY_BUDGET):
        response = home(editor)
    assert len(response.context["my_programs"]) == min(count + 1, 25)  # the longest unreviewed, then a link
    assert response.context["programs_total"] == (count + 1 if count + 1 > 25 else None)
    assert response.context["recent_changes"]


@pytest.mark.parametrize("count", [1, 300])
def test_a_superusers_home_takes_the_same_queries_at_any_size(staff_client, mine, count, django_assert_max_num_queries):
    fill(mine.agency, count)
    with django_assert_max_num_queries(HOME_QUERY_BUDGET):
        response = home(staff_client)
    assert len(response.context["my_programs"]) == min(count + 1, 25)
