"""What search engines, link previews and address books read: structured data
(schema.org JSON-LD), the sitemap and each program's contact card (vCard)."""

import json

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from . import hooks
from .models import Agency, EducationTopic, Program, School, State

# Characters that could end a <script> block or start markup inside it.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data):
    """JSON for a <script type="application/ld+json"> block, safe against '</script>' in content."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308


def _postal_address(agency):
    if not agency["street_address"]:
        return None
    return {
        "@type": "PostalAddress",
        "streetAddress": agency["street_address"],
        "addressLocality": agency["city"],
        "addressRegion": agency["state"]["code"],
        "postalCode": agency["postal_code"],
        "addressCountry": "US",
    }


def breadcrumb_data(request, trail):
    """trail: [(name, path), ...] from the home page to the current page."""
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": request.build_absolute_uri(path)}
            for i, (name, path) in enumerate(trail, start=1)
        ],
    }


def breadcrumbs_structured_data(request, trail):
    """The JSON-LD of a page whose only structured data is its breadcrumbs."""
    return json_ld({"@context": "https://schema.org", **breadcrumb_data(request, trail)})


def program_structured_data(request, program):
    """`program`: the program of a page document (programs/program_pages.py)."""
    agency = program["agency"]
    area = f"{agency['county_name']}, {agency['state']['name']}"
    phone = program["contact_phone"]["as_e164"]
    contact_point = {
        "@type": "ContactPoint",
        "contactType": _("School Resource Officer program"),
        "name": program["contact_division"],
        "telephone": phone,
        "areaServed": area,
        "availableLanguage": "English",
    }
    if program["contact_email"]:
        contact_point["email"] = program["contact_email"]
    if program["contact_hours"]:
        contact_point["hoursAvailable"] = program["contact_hours"]
    organization = {
        "@type": "GovernmentOrganization",
        "name": program["page_title"],
        "description": program["summary"],
        "url": request.build_absolute_uri(program["url"]),
        "telephone": phone,
        "areaServed": {"@type": "AdministrativeArea", "name": area},
        "contactPoint": contact_point,
        "parentOrganization": {
            "@type": "PoliceStation" if agency["kind"] == Agency.Kind.POLICE_DEPARTMENT else "GovernmentOrganization",
            "name": agency["name"],
            **({"url": agency["website"]} if agency["website"] else {}),
            **({"telephone": agency["phone"]["as_e164"]} if agency["phone"] else {}),
        },
    }
    if program["contact_email"]:
        organization["email"] = program["contact_email"]
    address = _postal_address(agency)
    if address:
        organization["address"] = address
        organization["parentOrganization"]["address"] = address
    if program["year_started"]:
        organization["foundingDate"] = str(program["year_started"])
    breadcrumbs = breadcrumb_data(
        request, [(_("Home"), reverse("programs:home")), (program["page_title"], program["url"])]
    )
    return json_ld({"@context": "https://schema.org", "@graph": [organization, breadcrumbs]})


def _vcard_escape(value):
    # RFC 6350 section 3.4: backslash, comma, semicolon and newlines are escaped in text values.
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def program_vcard(program, url):
    """A vCard 3.0 (the version every phone imports) for the program's contact."""
    agency = program.agency
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"FN:{_vcard_escape(program.page_title)}",
        f"ORG:{_vcard_escape(agency.name)};{_vcard_escape(program.contact_division)}",
        f"TEL;TYPE=WORK,VOICE:{program.contact_phone.as_e164}",
        f"URL:{url}",
    ]
    if program.contact_name:
        note = _("Contact: %(name)s") % {"name": program.contact_name}  # outside the f-string: makemessages reads it
        lines.append(f"NOTE:{_vcard_escape(note)}")
    if program.contact_email:
        lines.append(f"EMAIL;TYPE=WORK:{program.contact_email}")
    if program.contact_address:
        lines.append(f"LABEL;TYPE=WORK:{_vcard_escape(program.contact_address)}")
    elif agency.street_address:
        parts = ["", "", agency.street_address, agency.city, agency.state.code, agency.postal_code, "USA"]
        lines.append("ADR;TYPE=WORK:" + ";".join(_vcard_escape(p) for p in parts))
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


# The sitemaps protocol's limit of addresses in one file; a longer section is
# split into files (?p=2...), each listed in the index at /sitemap.xml.
SITEMAP_LIMIT = 50_000
# The page-cache tags of the index and the sections: what their addresses and lastmod come from.
SITEMAP_TAGS = ("programs", "topics", "search", "states")


def _latest_update(programs):
    return programs.aggregate(latest=Max("updated_at"))["latest"]


class SectionSitemap(Sitemap):
    section = ""  # an app's section (hooks.SITEMAPS): its files are sitemap-<section>.xml
    page_cache_tags = ()  # an app's section: the tags, besides SITEMAP_TAGS, its files depend on
    limit = SITEMAP_LIMIT
    # Every page in each language (/es/...), each listing the others as xhtml:link
    # alternates, and the English one as x-default.
    i18n = True
    alternates = True
    x_default = True

    def get_latest_lastmod(self):
        """The section's lastmod in the index, in one query (Django's default reads every item)."""
        return self.section_lastmod()

    # Not named latest_lastmod: Django's sitemap view reads an attribute of that name, which
    # it sets only on a section with items (an empty one would then give it this method).
    def section_lastmod(self):
        return _latest_update(Program.objects.published())


class ProgramSitemap(SectionSitemap):
    changefreq = "monthly"
    priority = 1.0

    def items(self):
        return Program.objects.published().order_by("slug")

    def lastmod(self, program):
        return program.updated_at


class ProgramListSitemap(SectionSitemap):
    """A section whose pages list published programs: a page changes when one of its programs does."""

    changefreq = "monthly"
    programs_path = ""  # from an item to the programs its page lists
    ordering = "slug"

    def rows(self):
        raise NotImplementedError

    def items(self):
        published = Q(**{f"{self.programs_path}__status": Program.Status.PUBLISHED})
        latest = Max(f"{self.programs_path}__updated_at", filter=published)
        return self.rows().annotate(programs_updated_at=latest).order_by(self.ordering)

    def lastmod(self, item):
        return item.programs_updated_at


class StateSitemap(ProgramListSitemap):
    priority = 0.8
    programs_path = "agencies__programs"
    ordering = "code"

    def rows(self):
        return State.objects.with_published_programs()


class TopicSitemap(ProgramListSitemap):
    priority = 0.5
    programs_path = "programs"

    def rows(self):
        return EducationTopic.objects.filter(programs__status=Program.Status.PUBLISHED)

    def section_lastmod(self):
        return _latest_update(Program.objects.published().filter(topics__isnull=False))


class SchoolSitemap(ProgramListSitemap):
    priority = 0.6
    programs_path = "agency__programs"

    def rows(self):
        return School.objects.public()

    def lastmod(self, school):
        # The page shows the school and its program's contact details.
        return max(filter(None, [school.updated_at, school.programs_updated_at]))

    def section_lastmod(self):
        schools = School.objects.public().aggregate(latest=Max("updated_at"))["latest"]
        programs = _latest_update(Program.objects.published().filter(agency__schools__isnull=False))
        return max(filter(None, [schools, programs]), default=None)


class PageSitemap(SectionSitemap):
    """The fixed pages; their content changes whenever a program does."""

    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return ["programs:home", "programs:topic_list", "programs:school_search"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return self.section_lastmod()


SITEMAPS = {
    "pages": PageSitemap,
    "states": StateSitemap,
    "programs": ProgramSitemap,
    "topics": TopicSitemap,
    "schools": SchoolSitemap,
}


def sitemaps():
    """{section: Sitemap class}: the domain's, then those the apps add (hooks.SITEMAPS)."""
    return SITEMAPS | {sitemap.section: sitemap for sitemap in hooks.get_hooks(hooks.SITEMAPS)}


def sitemap_tags():
    """The page-cache tags of the index and every section."""
    return {*SITEMAP_TAGS, *(tag for sitemap in hooks.get_hooks(hooks.SITEMAPS) for tag in sitemap.page_cache_tags)}
