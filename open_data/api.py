"""The read-only JSON API at /api/v1/, with its OpenAPI description generated
from these type hints (django-ninja).

Every list is ordered by id and paged by a cursor (the last id seen, opaque to
clients), so a page costs the same whether it is the first or the thousandth,
and a row added meanwhile never shifts the pages. The `next` address is in the
body and in a `Link` header. Responses go through the site's page cache
(tagged `open-data`, stale on any change) and get an ETag, so a client
revalidating gets 304 Not Modified. The rate limit and CORS are applied before
the cache, in open_data/middleware.py.
"""

import base64
import binascii

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import gettext_noop
from ninja import NinjaAPI, Path, Query, Schema
from ninja.errors import HttpError, ValidationError
from pydantic import ConfigDict, Field, field_validator

from page_cache.pages import tag_page

from . import datasets, schemas

DEFAULT_LIMIT = 100
# A slug as Django's SlugField accepts it; anything else is a 400 before the database is asked.
SLUG = Path(
    ..., pattern=r"^[-a-zA-Z0-9_]+$", max_length=150, description=gettext_noop("The slug, as the list gives it.")
)
MAX_LIMIT = 500


class OpenDataAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """The generated description, plus the headers every answer carries (ninja has no place for them)."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                responses = operation.get("responses", {})
                for status, response in list(responses.items()):
                    if str(status) == "200":
                        response["headers"] = {"ETag": _header(ETAG), "Link": _header(LINK)}
                    elif str(status) == "429":
                        response["headers"] = {"Retry-After": _header(RETRY_AFTER, "integer")}
                responses[304] = {"description": NOT_MODIFIED}
        return schema


# The texts of the description that the reference page shows are marked with gettext_noop: the
# OpenAPI description stays in English, the page (open_data/views.py) translates them.
NOT_MODIFIED = gettext_noop("Not modified since the ETag sent in If-None-Match.")
ETAG = "Send it back in If-None-Match: 304 if nothing changed."
LINK = 'The next page, as rel="next" (lists only).'
RETRY_AFTER = "Seconds to wait before the next request."


def _header(description, kind="string"):
    return {"description": description, "schema": {"type": kind}}


def _description():
    return (
        "Everything the public pages of this site show about School Resource Officer programs, as JSON: agencies, "
        "programs, officers, schools, assignments by school year, classroom topics, outcomes, agreements with "
        "school districts and the yearly figures (as published, after the privacy rule). Read-only, no sign-in, "
        "open to any origin (CORS). Lists are ordered by id and paged: follow `next` (also in the `Link` header). "
        "Send back the `ETag` in `If-None-Match` to get 304 when nothing changed.\n\n"
        f"**Rate limit:** {settings.API_RATE_LIMIT} requests per minute from one address (`API_RATE_LIMIT`); "
        "more get 429 with a `Retry-After` header saying how many seconds to wait.\n\n"
        "Errors are JSON with a `detail` message: 400 for an unknown filter or a bad value or cursor, 404 for an "
        "unknown id."
    )


api = OpenDataAPI(
    title="School Resource Officer programs: open data API",
    version="1",
    description=_description(),
    urls_namespace="open_data_api",
    docs_url=None,  # the reference page is ours, server-rendered: no script from elsewhere (CSP)
    openapi_url="/openapi.json",
)

ERRORS = {400: schemas.Error, 429: schemas.Error}
DETAIL_ERRORS = {400: schemas.Error, 404: schemas.Error, 429: schemas.Error}


@api.exception_handler(ValidationError)
def bad_request(request, exc):
    problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or 'request'}: {e['msg']}" for e in exc.errors)
    return api.create_response(
        request, {"detail": _("Invalid request: %(problems)s.") % {"problems": problems}}, status=400
    )


class Paging(Schema):
    """The filters common to every list; each list adds its own."""

    model_config = ConfigDict(extra="forbid")

    cursor: str | None = Field(
        None, description=gettext_noop("Where the page starts: take it from the `next` address.")
    )
    # The number written out, for the catalogue; a test holds it to MAX_LIMIT.
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=gettext_noop("Rows per page, 1 to 500."))

    @field_validator("*", mode="before")
    @classmethod
    def no_nul_characters(cls, value):
        # No text in the database holds one (PostgreSQL refuses them outright): a 400, not a 500.
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain NUL characters")
        return value


class AreaFilters(Paging):
    state: str | None = Field(None, max_length=2, description=gettext_noop("Two-letter postal code, e.g. MO."))
    county: str | None = Field(None, max_length=100, description=gettext_noop("County name without the word 'County'."))


class AgencyFilters(AreaFilters):
    agency: str | None = Field(None, max_length=150, description=gettext_noop("The agency's slug (see /agencies)."))


class SchoolFilters(AgencyFilters):
    nces_id: str | None = Field(None, pattern=r"^\d{12}$", description=gettext_noop("12-digit NCES school ID."))


class AssignmentFilters(SchoolFilters):
    school_year: int | None = Field(
        None, ge=1990, le=2100, description=gettext_noop("The year the school year starts.")
    )


class ProgramFilters(AgencyFilters):
    program: str | None = Field(None, max_length=150, description=gettext_noop("The program's slug (see /programs)."))


class FigureFilters(ProgramFilters):
    school_year: int | None = Field(
        None, ge=1990, le=2100, description=gettext_noop("The year the school year starts.")
    )


def _encode(pk):
    return base64.urlsafe_b64encode(f"id:{pk}".encode()).decode().rstrip("=")


def _decode(cursor):
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _colon, pk = text.partition(":")
        if kind == "id" and pk.isdigit() and len(pk) < 19:
            return int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise HttpError(400, _("Invalid cursor: use the `next` address of the previous page as it is."))


def _reject_unknown(request, filters):
    unknown = sorted(set(request.GET) - set(type(filters).model_fields))
    if unknown:
        known = ", ".join(sorted(type(filters).model_fields))
        raise HttpError(
            400,
            _("Unknown filter: %(unknown)s. This address takes: %(known)s.")
            % {"unknown": ", ".join(unknown), "known": known or _("no filter")},
        )


def page(request, response, key, filters, rows=None):
    """One page of dataset `key`, filtered, after the cursor, with `next` in the body and the Link header."""
    _reject_unknown(request, filters)
    tag_page(request, datasets.CACHE_TAG)
    values = filters.dict(exclude={"cursor", "limit"})
    rows = datasets.filtered(key, rows if rows is not None else datasets.DATASETS_BY_KEY[key].rows(), values)
    after = _decode(filters.cursor)
    results = list(rows.filter(pk__gt=after).order_by("pk")[: filters.limit + 1])
    next_url = None
    if len(results) > filters.limit:
        results = results[: filters.limit]
        query = request.GET.copy()
        query["cursor"] = _encode(results[-1].pk)
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        response["Link"] = f'<{next_url}>; rel="next"'
    return {"results": results, "next": next_url}


def one(request, rows, not_found, **lookup):
    """The row `lookup` finds among `rows`, or 404 with `not_found` (a sentence with %(value)s)."""
    tag_page(request, datasets.CACHE_TAG)
    _reject_unknown(request, Schema())
    found = rows.filter(**lookup).first()
    if found is None:
        value = next(iter(lookup.values()))
        raise HttpError(404, str(not_found) % {"value": value})
    return found


def list_endpoint(key, filter_schema, summary, description=None, present=None):
    """GET /<key>: one page of the dataset `key` narrowed by `filter_schema`, its rows shown by `present`."""
    item = datasets.DATASETS_BY_KEY[key].schema
    page_schema = schemas.page_schema(item.__name__.removesuffix("Out") + "Page", item)

    def view(request, response: HttpResponse, filters: Query[filter_schema]):
        result = page(request, response, key, filters)
        if present:
            result["results"] = present(result["results"])
        return result

    view.__name__ = f"list_{key}"  # the OpenAPI operationId and the URL name
    view.__doc__ = description
    api.get(f"/{key}", response={200: page_schema, **ERRORS}, tags=[key], summary=summary)(view)


def slug_endpoint(key, name, summary, not_found):
    """GET /<key>/<slug>: the row of the dataset `key` with that slug, or 404 with `not_found`."""

    def view(request, slug: str = SLUG):
        return one(request, datasets.DATASETS_BY_KEY[key].rows(), not_found, slug=slug)

    view.__name__ = f"get_{name}"
    item = datasets.DATASETS_BY_KEY[key].schema
    api.get(f"/{key}/{{slug}}", response={200: item, **DETAIL_ERRORS}, tags=[key], summary=summary)(view)


def _figure_sets_data(figure_sets):
    names = datasets.school_names_for(figure_sets)
    return [datasets.figure_set_data(figure_set, names) for figure_set in figure_sets]


list_endpoint(
    "agencies",
    AreaFilters,
    gettext_noop("Agencies"),
    gettext_noop("Police departments and sheriff's offices that run a published program."),
)
slug_endpoint("agencies", "agency", gettext_noop("An agency"), _lazy("No agency '%(value)s' is published here."))
list_endpoint(
    "programs", AgencyFilters, gettext_noop("Programs"), gettext_noop("Published School Resource Officer programs.")
)
slug_endpoint("programs", "program", gettext_noop("A program"), _lazy("No program '%(value)s' is published here."))
list_endpoint(
    "officers",
    AgencyFilters,
    gettext_noop("Officers"),
    gettext_noop("Officers now serving in the published programs, with the contacts their program page shows."),
)


@api.get(
    "/officers/{officer_id}",
    response={200: schemas.OfficerOut, **DETAIL_ERRORS},
    tags=["officers"],
    summary=gettext_noop("An officer"),
)
def get_officer(
    request, officer_id: int = Path(..., description=gettext_noop("The officer's id, as the list gives it."))
):
    return one(request, datasets.officers(), _lazy("No officer '%(value)s' is published here."), pk=officer_id)


list_endpoint(
    "schools",
    SchoolFilters,
    gettext_noop("Schools"),
    gettext_noop("Schools served by the published programs, with NCES ids where known."),
)
slug_endpoint("schools", "school", gettext_noop("A school"), _lazy("No school '%(value)s' is published here."))
list_endpoint(
    "assignments",
    AssignmentFilters,
    gettext_noop("Assignments"),
    gettext_noop("Which serving officer serves which school, by school year."),
)
list_endpoint("topics", Paging, gettext_noop("Classroom topics"))
slug_endpoint("topics", "topic", gettext_noop("A topic"), _lazy("No topic '%(value)s' is published here."))
list_endpoint(
    "outcomes",
    ProgramFilters,
    gettext_noop("Outcomes"),
    gettext_noop("Results the published programs report, each with its source."),
)
list_endpoint(
    "agreements",
    ProgramFilters,
    gettext_noop("Agreements"),
    gettext_noop("Agreements with school districts, with their status as of today."),
)
list_endpoint(
    "figures",
    FigureFilters,
    gettext_noop("Yearly figures"),
    gettext_noop(
        "Each program's yearly figures as its data page publishes them: small counts of students never appear."
    ),
    present=_figure_sets_data,
)
