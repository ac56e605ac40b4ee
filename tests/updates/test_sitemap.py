"""The updates' pages in the sitemap (added to the domain's through hooks.SITEMAPS): each
published update's page and the lists of updates, in both languages, never a draft's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from programs.models import Program
from tests.factories import ProgramFactory, StateFactory, UpdateFactory
from tests.programs.test_seo import SITEMAP_NS, sitemap_files, sitemap_urls, xml
from updates.models import Update

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


@pytest.fixture
def program():
    return ProgramFactory(slug="jefferson-county")


def test_the_sitemap_lists_a_published_updates_page_in_both_languages_and_not_a_drafts(client, program):
    UpdateFactory(program=program, slug="coffee-with-the-sros")
    UpdateFactory(program=program, slug="not-yet", status=Update.Status.DRAFT)
    urls = sitemap_urls(client)
    assert f"{SITE}/programs/jefferson-county/updates/coffee-with-the-sros/" in urls
    assert f"{SITE}/es/programs/jefferson-county/updates/coffee-with-the-sros/" in urls
    assert not [url for url in urls if "not-yet" in url]


def test_an_update_of_a_draft_program_is_not_listed(client, program):
    draft = ProgramFactory(
        slug="kansas-draft", status=Program.Status.DRAFT, agency__state=StateFactory(code="KS", name="Kansas")
    )
    UpdateFactory(program=draft, slug="hidden")
    urls = sitemap_urls(client)
    assert not [url for url in urls if "kansas-draft" in url or "/states/ks/" in url]
    assert not [url for url in urls if url.endswith("/updates/")]  # no list has an update to show yet


def test_the_sitemap_lists_the_lists_of_updates_with_the_date_of_their_latest(client, program):
    update = UpdateFactory(program=program)
    later = timezone.now() + timedelta(days=3)
    Update.objects.filter(pk=update.pk).update(updated_at=later)
    urls = sitemap_urls(client)
    day = timezone.localdate(later).isoformat()
    for path in ["/updates/", "/states/mo/updates/", "/programs/jefferson-county/updates/"]:
        assert urls[SITE + path].startswith(day), path
        assert urls[f"{SITE}/es{path}"].startswith(day), path
    assert urls[SITE + update.get_absolute_url()].startswith(day)
    assert sitemap_files(client)[f"{SITE}/sitemap-updates.xml"].text.startswith(day)


def test_each_address_lists_its_other_language_as_an_alternate(client, program):
    UpdateFactory(program=program, slug="coffee-with-the-sros")
    page = xml(client.get("/sitemap-updates.xml"))
    [english] = [
        url for url in page.findall("s:url", SITEMAP_NS) if url.find("s:loc", SITEMAP_NS).text.startswith(f"{SITE}/p")
    ]
    alternates = {
        link.get("hreflang"): link.get("href") for link in english.findall("{http://www.w3.org/1999/xhtml}link")
    }
    assert alternates["es"] == f"{SITE}/es/programs/jefferson-county/updates/coffee-with-the-sros/"


def test_publishing_an_update_shows_in_the_cached_sitemap_at_once(client, program, django_capture_on_commit_callbacks):
    assert not [url for url in sitemap_urls(client) if "/updates/" in url]
    with django_capture_on_commit_callbacks(execute=True):
        UpdateFactory(program=program, slug="coffee-with-the-sros")
    assert f"{SITE}/programs/jefferson-county/updates/coffee-with-the-sros/" in sitemap_urls(client)
