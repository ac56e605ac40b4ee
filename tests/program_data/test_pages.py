"""The public pages of programs' yearly figures (issue 13): a program's "Program data" page and its
CSV, and a state's comparison. Charts, definitions, sources, example labels, and a CSV that says
exactly what the page says."""

import csv
import io
import re
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from program_data.measures import MEASURES
from program_data.models import FigureSet
from programs.models import Program, current_school_year, format_school_year
from tests.factories import FigureSetFactory, ProgramFactory, SchoolFactory, StateFactory, UserFactory

pytestmark = pytest.mark.django_db

DATA = "/programs/{}/data/"
CSV = "/programs/{}/data.csv"


@pytest.fixture
def demo():
    call_command("load_demo", stdout=StringIO())


class Tables(HTMLParser):
    """Every <table> of a page: its caption and its rows of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables, self.cell, self.row, self.caption = [], None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self.caption = ""
        elif tag == "tr":
            self.row = []
        elif tag in ("th", "td"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "caption":
            self.tables[-1]["caption"], self.caption = " ".join(self.caption.split()), None
        elif tag in ("th", "td"):
            self.row.append(" ".join(self.cell.split()))
            self.cell = None
        elif tag == "tr":
            self.tables[-1]["rows"].append(self.row)

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        elif self.caption is not None:
            self.caption += data


def tables_of(html):
    parser = Tables()
    parser.feed(html)
    return {t["caption"]: t["rows"][1:] for t in parser.tables}  # without the header row


def csv_of(client, slug):
    response = client.get(CSV.format(slug))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="{slug}-yearly-figures.csv"' in response["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def number(text):
    return text.replace(",", "")


@pytest.mark.parametrize("slug", ["st-charles-county", "jefferson-county"])
def test_the_csv_says_exactly_what_the_page_says(client, demo, slug):
    page = tables_of(client.get(DATA.format(slug)).content.decode())
    from_csv = {}
    for row in csv_of(client, slug):
        if row["Breakdown"]:
            caption = f"{row['Measure']} in {row['School year']}, by {row['Breakdown']}"
            from_csv.setdefault(caption, []).append([row["Group or school"], row["Figure"]])
        else:
            caption = f"{row['Measure']}, by school year"
            rate = row["Per 1,000 students enrolled"] or "no rate"
            year = row["School year"] + (" Example" if row["Example figures (not real)"] == "yes" else "")
            from_csv.setdefault(caption, []).append([year, row["Figure"], rate])
    from_page = {
        caption: [[row[0], *(number(cell) for cell in row[1:])] for row in rows]
        for caption, rows in page.items()
        if caption in from_csv or " by " in caption and not caption.startswith("Each school year")
    }
    assert from_page == from_csv
    # Suppression included: both say "fewer than 10" and "not shown" in the same places.
    texts = {cell for rows in from_csv.values() for row in rows for cell in row}
    assert {"fewer than 10", "not shown"} <= texts


def test_small_counts_never_appear_as_numbers_on_the_page_or_in_the_csv(client, demo):
    for slug in ("st-charles-county", "jefferson-county"):
        for row in csv_of(client, slug):
            if row["Measure"] in {m.label for m in MEASURES if m.counts_students}:
                assert not (row["Figure"].isdigit() and 0 < int(row["Figure"]) < 10), row
        for caption, rows in tables_of(client.get(DATA.format(slug)).content.decode()).items():
            if any(caption.startswith(str(m.label)) for m in MEASURES if m.counts_students):
                assert not [row for row in rows if re.fullmatch(r"[1-9]", row[1])], caption


def test_demo_figures_are_examples_for_two_school_years_in_both_counties(demo):
    this_year = current_school_year()
    for slug in ("st-charles-county", "jefferson-county"):
        sets = FigureSet.objects.filter(program__slug=slug).order_by("school_year")
        assert [s.school_year for s in sets] == [this_year - 2, this_year - 1]
        assert all(s.is_example for s in sets)
        assert all("not from the" in s.source for s in sets)


def test_example_figures_are_marked_as_examples_everywhere_they_appear(client, demo):
    for slug in ("st-charles-county", "jefferson-county"):
        html = client.get(DATA.format(slug)).content.decode()
        assert "Example figures, not real" in html
        assert html.count('class="usa-tag">Example<') >= 10
        assert "(example figures, not real)" in html  # every chart's title
        rows = csv_of(client, slug)
        assert {row["Example figures (not real)"] for row in rows} == {"yes"}
        assert all("not from the" in row["Source"] for row in rows)
    state = client.get("/states/mo/data/").content.decode()
    assert "Example figures, not real" in state
    assert "St. Charles County (example)" in state  # in the chart
    assert state.count('class="usa-tag">Example<') >= 2


def test_not_collected_is_shown_apart_from_zero(client, demo):
    tables = tables_of(client.get(DATA.format("st-charles-county")).content.decode())
    earlier, later = (format_school_year(current_school_year() - n) for n in (2, 1))
    use_of_force = tables["Use-of-force incidents, by school year"]
    assert use_of_force == [[f"{earlier} Example", "not collected", "no rate"], [f"{later} Example", "0", "0.0"]]


def test_each_measure_is_shown_with_its_definition_a_chart_and_a_table(client, demo):
    html = client.get(DATA.format("st-charles-county")).content.decode()
    tables = tables_of(html)
    for measure in MEASURES:
        assert escape(str(measure.definition)) in html
        assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
        assert f'aria-labelledby="chart-{measure.key}-title" aria-describedby="chart-{measure.key}-summary"' in html
        assert f'<p id="chart-{measure.key}-summary"' in html
        assert f"{measure.label}, by school year" in tables
    assert "<script" not in html.replace('<script type="application/ld+json">', "")
    assert "Students referred: 23 in" in html  # the chart's summary says its numbers


def test_the_agencys_estimate_stays_labelled_as_its_estimate(client, demo):
    html = client.get(DATA.format("st-charles-county")).content.decode()
    assert "60%" in html
    assert "The agency's estimate, not worked out from the yearly figures on this page" in html


def test_data_through_dates_and_sources_are_given(client, demo):
    html = client.get(DATA.format("jefferson-county")).content.decode()
    year = current_school_year() - 1
    assert f"June 30, {year + 1}" in html
    assert "Jefferson County Sheriff&#x27;s Office" in html
    assert "Not given" in html  # the example's second year has no enrollment: no rates


def test_the_program_page_and_the_state_page_link_to_the_figures(client, demo):
    assert 'href="/programs/jefferson-county/data/"' in client.get("/programs/jefferson-county/").content.decode()
    assert 'href="/states/mo/data/"' in client.get("/states/mo/").content.decode()
    assert 'href="/programs/jefferson-county/data.csv"' in client.get(DATA.format("jefferson-county")).content.decode()


def test_the_state_page_compares_programs_that_published_a_measure_per_1000_students(client, demo):
    latest = format_school_year(current_school_year() - 1)
    html = client.get("/states/mo/data/").content.decode()
    tables = tables_of(html)
    referrals = tables[f"Referrals to law enforcement, {latest}: the programs that counted it"]
    assert referrals == [
        ["Jefferson County Example", "27", "Not given", "no rate", f"June 30, {current_school_year()}"],
        ["St. Charles County Example", "19", "7,920", "2.4", f"June 30, {current_school_year()}"],
    ]
    # Jefferson did not collect students reached that year: only St. Charles is compared on it.
    reached = tables[f"Students reached by presentations, {latest}: the programs that counted it"]
    assert [row[0] for row in reached] == ["St. Charles County Example"]
    assert "Referrals to law enforcement per 1,000 students enrolled" in html


def test_the_state_page_has_a_page_for_each_school_year(client, demo):
    earlier = current_school_year() - 2
    html = client.get("/states/mo/data/").content.decode()
    assert f'href="/states/mo/data/{earlier}/"' in html
    older = client.get(f"/states/mo/data/{earlier}/")
    assert older.status_code == 200
    assert format_school_year(earlier) in older.content.decode()
    assert client.get("/states/mo/data/1999/").status_code == 404
    assert client.get("/states/MO/data/").status_code == 301


def test_a_state_without_figures_says_so(client):
    ProgramFactory()
    html = client.get("/states/mo/data/").content.decode()
    assert "No program in Missouri has published yearly figures yet." in html


def test_a_program_without_figures_says_so(client):
    program = ProgramFactory()
    html = client.get(DATA.format(program.slug)).content.decode()
    assert "has not published yearly figures yet" in html


def test_a_drafts_figures_are_hidden_from_the_public_and_shown_to_its_staff(client):
    figures = FigureSetFactory(program__status=Program.Status.DRAFT)
    slug = figures.program.slug
    assert client.get(DATA.format(slug)).status_code == 404
    assert client.get(CSV.format(slug)).status_code == 404
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(DATA.format(slug))
    assert response.status_code == 200
    assert "Draft preview" in response.content.decode()


def test_a_drafts_figures_are_left_out_of_the_state_comparison(client):
    FigureSetFactory(program__agency__county="Published")
    FigureSetFactory(program__agency__county="Drafted", program__status=Program.Status.DRAFT)
    html = client.get("/states/mo/data/").content.decode()
    assert "Published County" in html
    assert "Drafted County" not in html


# Query counts: the same for one year, one school and one program as for many.

PROGRAM_DATA_BUDGET = 4  # the program (agency, state), its outcomes, its figure sets, the schools they name
STATE_DATA_BUDGET = 3  # the state, its school years with figures, that year's figure sets with their programs


def render(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    return len(captured.captured_queries)


def program_with_years(years, schools):
    program = ProgramFactory()
    ids = [str(SchoolFactory(agency=program.agency).pk) for _ in range(schools)]
    for year in range(2025 - years + 1, 2026):
        FigureSetFactory(
            program=program,
            school_year=year,
            figures={
                "referrals": {"count": 12 * schools, "by": {"school": dict.fromkeys(ids, 12)}},
                "arrests": {"count": 3 * schools, "by": {"school": dict.fromkeys(ids, 3)}},
            },
        )
    return program


def test_the_program_data_page_costs_the_same_queries_for_one_year_and_for_many(
    client, no_page_cache, django_assert_max_num_queries
):
    client.get("/")  # steady state: the alert banner's list is in the cache
    small, large = program_with_years(1, 1), program_with_years(12, 40)
    with django_assert_max_num_queries(PROGRAM_DATA_BUDGET):
        one = render(client, DATA.format(small.slug))
    with django_assert_max_num_queries(PROGRAM_DATA_BUDGET):
        many = render(client, DATA.format(large.slug))
    assert one == many
    assert render(client, CSV.format(small.slug)) == render(client, CSV.format(large.slug)) == one


def test_the_state_data_page_costs_the_same_queries_for_one_program_and_for_many(
    client, no_page_cache, django_assert_max_num_queries
):
    client.get("/")
    FigureSetFactory(program__agency__state=StateFactory(code="KS", name="Kansas"))
    for _ in range(30):
        FigureSetFactory()
    FigureSetFactory(school_year=2024)
    with django_assert_max_num_queries(STATE_DATA_BUDGET):
        one = render(client, "/states/ks/data/")
    with django_assert_max_num_queries(STATE_DATA_BUDGET):
        many = render(client, "/states/mo/data/")
    assert one == many


# The page cache: a change to a year's figures re-renders the pages that show them.


def cached(client, url):
    return client.get(url).get("X-Page-Cache") == "hit"


def test_changing_figures_re_renders_the_program_and_state_pages(client, django_capture_on_commit_callbacks):
    figures = FigureSetFactory(program__agency__county="Jefferson")
    other = FigureSetFactory(program__agency__county="Franklin")
    pages = [DATA.format(figures.program.slug), CSV.format(figures.program.slug), "/states/mo/data/"]
    untouched = DATA.format(other.program.slug)
    for url in [*pages, untouched]:
        client.get(url)
        assert cached(client, url), url
    with django_capture_on_commit_callbacks(execute=True):
        figures.figures = {"referrals": {"count": 4321}}
        figures.save()
    for url in pages:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "4321" in response.content.decode().replace(",", ""), url
    assert cached(client, untouched)


def test_deleting_figures_re_renders_the_pages(client, django_capture_on_commit_callbacks):
    figures = FigureSetFactory()
    url = DATA.format(figures.program.slug)
    client.get(url)
    assert cached(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        figures.delete()
    assert "has not published yearly figures yet" in client.get(url).content.decode()


def test_unpublishing_a_program_takes_its_figures_off_the_state_page(client, django_capture_on_commit_callbacks):
    figures = FigureSetFactory(program__agency__county="Leaving")
    client.get("/states/mo/data/")
    FigureSetFactory(program__agency__county="Staying")
    with django_capture_on_commit_callbacks(execute=True):
        figures.program.status = Program.Status.DRAFT
        figures.program.save()
    html = client.get("/states/mo/data/").content.decode()
    assert "Leaving County" not in html
    assert client.get(DATA.format(figures.program.slug)).status_code == 404


# The demo's example figures and load_demo --reset.


def test_reset_brings_example_figures_back_and_leaves_real_ones_alone(demo):
    this_year = current_school_year()
    example = FigureSet.objects.get(program__slug="st-charles-county", school_year=this_year - 1)
    example.figures = {"referrals": {"count": 1}}
    example.save()
    real = FigureSet.objects.get(program__slug="jefferson-county", school_year=this_year - 1)
    real.is_example = False  # staff entered the county's real figures for that year
    real.figures = {"referrals": {"count": 44}}
    real.save()
    before = FigureSet.objects.count()
    call_command("load_demo", "--reset", stdout=StringIO())
    call_command("load_demo", "--reset", stdout=StringIO())
    assert FigureSet.objects.count() == before
    example.refresh_from_db()
    assert example.figures["referrals"]["count"] == 19
    real.refresh_from_db()
    assert (real.is_example, real.figures) == (False, {"referrals": {"count": 44}})


def test_a_school_no_longer_on_the_site_keeps_its_figures_unnamed(client, demo):
    from programs.models import School

    School.objects.filter(slug="example-elementary-jefferson").delete()
    html = client.get(DATA.format("jefferson-county")).content.decode()
    assert "A school no longer on this site" in html
