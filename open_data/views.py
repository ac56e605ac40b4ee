"""The Open data page, the CSV downloads, the API's reference page and the
DCAT-US 1.1 catalog (/data.json) that data.gov and other catalogs harvest."""

import csv
from collections import defaultdict
from typing import get_args

from django.conf import settings
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Schema

from page_cache.pages import tag_page
from program_data.published import CSV_COLUMNS, csv_rows, program_sections

from . import datasets
from .api import api

# A cell starting with one of these is a formula to a spreadsheet program.
FORMULA_STARTS = ("=", "@", "\t", "\r")
SIGNED = ("+", "-")
CSV_CHUNK = 2000  # rows read from the database at a time


def open_data(request):
    tag_page(request, datasets.CACHE_TAG)
    rows = [
        {
            "dataset": dataset,
            "csv_url": reverse("open_data:csv", args=[dataset.key]),
            "api_url": f"{reverse('open_data_api:api-root')}{dataset.key}",
            "fields": _fields(dataset.schema),
        }
        for dataset in datasets.DATASETS
    ]
    return render(
        request,
        "open_data/open_data.html",
        {
            "datasets": rows,
            "license_name": _(settings.OPEN_DATA_LICENSE_NAME),
            "license_url": settings.OPEN_DATA_LICENSE_URL,
            "rate_limit": settings.API_RATE_LIMIT,
            "openapi_url": reverse("open_data_api:openapi-json"),
            "example_url": request.build_absolute_uri(reverse("open_data_api:api-root") + "schools?limit=2"),
            "page_title": _("Open data"),
            "page_description": _(
                "Download what this site publishes about School Resource Officer programs as CSV files, or read it "
                "from a JSON API: programs, officers, schools, agreements and yearly figures."
            ),
        },
    )


def breakable(text, separator):
    """`text` that may wrap after each separator: long names must not widen a phone's screen."""
    return mark_safe(f"{separator}<wbr>".join(escape(part) for part in text.split(separator)))  # noqa: S308


def _fields(schema, prefix=""):
    """(name, description) of a schema's fields, translated; a nested list's fields follow it (measures.label)."""
    fields = []
    for name, info in schema.model_fields.items():
        fields.append((breakable(prefix + name, "."), _(info.description)))
        nested = get_args(info.annotation)
        if nested and isinstance(nested[0], type) and issubclass(nested[0], Schema):
            fields += _fields(nested[0], f"{prefix}{name}.")
    return fields


# The answers' descriptions django-ninja writes (HTTP's reason phrases), for the catalogue: the
# reference page shows them translated, the OpenAPI description as they are.
REASON_PHRASES = (
    gettext_noop("OK"),
    gettext_noop("Bad Request"),
    gettext_noop("Not Found"),
    gettext_noop("Too Many Requests"),
)


def _translated(text):
    """A text of the OpenAPI description (marked with gettext_noop in open_data/api.py), in the page's language."""
    return _(text) if text else ""


def api_reference(request):
    """The OpenAPI description in words: each address, its filters and its answers, in the page's language."""
    tag_page(request, datasets.CACHE_TAG)
    description = api.get_openapi_schema()
    operations = []
    for path, item in description["paths"].items():
        for method, operation in item.items():
            parameters = [
                {
                    "name": p["name"],
                    "where": p["in"],
                    "required": p.get("required", False),
                    "description": _translated(p.get("description") or p.get("schema", {}).get("description", "")),
                }
                for p in operation.get("parameters", [])
            ]
            operations.append(
                {
                    "method": method.upper(),
                    "path": breakable(path, "/"),
                    "summary": _translated(operation.get("summary", "")),
                    "description": _translated(operation.get("description", "")),
                    "parameters": parameters,
                    "responses": [
                        # Listed in one sentence: "304 Not modified since ...; 400 Bad Request."
                        (code, _translated(response.get("description", "")).rstrip("."))
                        for code, response in sorted(operation.get("responses", {}).items())
                    ],
                }
            )
    return render(
        request,
        "open_data/api_reference.html",
        {
            "operations": operations,
            "rate_limit": settings.API_RATE_LIMIT,
            "openapi_url": reverse("open_data_api:openapi-json"),
            "base_url": breakable(request.build_absolute_uri(reverse("open_data_api:api-root")), "/"),
            "page_title": _("Open data API reference"),
            "page_description": _("Every address of the open data API, its filters and its answers."),
        },
    )


class _Echo:
    def write(self, value):
        return value


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = ";".join(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    # Formulas are defused; phone numbers (+16365550100) and negative numbers stay as they are.
    if text.startswith(FORMULA_STARTS) or (text.startswith(SIGNED) and not text[1:2].isdigit()):
        return "'" + text
    return text


def dataset_csv(request, key):
    dataset = datasets.DATASETS_BY_KEY.get(key)
    if dataset is None:
        raise Http404(_("No such dataset."))
    writer = csv.writer(_Echo())
    lines = _figure_lines(writer) if key == "figures" else _lines(writer, dataset, request)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{key}.csv"'
    return response


def _lines(writer, dataset, request):
    names = list(dataset.schema.model_fields)
    yield writer.writerow(names)
    context = {"request": request}
    for row in dataset.rows().order_by("pk").iterator(chunk_size=CSV_CHUNK):
        data = dataset.schema.from_orm(row, context=context).model_dump()
        yield writer.writerow([_cell(data[name]) for name in names])


def _figure_lines(writer):
    """Every published program's figures, exactly as its own CSV (program_data) gives them."""
    yield writer.writerow(CSV_COLUMNS)
    figure_sets = list(datasets.figure_sets().select_related("program__agency").order_by("program_id", "school_year"))
    by_program = defaultdict(list)
    for figure_set in figure_sets:
        by_program[figure_set.program].append(figure_set)
    names = datasets.school_names_for(figure_sets)
    for program, years in by_program.items():
        for row in csv_rows(program.page_title, program_sections(years, names)):
            yield writer.writerow([_cell(row[column]) for column in CSV_COLUMNS])


def catalog(request):
    """The DCAT-US 1.1 (Project Open Data) catalog: each dataset, its distributions, modified dates from the data."""
    tag_page(request, datasets.CACHE_TAG)
    landing = request.build_absolute_uri(reverse("open_data:open_data"))
    openapi = request.build_absolute_uri(reverse("open_data_api:openapi-json"))
    publisher = {"@type": "org:Organization", "name": settings.SITE_OPERATOR}
    contact = {
        "@type": "vcard:Contact",
        "fn": settings.SITE_OPERATOR,
        "hasEmail": f"mailto:{settings.OPEN_DATA_CONTACT_EMAIL}",
    }
    entries = []
    for dataset in datasets.DATASETS:
        modified = dataset.modified()
        entries.append(
            {
                "@type": "dcat:Dataset",
                "title": f"{settings.SITE_NAME}: {dataset.title}",
                "description": str(dataset.description),
                "keyword": ["school resource officers", *dataset.keywords],
                "modified": _iso_date(modified),
                "publisher": publisher,
                "contactPoint": contact,
                "identifier": f"{landing}#{dataset.key}",
                "accessLevel": "public",
                "license": settings.OPEN_DATA_LICENSE_URL,
                "spatial": "United States",
                "landingPage": f"{landing}#{dataset.key}",
                "distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "title": f"{dataset.title} (CSV)",
                        "downloadURL": request.build_absolute_uri(reverse("open_data:csv", args=[dataset.key])),
                        "mediaType": "text/csv",
                        "format": "CSV",
                        "describedBy": f"{landing}#{dataset.key}",
                    },
                    {
                        "@type": "dcat:Distribution",
                        "title": f"{dataset.title} (JSON API)",
                        "accessURL": request.build_absolute_uri(f"{reverse('open_data_api:api-root')}{dataset.key}"),
                        "mediaType": "application/json",
                        "format": "API",
                        "describedBy": openapi,
                        "describedByType": "application/vnd.oai.openapi+json",
                    },
                ],
            }
        )
    body = {
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@id": request.build_absolute_uri(request.path),
        "@type": "dcat:Catalog",
        "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
        "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
        "dataset": entries,
    }
    return JsonResponse(body, json_dumps_params={"indent": 2})


def _iso_date(moment):
    """The day of the latest change, in the site's time zone (ISO 8601); today when nothing was ever recorded."""
    return (timezone.localtime(moment).date() if moment else timezone.localdate()).isoformat()
