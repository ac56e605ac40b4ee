"""With a shared cache in front, public pages may be kept by it and carry their keys; nothing personal may."""

import pytest
from django.test import Client

from page_cache import pages as page_cache
from tests.factories import EducationTopicFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def varnish(settings):
    settings.SHARED_CACHE = "varnish"
    settings.SHARED_CACHE_SECONDS = 86400
    settings.SHARED_CACHE_PURGE_URLS = ["http://127.0.0.1:9/"]  # nothing listens: purges wait in the queue
    return settings


@pytest.fixture
def program():
    program = ProgramFactory()
    program.topics.add(EducationTopicFactory())
    return program


def test_without_a_shared_cache_the_headers_are_as_before(client, program):
    response = client.get(program.get_absolute_url())
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert "Accept-Language" in response["Vary"]
    assert "xkey" not in response
    hit = client.get(program.get_absolute_url())
    assert hit["X-Page-Cache"] == "hit"
    assert hit["Cache-Control"] == "public, max-age=0, must-revalidate"


@pytest.mark.parametrize("cached_here", [True, False], ids=["page cache on", "page cache off"])
def test_a_public_page_is_kept_by_the_shared_cache_until_purged(client, varnish, program, cached_here, monkeypatch):
    monkeypatch.setattr(page_cache, "_TTL_CAPS", [])  # no scheduled change (agreements: midnight)
    varnish.PAGE_CACHE = cached_here
    for _ in range(2):  # a miss, then (with the page cache) a hit: the same headers
        response = client.get(program.get_absolute_url())
        assert response.status_code == 200
        assert response["Cache-Control"] == "public, max-age=0, s-maxage=86400"
        assert "Vary" not in response or not {"cookie", "accept-language"} & {
            v.strip().lower() for v in response["Vary"].split(",")
        }
        keys = set(response["xkey"].split(" "))
        assert {f"program-{program.pk}-en", f"agency-{program.agency_id}-en", "alerts-en", "site"} <= keys


def test_a_spanish_page_carries_its_spanish_keys(client, varnish, program):
    response = client.get("/es" + program.get_absolute_url())
    keys = response["xkey"].split(" ")
    assert f"program-{program.pk}-es" in keys
    assert not [key for key in keys if key.endswith("-en")]


def test_a_scheduled_change_bounds_how_long_the_shared_cache_keeps_a_page(client, varnish, program, monkeypatch):
    monkeypatch.setattr(page_cache, "_TTL_CAPS", [lambda: 90])  # an alert ends in 90 s
    response = client.get(program.get_absolute_url())
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=90"


@pytest.mark.parametrize(
    ("name", "header", "separator"),
    [("fastly", "Surrogate-Key", " "), ("cloudflare", "Cache-Tag", ","), ("akamai", "Edge-Cache-Tag", ",")],
)
def test_each_cdn_reads_the_keys_from_its_own_header(client, settings, program, name, header, separator):
    settings.SHARED_CACHE = name
    response = client.get(program.get_absolute_url())
    assert f"program-{program.pk}-en" in response[header].split(separator)
    assert "xkey" not in response


def test_a_signed_in_persons_pages_are_never_stored(client, varnish, program):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for url in (program.get_absolute_url(), "/admin/"):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"] and "s-maxage" not in response["Cache-Control"]
        assert "xkey" not in response


def test_a_form_page_with_its_csrf_token_is_never_stored_and_its_form_works_without_javascript(varnish, program):
    client = Client(enforce_csrf_checks=True)
    url = f"{program.get_absolute_url()}request-a-presentation/"
    page = client.get(url)
    assert page.status_code == 200
    assert "private" in page["Cache-Control"] and "no-store" in page["Cache-Control"]
    assert "xkey" not in page
    token = page.context["csrf_token"]
    assert client.cookies["csrftoken"].value  # the token came with the page and its cookie
    posted = client.post(url, {"csrfmiddlewaretoken": str(token)})
    assert posted.status_code != 403  # the form was accepted for checking (errors or a thank-you page)
    assert "private" in posted["Cache-Control"] and "no-store" in posted["Cache-Control"]


def test_a_response_setting_a_cookie_is_never_stored(client, varnish, program):
    response = client.post("/admin/language/", {"language": "es", "next": "/"})
    assert response.cookies
    assert "no-store" in response["Cache-Control"]


def test_a_page_the_site_cannot_purge_is_not_kept(client, varnish):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "s-maxage=0" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert "xkey" not in response


def test_the_metrics_are_never_kept(client, varnish):
    response = client.get("/metrics")
    assert "public" not in response.get("Cache-Control", "")
