"""Content staff write (django-modeltranslation): the Spanish version where there is one, else the
English marked lang="en" with one notice; a change to one language re-renders only its pages."""

import re

import pytest

from programs.models import Program, ProgramPage

from .factories import EducationTopicFactory, GoalFactory, OfficerFactory, ProgramFactory

pytestmark = pytest.mark.django_db

NOTICE = "Por ahora, parte del contenido de esta página solo está disponible en inglés."


@pytest.fixture
def program():
    program = ProgramFactory(slug="jefferson-county", summary="Officers keep schools safe.")
    program.summary_es = "Los oficiales cuidan la seguridad de las escuelas."
    program.save()
    return program


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_each_language_shows_its_own_summary(client, program):
    english = html_of(client, "/programs/jefferson-county/")
    spanish = html_of(client, "/es/programs/jefferson-county/")
    assert "Officers keep schools safe." in english and "Los oficiales" not in english
    assert '<p class="usa-intro">Los oficiales cuidan la seguridad de las escuelas.</p>' in spanish


def test_content_without_a_spanish_version_is_shown_in_english_marked_and_announced_once(client, program):
    GoalFactory(program=program, title="Trust", description="Students trust officers.")
    OfficerFactory(agency=program.agency, bio="Deputy since 2010.")
    spanish = html_of(client, "/es/programs/jefferson-county/")
    assert '<strong lang="en">Trust</strong>' in spanish
    assert '<span lang="en">Students trust officers.</span>' in spanish
    assert '<p lang="en">Deputy since 2010.</p>' in spanish
    assert spanish.count(NOTICE) == 1
    english = html_of(client, "/programs/jefferson-county/")
    assert 'lang="en">Trust' not in english and "solo está disponible en inglés" not in english


def test_a_topic_without_a_spanish_name_is_marked_on_its_pages(client, django_capture_on_commit_callbacks):
    topic = EducationTopicFactory(name="Driver safety", slug="driver-safety", description="")
    spanish = html_of(client, "/es/topics/driver-safety/")
    assert '<h1 class="margin-top-2" lang="en">Driver safety</h1>' in spanish
    assert NOTICE in spanish
    topic.name_es = "Seguridad al volante"
    with django_capture_on_commit_callbacks(execute=True):
        topic.save()
    spanish = html_of(client, "/es/topics/driver-safety/")
    assert '<h1 class="margin-top-2">Seguridad al volante</h1>' in spanish
    assert NOTICE not in spanish


def test_topics_without_spanish_names_do_not_clash(client):
    """The name is unique; empty Spanish names are stored as NULL, not as clashing empty strings."""
    EducationTopicFactory(name="One")
    EducationTopicFactory(name="Two")


def test_an_edit_to_the_spanish_summary_re_renders_only_the_spanish_pages(
    client, program, django_capture_on_commit_callbacks
):
    for url in ("/programs/jefferson-county/", "/es/programs/jefferson-county/"):
        client.get(url)
    english_document = ProgramPage.objects.get(pk=program.pk).data
    program = Program.objects.get(pk=program.pk)
    program.summary_es = "Un resumen nuevo."
    with django_capture_on_commit_callbacks(execute=True):
        program.save()
    assert ProgramPage.objects.get(pk=program.pk).data == english_document  # kept: only Spanish changed
    english = client.get("/programs/jefferson-county/")
    spanish = client.get("/es/programs/jefferson-county/")
    assert english["X-Page-Cache"] == "hit"
    assert spanish["X-Page-Cache"] == "miss"
    assert "Un resumen nuevo." in spanish.content.decode()


def test_an_edit_to_the_english_summary_re_renders_both_languages(client, program, django_capture_on_commit_callbacks):
    """The Spanish page falls back to English text where Spanish is missing: it shows English too."""
    for url in ("/programs/jefferson-county/", "/es/programs/jefferson-county/"):
        client.get(url)
    program = Program.objects.get(pk=program.pk)
    program.summary_en = "New English summary."
    with django_capture_on_commit_callbacks(execute=True):
        program.save()
    assert client.get("/programs/jefferson-county/")["X-Page-Cache"] == "miss"
    assert client.get("/es/programs/jefferson-county/")["X-Page-Cache"] == "miss"


def test_staff_edit_both_languages_side_by_side(staff_client, program):
    html = staff_client.get(f"/admin/programs/program/{program.pk}/change/").content.decode()
    assert 'name="summary_en"' in html and 'name="summary_es"' in html
    assert re.search(r'name="goals-__prefix__-title_es"', html)
    html = staff_client.get("/admin/programs/educationtopic/add/").content.decode()
    assert 'name="name_en"' in html and 'name="name_es"' in html


def test_the_spanish_page_document_is_kept_beside_the_english_one(client, program):
    client.get("/programs/jefferson-county/")
    client.get("/es/programs/jefferson-county/")
    page = ProgramPage.objects.get(pk=program.pk)
    assert page.data["program"]["summary"] == "Officers keep schools safe."
    assert page.data_es["program"]["summary"] == "Los oficiales cuidan la seguridad de las escuelas."


def test_spanish_dates_on_the_program_page(client, program):
    import datetime

    Program.objects.filter(pk=program.pk).update(last_reviewed=datetime.date(2026, 3, 5))
    ProgramPage.objects.all().delete()
    assert "5 de marzo de 2026" in html_of(client, "/es/programs/jefferson-county/")
    assert "March 5, 2026" in html_of(client, "/programs/jefferson-county/")


def test_the_demo_is_in_spanish_where_staff_would_have_translated_it(client):
    from django.core.management import call_command

    call_command("load_demo", stdout=__import__("io").StringIO())
    spanish = html_of(client, "/es/programs/jefferson-county/")
    assert "Una colaboración financiada con subvenciones" in spanish
    assert "Enseñar sobre la ley" in spanish
    assert spanish.count(NOTICE) == 1  # the overview is left in English on purpose
    assert "Seguridad al volante" in html_of(client, "/es/topics/")
