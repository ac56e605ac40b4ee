"""Content staff write (django-modeltranslation): the Spanish version where there is one, else the
English marked lang="en" with one notice; a change to one language re-renders only its pages."""

import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from programs.models import Program, ProgramPage
from tests.factories import (
    AgencyFactory,
    EducationTopicFactory,
    GoalFactory,
    OfficerFactory,
    PhotoFactory,
    ProgramFactory,
)

pytestmark = pytest.mark.django_db

NOTICE = "Por ahora, parte del contenido de esta página solo está disponible en inglés."


@pytest.fixture
def program():
    program = ProgramFactory(slug="jefferson-county", summary="Officers keep schools safe.")
    program.summary_es = "Los oficiales cuidan la seguridad de las escuelas."
    program.save()
    return program


def small_jpeg(name="photo.jpg"):
    data = BytesIO()
    Image.new("RGB", (400, 300), "navy").save(data, "JPEG")
    return SimpleUploadedFile(name, data.getvalue(), content_type="image/jpeg")


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
    # Right after the heading (which stays on a phone's first screen), before the first English
    # text under it, not after it all.
    main = spanish.index('<main id="main-content"')
    heading_end = spanish.index("</h1>", main)
    assert spanish.index(NOTICE) < spanish.index('lang="en">', heading_end)
    first_after_heading = spanish[heading_end + len("</h1>") :].lstrip().split(">", 1)[0]
    assert first_after_heading.startswith("<div") and "content-language-notice" in first_after_heading
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


def test_photo_descriptions_and_captions_are_shown_in_spanish_or_marked_english(
    client, program, django_capture_on_commit_callbacks
):
    officer = OfficerFactory(agency=program.agency, photo=small_jpeg(), photo_alt="Deputy Lee smiling")
    photo = PhotoFactory(
        program=program, image=small_jpeg(), alt_text="Officer with students", caption="Career day, 2025"
    )
    spanish = html_of(client, "/es/programs/jefferson-county/")
    # No Spanish yet: the English is read with an English voice, and the page says so once.
    assert re.search(r'alt="Deputy Lee smiling" lang="en"', spanish)
    assert re.search(r'alt="Officer with students" lang="en"', spanish)
    assert '<figcaption lang="en">Career day, 2025</figcaption>' in spanish
    assert spanish.count(NOTICE) == 1

    officer.photo_alt_es = "El agente Lee sonriendo"
    photo.alt_text_es, photo.caption_es = "Un oficial con estudiantes", "Día de las carreras, 2025"
    with django_capture_on_commit_callbacks(execute=True):
        officer.save()
        photo.save()
    spanish = html_of(client, "/es/programs/jefferson-county/")
    assert 'alt="El agente Lee sonriendo" width=' in spanish
    assert 'alt="Un oficial con estudiantes" width=' in spanish
    assert "<figcaption>Día de las carreras, 2025</figcaption>" in spanish
    english = html_of(client, "/programs/jefferson-county/")
    assert 'alt="Deputy Lee smiling" width=' in english and 'alt="Officer with students" width=' in english
    assert "<figcaption>Career day, 2025</figcaption>" in english


def test_staff_describe_photos_in_both_languages(staff_client, program):
    html = staff_client.get(f"/admin/programs/program/{program.pk}/change/").content.decode()
    assert re.search(r'name="photos-__prefix__-alt_text_es"', html)
    assert re.search(r'name="photos-__prefix__-caption_es"', html)
    html = staff_client.get("/admin/programs/officer/add/").content.decode()
    assert 'name="photo_alt_en"' in html and 'name="photo_alt_es"' in html


def test_a_photo_needs_its_english_description_whatever_the_admin_language():
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("es"):
        officer = OfficerFactory.build(agency=AgencyFactory(), photo="officers/x.jpg")
        officer.photo_alt_en, officer.photo_alt_es = "", "El agente sonriendo"
        with pytest.raises(ValidationError) as excinfo:
            officer.full_clean()
    assert "photo_alt_en" in excinfo.value.message_dict


def test_a_photo_saved_from_the_spanish_admin_with_only_its_english_description_is_kept(program):
    from django.utils import translation

    from programs.models import Officer, Photo

    with translation.override("es"):
        photo = PhotoFactory.build(program=program, image=small_jpeg())
        photo.alt_text_en, photo.alt_text_es = "Officer with students", None
        photo.save()
        officer = OfficerFactory(agency=program.agency)
        officer.photo, officer.photo_alt_en, officer.photo_alt_es = small_jpeg(), "Deputy Lee smiling", ""
        officer.save()
    assert Photo.objects.get(pk=photo.pk).alt_text_en == "Officer with students"
    assert Officer.objects.get(pk=officer.pk).photo_alt_en == "Deputy Lee smiling"


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_database_refuses_a_photo_without_its_english_description(program, language):
    from django.db import IntegrityError, transaction
    from django.utils import translation

    from programs.models import Officer

    officer = OfficerFactory(agency=program.agency)
    with translation.override(language), pytest.raises(IntegrityError), transaction.atomic():
        Officer.objects.filter(pk=officer.pk).update(photo="officers/a.jpg", photo_alt_es="El agente sonriendo")
    with translation.override(language), pytest.raises(IntegrityError), transaction.atomic():
        PhotoFactory(program=program, alt_text_en="", alt_text_es="Un oficial con estudiantes")
