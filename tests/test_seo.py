"""What search engines, link previews and address books get from the site."""

import json
import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from programs.models import Program, School

from .factories import EducationTopicFactory, ProgramFactory, SchoolFactory

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def structured_data(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def test_each_page_has_its_own_title_and_description(client):
    program = ProgramFactory(agency__county="Jefferson", summary="Deputies in Jefferson County schools.")
    topic = EducationTopicFactory(name="Driver safety")
    school = SchoolFactory(agency=program.agency, name="Hill Elementary")
    titles = set()
    for url in ["/", program.get_absolute_url(), topic.get_absolute_url(), school.get_absolute_url(), "/topics/"]:
        html = client.get(url).content.decode()
        titles.add(re.search(r"<title>(.*?)</title>", html).group(1))
    assert len(titles) == 5
    html = client.get(program.get_absolute_url()).content.decode()
    assert '<meta name="description" content="Deputies in Jefferson County schools.">' in html


def test_program_page_has_canonical_url_and_sharing_tags(client):
    program = ProgramFactory(slug="jefferson-county")
    html = client.get(program.get_absolute_url() + "?utm_source=newsletter").content.decode()
    assert '<link rel="canonical" href="http://testserver/programs/jefferson-county/">' in html
    assert '<meta property="og:url" content="http://testserver/programs/jefferson-county/">' in html
    assert '<meta property="og:title"' in html
    assert '<meta name="twitter:card" content="summary">' in html


def test_program_structured_data_names_the_organization_and_contact_point(client):
    program = ProgramFactory(
        agency__name="St. Charles County Police Department",
        agency__kind="police",
        agency__street_address="101 Example Ct",
        agency__city="O'Fallon",
        agency__postal_code="63366",
        contact_email="sro@example.org",
    )
    data = structured_data(client.get(program.get_absolute_url()).content.decode())
    organization, breadcrumbs = data["@graph"]
    assert organization["@type"] == "GovernmentOrganization"
    assert organization["contactPoint"]["telephone"] == "+16369493006"
    assert organization["contactPoint"]["email"] == "sro@example.org"
    assert organization["parentOrganization"]["@type"] == "PoliceStation"
    assert organization["address"]["postalCode"] == "63366"
    assert breadcrumbs["@type"] == "BreadcrumbList"
    assert [item["position"] for item in breadcrumbs["itemListElement"]] == [1, 2]


def test_structured_data_cannot_break_out_of_its_script_block(client):
    program = ProgramFactory(summary="</script><script>alert(1)</script>")
    html = client.get(program.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in html
    assert structured_data(html)["@graph"][0]["description"] == "</script><script>alert(1)</script>"


def test_sitemap_lists_published_pages_with_lastmod_and_never_drafts(client):
    published = ProgramFactory(slug="published-county")
    ProgramFactory(slug="draft-county", status=Program.Status.DRAFT)
    topic = EducationTopicFactory(slug="driver-safety")
    published.topics.add(topic)
    SchoolFactory(agency=published.agency, slug="hill-elementary")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own sitemap)
    urls = {u.find("s:loc", SITEMAP_NS).text: u for u in root.findall("s:url", SITEMAP_NS)}
    assert "http://testserver/programs/published-county/" in urls
    assert "http://testserver/programs/draft-county/" not in urls
    assert "http://testserver/topics/driver-safety/" in urls
    assert "http://testserver/schools/hill-elementary/" in urls
    assert "http://testserver/" in urls
    assert urls["http://testserver/programs/published-county/"].find("s:lastmod", SITEMAP_NS) is not None
    assert all(url.find("s:lastmod", SITEMAP_NS) is not None for url in urls.values())


def test_sitemap_lastmod_follows_what_each_page_shows(client):
    program = ProgramFactory()
    topic = EducationTopicFactory(slug="driver-safety")
    program.topics.add(topic)
    school = SchoolFactory(agency=program.agency, slug="hill-elementary")
    ProgramFactory(status=Program.Status.DRAFT).topics.add(topic)  # a draft's edits are not public news

    def lastmods():
        root = ElementTree.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 (our own sitemap)
        return {
            u.find("s:loc", SITEMAP_NS).text: u.find("s:lastmod", SITEMAP_NS).text
            for u in root.iter(f"{{{SITEMAP_NS['s']}}}url")
        }

    later = timezone.now() + timedelta(days=3)
    Program.objects.filter(pk=program.pk).update(updated_at=later)
    School.objects.filter(pk=school.pk).update(updated_at=later - timedelta(days=1))
    found = lastmods()
    assert found["http://testserver/topics/driver-safety/"].startswith(later.date().isoformat())
    assert found["http://testserver/schools/hill-elementary/"].startswith(later.date().isoformat())
    School.objects.filter(pk=school.pk).update(updated_at=later + timedelta(days=2))
    cache.clear()
    assert lastmods()["http://testserver/schools/hill-elementary/"].startswith(
        (later + timedelta(days=2)).date().isoformat()
    )


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_search_results_are_not_indexed(client):
    assert '<meta name="robots" content="noindex">' in client.get("/schools/", {"q": "hill"}).content.decode()
    assert '<meta name="robots"' not in client.get("/schools/").content.decode()


def test_program_contact_card_downloads_as_vcard(client):
    program = ProgramFactory(
        slug="st-charles-county",
        contact_division="Community Education Division",
        contact_email="sro@example.org",
        contact_address="101 Main St, Suite 2\nO'Fallon, MO",
    )
    response = client.get(reverse("programs:program_vcard", args=[program.slug]))
    card = response.content.decode()
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert "st-charles-county-sro-contact.vcf" in response["Content-Disposition"]
    assert card.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    assert "TEL;TYPE=WORK,VOICE:+16369493006\r\n" in card
    assert "EMAIL;TYPE=WORK:sro@example.org\r\n" in card
    assert r"LABEL;TYPE=WORK:101 Main St\, Suite 2\nO'Fallon\, MO" in card
    assert card.endswith("END:VCARD\r\n")


def test_draft_contact_card_is_hidden_from_the_public(client):
    program = ProgramFactory(status=Program.Status.DRAFT)
    assert client.get(reverse("programs:program_vcard", args=[program.slug])).status_code == 404


def test_favicon_redirects_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.ico")
