"""`import_schools`: an agency's schools from the federal school directory (NCES CCD public school file).

The sample file (tests/data/ccd_school_directory_sample.csv) is in the published
layout, 65 columns, with synthetic schools: in Missouri, district 2999901 has
8 rows (one closed, one future) and district 2999902 has 6 (one inactive);
one more row is a school in Illinois. So 11 schools are open in Missouri.
"""

import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from programs.models import School
from tests.factories import AgencyFactory, ProgramFactory, SchoolFactory, StateFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parents[1] / "data" / "ccd_school_directory_sample.csv"
OPEN_IN_MISSOURI = 11
DISTRICT_2 = "2999902"
OPEN_IN_DISTRICT_2 = 5


@pytest.fixture
def agency():
    return AgencyFactory(slug="jefferson", state=StateFactory(code="MO"))


def run(path, *options, agency_slug="jefferson"):
    out = io.StringIO()
    call_command("import_schools", str(path), f"--agency={agency_slug}", *options, stdout=out)
    return out.getvalue()


def sample_rows():
    with SAMPLE.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write_rows(path, rows, header=None, encoding="utf-8"):
    header = header or list(rows[0])
    with path.open("w", newline="", encoding=encoding) as f:
        writer = csv.DictWriter(f, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def row_of(rows, nces_id):
    return next(row for row in rows if row["NCESSCH"] == nces_id)


def snapshot():
    return list(School.objects.order_by("pk").values())


# Counts on the first and the second import -----------------------------------


def test_the_first_import_creates_the_open_schools_of_the_agencys_state(agency):
    out = run(SAMPLE)
    assert "created:   11" in out
    assert "updated:   0" in out
    assert "unchanged: 0" in out
    assert "skipped:   4" in out
    for reason in ["1 closed", "1 inactive", "1 not open yet (future)", "1 in another state than MO"]:
        assert reason in out
    assert School.objects.filter(agency=agency).count() == OPEN_IN_MISSOURI


def test_importing_the_same_file_again_changes_nothing(agency):
    run(SAMPLE)
    before, history = snapshot(), School.history.count()
    out = run(SAMPLE)
    assert "created:   0" in out
    assert "updated:   0" in out
    assert f"unchanged: {OPEN_IN_MISSOURI}" in out
    assert snapshot() == before
    assert School.history.count() == history


def test_next_years_file_updates_the_schools_and_never_duplicates_them(agency, tmp_path):
    run(SAMPLE)
    school = School.objects.get(nces_id="299990100002")
    rows = sample_rows()
    row_of(rows, "299990100002").update(SCH_NAME="Example Junior High School", PHONE="(636)555-0199")
    new_school = {**row_of(rows, "299990100003"), "NCESSCH": "299990100009", "SCH_NAME": "Example New Academy"}
    out = run(write_rows(tmp_path / "next-year.csv", [*rows, new_school]))
    assert "created:   1" in out
    assert "updated:   1" in out
    assert f"unchanged: {OPEN_IN_MISSOURI - 1}" in out
    assert School.objects.count() == OPEN_IN_MISSOURI + 1
    updated = School.objects.get(pk=school.pk)
    assert updated.name == "Example Junior High School"
    assert updated.phone.as_e164 == "+16365550199"
    assert updated.slug == school.slug, "a changed name keeps the page's address"
    assert updated.version == school.version + 1, "an editor's form opened before the import is refused"


def test_an_empty_value_in_the_file_keeps_what_an_editor_entered(agency):
    run(SAMPLE)
    School.objects.filter(nces_id="299990100007").update(website="https://career.example.org/")
    out = run(SAMPLE)
    assert "updated:   0" in out
    assert School.objects.get(nces_id="299990100007").website == "https://career.example.org/"


def test_the_directorys_values_are_read_as_the_site_shows_them(agency):
    run(SAMPLE)
    middle = School.objects.get(nces_id="299990100002")
    assert middle.name == "Example Middle School"
    assert middle.district == "Example R-1 School District"
    assert middle.nces_district_id == "2999901"
    assert (middle.street_address, middle.city, middle.postal_code) == ("200 Example Road", "Hillsboro", "63050")
    assert middle.phone.as_e164 == "+16365550102"
    assert middle.website == "https://www.example.org/middle", "a website without its scheme gets https://"
    assert middle.level == School.Level.MIDDLE
    assert middle.grades == "Grades 6–8"
    early = School.objects.get(nces_id="299990200005")
    assert (early.phone, early.website) == ("", ""), "M (missing) is no phone and no website"
    assert early.grades == "Grade Pre-K"
    assert School.objects.get(nces_id="299990200003").name == 'Example "Pathways" High School'


def test_an_imported_school_is_recorded_in_its_history(agency):
    run(SAMPLE)
    record = School.history.get(nces_id="299990100001")
    assert record.history_type == "+"
    assert "federal school directory" in record.history_change_reason


# Choosing what is imported ----------------------------------------------------


def test_the_district_option_imports_one_district_only(agency):
    out = run(SAMPLE, f"--district={DISTRICT_2}")
    assert f"created:   {OPEN_IN_DISTRICT_2}" in out
    assert "8 in another district" in out
    assert set(School.objects.values_list("nces_district_id", flat=True)) == {DISTRICT_2}


def test_the_district_option_may_be_given_twice(agency):
    run(SAMPLE, "--district=2999901", f"--district={DISTRICT_2}")
    assert School.objects.count() == OPEN_IN_MISSOURI


def test_a_district_that_is_not_in_the_file_is_pointed_out(agency):
    out = run(SAMPLE, "--district=2900001")
    assert "No school in the file has the district ID 2900001." in out
    assert School.objects.count() == 0


def test_a_district_id_that_is_not_seven_digits_is_refused(agency):
    with pytest.raises(CommandError, match="district"):
        run(SAMPLE, "--district=R-1")


def test_a_dry_run_reports_and_writes_nothing(agency, tmp_path):
    out = run(SAMPLE, "--dry-run")
    assert "created:   11" in out
    assert "Dry run: nothing was saved." in out
    assert School.objects.count() == 0
    run(SAMPLE)
    before = snapshot()
    rows = sample_rows()
    row_of(rows, "299990100001")["SCH_NAME"] = "Renamed Elementary"
    out = run(write_rows(tmp_path / "changed.csv", rows), "--dry-run")
    assert "updated:   1" in out
    assert snapshot() == before


def test_closed_inactive_and_future_schools_are_not_imported(agency):
    run(SAMPLE)
    names = set(School.objects.values_list("name", flat=True))
    assert not names & {"Example Closed Elementary School", "Example Inactive School", "Example Future Academy"}


def test_a_school_on_the_site_that_has_closed_is_reported_and_kept(agency, tmp_path):
    run(SAMPLE)
    rows = sample_rows()
    row_of(rows, "299990100003")["SY_STATUS_TEXT"] = "Closed"
    out = run(write_rows(tmp_path / "closed.csv", rows))
    assert "2 closed" in out
    assert "Not open according to the file, but on the site" in out and "Example High School" in out
    assert School.objects.filter(nces_id="299990100003").exists()


def test_a_school_entered_by_hand_is_found_by_name_and_city_and_given_its_nces_id(agency):
    by_hand = SchoolFactory(agency=agency, name="Example High School", city="Hillsboro", slug="our-high-school")
    out = run(SAMPLE)
    assert "created:   10" in out
    assert "updated:   1 (1 entered by hand, found by name and city)" in out
    by_hand.refresh_from_db()
    assert (by_hand.nces_id, by_hand.slug) == ("299990100003", "our-high-school")
    assert School.objects.count() == OPEN_IN_MISSOURI


def test_a_school_another_agency_has_is_left_alone(agency):
    theirs = SchoolFactory(nces_id="299990100001", name="Their School")
    out = run(SAMPLE)
    assert "1 already a school of another agency" in out
    assert School.objects.get(pk=theirs.pk).name == "Their School"
    assert School.objects.get(pk=theirs.pk).agency_id == theirs.agency_id
    assert School.objects.filter(agency=agency).count() == OPEN_IN_MISSOURI - 1


def test_slugs_are_made_from_name_and_city_and_never_clash(agency):
    SchoolFactory(slug="example-elementary-school-hillsboro")
    run(SAMPLE)
    slugs = dict(School.objects.filter(agency=agency).values_list("nces_id", "slug"))
    assert slugs["299990100001"] == "example-elementary-school-hillsboro-2"
    assert slugs["299990100008"] == "example-elementary-school-festus"
    assert slugs["299990200001"] == "example-elementary-school-arnold"
    assert len(set(School.objects.values_list("slug", flat=True))) == School.objects.count()


def test_ids_that_lost_their_leading_zero_in_a_spreadsheet_are_read_right(tmp_path):
    AgencyFactory(slug="mobile", state=StateFactory(code="AL", name="Alabama"))
    row = {**sample_rows()[0], "NCESSCH": "10000500870", "LEAID": "100005", "LSTATE": "AL", "LZIP": "6520"}
    run(write_rows(tmp_path / "excel.csv", [row]), agency_slug="mobile")
    school = School.objects.get()
    assert (school.nces_id, school.nces_district_id, school.postal_code) == ("010000500870", "0100005", "06520")


def test_a_doubled_quote_in_an_unquoted_field_is_read_as_one(agency, tmp_path):
    text = SAMPLE.read_text(encoding="utf-8").replace("Example Career Center", 'Example ""Bridges"" Career Center')
    (tmp_path / "quotes.csv").write_text(text, encoding="utf-8")
    run(tmp_path / "quotes.csv")
    assert School.objects.get(nces_id="299990100007").name == 'Example "Bridges" Career Center'


def test_the_imported_schools_show_on_the_public_pages_at_once(agency, client, django_capture_on_commit_callbacks):
    program = ProgramFactory(agency=agency)
    SchoolFactory(agency=agency, name="Example High School", city="Hillsboro")  # entered by hand
    for path in (program.get_absolute_url(), "/schools/?q=Example"):
        assert "Example Career Center" not in client.get(path).content.decode()  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        run(SAMPLE)
    assert "Example Career Center" in client.get(program.get_absolute_url()).content.decode()
    assert "Example Career Center" in client.get("/schools/?q=Example").content.decode()
    school = School.objects.get(nces_id="299990100003")
    page = client.get(school.get_absolute_url()).content.decode()
    assert "Grades 9–12" in page and "300 Example Road, Hillsboro 63050" in page and "(636) 555-0103" in page


def test_schools_are_written_in_batches_not_a_query_each(agency, tmp_path, django_assert_max_num_queries):
    row = sample_rows()[0]
    many = [{**row, "NCESSCH": f"2999901{n:05d}", "SCH_NAME": f"Example School {n}"} for n in range(300)]
    # SQLite takes about 45 schools an insert (its 999 parameters), PostgreSQL 1,000.
    with django_assert_max_num_queries(30):
        run(write_rows(tmp_path / "many.csv", many))
    assert School.objects.count() == 300


# Bad files: a clear message, and nothing changed ------------------------------


@pytest.fixture
def imported(agency):
    """The sample imported, so that a refused file is seen to change nothing."""
    run(SAMPLE)
    return snapshot()


def refused(path, *messages):
    with pytest.raises(CommandError) as error:
        run(path)
    for message in [*messages, "Nothing was changed."]:
        assert message in str(error.value)
    return str(error.value)


def changed_sample(rows):
    """The sample with every school renamed: an import that went through would change them all."""
    for row in rows:
        row["SCH_NAME"] += " (renamed)"
    return rows


def test_a_file_without_the_required_columns_is_refused_and_they_are_named(imported, tmp_path):
    rows = changed_sample(sample_rows())
    header = [name for name in rows[0] if name not in ("SCH_NAME", "LCITY")]
    refused(write_rows(tmp_path / "cut.csv", rows, header=header), "missing the columns SCH_NAME, LCITY")
    assert snapshot() == imported


def test_a_file_listing_a_school_twice_is_refused_with_the_lines(imported, tmp_path):
    rows = changed_sample(sample_rows())
    rows.append(rows[1])
    refused(write_rows(tmp_path / "twice.csv", rows), "299990100002 on lines 3, 17")
    assert snapshot() == imported


def test_a_file_over_the_size_limit_is_refused(imported, settings):
    settings.IMPORT_MAX_BYTES = 1000
    refused(SAMPLE, "more than", "IMPORT_MAX_BYTES")
    assert snapshot() == imported


def test_a_file_in_neither_utf8_nor_windows_1252_is_refused(imported, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(SAMPLE.read_bytes().replace(b"Example Middle", b"Example \x81 Middle"))
    refused(path, "neither UTF-8 nor Windows-1252", "Save it as CSV UTF-8")
    assert snapshot() == imported


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "is empty"),
        (b"\n\n", "is empty"),
        (b"PK\x03\x04rest of a zip", "ZIP archive: unzip it"),
        (b"\x00\x01\x02binary", "not a text file"),
    ],
    ids=["empty", "blank lines", "zip", "binary"],
)
def test_a_file_that_is_no_csv_is_refused(imported, tmp_path, content, message):
    path = tmp_path / "wrong.csv"
    path.write_bytes(content)
    refused(path, message)
    assert snapshot() == imported


def test_the_zip_as_downloaded_is_refused_with_what_to_do(agency, tmp_path):
    path = tmp_path / "ccd_sch_029.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(SAMPLE, "ccd_sch_029.csv")
    refused(path, "unzip it and import the .csv file inside")


def test_a_missing_file_or_a_folder_is_refused(agency, tmp_path):
    refused(tmp_path / "nowhere.csv", "Cannot open")
    refused(tmp_path, "Cannot read")


def test_a_file_the_csv_reader_chokes_on_is_refused(imported, tmp_path):
    path = tmp_path / "huge-field.csv"
    path.write_text(SAMPLE.read_text(encoding="utf-8") + '"' + "x" * 200_000 + '",1\n', encoding="utf-8")
    refused(path, "cannot be read as CSV")
    assert snapshot() == imported


def test_an_unknown_agency_is_refused_with_the_ones_there_are(agency):
    with pytest.raises(CommandError, match="No agency has the slug 'nowhere'. Agencies: jefferson"):
        run(SAMPLE, agency_slug="nowhere")


# Encodings the directory has been published in --------------------------------


def test_a_windows_1252_file_is_read_with_a_note(agency, tmp_path):
    rows = sample_rows()
    row_of(rows, "299990100001")["SCH_NAME"] = "Example Peña Elementary School"
    out = run(write_rows(tmp_path / "cp1252.csv", rows, encoding="cp1252"))
    assert "read as Windows-1252" in out
    assert School.objects.get(nces_id="299990100001").name == "Example Peña Elementary School"


def test_a_utf8_file_with_a_byte_order_mark_is_read(agency, tmp_path):
    rows = sample_rows()
    row_of(rows, "299990100001")["SCH_NAME"] = "Example Peña Elementary School"
    header = ["NCESSCH", *(name for name in rows[0] if name != "NCESSCH")]  # the BOM sticks to the first column
    out = run(write_rows(tmp_path / "bom.csv", rows, header=header, encoding="utf-8-sig"))
    assert "Windows-1252" not in out
    assert School.objects.get(nces_id="299990100001").name == "Example Peña Elementary School"


def test_a_tab_separated_file_is_read(agency, tmp_path):
    path = tmp_path / "tabs.txt"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(sample_rows()[0]), delimiter="\t")
        writer.writeheader()
        writer.writerows(sample_rows())
    run(path)
    assert School.objects.count() == OPEN_IN_MISSOURI


# The model -------------------------------------------------------------------


def test_two_schools_cannot_have_the_same_nces_id():
    SchoolFactory(nces_id="290000100001")
    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolFactory(nces_id="290000100001")


def test_schools_without_an_nces_id_are_many():
    SchoolFactory(nces_id="")
    SchoolFactory(nces_id="")
    assert School.objects.filter(nces_id="").count() == 2


def test_an_editor_is_told_when_the_nces_id_is_taken_or_malformed():
    SchoolFactory(nces_id="290000100001")
    school = SchoolFactory.build(agency=AgencyFactory(), nces_id="290000100001")
    with pytest.raises(ValidationError, match="Another school already has this NCES school ID"):
        school.full_clean()
    school.nces_id = "29-1"
    with pytest.raises(ValidationError, match="12 digits"):
        school.full_clean()
