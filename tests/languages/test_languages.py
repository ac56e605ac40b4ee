"""The site in English at its usual addresses and in Spanish under /es/: the language of each
page, the link between the two, the admin's language, and the page cache kept per language."""

import pytest
from django.utils import translation

from page_cache import pages as page_cache
from tests.factories import ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


def english(url_of):
    with translation.override("en"):
        return url_of()


@pytest.fixture
def program():
    return ProgramFactory(slug="jefferson-county")


def test_english_pages_keep_their_addresses_and_say_they_are_english(client, program):
    response = client.get("/programs/jefferson-county/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert response["Content-Language"] == "en"


def test_spanish_pages_live_under_es_and_say_they_are_spanish(client, program):
    response = client.get("/es/programs/jefferson-county/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert response["Content-Language"] == "es"
    assert "Saltar al contenido principal" in html


def test_the_header_links_to_the_same_page_in_the_other_language(client, program):
    english_page = client.get("/programs/jefferson-county/?utm=x").content.decode()
    assert '<a href="/es/programs/jefferson-county/?utm=x" lang="es" hreflang="es">Español</a>' in english_page
    spanish_page = client.get("/es/programs/jefferson-county/").content.decode()
    assert '<a href="/programs/jefferson-county/" lang="en" hreflang="en">English</a>' in spanish_page
    assert 'rel="alternate" hreflang="en" href="http://testserver/programs/jefferson-county/"' in spanish_page


def test_a_page_not_found_links_to_the_page_not_found_in_the_other_language(client):
    response = client.get("/es/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert '<a href="/no-such-page/" lang="en" hreflang="en">English</a>' in html


def test_the_admin_health_check_and_sitemap_have_no_spanish_address(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/es/healthz").status_code == 404
    assert client.get("/es/admin/").status_code == 404
    assert client.get("/es/sitemap.xml").status_code == 404


def test_the_admin_speaks_the_language_the_staff_members_browser_asks_for(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get("/admin/")["Content-Language"] == "en"
    spanish = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5")
    assert spanish["Content-Language"] == "es"
    assert "Cerrar sesión" in spanish.content.decode() or "Terminar sesión" in spanish.content.decode()


def test_a_browser_asking_for_spanish_still_gets_english_at_english_addresses(client, program):
    """Public pages take their language from the address alone, so one cached copy per address is right."""
    response = client.get("/programs/jefferson-county/", HTTP_ACCEPT_LANGUAGE="es")
    assert '<html lang="en">' in response.content.decode()


def test_each_language_is_cached_apart_and_never_served_for_the_other(client, program):
    english_first = client.get("/programs/jefferson-county/")
    spanish_first = client.get("/es/programs/jefferson-county/")
    assert english_first["X-Page-Cache"] == spanish_first["X-Page-Cache"] == "miss"
    english_again = client.get("/programs/jefferson-county/")
    spanish_again = client.get("/es/programs/jefferson-county/")
    assert english_again["X-Page-Cache"] == spanish_again["X-Page-Cache"] == "hit"
    assert '<html lang="en">' in english_again.content.decode()
    assert '<html lang="es">' in spanish_again.content.decode()
    assert english_again["ETag"] != spanish_again["ETag"]
    assert english_again["Content-Language"] == "en" and spanish_again["Content-Language"] == "es"


def test_a_conditional_request_is_answered_per_language(client, program):
    etag = client.get("/es/programs/jefferson-county/")["ETag"]
    assert client.get("/es/programs/jefferson-county/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/programs/jefferson-county/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_change_in_one_language_re_renders_only_that_languages_pages(client, program):
    for url in ("/programs/jefferson-county/", "/es/programs/jefferson-county/"):
        client.get(url)
    page_cache.bump({f"program:{program.pk}"}, languages=["es"])
    assert client.get("/programs/jefferson-county/")["X-Page-Cache"] == "hit"
    assert client.get("/es/programs/jefferson-county/")["X-Page-Cache"] == "miss"
    page_cache.bump({f"program:{program.pk}"})  # every language
    assert client.get("/programs/jefferson-county/")["X-Page-Cache"] == "miss"
    assert client.get("/es/programs/jefferson-county/")["X-Page-Cache"] == "miss"


def test_a_change_to_the_content_re_renders_both_languages(client, program, django_capture_on_commit_callbacks):
    for url in ("/programs/jefferson-county/", "/es/programs/jefferson-county/"):
        client.get(url)
    program.contact_name = "Sgt. Nueva"
    with django_capture_on_commit_callbacks(execute=True):
        program.save()
    for url in ("/programs/jefferson-county/", "/es/programs/jefferson-county/"):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss"
        assert "Sgt. Nueva" in response.content.decode()


def test_the_sitemap_lists_each_page_in_both_languages_with_alternates(client, program):
    xml = client.get("/sitemap-programs.xml").content.decode()
    assert "<loc>http://testserver/programs/jefferson-county/</loc>" in xml
    assert "<loc>http://testserver/es/programs/jefferson-county/</loc>" in xml
    assert '<xhtml:link rel="alternate" hreflang="es" href="http://testserver/es/programs/jefferson-county/"' in xml
    assert '<xhtml:link rel="alternate" hreflang="x-default" href="http://testserver/programs/jefferson-county/"' in xml


def test_the_vcard_labels_follow_the_language(client):
    ProgramFactory(slug="jefferson-county", contact_name="Sgt. Pat Smith")
    assert "NOTE:Contact: Sgt. Pat Smith" in client.get("/programs/jefferson-county/contact.vcf").content.decode()
    assert "NOTE:Contacto: Sgt. Pat Smith" in client.get("/es/programs/jefferson-county/contact.vcf").content.decode()


def test_structured_data_and_titles_are_in_the_pages_language(client, program):
    html = client.get("/es/programs/jefferson-county/").content.decode()
    assert '"contactType": "Programa de oficiales de recursos escolares"' in html
    assert '"name": "Inicio", "item": "http://testserver/es/"' in html
    html = client.get("/es/topics/").content.decode()
    assert "<title>Temas para la clase | Programas de oficiales de recursos escolares</title>" in html


def test_the_school_search_in_spanish_finds_the_same_schools(client, program):
    from tests.factories import SchoolFactory

    SchoolFactory(agency=program.agency, name="Hillsboro High School", city="Hillsboro")
    english = client.get("/schools/?q=hillsboro").content.decode()
    spanish = client.get("/es/schools/?q=hillsboro").content.decode()
    assert "Hillsboro High School" in english and "Hillsboro High School" in spanish
    assert "1 escuela encontrada para “hillsboro”" in spanish


def test_the_yearly_figures_page_in_spanish_names_measures_and_hidden_counts_in_spanish(client):
    from tests.factories import FigureSetFactory

    figures = FigureSetFactory(figures={"referrals": {"count": 4}, "arrests": {"count": 25}})
    html = client.get(f"/es/programs/{figures.program.slug}/data/").content.decode()
    assert "Remisiones a las fuerzas del orden" in html
    assert "menos de 10" in html
    assert "fewer than" not in html


def test_a_school_card_cached_in_one_language_is_never_shown_in_the_other(client, program):
    from tests.factories import AssignmentFactory

    AssignmentFactory(officer__agency=program.agency, school__name="Hillsboro High School")
    assert "School Resource Officer:" in client.get("/schools/?q=hillsboro").content.decode()
    spanish = client.get("/es/schools/?q=hillsboro").content.decode()
    assert "Oficial de recursos escolares:" in spanish
    assert "School Resource Officer:" not in spanish


def test_staff_whose_browser_asks_for_spanish_may_keep_the_admin_in_english(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    spanish_browser = {"HTTP_ACCEPT_LANGUAGE": "es"}
    page = client.get("/admin/", **spanish_browser).content.decode()
    assert '<button type="submit" name="language" value="en" lang="en">English</button>' in page
    response = client.post("/admin/language/", {"language": "en", "next": "/admin/"}, **spanish_browser)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/", **spanish_browser)["Content-Language"] == "en"
    # The public pages keep the language of their address whatever the choice.
    client.post("/admin/language/", {"language": "es", "next": "/admin/"})
    assert client.get("/admin/")["Content-Language"] == "es"
    assert client.get("/healthz").status_code == 200
