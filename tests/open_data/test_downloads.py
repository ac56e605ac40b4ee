"""The open data for people and catalogs: CSV downloads, the Open data page,
the API reference page and the DCAT-US 1.1 catalog at /data.json."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from open_data.datasets import DATASETS
from programs.models import Program
from tests.factories import (
    AgreementFactory,
    AssignmentFactory,
    FigureSetFactory,
    OfficerFactory,
    OutcomeFactory,
    PartnershipFactory,
    ProgramFactory,
    SchoolFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    program = ProgramFactory(contact_email="sro@example.org")
    school = SchoolFactory(agency=program.agency, nces_id="290003000001", name="=HYPERLINK(1)")
    officer = OfficerFactory(agency=program.agency)
    AssignmentFactory(officer=officer, school=school)
    OutcomeFactory(program=program)
    AgreementFactory(partnership=PartnershipFactory(program=program))
    FigureSetFactory(program=program, figures={"referrals": {"count": 23, "by": {"sex": {"female": 3, "male": 20}}}})
    draft = ProgramFactory(status=Program.Status.DRAFT, slug="draft-program")
    SchoolFactory(agency=draft.agency, slug="draft-school")
    FigureSetFactory(program=draft)
    return program


def download(client, key):
    response = client.get(f"/open-data/{key}.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{key}.csv"'
    return b"".join(response.streaming_content).decode("utf-8")


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("dataset", [d for d in DATASETS if d.key != "figures"], ids=lambda d: d.key)
def test_each_csv_has_a_header_row_of_the_apis_fields_and_the_apis_rows(client, county, dataset):
    text = download(client, dataset.key)
    header = next(csv.reader(io.StringIO(text)))
    assert header == list(dataset.schema.model_fields)
    api_rows = client.get(f"/api/v1/{dataset.key}").json()["results"]
    assert [row["id"] for row in rows(text)] == [str(row["id"]) for row in api_rows]
    assert "draft-program" not in text
    assert "draft-school" not in text


def test_csv_dates_are_iso_8601_and_lists_are_separated_by_semicolons(client, county):
    agreement = rows(download(client, "agreements"))[0]
    assert datetime.strptime(agreement["signed_on"], "%Y-%m-%d")
    program = rows(download(client, "programs"))[0]
    assert datetime.fromisoformat(program["updated_at"])
    assert program["contact_phone"] == "+16369493006"  # a phone number is not taken for a formula


def test_csv_cells_that_a_spreadsheet_would_run_as_a_formula_are_defused(client, county):
    school = rows(download(client, "schools"))[0]
    assert school["name"] == "'=HYPERLINK(1)"


def test_the_figures_csv_is_every_published_programs_own_csv(client, county):
    everything = rows(download(client, "figures"))
    own = rows(client.get(f"/programs/{county.slug}/data.csv").content.decode())
    assert everything == own
    assert {row["Figure"] for row in everything if row["Group or school"]} == {"fewer than 10", "not shown"}


def test_a_csv_costs_the_same_queries_for_one_row_and_for_many(client, county, no_page_cache):
    def queries(key):
        with CaptureQueriesContext(connection) as captured:
            download(client, key)
        return len(captured)

    few = {d.key: queries(d.key) for d in DATASETS}
    for _ in range(5):
        program = ProgramFactory()
        SchoolFactory(agency=program.agency)
        FigureSetFactory(program=program)
    assert {d.key: queries(d.key) for d in DATASETS} == few


def test_an_unknown_dataset_is_not_found(client):
    assert client.get("/open-data/passwords.csv").status_code == 404


def test_the_open_data_page_explains_every_file_and_field_and_the_licence(client, county, settings):
    settings.OPEN_DATA_LICENSE_NAME = "County open licence"
    settings.OPEN_DATA_LICENSE_URL = "https://county.example.gov/licence"
    page = client.get("/open-data/").content.decode()
    assert '<a href="https://county.example.gov/licence">County open licence</a>' in page
    for dataset in DATASETS:
        assert f'href="/open-data/{dataset.key}.csv"' in page
        assert f'href="/api/v1/{dataset.key}"' in page
        for name, field in dataset.schema.model_fields.items():
            assert f"<code>{name}</code>" in page
            assert field.description.replace("'", "&#x27;") in page
    # Long names may wrap on a phone's screen, after each dot.
    assert "<code>measures.<wbr>breakdowns.<wbr>groups.<wbr>status</code>" in page
    assert 'href="/api/v1/openapi.json"' in page
    assert 'href="/data.json"' in page


def test_every_page_links_to_the_open_data_from_its_footer(client, county):
    page = client.get("/").content.decode()
    footer = page[page.index("<footer") :]
    assert 'href="/open-data/">Open data</a>' in footer
    assert 'href="/open-data/api/">API reference</a>' in footer


def test_the_api_reference_lists_every_address_with_its_filters(client, county):
    page = client.get("/open-data/api/").content.decode()
    for dataset in DATASETS:
        assert f"<code>GET /<wbr>api/<wbr>v1/<wbr>{dataset.key}</code>" in page
    assert "<code>nces_id</code>" in page
    assert "429" in page


def test_the_catalog_is_dcat_us_with_every_dataset_and_its_distributions(client, county, settings):
    settings.OPEN_DATA_CONTACT_EMAIL = "opendata@county.example.gov"
    catalog = client.get("/data.json").json()
    assert catalog["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema"
    assert catalog["@type"] == "dcat:Catalog"
    assert len(catalog["dataset"]) == len(DATASETS)
    required = {"title", "description", "keyword", "modified", "publisher", "contactPoint", "identifier", "accessLevel"}
    for entry in catalog["dataset"]:
        assert required <= set(entry)
        assert entry["accessLevel"] == "public"
        assert entry["contactPoint"]["hasEmail"] == "mailto:opendata@county.example.gov"
        assert entry["license"] == settings.OPEN_DATA_LICENSE_URL
        formats = {d["format"]: d for d in entry["distribution"]}
        assert formats["CSV"]["downloadURL"].startswith("http://testserver/open-data/")
        assert formats["CSV"]["mediaType"] == "text/csv"
        assert formats["API"]["accessURL"].startswith("http://testserver/api/v1/")
        assert formats["API"]["describedBy"] == "http://testserver/api/v1/openapi.json"
    assert len({entry["identifier"] for entry in catalog["dataset"]}) == len(DATASETS)


def test_the_catalogs_modified_dates_come_from_the_data(client, county, settings):
    old = datetime(2024, 3, 5, 12, tzinfo=ZoneInfo("UTC"))
    Program.history.update(history_date=old)
    catalog = {entry["identifier"].rsplit("#", 1)[1]: entry for entry in client.get("/data.json").json()["dataset"]}
    assert catalog["programs"]["modified"] == "2024-03-05"
    assert catalog["schools"]["modified"] != "2024-03-05"


@pytest.mark.parametrize(
    ("path", "budget"),
    [("/open-data/", 2), ("/open-data/api/", 2), ("/data.json", 11)],
)
def test_the_pages_and_the_catalog_cost_a_fixed_number_of_queries(
    client, county, no_page_cache, django_assert_max_num_queries, path, budget
):
    with django_assert_max_num_queries(budget):
        assert client.get(path).status_code == 200
