"""The editor's home in Spanish when the admin is (the browser asks for it, or the "Español" button):
its headings, its programs with the date of their last review written the Spanish way, what needs
attention, recent changes and the sections of models; in English otherwise."""

import re
from datetime import date

import pytest
from django.urls import reverse

from editor_home.reviews import REVIEWED_TODAY
from tests.editor_home.test_home import make_editor
from tests.factories import ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

SPANISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9,en;q=0.5"}
ENGLISH_ON_THE_HOME = (
    "Program content",
    "My programs",
    "Needs attention",
    "Reviewed today",
    "Last reviewed",
    "View on the site",
    "Recent changes by others",
    "Your program",
    "People and schools",
    "program has no contact email",
    "November",
)


@pytest.fixture
def mine():
    return ProgramFactory(agency__name="Mine Sheriff", contact_email="", last_reviewed=date(2026, 11, 22))


@pytest.fixture
def editor_home(client, mine):
    colleague = make_editor("colleague", mine.agency)
    mine.summary = "By my colleague."
    mine._history_user = colleague
    mine._change_reason = REVIEWED_TODAY
    mine.save()
    mine.summary = "Imported."
    mine._history_user = colleague
    mine._change_reason = "Imported from officers.csv"  # a reason with a file's name: no translation
    mine.save()
    client.force_login(make_editor("mine-editor", mine.agency))
    return client


def test_the_editors_home_is_in_spanish_when_the_admin_is(editor_home, mine):
    editor_home.post("/admin/language/", {"language": "es", "next": "/admin/"})
    html = editor_home.get(reverse("admin:index")).content.decode()
    assert '<html lang="es"' in html
    for spanish in (
        "Contenido de los programas",
        "Mis programas",
        "Requiere atención",
        "Revisado hoy",
        'Última revisión: <time datetime="2026-11-22">22 de noviembre de 2026</time>.',
        "Ver en el sitio",
        "1 programa no tiene correo electrónico de contacto",
        "Cambios recientes de otras personas",
        "colleague · cambió",
        "(<span>Revisado hoy: se comprobó cada dato de la página</span>)",
        '(<span lang="en">Imported from officers.csv</span>)',
        "Su programa",
        "Personas y escuelas",
    ):
        assert spanish in html, spanish
    for english in ENGLISH_ON_THE_HOME:
        assert english not in html, english
    # The sections keep their English class names, whatever the language.
    assert 'class="app-your-program module' in html


def test_a_spanish_browser_gets_the_spanish_home_too(editor_home):
    html = editor_home.get(reverse("admin:index"), **SPANISH_BROWSER).content.decode()
    assert "Mis programas" in html and "My programs" not in html


def test_the_editors_home_stays_in_english_in_english(editor_home, mine):
    html = editor_home.get(reverse("admin:index")).content.decode()
    assert '<html lang="en"' in html
    for english in ENGLISH_ON_THE_HOME:
        assert english in html, english
    assert 'Last reviewed: <time datetime="2026-11-22">November 22, 2026</time>.' in html
    assert "colleague · changed" in html
    assert "(<span>Reviewed today: every fact on the page checked</span>)" in html
    for spanish in ("Mis programas", "Requiere atención", "Revisado hoy", "noviembre"):
        assert spanish not in html, spanish


def test_the_names_of_the_models_and_apps_are_in_spanish_when_the_admin_is(client, mine):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    client.post("/admin/language/", {"language": "es", "next": "/admin/"})
    home = client.get(reverse("admin:index")).content.decode()
    for spanish in (">Programas</a>", ">Agencias</a>", ">Oficiales</a>", ">Escuelas</a>", ">Asignaciones</a>"):
        assert spanish in home, spanish
    for english in (">Programs</a>", ">Agencies</a>", ">Officers</a>", ">Schools</a>", ">Assignments</a>"):
        assert english not in home, english
    # A library's name with no Spanish is marked as English; the translated ones are not.
    assert re.search(r'<th scope="row" id="[\w-]+-totpdevice" lang="en">', home)
    assert re.search(r'<th scope="row" id="[\w-]+-agency">', home)
    app = client.get(reverse("admin:app_list", args=["programs"])).content.decode()
    assert "Programas de oficiales de recursos escolares" in app and "SRO programs" not in app
    changelist = client.get(reverse("admin:programs_agency_changelist")).content.decode()
    assert "Agencias" in changelist and "Agencies" not in changelist


def test_the_names_of_the_models_stay_in_english_in_english(client, mine):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    home = client.get(reverse("admin:index")).content.decode()
    assert ">Programs</a>" in home and ">Agencies</a>" in home and ">Officers</a>" in home
    assert "Agencias" not in home and 'lang="en"' not in home.split("<body", 1)[1]


def test_reviewed_today_says_so_in_spanish_when_the_admin_is(editor_home, mine):
    editor_home.post("/admin/language/", {"language": "es", "next": "/admin/"})
    url = reverse("admin:editor_home_reviewed_today", args=[mine.pk])
    html = editor_home.post(url, follow=True).content.decode()
    assert f"{mine.page_title}: marcado como revisado hoy." in html
    assert "marked as reviewed today" not in html
