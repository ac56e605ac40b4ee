"""The public fields of each dataset, written once: the API's responses and its
OpenAPI description, the CSV files' columns and the Open data page's field
lists all come from these schemas (django-ninja, on pydantic).

A field is here only if the public pages show it. Descriptions are marked with
gettext_noop, by that name (makemessages looks for it, not for an alias): pydantic
needs plain text, the OpenAPI description stays in English, and the Open data
page translates them when it shows them.
"""

from datetime import date, datetime
from operator import attrgetter

from django.utils.translation import gettext_noop
from ninja import Field, Schema


class Error(Schema):
    detail: str = Field(description=gettext_noop("What went wrong, and what to do instead."))


def attribute_path(path):
    """A field's resolver that reads `path` (dotted, e.g. "agency.slug") from the row."""
    read = attrgetter(path)
    return staticmethod(lambda obj: read(obj))


def _phone(number):
    return number.as_e164 if number else ""


# What several datasets' rows resolve alike, each field declared by the schemas that have it.


class HasPage(Schema):
    """A row with a page on this site: `url` is its full address."""

    @staticmethod
    def resolve_url(obj, context):
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class HasPhone(Schema):
    """A row with a public phone number: `phone` in international format, or empty."""

    @staticmethod
    def resolve_phone(obj):
        return _phone(obj.phone)


class OfAgency(Schema):
    """A row of one agency: `agency` is its slug; `state` and `county`, where declared, are its."""

    resolve_agency = attribute_path("agency.slug")
    resolve_state = attribute_path("agency.state.code")
    resolve_county = attribute_path("agency.county")


class AgencyOut(HasPhone):
    id: int = Field(description=gettext_noop("The agency's number on this site; it never changes."))
    slug: str = Field(description=gettext_noop("The agency's short name in web addresses; used by the agency filter."))
    name: str = Field(description=gettext_noop("Full name, e.g. Jefferson County Sheriff's Office."))
    kind: str = Field(description=gettext_noop("'police' (a police department) or 'sheriff' (a sheriff's office)."))
    county: str = Field(description=gettext_noop("The county it serves, without the word 'County'."))
    state: str = Field(description=gettext_noop("Two-letter postal code of its state, e.g. MO."))
    website: str = Field(description=gettext_noop("Its website, or empty."))
    phone: str = Field(description=gettext_noop("Non-emergency main line in international format (+1...), or empty."))
    street_address: str = Field(description=gettext_noop("Street address, or empty."))
    city: str = Field(description=gettext_noop("City of the street address, or empty."))
    postal_code: str = Field(description=gettext_noop("ZIP code, or empty."))

    resolve_state = attribute_path("state.code")


class ProgramOut(OfAgency, HasPage):
    id: int = Field(description=gettext_noop("The program's number on this site; it never changes."))
    slug: str = Field(
        description=gettext_noop("The program's short name in web addresses; used by the program filter.")
    )
    url: str = Field(description=gettext_noop("The program's page on this site."))
    title: str = Field(description=gettext_noop("The program's name as its page gives it, with the county."))
    name: str = Field(description=gettext_noop("The program's own name."))
    agency: str = Field(description=gettext_noop("Slug of the agency that runs it (see agencies)."))
    state: str = Field(description=gettext_noop("Two-letter postal code of the agency's state."))
    county: str = Field(description=gettext_noop("The agency's county, without the word 'County'."))
    summary: str = Field(description=gettext_noop("One sentence about the program."))
    overview: str = Field(
        description=gettext_noop("What the program is, in a few paragraphs separated by blank lines.")
    )
    year_started: int | None = Field(description=gettext_noop("The year the program began, when known."))
    funding: str = Field(description=gettext_noop("How the program is paid for, or empty."))
    partners: str = Field(description=gettext_noop("Who the agency works with, or empty."))
    mission: str = Field(description=gettext_noop("What the officers set out to do, or empty."))
    primary_duty: str = Field(description=gettext_noop("The officers' main duty on campus, or empty."))
    last_reviewed: date | None = Field(
        description=gettext_noop("The date the agency last checked every fact on the page.")
    )
    contact_division: str = Field(description=gettext_noop("The division or office that answers questions."))
    contact_name: str = Field(description=gettext_noop("The contact person, or empty."))
    contact_phone: str = Field(description=gettext_noop("The program's public phone number, international format."))
    contact_email: str = Field(description=gettext_noop("The program's public email address, or empty."))
    contact_address: str = Field(description=gettext_noop("The program's postal address, or empty."))
    contact_hours: str = Field(description=gettext_noop("Office hours, or empty."))
    topics: list[str] = Field(
        description=gettext_noop("Slugs of the classroom topics its officers teach (see topics).")
    )
    updated_at: datetime = Field(description=gettext_noop("When the program's page was last changed."))

    resolve_title = attribute_path("page_title")

    @staticmethod
    def resolve_contact_phone(obj):
        return _phone(obj.contact_phone)

    @staticmethod
    def resolve_topics(obj):
        return [topic.slug for topic in obj.topics.all()]


class OfficerOut(OfAgency, HasPhone):
    id: int = Field(description=gettext_noop("The officer's number on this site; it never changes."))
    first_name: str = Field(description=gettext_noop("First name."))
    last_name: str = Field(description=gettext_noop("Last name."))
    rank: str = Field(description=gettext_noop("Rank or title, e.g. Deputy, or empty."))
    role: str = Field(description=gettext_noop("'sro' (School Resource Officer) or 'supervisor' (SRO Supervisor)."))
    agency: str = Field(description=gettext_noop("Slug of the officer's agency (see agencies)."))
    phone: str = Field(description=gettext_noop("The officer's public phone number, international format, or empty."))
    email: str = Field(description=gettext_noop("The officer's public email address, or empty."))
    bio: str = Field(description=gettext_noop("A short biography, or empty."))
    is_example: bool = Field(description=gettext_noop("True for demonstration data: not a real person."))


class SchoolOut(OfAgency, HasPage, HasPhone):
    id: int = Field(description=gettext_noop("The school's number on this site; it never changes."))
    slug: str = Field(description=gettext_noop("The school's short name in web addresses."))
    url: str = Field(description=gettext_noop("The school's page on this site."))
    name: str = Field(description=gettext_noop("The school's name."))
    nces_id: str = Field(
        description=gettext_noop("12-digit NCES school ID (federal school directory), or empty if not known.")
    )
    nces_district_id: str = Field(description=gettext_noop("7-digit NCES district ID (LEAID), or empty if not known."))
    district: str = Field(description=gettext_noop("School district, or empty."))
    street_address: str = Field(description=gettext_noop("Street address, or empty."))
    city: str = Field(description=gettext_noop("City."))
    postal_code: str = Field(description=gettext_noop("ZIP code, or empty."))
    phone: str = Field(description=gettext_noop("Main office phone, international format, or empty."))
    website: str = Field(description=gettext_noop("The school's website, or empty."))
    level: str = Field(
        description=gettext_noop("School level as the federal directory gives it (elementary, middle, high...).")
    )
    grade_lowest: str = Field(
        description=gettext_noop("Lowest grade, as the federal directory writes it (PK, KG, 01...).")
    )
    grade_highest: str = Field(description=gettext_noop("Highest grade, as the federal directory writes it."))
    agency: str = Field(description=gettext_noop("Slug of the agency whose officers serve the school (see agencies)."))
    state: str = Field(description=gettext_noop("Two-letter postal code of the agency's state."))
    county: str = Field(description=gettext_noop("The agency's county, without the word 'County'."))
    is_example: bool = Field(description=gettext_noop("True for demonstration data: not a real school."))
    updated_at: datetime = Field(description=gettext_noop("When the school was last changed."))


class AssignmentOut(Schema):
    id: int = Field(description=gettext_noop("The assignment's number on this site."))
    school_year: int = Field(description=gettext_noop("The year the school year starts, e.g. 2026 for 2026-27."))
    officer: int = Field(description=gettext_noop("The officer's id (see officers)."))
    officer_name: str = Field(description=gettext_noop("The officer's rank and name."))
    school: str = Field(description=gettext_noop("The school's slug (see schools)."))
    school_nces_id: str = Field(
        description=gettext_noop("The school's 12-digit NCES school ID, or empty if not known.")
    )
    agency: str = Field(description=gettext_noop("Slug of the agency (see agencies)."))

    resolve_officer = attribute_path("officer_id")
    resolve_officer_name = attribute_path("officer.display_name")
    resolve_school = attribute_path("school.slug")
    resolve_school_nces_id = attribute_path("school.nces_id")
    resolve_agency = attribute_path("school.agency.slug")


class TopicOut(HasPage):
    id: int = Field(description=gettext_noop("The topic's number on this site."))
    slug: str = Field(description=gettext_noop("The topic's short name in web addresses."))
    url: str = Field(description=gettext_noop("The topic's page on this site."))
    name: str = Field(description=gettext_noop("The topic, e.g. Driver safety."))
    description: str = Field(description=gettext_noop("What a class on this topic covers, or empty."))
    programs: list[str] = Field(
        description=gettext_noop("Slugs of the published programs that teach it (see programs).")
    )

    @staticmethod
    def resolve_programs(obj):
        return [program.slug for program in obj.published_programs]


class OutcomeOut(Schema):
    id: int = Field(description=gettext_noop("The outcome's number on this site."))
    program: str = Field(description=gettext_noop("Slug of the program that reports it (see programs)."))
    figure: str = Field(description=gettext_noop("The figure as the program states it, e.g. 60%."))
    label: str = Field(description=gettext_noop("What the figure measures."))
    period: str = Field(description=gettext_noop("The period it covers, or empty."))
    source: str = Field(description=gettext_noop("Who measured it."))

    resolve_program = attribute_path("program.slug")


class AgreementOut(Schema):
    id: int = Field(description=gettext_noop("The agreement's number on this site."))
    program: str = Field(description=gettext_noop("Slug of the program (see programs)."))
    district: str = Field(description=gettext_noop("The partner school district."))
    status: str = Field(
        description=gettext_noop(
            "As of today: current, review_due, expired, superseded (a newer agreement is in effect) or upcoming "
            "(not yet in effect)."
        )
    )
    signed_on: date = Field(description=gettext_noop("The date of the last signature."))
    effective_on: date = Field(description=gettext_noop("The first day the agreement applies."))
    review_on: date | None = Field(description=gettext_noop("The next review date, if any."))
    expires_on: date | None = Field(description=gettext_noop("The last day the agreement applies, if it has one."))
    agency_signatory: str = Field(description=gettext_noop("Who signed for the agency, or empty."))
    district_signatory: str = Field(description=gettext_noop("Who signed for the school district, or empty."))
    document_url: str = Field(description=gettext_noop("The signed agreement (PDF), or empty if not published."))
    is_example: bool = Field(description=gettext_noop("True for demonstration data: not a real agreement."))

    resolve_program = attribute_path("partnership.program.slug")
    resolve_district = attribute_path("partnership.district")

    @staticmethod
    def resolve_document_url(obj, context):
        return context["request"].build_absolute_uri(obj.document.url) if obj.document else ""


# Yearly figures: as the program's data page publishes them, after the privacy rule.
FIGURE_STATUS = gettext_noop(
    "'number' (the figure is given), 'fewer_than_threshold' (a count of students from 1 to 9, never published), "
    "'not_shown' (hidden so that a small count cannot be worked out), 'breakdown_not_shown' or 'not_collected' "
    "(which is not zero)."
)


class GroupOut(Schema):
    label: str = Field(description=gettext_noop("The group (a CRDC category) or the school, in words."))
    status: str = Field(description=FIGURE_STATUS)
    number: int | None = Field(description=gettext_noop("The figure, when its status is 'number'."))
    text: str = Field(description=gettext_noop("The figure as the page writes it, e.g. 23, or fewer than 10."))


class BreakdownOut(Schema):
    key: str = Field(description=gettext_noop("race, sex, disability, english_learner or school."))
    label: str = Field(description=gettext_noop("What the groups are, in words."))
    withheld: bool = Field(
        description=gettext_noop("True when the whole breakdown is not shown, to protect small counts.")
    )
    groups: list[GroupOut] = Field(description=gettext_noop("Each group's figure, in the page's order."))


class MeasureOut(Schema):
    measure: str = Field(description=gettext_noop("The measure's key, e.g. referrals or arrests."))
    label: str = Field(description=gettext_noop("The measure in words, e.g. Referrals to law enforcement."))
    status: str = Field(description=FIGURE_STATUS)
    number: int | None = Field(description=gettext_noop("The total, when its status is 'number'."))
    text: str = Field(description=gettext_noop("The total as the page writes it."))
    per_1000_students: float | None = Field(
        description=gettext_noop("The total per 1,000 students enrolled, when the total and the enrollment are given.")
    )
    breakdowns: list[BreakdownOut] = Field(
        description=gettext_noop("The total broken down by groups of students or by school, when the program gives it.")
    )


class FigureSetOut(Schema):
    id: int = Field(description=gettext_noop("The yearly figures' number on this site."))
    program: str = Field(description=gettext_noop("Slug of the program (see programs)."))
    school_year: int = Field(description=gettext_noop("The year the school year starts, e.g. 2025 for 2025-26."))
    data_through: date = Field(description=gettext_noop("The last day the figures cover."))
    source: str = Field(description=gettext_noop("Where the figures come from."))
    note: str = Field(description=gettext_noop("Anything a reader should know about them, or empty."))
    students_enrolled: int | None = Field(
        description=gettext_noop("Students enrolled in the schools served, when given.")
    )
    is_example: bool = Field(description=gettext_noop("True for made-up demonstration figures: not real figures."))
    measures: list[MeasureOut] = Field(description=gettext_noop("Every measure of the year, collected or not."))


def page_schema(name, item):
    """A list's response: one page of `item` and the address of the next."""
    return type(
        name,
        (Schema,),
        {
            "__annotations__": {"results": list[item], "next": str | None},
            "next": Field(description=gettext_noop("The address of the next page, or null on the last page.")),
        },
    )
