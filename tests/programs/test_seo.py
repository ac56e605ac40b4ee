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
from programs.seo import SITEMAPS, SchoolSitemap, sitemaps
from tests.factories import EducationTopicFactory, ProgramFactory, SchoolFactory, StateFactory

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
# Per section, its count (how many files) and its latest change (two for schools, and no
# count for the three fixed pages): 10, whatever the number of schools; then two for each
# section the apps add (hooks.SITEMAPS: the updates' two).
SITEMAP_INDEX_QUERIES = 10 + 2 * (len(sitemaps()) - len(SITEMAPS))


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


def xml(response):
    assert response.status_code == 200
    return ElementTree.fromstring(response.content)  # noqa: S314 (our own sitemap)


def sitemap_files(client):
    """The index at /sitemap.xml: {address of each file: its lastmod}."""
    root = xml(client.get("/sitemap.xml"))
    assert root.tag == f"{{{SITEMAP_NS['s']}}}sitemapindex"
    return {
        s.find("s:loc", SITEMAP_NS).text: s.find("s:lastmod", SITEMAP_NS) for s in root.findall("s:sitemap", SITEMAP_NS)
    }


def sitemap_urls(client):
    """Every address listed in the files of the index: {loc: lastmod text}."""
    urls = {}
    for file in sitemap_files(client):
        for url in xml(client.get(file.removeprefix("http://testserver"))).findall("s:url", SITEMAP_NS):
            lastmod = url.find("s:lastmod", SITEMAP_NS)
            urls[url.find("s:loc", SITEMAP_NS).text] = None if lastmod is None else lastmod.text
    return urls


def test_sitemap_is_an_index_of_sections_each_with_its_lastmod(client):
    program = ProgramFactory()
    program.topics.add(EducationTopicFactory())
    SchoolFactory(agency=program.agency)
    files = sitemap_files(client)
    domain = ["pages", "programs", "schools", "states", "topics"]
    added = sitemaps().keys() - SITEMAPS.keys()  # the apps' sections (hooks.SITEMAPS), each in its file
    assert sorted(files) == sorted(f"http://testserver/sitemap-{section}.xml" for section in [*domain, *added])
    assert all(files[f"http://testserver/sitemap-{section}.xml"] is not None for section in domain)


def test_sitemap_lists_published_pages_with_lastmod_and_never_drafts(client):
    published = ProgramFactory(slug="published-county")
    ProgramFactory(slug="draft-county", status=Program.Status.DRAFT)
    ProgramFactory(
        slug="kansas-draft", status=Program.Status.DRAFT, agency__state=StateFactory(code="KS", name="Kansas")
    )
    topic = EducationTopicFactory(slug="driver-safety")
    published.topics.add(topic)
    SchoolFactory(agency=published.agency, slug="hill-elementary")
    urls = sitemap_urls(client)
    assert "http://testserver/programs/published-county/" in urls
    assert "http://testserver/programs/draft-county/" not in urls
    assert "http://testserver/topics/driver-safety/" in urls
    assert "http://testserver/schools/hill-elementary/" in urls
    assert "http://testserver/states/mo/" in urls
    assert "http://testserver/states/ks/" not in urls
    assert "http://testserver/" in urls
    assert all(lastmod is not None for lastmod in urls.values())


def test_sitemap_lastmod_follows_what_each_page_shows(client):
    program = ProgramFactory()
    topic = EducationTopicFactory(slug="driver-safety")
    program.topics.add(topic)
    school = SchoolFactory(agency=program.agency, slug="hill-elementary")
    ProgramFactory(status=Program.Status.DRAFT).topics.add(topic)  # a draft's edits are not public news

    later = timezone.now() + timedelta(days=3)  # dates in the site's time zone: UTC's differs after 18:00 there
    Program.objects.filter(pk=program.pk).update(updated_at=later)
    School.objects.filter(pk=school.pk).update(updated_at=later - timedelta(days=1))
    found = sitemap_urls(client)
    assert found["http://testserver/topics/driver-safety/"].startswith(timezone.localdate(later).isoformat())
    assert found["http://testserver/states/mo/"].startswith(timezone.localdate(later).isoformat())
    assert found["http://testserver/schools/hill-elementary/"].startswith(timezone.localdate(later).isoformat())
    School.objects.filter(pk=school.pk).update(updated_at=later + timedelta(days=2))
    cache.clear()
    assert sitemap_urls(client)["http://testserver/schools/hill-elementary/"].startswith(
        timezone.localdate(later + timedelta(days=2)).isoformat()
    )
    index = sitemap_files(client)
    assert index["http://testserver/sitemap-schools.xml"].text.startswith(
        timezone.localdate(later + timedelta(days=2)).isoformat()
    )
    assert index["http://testserver/sitemap-programs.xml"].text.startswith(timezone.localdate(later).isoformat())


def test_every_sitemap_file_holds_at_most_50000_addresses(client, monkeypatch):
    assert {section: sitemap.limit for section, sitemap in sitemaps().items()} == dict.fromkeys(sitemaps(), 50_000)
    monkeypatch.setattr(SchoolSitemap, "limit", 2)
    agency = ProgramFactory().agency
    SchoolFactory.create_batch(5, agency=agency)
    files = sitemap_files(client)
    schools = [f for f in files if "sitemap-schools.xml" in f]
    # 5 schools, each in English and Spanish: 10 addresses.
    assert schools == ["http://testserver/sitemap-schools.xml"] + [
        f"http://testserver/sitemap-schools.xml?p={n}" for n in range(2, 6)
    ]
    sizes = [len(xml(client.get(f.removeprefix("http://testserver"))).findall("s:url", SITEMAP_NS)) for f in schools]
    assert sizes == [2, 2, 2, 2, 2]
    assert client.get("/sitemap-schools.xml?p=6").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_sitemap_index_costs_the_same_queries_whatever_the_number_of_schools(
    client, no_page_cache, django_assert_max_num_queries
):
    agency = ProgramFactory().agency
    SchoolFactory(agency=agency)
    with django_assert_max_num_queries(SITEMAP_INDEX_QUERIES):
        client.get("/sitemap.xml")
    SchoolFactory.create_batch(30, agency=agency)
    with django_assert_max_num_queries(SITEMAP_INDEX_QUERIES):
        client.get("/sitemap.xml")


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
