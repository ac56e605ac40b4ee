"""Content staff write in one version only (a program's partners and funding, its contact's hours,
an office's hours and notes, who signed an agreement, where figures come from, course names): on a
Spanish page it is the English, marked lang="en" and counted by the page's notice, as translated
content without its Spanish version is (test_content.py). And the interface of the pages that
showed English unmarked: forms' legends, the open data pages, schools' grades."""

import re
from datetime import date

import pytest
from django.utils import translation

from agreements.models import Agreement
from languages.content import fallback_language, with_languages_of_text, written_once
from officer_feedback.models import ProfessionalStandardsContact, SchoolMattersContact
from open_data.api import MAX_LIMIT, Paging
from programs.models import ProgramPage
from tests.factories import (
    AgreementFactory,
    CourseFactory,
    EducationTopicFactory,
    FigureSetFactory,
    OfficerFactory,
    OfficerTrainingFactory,
    OutcomeFactory,
    PartnershipFactory,
    ProgramFactory,
    SchoolFactory,
)

pytestmark = pytest.mark.django_db

NOTICE = "Por ahora, parte del contenido de esta página solo está disponible en inglés."


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def program():
    """A program whose translated content is all in Spanish: only what has one version is English."""
    program = ProgramFactory(
        slug="jefferson-county",
        summary="Officers keep schools safe.",
        overview="One paragraph.",
        funding="Grant-funded",
        partners="The school districts of Jefferson County",
        contact_name="Zachary Faulkner, SRO Supervisor",
        contact_hours="Monday to Friday, 8 a.m. to 5 p.m.",
    )
    program.summary_es, program.overview_es = "Los oficiales cuidan las escuelas.", "Un párrafo."
    program.save()
    return program


def test_a_field_with_one_version_is_in_the_default_language_on_other_languages_pages(program):
    with translation.override("es"):
        assert fallback_language(program, "partners") == "en"
        assert fallback_language(program, "summary") is None  # it has its Spanish
        program.funding = ""
        assert fallback_language(program, "funding") is None  # nothing shown
        assert written_once("NASRO Basic SRO, 2024") == "en"
        assert with_languages_of_text({"training": "CIT, 2023", "other": ""}, "training", "other") == {
            "training": "CIT, 2023",
            "training_lang": "en",
            "other": "",
        }
    with translation.override("en"):
        assert fallback_language(program, "partners") is None
        assert written_once("NASRO Basic SRO, 2024") is None


def test_the_program_pages_fields_with_one_version_are_marked_english_and_announced(client, program):
    spanish = html_of(client, "/es/programs/jefferson-county/")
    assert '<dd lang="en">Grant-funded</dd>' in spanish
    assert '<dd lang="en">The school districts of Jefferson County</dd>' in spanish
    assert '<span lang="en">Zachary Faulkner, SRO Supervisor</span>' in spanish
    assert 'Horario: <span lang="en">Monday to Friday, 8 a.m. to 5 p.m.</span>' in spanish
    assert spanish.count(NOTICE) == 1
    english = html_of(client, "/programs/jefferson-county/")
    assert 'lang="en"' not in english.split("<main", 1)[1]
    assert "solo está disponible en inglés" not in english


def test_a_program_with_nothing_in_english_only_has_no_notice(client):
    program = ProgramFactory(slug="jefferson-county", overview="One paragraph.", funding="", partners="")
    program.summary_es, program.overview_es = "Los oficiales cuidan las escuelas.", "Un párrafo."
    program.contact_name = program.contact_hours = ""
    program.save()
    assert NOTICE not in html_of(client, "/es/programs/jefferson-county/")


def test_a_document_of_the_older_format_is_rebuilt_with_its_languages(client, program):
    """A program page's document from before (FORMAT 5) did not say which fields are English."""
    html_of(client, "/es/programs/jefferson-county/")
    page = ProgramPage.objects.get(pk=program.pk)
    stale = dict(page.data_es, format=5)
    stale["program"] = {k: v for k, v in stale["program"].items() if k != "partners_lang"}
    ProgramPage.objects.filter(pk=program.pk).update(data_es=stale)
    assert '<dd lang="en">The school districts of Jefferson County</dd>' in html_of(
        client, "/es/programs/jefferson-county/"
    )


def test_outcome_sources_training_and_course_names_are_marked_english(client, program):
    OutcomeFactory(program=program, figure="60%", label="fewer offenses", source="Agency estimate")
    officer = OfficerFactory(agency=program.agency, first_name="Casey", last_name="Lee")
    OfficerTrainingFactory(officer=officer, course=CourseFactory(name="NASRO Basic SRO"), completed_on=date(2024, 6, 1))
    spanish = html_of(client, "/es/programs/jefferson-county/")
    assert 'Fuente: <span lang="en">Agency estimate</span>' in spanish
    assert 'Capacitación: <span lang="en">NASRO Basic SRO, 2024</span>.' in spanish
    assert '<li><span lang="en">NASRO Basic SRO</span> (40 horas): 1 oficial</li>' in spanish
    data = html_of(client, "/es/programs/jefferson-county/data/")
    assert '<span lang="en">Agency estimate</span>' in data


def test_the_figures_source_and_note_are_marked_english(client, program):
    FigureSetFactory(program=program, source="Sheriff's Office records", note="Counted by hand.")
    spanish = html_of(client, "/es/programs/jefferson-county/data/")
    assert '<span lang="en">Sheriff&#x27;s Office records</span>' in spanish
    assert '<span lang="en">Counted by hand.</span>' in spanish
    assert spanish.count(NOTICE) == 1


def test_who_signed_an_agreement_is_marked_english(client, program):
    AgreementFactory(
        partnership__program=program,
        agency_signatory="Sheriff Dave Marshak",
        district_signatory="Dr. Pat Smith, Superintendent",
    )
    spanish = html_of(client, "/es/programs/jefferson-county/agreements/")
    assert 'Por la agencia: <span lang="en">Sheriff Dave Marshak</span>.' in spanish
    assert 'Por el distrito: <span lang="en">Dr. Pat Smith, Superintendent</span>.' in spanish
    assert spanish.count(NOTICE) == 1
    assert Agreement.objects.count() == 1


def test_the_complaint_pages_contacts_are_marked_english_and_its_form_is_spanish(client, program):
    ProfessionalStandardsContact.objects.create(
        agency=program.agency,
        unit="Internal Affairs Unit",
        contact_name="Lt. Sam Smith",
        phone="+16365550170",
        email="ia@example.org",
        address="300 Example Road\nHillsboro, MO 63050",
        hours="Monday to Friday, 8 a.m. to 5 p.m.",
        notes="You can also file at any station.",
    )
    partnership = PartnershipFactory(program=program, district="Fox C-6 School District")
    SchoolMattersContact.objects.create(
        partnership=partnership, office="Director of Student Services", contact_name="Pat Lee", phone="+16365550160"
    )
    spanish = html_of(client, "/es/programs/jefferson-county/compliment-or-complain/")
    assert 'Horario: <span lang="en">Monday to Friday, 8 a.m. to 5 p.m.</span>' in spanish
    assert '<p class="margin-bottom-0" lang="en">You can also file at any station.</p>' in spanish
    assert '<span lang="en">Lt. Sam Smith</span>' in spanish
    assert '<span lang="en">Director of Student Services</span>, <span lang="en">Pat Lee</span>' in spanish
    assert spanish.count(NOTICE) == 1
    for legend in ("Cuándo y dónde", "El oficial", "Sus datos de contacto (opcional)"):
        assert re.search(rf"<legend[^>]*>\s*{re.escape(legend)}", spanish), legend
    assert "Deje estos campos vacíos para permanecer en el anonimato." in spanish
    english = html_of(client, "/programs/jefferson-county/compliment-or-complain/")
    assert "When and where" in english and "Leave these empty to stay anonymous." in english


def test_a_topic_with_no_spanish_name_is_marked_english_in_the_presentation_form(client, program):
    named = EducationTopicFactory(name="Driver safety", name_es="Seguridad al volante")
    unnamed = EducationTopicFactory(name="Internet safety")
    program.topics.add(named, unnamed)
    url = "/es/programs/jefferson-county/request-a-presentation/"
    spanish = html_of(client, url)
    assert f'<option value="{unnamed.pk}" lang="en">Internet safety</option>' in spanish
    assert f'<option value="{named.pk}">Seguridad al volante</option>' in spanish
    assert spanish.count(NOTICE) == 1
    unnamed.name_es = "Seguridad en internet"
    unnamed.save()
    assert NOTICE not in html_of(client, url)
    assert 'lang="en">Internet' not in html_of(client, "/programs/jefferson-county/request-a-presentation/")


def test_a_schools_grades_are_written_in_the_pages_language(client, program):
    SchoolFactory(agency=program.agency, slug="hill", name="Hill Elementary", grade_lowest="KG", grade_highest="05")
    SchoolFactory(agency=program.agency, slug="pre", name="Early Center", grade_lowest="PK", grade_highest="PK")
    assert "<p>Grados K–5</p>" in html_of(client, "/es/schools/hill/")
    assert "<p>Grado Prekínder</p>" in html_of(client, "/es/schools/pre/")
    assert "<p>Grades K–5</p>" in html_of(client, "/schools/hill/")


def test_the_open_data_pages_are_in_spanish_and_the_openapi_description_in_english(client):
    spanish = html_of(client, "/es/open-data/")
    assert "El número de la agencia en este sitio; nunca cambia." in spanish
    assert "Dominio público (CC0 1.0)" in spanish
    reference = html_of(client, "/es/open-data/api/")
    assert "Los departamentos de policía y las oficinas del sheriff que tienen un programa publicado." in reference
    assert "Dónde empieza la página: tómelo de la dirección `next`." in reference
    assert "Sin cambios desde el ETag enviado en If-None-Match;" in reference
    assert "Solicitud incorrecta" in reference and "Bad Request" not in reference
    openapi = client.get("/api/v1/openapi.json").json()
    agencies = openapi["paths"]["/api/v1/agencies"]["get"]
    assert agencies["summary"] == "Agencies"
    assert agencies["responses"]["304"]["description"] == "Not modified since the ETag sent in If-None-Match."
    english = html_of(client, "/open-data/api/")
    assert "Where the page starts: take it from the `next` address." in english
    assert "Not modified since the ETag sent in If-None-Match;" in english


def test_the_limits_description_says_the_limit():
    """Written out for the catalogue (a literal), it must follow MAX_LIMIT."""
    assert f"1 to {MAX_LIMIT}." in Paging.model_fields["limit"].description
