"""Officers' training: one line on each officer's card, and how many officers completed each course."""

from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.factories import CourseFactory, OfficerFactory, OfficerTrainingFactory, ProgramFactory, UserFactory
from training.models import Course, OfficerTraining

pytestmark = pytest.mark.django_db


def card_of(html, name):
    return next(card for card in html.split('officer-card">')[1:] if name in card)


def test_the_officer_card_shows_training_in_one_line_latest_first_each_course_once(client):
    program = ProgramFactory()
    officer = OfficerFactory(agency=program.agency, first_name="Casey", last_name="Lee")
    nasro = CourseFactory(name="NASRO Basic SRO")
    cit = CourseFactory(name="Crisis Intervention Team (CIT)", short_name="CIT")
    OfficerTrainingFactory(officer=officer, course=cit, completed_on=date(2019, 5, 1))
    OfficerTrainingFactory(officer=officer, course=nasro, completed_on=date(2024, 6, 14))
    OfficerTrainingFactory(officer=officer, course=cit, completed_on=date(2023, 3, 17))
    html = client.get(program.get_absolute_url()).content.decode()
    assert "<p>Training: <span>NASRO Basic SRO, 2024; CIT, 2023</span>.</p>" in card_of(html, "Casey Lee")


def test_an_officer_without_training_has_no_training_line(client):
    program = ProgramFactory()
    OfficerFactory(agency=program.agency)
    assert "Training:" not in client.get(program.get_absolute_url()).content.decode()


def test_the_program_page_counts_its_officers_who_completed_each_course(client):
    program = ProgramFactory()
    nasro, cit = CourseFactory(name="NASRO Basic SRO", hours=40), CourseFactory(name="Crisis Intervention Team")
    first, second = OfficerFactory.create_batch(2, agency=program.agency)
    OfficerTrainingFactory(officer=first, course=nasro)
    OfficerTrainingFactory(officer=first, course=nasro, completed_on=date(2025, 1, 1))  # a refresher: still one
    OfficerTrainingFactory(officer=second, course=nasro)
    OfficerTrainingFactory(officer=second, course=cit)
    OfficerTrainingFactory(officer=OfficerFactory(agency=program.agency, is_active=False), course=cit)
    OfficerTrainingFactory(course=cit)  # another agency's officer
    html = client.get(program.get_absolute_url()).content.decode()
    assert "<li><span>Crisis Intervention Team</span> (40 hours): 1 officer</li>" in html
    assert "<li><span>NASRO Basic SRO</span> (40 hours): 2 officers</li>" in html


def test_a_record_takes_the_courses_provider_and_hours_unless_given_others():
    course = CourseFactory(provider="NASRO", hours=40)
    usual = OfficerTrainingFactory(course=course, provider="", hours=None)
    other = OfficerTrainingFactory(course=course, provider="Regional academy", hours=24)
    assert (usual.provider, usual.hours) == ("NASRO", 40)
    assert (other.provider, other.hours) == ("Regional academy", 24)


def test_renaming_a_course_refreshes_the_program_pages_showing_it(client, django_capture_on_commit_callbacks):
    training = OfficerTrainingFactory(course__name="Old course name")
    program = ProgramFactory(agency=training.officer.agency)
    client.get(program.get_absolute_url())
    assert client.get(program.get_absolute_url())["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        training.course.name = "New course name"
        training.course.save()
    assert "New course name" in client.get(program.get_absolute_url()).content.decode()


def test_adding_training_refreshes_the_program_page(client, django_capture_on_commit_callbacks):
    program = ProgramFactory()
    officer = OfficerFactory(agency=program.agency)
    client.get(program.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        OfficerTrainingFactory(officer=officer, course__name="De-escalation")
    assert "De-escalation" in client.get(program.get_absolute_url()).content.decode()


@pytest.fixture
def editor(client):
    officer = OfficerFactory()
    call_command("add_editor", "editor", officer.agency.slug, stdout=StringIO())
    client.force_login(get_user_model().objects.get(username="editor"))
    return client, officer


def test_editors_record_training_on_their_officers_page(editor):
    client, officer = editor
    course = CourseFactory()
    url = reverse("admin:programs_officer_change", args=[officer.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if name != "photo"}
    data.update({"assignments-TOTAL_FORMS": 0, "assignments-INITIAL_FORMS": 0})
    data.update(
        {
            "trainings-TOTAL_FORMS": 1,
            "trainings-INITIAL_FORMS": 0,
            "trainings-0-course": course.pk,
            "trainings-0-completed_on": "2025-05-02",
            "trainings-0-provider": "",
            "trainings-0-hours": "",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert officer.trainings.get().course == course


def test_another_agencys_officers_training_cannot_be_opened(editor):
    client, _ = editor
    theirs = OfficerTrainingFactory()
    assert client.get(reverse("admin:programs_officer_change", args=[theirs.officer.pk])).status_code == 403


def test_the_course_catalogue_is_kept_by_superusers(editor):
    client, _ = editor
    superuser = Client()
    superuser.force_login(UserFactory(is_staff=True, is_superuser=True))
    course = CourseFactory(name="NASRO Basic SRO")
    assert client.get(reverse("admin:training_course_change", args=[course.pk])).status_code == 200  # may look
    client.post(reverse("admin:training_course_change", args=[course.pk]), {"name": "Renamed"})
    assert client.post(reverse("admin:training_course_add"), {"name": "New"}).status_code == 403
    course.refresh_from_db()
    assert course.name == "NASRO Basic SRO"
    superuser.post(reverse("admin:training_course_add"), {"name": "Court testimony", "hours": "8"})
    assert Course.objects.filter(name="Court testimony").exists()


def test_demo_training_is_on_example_officers_only_and_marked(client):
    call_command("load_demo", stdout=StringIO())
    assert set(Course.objects.values_list("name", flat=True)) >= {
        "Missouri POST SRO basic course",
        "NASRO Basic SRO",
        "Crisis Intervention Team (CIT)",
        "De-escalation",
    }
    assert Course.objects.get(name="Missouri POST SRO basic course").hours == 40
    trainings = OfficerTraining.objects.select_related("officer")
    assert trainings.exists()
    assert all(t.is_example and t.officer.is_example for t in trainings)
    html = client.get("/programs/st-charles-county/").content.decode()
    assert "Training: <span>NASRO Basic SRO, 2024; CIT, 2023; Missouri SRO basic, 2021</span>." in html
    call_command("load_demo", "--reset", stdout=StringIO())
    assert OfficerTraining.objects.count() == trainings.count()
