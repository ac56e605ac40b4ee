"""Officers and their schools from a spreadsheet: the Officer admin's Import page and `import_officers`.

The sample (tests/data/officers_sample.csv) has three officers of 2026-27: a
supervisor with no school, an SRO serving a school given by its NCES ID and
one given by its name, and an SRO serving a third school. The same rows as an
Excel workbook are written by the `sample_xlsx` fixture.
"""

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from import_export.formats.base_formats import CSV

from programs.models import Assignment, Officer
from programs.officer_import import OfficerResource
from tests.factories import AgencyFactory, AssignmentFactory, OfficerFactory, SchoolFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parents[1] / "data" / "officers_sample.csv"
IMPORT_URL = reverse("admin:programs_officer_import")
CONFIRM_URL = reverse("admin:programs_officer_process_import")
CSV_FORMAT, XLSX_FORMAT = "0", "1"


@pytest.fixture
def agency():
    agency = AgencyFactory(name="Jefferson County Sheriff's Office", slug="jefferson")
    SchoolFactory(agency=agency, name="Example Elementary School", nces_id="290000000001")
    SchoolFactory(agency=agency, name="Example Middle School", nces_id="290000000002")
    SchoolFactory(agency=agency, name="Example High School", nces_id="290000000003")
    return agency


@pytest.fixture
def other_agency():
    other = AgencyFactory(name="Other County Police Department", slug="other")
    SchoolFactory(agency=other, name="Other High School", nces_id="290000000009")
    return other


@pytest.fixture
def editor(client, agency):
    call_command("add_editor", "jeff-editor", agency.slug, stdout=io.StringIO())
    user = get_user_model().objects.get(username="jeff-editor")
    client.force_login(user)
    client.user = user
    return client


def sample_rows():
    with SAMPLE.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def csv_bytes(rows, header=None, encoding="utf-8"):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header or list(rows[0]), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def sample_xlsx():
    return xlsx_bytes(sample_rows())


def upload(client, data, agency, name="officers.csv", file_format=CSV_FORMAT):
    """The first step: the preview."""
    return client.post(
        IMPORT_URL,
        {"agency": agency.pk, "format": file_format, "import_file": SimpleUploadedFile(name, data)},
    )


def confirm(client, preview):
    form = preview.context["confirm_form"]
    return client.post(CONFIRM_URL, {name: form.initial.get(name, "") for name in form.fields})


def import_in_admin(client, data, agency, **options):
    preview = upload(client, data, agency, **options)
    assert preview.context.get("confirm_form") is not None, preview.context["form"].errors
    return confirm(client, preview)


def totals(preview):
    result = preview.context["result"]
    return {kind: result.totals[kind] for kind in ("new", "update", "skip")}


def officer(first_name):
    return Officer.objects.get(first_name=first_name)


def schools_of(first_name, year=2026):
    return sorted(
        Assignment.objects.filter(officer__first_name=first_name, school_year=year).values_list(
            "school__name", flat=True
        )
    )


def run_command(path, *options, agency_slug="jefferson"):
    out = io.StringIO()
    call_command("import_officers", str(path), f"--agency={agency_slug}", *options, stdout=out, stderr=out)
    return out.getvalue()


# The preview, then the confirmation --------------------------------------------


def test_the_preview_counts_what_will_be_created_and_saves_nothing(editor, agency):
    preview = upload(editor, SAMPLE.read_bytes(), agency)
    assert preview.status_code == 200
    assert totals(preview) == {"new": 3, "update": 0, "skip": 0}
    assert preview.context.get("confirm_form") is not None
    html = preview.content.decode()
    assert "Confirm import" in html
    assert "290000000001; Example Middle School" not in html  # shown as the schools are found:
    assert "290000000001; 290000000002" in html, "each school, by its NCES ID, for the school year imported"
    assert "2026–27" in html
    assert not Officer.objects.exists()
    assert not Assignment.objects.exists()


def test_confirming_creates_the_officers_and_their_assignments(editor, agency):
    response = import_in_admin(editor, SAMPLE.read_bytes(), agency)
    assert response.status_code == 302
    assert Officer.objects.filter(agency=agency).count() == 3
    supervisor = officer("Jordan")
    assert supervisor.role == Officer.Role.SUPERVISOR
    assert supervisor.rank == "Sergeant"
    assert supervisor.phone.as_e164 == "+16365550101"
    assert supervisor.email == "jordan.example@example.org"
    assert schools_of("Jordan") == []
    assert schools_of("Casey") == ["Example Elementary School", "Example Middle School"]  # by NCES ID and by name
    assert schools_of("Riley") == ["Example High School"]
    assert officer("Casey").phone.as_e164 == "+16365550102", "a phone number starting with + is not a formula"


def test_an_excel_workbook_imports_like_the_csv_file(editor, agency, sample_xlsx):
    import_in_admin(editor, sample_xlsx, agency, name="officers.xlsx", file_format=XLSX_FORMAT)
    assert Officer.objects.count() == 3
    assert schools_of("Casey") == ["Example Elementary School", "Example Middle School"]


def test_empty_rows_of_a_workbook_are_ignored(editor, agency):
    rows = sample_rows()
    blank = dict.fromkeys(rows[0], None)
    import_in_admin(
        editor, xlsx_bytes([rows[0], blank, rows[1], blank]), agency, name="o.xlsx", file_format=XLSX_FORMAT
    )
    assert Officer.objects.count() == 2


def test_a_row_that_no_longer_fits_on_confirmation_saves_nothing(editor, agency):
    preview = upload(editor, SAMPLE.read_bytes(), agency)
    OfficerFactory(agency=agency, role=Officer.Role.SUPERVISOR)  # meanwhile, someone adds a supervisor
    response = confirm(editor, preview)
    assert response["Location"] == IMPORT_URL
    assert Officer.objects.count() == 1


def test_a_school_id_that_lost_its_leading_zeros_in_a_workbook_is_found(editor, agency):
    SchoolFactory(agency=agency, name="Leading Zero School", nces_id="010000000001")
    rows = [{**sample_rows()[2], "Schools": "10000000001"}]
    import_in_admin(editor, xlsx_bytes(rows), agency, name="officers.xlsx", file_format=XLSX_FORMAT)
    assert schools_of("Riley") == ["Leading Zero School"]


# Importing again --------------------------------------------------------------


def test_importing_the_same_file_again_changes_nothing(editor, agency):
    import_in_admin(editor, SAMPLE.read_bytes(), agency)
    officers, assignments = list(Officer.objects.order_by("pk").values()), Assignment.objects.count()
    history = Officer.history.count() + Assignment.history.count()
    preview = upload(editor, SAMPLE.read_bytes(), agency)
    assert totals(preview) == {"new": 0, "update": 0, "skip": 3}
    confirm(editor, preview)
    assert list(Officer.objects.order_by("pk").values()) == officers
    assert Assignment.objects.count() == assignments
    assert Officer.history.count() + Assignment.history.count() == history


def test_an_officer_is_found_by_email_or_by_name_and_updated_never_duplicated(editor, agency):
    by_name = OfficerFactory(agency=agency, first_name="Riley", last_name="Demo", rank="Officer", email="")
    by_email = OfficerFactory(agency=agency, first_name="Casey", last_name="Formerly", email="CASEY.SAMPLE@example.org")
    preview = upload(editor, SAMPLE.read_bytes(), agency)
    assert totals(preview) == {"new": 1, "update": 2, "skip": 0}
    # What changes is marked up as insertions and deletions, with no inline style the admin's CSP
    # would refuse (django-import-export's stylesheet colours them).
    html = preview.content.decode()
    assert "<ins>Sample</ins>" in html and "<del>Formerly</del>" in html
    assert " style=" not in html.split('class="import-preview"')[1].split("</table>")[0]
    confirm(editor, preview)
    assert Officer.objects.count() == 3
    by_name.refresh_from_db()
    by_email.refresh_from_db()
    assert by_name.rank == "Deputy"
    assert by_email.last_name == "Sample"
    assert by_email.version == 2, "an editor's form opened before the import is refused"


def test_existing_assignments_are_kept_and_new_ones_added_for_the_school_year(editor, agency):
    casey = OfficerFactory(agency=agency, first_name="Casey", last_name="Sample", email="casey.sample@example.org")
    high = agency.schools.get(name="Example High School")
    AssignmentFactory(officer=casey, school=high, school_year=2026)
    AssignmentFactory(officer=casey, school=high, school_year=2025)
    import_in_admin(editor, SAMPLE.read_bytes(), agency)
    assert schools_of("Casey") == ["Example Elementary School", "Example High School", "Example Middle School"]
    assert schools_of("Casey", year=2025) == ["Example High School"]


def test_a_column_left_out_leaves_the_field_as_it_is_and_an_empty_cell_empties_it(editor, agency):
    import_in_admin(editor, SAMPLE.read_bytes(), agency)
    rows = sample_rows()
    rows[1]["Email"] = ""
    header = [h for h in rows[0] if h != "Phone"]
    import_in_admin(editor, csv_bytes(rows, header=header), agency)
    casey = officer("Casey")
    assert casey.phone.as_e164 == "+16365550102"
    assert casey.email == ""


def test_undo_by_importing_the_previous_file_again(editor, agency):
    file_a = SAMPLE.read_bytes()
    rows = sample_rows()
    rows[1]["Phone"] = "636-555-0199"
    file_b = csv_bytes(rows)
    import_in_admin(editor, file_a, agency)
    import_in_admin(editor, file_b, agency)
    assert officer("Casey").phone.as_e164 == "+16365550199"
    import_in_admin(editor, file_a, agency)
    assert officer("Casey").phone.as_e164 == "+16365550102"
    assert Officer.objects.count() == 3


# Who and when -------------------------------------------------------------------


def test_history_records_who_imported_and_from_which_file(editor, agency):
    import_in_admin(editor, SAMPLE.read_bytes(), agency, name="fall-roster.csv")
    record = officer("Casey").history.first()
    assert record.history_type == "+"
    assert record.history_user == editor.user
    assert record.history_change_reason == "Imported from fall-roster.csv"
    assignment = Assignment.history.filter(officer_id=officer("Casey").pk).first()
    assert assignment.history_user == editor.user
    rows = sample_rows()
    rows[1]["Phone"] = "636-555-0199"
    import_in_admin(editor, csv_bytes(rows), agency, name="winter-roster.csv")
    change = officer("Casey").history.first()
    assert change.history_type == "~"
    assert change.history_user == editor.user
    assert change.history_change_reason == "Imported from winter-roster.csv"


# Scoped to the editor's agencies ------------------------------------------------


@pytest.mark.parametrize("other_school", ["290000000009", "Other High School"], ids=["by NCES ID", "by name"])
def test_a_school_of_another_agency_is_refused_in_its_row(editor, agency, other_agency, other_school):
    rows = sample_rows()
    rows[2]["Schools"] = other_school
    preview = upload(editor, csv_bytes(rows), agency)
    assert preview.context.get("confirm_form") is None
    invalid = preview.context["result"].invalid_rows
    assert [row.number + 1 for row in invalid] == [4]  # as the spreadsheet numbers it
    html = preview.content.decode()
    assert "is a school of another agency, not of Jefferson County Sheriff&#x27;s Office" in html
    assert '<th scope="row">4</th>' in html
    assert "Other County Police Department" not in html, "the other agency is not named"
    assert not Officer.objects.exists()
    assert not other_agency.schools.get().assignments.exists()


def test_an_editor_is_offered_only_their_agencies(editor, agency, other_agency):
    page = editor.get(IMPORT_URL)
    form = page.context["form"]
    assert list(form.fields["agency"].queryset) == [agency]
    assert form.fields["agency"].initial == agency.pk
    # Chosen in the page itself, not only in the form: the editor has nothing to pick.
    choices = re.search(r'<select name="agency".*?</select>', page.content.decode(), re.S).group()
    assert re.findall(r"<option[^>]*>", choices) == [f'<option value="{agency.pk}" selected>']


def test_an_editor_cannot_import_into_another_agency(editor, agency, other_agency):
    response = upload(editor, SAMPLE.read_bytes(), other_agency)
    assert "Select a valid choice" in response.content.decode()
    assert response.context.get("confirm_form") is None
    assert not Officer.objects.exists()


def test_a_confirmation_edited_to_name_another_agency_is_refused(editor, agency, other_agency):
    preview = upload(editor, SAMPLE.read_bytes(), agency)
    data = {name: preview.context["confirm_form"].initial.get(name, "") for name in preview.context["confirm_form"]}
    data["agency"] = other_agency.pk
    response = editor.post(CONFIRM_URL, data)
    assert response.status_code == 200
    assert not Officer.objects.exists()


def test_an_editor_of_two_agencies_chooses_one(client, agency, other_agency):
    call_command("add_editor", "both", agency.slug, stdout=io.StringIO())
    call_command("add_editor", "both", other_agency.slug, stdout=io.StringIO())
    client.force_login(get_user_model().objects.get(username="both"))
    form = client.get(IMPORT_URL).context["form"]
    assert set(form.fields["agency"].queryset) == {agency, other_agency}
    assert form.fields["agency"].initial is None
    response = client.post(IMPORT_URL, {"format": CSV_FORMAT, "import_file": SimpleUploadedFile("o.csv", b"x")})
    assert "This field is required" in response.content.decode()


def test_staff_without_officer_rights_cannot_import(client, agency):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True))
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(CONFIRM_URL, {}).status_code == 403


# Bad files change nothing ----------------------------------------------------------


def formula_file():
    rows = sample_rows()
    rows[1]["Title or rank"] = '=HYPERLINK("http://evil.example","Click")'
    return csv_bytes(rows)


def formula_workbook():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(sample_rows()[0]))
    sheet.append(["Casey", "Sample", "=1+2", "SRO", "", "", "2026", "290000000001"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


BAD_FILES = {
    "not UTF-8": (
        lambda: SAMPLE.read_text().replace("Riley", "José").encode("latin-1"),
        "officers.csv",
        CSV_FORMAT,
        "is not saved as UTF-8 text",
    ),
    "missing columns": (
        lambda: b"Name,Phone\nCasey Sample,636-555-0102\n",
        "officers.csv",
        CSV_FORMAT,
        "has no column &#x27;First name&#x27; or &#x27;Last name&#x27; or &#x27;Schools&#x27;",
    ),
    "an officer twice": (
        lambda: SAMPLE.read_bytes() + b"casey,SAMPLE,Deputy,SRO,,,2026,290000000003\n",
        "officers.csv",
        CSV_FORMAT,
        "lists the same officer more than once (casey SAMPLE on rows 3 and 5)",
    ),
    "a formula in a cell": (formula_file, "officers.csv", CSV_FORMAT, "which spreadsheet programs run as formulas"),
    "a formula in a workbook": (formula_workbook, "officers.xlsx", XLSX_FORMAT, "has formulas in cell C2"),
    "a workbook named as CSV": (
        lambda: xlsx_bytes(sample_rows()),
        "officers.csv",
        CSV_FORMAT,
        "is an Excel workbook, not a CSV file",
    ),
    "ragged rows": (
        lambda: SAMPLE.read_bytes() + b"Extra,Row,With,Too,Many,Cells,In,It,Here\n",
        "officers.csv",
        CSV_FORMAT,
        "has rows with more or fewer cells",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_refused_with_the_reason_and_changes_nothing(editor, agency, case):
    make, name, file_format, message = BAD_FILES[case]
    response = upload(editor, make(), agency, name=name, file_format=file_format)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context.get("confirm_form") is None
    assert not Officer.objects.exists()


def test_a_file_over_the_size_limit_is_refused(editor, agency, settings):
    settings.IMPORT_MAX_BYTES = 100
    response = upload(editor, SAMPLE.read_bytes(), agency)
    assert "more than the 0 MB accepted (setting IMPORT_MAX_BYTES)" in response.content.decode()
    assert not Officer.objects.exists()


@pytest.mark.parametrize("cell", ["=1+2", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"])
def test_cells_a_spreadsheet_would_run_are_refused(editor, agency, cell):
    rows = sample_rows()
    rows[2]["Last name"] = cell
    response = upload(editor, csv_bytes(rows), agency)
    assert "run as formulas (row 4, Last name)" in response.content.decode()
    assert not Officer.objects.exists()


ROW_ERRORS = {
    "Role": ("Chief", "&quot;Chief&quot; is not a role: write SRO or Supervisor."),
    "Phone": ("call me", "&quot;call me&quot; is not a phone number we can read"),
    "Email": ("not-an-address", "Enter a valid email address."),
    "School year": ("next year", "&quot;next year&quot; is not a school year"),
    "Schools": ("Nowhere Academy", "No school is called &quot;Nowhere Academy&quot; among the schools of"),
}


@pytest.mark.parametrize("column", list(ROW_ERRORS))
def test_a_bad_value_is_reported_in_its_row_in_plain_words(editor, agency, column):
    value, message = ROW_ERRORS[column]
    rows = sample_rows()
    rows[1][column] = value
    preview = upload(editor, csv_bytes(rows), agency)
    html = preview.content.decode()
    assert message in html
    assert "1 row cannot be imported" in html
    assert preview.context.get("confirm_form") is None
    assert not Officer.objects.exists()


def test_a_second_active_supervisor_is_refused(editor, agency):
    OfficerFactory(agency=agency, role=Officer.Role.SUPERVISOR)
    preview = upload(editor, SAMPLE.read_bytes(), agency)
    assert "This agency already has an active SRO supervisor." in preview.content.decode()
    assert Officer.objects.count() == 1


# The pages ---------------------------------------------------------------------------


def test_the_import_pages_render_for_an_editor_and_are_never_cached(editor, agency):
    changelist = editor.get(reverse("admin:programs_officer_changelist"))
    assert IMPORT_URL in changelist.content.decode()
    page = editor.get(IMPORT_URL)
    preview = upload(editor, SAMPLE.read_bytes(), agency)
    for response in (page, preview):
        assert response.status_code == 200
        assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    assert "One row per officer" in page.content.decode()


def test_a_confirmation_whose_file_has_expired_asks_to_upload_again(editor, agency):
    from django.core.cache import cache

    preview = upload(editor, SAMPLE.read_bytes(), agency)
    cache.clear()
    response = confirm(editor, preview)
    assert response.status_code == 302
    assert response["Location"] == IMPORT_URL
    assert not Officer.objects.exists()


# Export -------------------------------------------------------------------------------


def test_an_export_never_holds_a_formula(agency):
    OfficerFactory(agency=agency, first_name="=HYPERLINK(1)", last_name="@SUM(A1)", rank="-2+3", phone="")
    dataset = OfficerResource(agency=agency).export(Officer.objects.all())
    exported = CSV().export_data(dataset)
    assert "'=HYPERLINK(1)" in exported
    assert "'@SUM(A1)" in exported
    assert "'-2+3" in exported


def test_an_export_imports_back_unchanged(editor, agency):
    import_in_admin(editor, SAMPLE.read_bytes(), agency)
    exported = CSV().export_data(OfficerResource(agency=agency).export(Officer.objects.all())).encode()
    assert totals(upload(editor, exported, agency)) == {"new": 0, "update": 0, "skip": 3}


# The command ---------------------------------------------------------------------------


def test_the_command_imports_into_the_agency_and_reports(agency):
    out = run_command(SAMPLE)
    assert "created:   3" in out
    assert Officer.objects.filter(agency=agency).count() == 3
    assert officer("Casey").history.first().history_change_reason == "Imported from officers_sample.csv"
    out = run_command(SAMPLE)
    assert "unchanged: 3" in out


def test_the_command_dry_run_saves_nothing(agency):
    out = run_command(SAMPLE, "--dry-run")
    assert "created:   3" in out
    assert "Dry run: nothing was saved." in out
    assert not Officer.objects.exists()


def test_the_command_reads_a_workbook(agency, sample_xlsx, tmp_path):
    path = tmp_path / "officers.xlsx"
    path.write_bytes(sample_xlsx)
    run_command(path)
    assert Officer.objects.count() == 3


def test_the_command_refuses_a_row_of_another_agencys_school_and_saves_nothing(agency, other_agency, tmp_path):
    rows = sample_rows()
    rows[2]["Schools"] = "290000000009"
    path = tmp_path / "officers.csv"
    path.write_bytes(csv_bytes(rows))
    with pytest.raises(CommandError, match="nothing was changed"):
        run_command(path)
    assert not Officer.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"First name,Last name\n", "officers.csv", "has no column 'Schools'"),
        (b"x", "officers.txt", "is neither a .csv nor an .xlsx file"),
    ],
)
def test_the_command_refuses_a_bad_file(agency, tmp_path, content, name, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run_command(path)


def test_the_command_names_the_agencies_when_the_slug_is_unknown(agency):
    with pytest.raises(CommandError, match="No agency has the slug 'nowhere'. Agencies: jefferson"):
        run_command(SAMPLE, agency_slug="nowhere")


def test_the_example_file_the_docs_offer_imports_into_the_demo_site():
    """README and docs/editors/imports.md hand newcomers this file to try on `make run`'s demo."""
    call_command("load_demo", stdout=io.StringIO())
    out = io.StringIO()
    example = Path(__file__).parents[2] / "docs" / "editors" / "examples" / "officers_for_the_demo.csv"
    call_command("import_officers", str(example), "--agency=jefferson-county-sheriffs-office", stdout=out, stderr=out)
    assert "created:   2" in out.getvalue()
    riley = Officer.objects.get(first_name="Riley", last_name="Demo")
    assert sorted(riley.assignments.values_list("school__name", flat=True)) == [
        "Example Elementary School (Jefferson County)",
        "Example High School (Jefferson County)",
    ]
