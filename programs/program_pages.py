"""The program page's read model: what the public page shows, as one document.

Built from the live tables, a program page costs ten queries and most of its
render time goes to turning rows into objects, yet the page only changes when
staff edit something. So each program's page data is kept as one JSON document
(ProgramPage) and a request reads it in one query, page cache or not.

Correctness does not rest on timing:
- every change a page shows marks its document stale in the same transaction
  as the change (`mark_stale`, called from programs/invalidation.py);
- the next request rebuilds it, and saves it only if no change was marked
  since it started reading (the version counter), so a document never mixes
  old and new data;
- a document is also rebuilt when the school year rolls over (July 1), when
  its shape changes (FORMAT) and after every `migrate` (a deploy may change
  URLs, media storage or templates' needs).
"""

import json
import logging
from functools import lru_cache

from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import F, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation

from languages.content import fallback_language, with_languages
from languages.formats import long_date

from . import hooks
from .models import Program, ProgramPage, current_school_year
from .models.pages import data_field

logger = logging.getLogger(__name__)

# Raise when the document's shape changes: documents of another format are rebuilt.
FORMAT = 7  # 7: the overview split into paragraphs whatever its line endings (\r\n from a browser)

# Page-cache tags (programs/invalidation.py) whose objects program pages show,
# and how to find the programs showing them.
_PROGRAMS_BY_TAG = {
    "program": "program_id",
    "agency": "program__agency_id",
    "state": "program__agency__state_id",
    "topic": "program__topics",
}


def mark_stale(tags, languages=None):
    """Mark stale the documents of every program whose page shows one of these tags' objects
    (in `languages` only, for a change to their text alone; in every language when None)."""
    condition = Q()
    for tag in tags:
        kind, _, pk = tag.partition(":")
        if kind in _PROGRAMS_BY_TAG:
            condition |= Q(**{_PROGRAMS_BY_TAG[kind]: pk})
    if condition:
        _make_stale(ProgramPage.objects.filter(condition), languages)


def mark_all_stale(using="default", **kwargs):
    """After `migrate` (post_migrate), unless it went back to before the documents' table existed.

    Only the languages whose document column exists: a rollback can go back to before a language's.
    """
    connection = connections[using]
    table = ProgramPage._meta.db_table
    if table not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        columns = {column.name for column in connection.introspection.get_table_description(cursor, table)}
    languages = [
        code for code, _ in settings.LANGUAGES if ProgramPage._meta.get_field(data_field(code)).column in columns
    ]
    if languages:
        _make_stale(ProgramPage.objects.using(using), languages)


def _make_stale(pages, languages=None):
    languages = languages or [code for code, _ in settings.LANGUAGES]
    pages.update(version=F("version") + 1, **{data_field(language): None for language in languages})


def page_for(programs, slug):
    """The page document of the program `slug` among `programs` (a queryset); Http404 if it is not there."""
    row = (
        programs.filter(slug=slug)
        .order_by()  # the slug is unique: no sort, and no join to the agency table for one
        .values_list("pk", "page__version", "page__school_year", "page__" + data_field(translation.get_language()))
        .first()
    )
    return _current(row)


def published_page_for(slug):
    """The same as page_for(Program.objects.published(), slug): the public's path, the hot one.

    Written as SQL because building and unpacking this one query through the
    ORM took 0.5 ms, a quarter of the whole page's render (bench/run.py), and
    the query is simple enough to read: one row, one join, two conditions.
    """
    with connection.cursor() as cursor:
        cursor.execute(_published_row_sql(data_field(translation.get_language())), [Program.Status.PUBLISHED, slug])
        row = cursor.fetchone()
    if row is not None and isinstance(row[3], str):  # JSON arrives as text (SQLite, and psycopg under Django)
        row = (*row[:3], json.loads(row[3]))
    return _current(row)


@lru_cache(maxsize=8)
def _published_row_sql(data_column):
    q = connection.ops.quote_name
    program, page = Program._meta, ProgramPage._meta

    def column(meta, name):
        return q(meta.get_field(name).column)

    # Only quoted table and column names from the models go into the text; values are parameters.
    return (
        f"SELECT p.{column(program, 'id')}, d.{column(page, 'version')}, d.{column(page, 'school_year')}, "  # noqa: S608
        f"d.{column(page, data_column)} FROM {q(program.db_table)} p LEFT OUTER JOIN {q(page.db_table)} d "
        f"ON d.{column(page, 'program')} = p.{column(program, 'id')} "
        f"WHERE p.{column(program, 'status')} = %s AND p.{column(program, 'slug')} = %s"
    )


def _current(row):
    """The document of a (program id, version, school year, data) row, rebuilt if it is not current."""
    if row is None:
        raise Http404("No such program.")
    program_id, version, school_year, data = row
    # The school year is the document's own: each language's is rebuilt on its own.
    if (
        data is None
        or data.get("format") != FORMAT
        or data.get("school_year") != current_school_year()
        or _outdated(data)
    ):
        data = rebuild(program_id, version)
    return data


def _outdated(data):
    """Something the page shows changes by itself on `valid_until` (an agreement's status: programs/hooks.py),
    with no edit to mark it."""
    return bool(data.get("valid_until")) and data["valid_until"] <= timezone.localdate().isoformat()


def rebuild(program_id, version=None):
    """Build a program's document from the live tables, and keep it unless a change came meanwhile.

    `version` must be read before the content: a change committed after that
    raises it, and the conditional update below then keeps nothing.
    """
    if version is None:  # no document yet: first a row to hold its version
        version = ProgramPage.objects.get_or_create(program_id=program_id)[0].version
    year = current_school_year()
    today = timezone.localdate()
    program = (
        Program.objects.with_page_data(year)
        .prefetch_related(*(prefetch(today) for prefetch in hooks.get_hooks(hooks.PROGRAM_PAGE_PREFETCH)))
        .get(pk=program_id)
    )
    data = document(program, today)
    try:
        with transaction.atomic():
            ProgramPage.objects.filter(pk=program_id, version=version).update(
                **{data_field(translation.get_language()): data}, school_year=year
            )
    except DatabaseError:
        # A busy database (SQLite under a burst of writes): serve what was built, keep it next time.
        logger.warning("could not save the page data of program %s", program_id, exc_info=True)
    return data


def _phone(number):
    return {"as_e164": number.as_e164, "as_national": number.as_national} if number else None


def _date(value):
    # "March 5, 2026", "5 de marzo de 2026": the active language's way.
    return {"iso": value.isoformat(), "display": long_date(value)} if value else None


def _agency(agency):
    state = agency.state
    return {
        "pk": agency.pk,
        "name": agency.name,
        "kind": agency.kind,
        "county_name": agency.county_name,
        "website": agency.website,
        "phone": _phone(agency.phone),
        "street_address": agency.street_address,
        "city": agency.city,
        "postal_code": agency.postal_code,
        "state": {
            "pk": state.pk,
            "code": state.code,
            "name": state.name,
            "tip_line_name": state.tip_line_name,
            "tip_line_phone": _phone(state.tip_line_phone),
            "tip_line_url": state.tip_line_url,
        },
    }


def _officer(officer):
    card = {
        "display_name": officer.display_name,
        "get_role_display": str(officer.get_role_display()),
        "is_example": officer.is_example,
        "bio": officer.bio,
        **with_languages({}, officer, "bio"),
        "phone": _phone(officer.phone),
        "email": officer.email,
        "schools": [{"name": a.school.name, "url": a.school.get_absolute_url()} for a in officer.current_assignments],
        "photo": None,
    }
    for extra in hooks.get_hooks(hooks.OFFICER_CARD):
        card.update(extra(officer))
    if officer.photo:
        card["photo"] = {
            "photo_srcsets": officer.photo_srcsets,
            "alt": officer.photo_alt,
            **_in_language("alt", officer, "photo_alt"),
            "width": officer.photo_width,
            "height": officer.photo_height,
        }
    return card


def _in_language(key, obj, field):
    """{"<key>_lang": "en"} when `field` of `obj` is shown in another language than the page's, for
    {% lang_of %}: what `with_languages` adds, under the document's key ("alt") for the field."""
    shown = fallback_language(obj, field)
    return {f"{key}_lang": shown} if shown else {}


def _schools(agency):
    """Each school the agency serves, with the officers assigned to it this school year."""
    officers_by_school = {}
    for officer in agency.active_officers:
        for assignment in officer.current_assignments:
            officers_by_school.setdefault(assignment.school_id, []).append(officer.display_name)
    return [
        {
            "name": school.name,
            "url": school.get_absolute_url(),
            "city": school.city,
            "is_example": school.is_example,
            "officers": officers_by_school.get(school.pk, []),
        }
        for school in agency.served_schools
    ]


def document(program, today):
    """Everything the program page shows on `today`, as JSON-ready data (`program` comes from with_page_data,
    with the prefetches of rebuild())."""
    agency = program.agency
    # Each field of staff content shown in another language than the page's (no Spanish yet, or
    # written in English only) says which, beside it ("summary_lang": "en"): the page marks it
    # lang="en" (languages/).
    return {
        "format": FORMAT,
        "school_year": current_school_year(),
        "valid_until": _valid_until(program, today),
        "program": {
            "pk": program.pk,
            "slug": program.slug,
            "url": program.get_absolute_url(),
            "page_title": program.page_title,
            "is_published": program.is_published,
            "summary": program.summary,
            "overview_paragraphs": program.overview_paragraphs,
            "year_started": program.year_started,
            "funding": program.funding,
            "partners": program.partners,
            "mission": program.mission,
            "primary_duty": program.primary_duty,
            # The translated fields, and those staff write once, in English (languages/content.py).
            **with_languages(
                {},
                program,
                *("summary", "overview", "mission", "primary_duty"),
                *("funding", "partners", "contact_name", "contact_hours"),
            ),
            "last_reviewed": _date(program.last_reviewed),
            "contact_division": program.contact_division,
            "contact_name": program.contact_name,
            "contact_phone": _phone(program.contact_phone),
            "contact_email": program.contact_email,
            "contact_address": program.contact_address,
            "contact_hours": program.contact_hours,
            "vcard_url": reverse("programs:program_vcard", args=[program.slug]),
            "presentation_url": reverse("programs:request_presentation", args=[program.slug]),
            "question_url": reverse("programs:ask_question", args=[program.slug]),
            "agency": _agency(agency),
            "roles": [
                with_languages({"name": r.name, "description": r.description}, r, "name", "description")
                for r in program.roles.all()
            ],
            "goals": [
                with_languages({"title": g.title, "description": g.description}, g, "title", "description")
                for g in program.goals.all()
            ],
            "topics": [
                with_languages(
                    {"pk": t.pk, "name": t.name, "description": t.description, "url": t.get_absolute_url()},
                    t,
                    "name",
                    "description",
                )
                for t in program.topics.all()
            ],
            "outcomes": [
                with_languages(
                    {"figure": o.figure, "label": o.label, "period": o.period, "source": o.source},
                    o,
                    "label",
                    "period",
                    "source",
                )
                for o in program.outcomes.all()
            ],
            "photos": [
                {
                    "photo_srcsets": p.photo_srcsets,
                    "alt": p.alt_text,
                    **_in_language("alt", p, "alt_text"),
                    "width": p.image_width,
                    "height": p.image_height,
                    "caption": p.caption,
                    **_in_language("caption", p, "caption"),
                }
                for p in program.photos.all()
            ],
            **_extensions(hooks.PROGRAM_FIELDS, program, today),
        },
        "officers": [_officer(o) for o in agency.active_officers],
        "schools": _schools(agency),
        # What other apps add to the page (programs/hooks.py), given to the template as they are.
        "parts": _extensions(hooks.PROGRAM_PAGE_PARTS, program, today),
    }


def _extensions(point, program, today):
    fields = {}
    for extra in hooks.get_hooks(point):
        fields.update(extra(program, today))
    return fields


def _valid_until(program, today):
    """The earliest date on which something the page shows changes by itself (an agreement's status)."""
    dates = [d for until in hooks.get_hooks(hooks.PROGRAM_PAGE_VALID_UNTIL) if (d := until(program, today))]
    return min(dates, default=None)
