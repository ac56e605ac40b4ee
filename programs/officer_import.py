"""Officers and their schools from a spreadsheet (CSV or Excel .xlsx), through django-import-export.

One row per officer; the columns (any order, any capitalisation):

  First name, Last name       required
  Schools                     required column: the schools the officer serves, by
                              NCES school ID or by name, several separated by ";"
  Title or rank, Role, Phone, Email, School year     optional columns

The admin's Import page (programs/admin/content.py) and `import_officers` use
the same resource (OfficerResource) and the same file checks (read_spreadsheet).

Rules the import keeps:
- rows go into one agency, chosen by the person importing among their own;
  a row naming a school of another agency is refused, with the reason;
- an officer is found by email, or else by first and last name, within the
  agency: importing the same file again changes nothing, and importing an
  older file puts its values back (an empty cell empties the field; a
  column left out of the file leaves that field as it is);
- assignments are added for the row's school year and never removed;
- a bad file changes nothing and says why (SpreadsheetError): too large, not
  UTF-8, unreadable, required columns missing, an officer listed twice, or a
  cell that a spreadsheet program would run as a formula;
- every save goes through the model's save(), so history records who imported
  what and when, and the pages showing the officers are marked stale.
"""

import csv
import io
import re
import zipfile

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV, XLSX
from phonenumber_field.phonenumber import PhoneNumber
from phonenumbers import NumberParseException

from .models import Assignment, Officer, School, current_school_year, format_school_year

FORMATS = [CSV, XLSX]

# Column names as written in the file, by the name the import knows them by.
COLUMNS = {
    "first_name": "First name",
    "last_name": "Last name",
    "rank": "Title or rank",
    "role": "Role",
    "phone": "Phone",
    "email": "Email",
    "school_year": "School year",
    "schools": "Schools",
}
REQUIRED = ("first_name", "last_name", "schools")
# Other ways people head these columns; compared without case, spaces or punctuation.
ALIASES = {
    "firstname": "first_name",
    "givenname": "first_name",
    "lastname": "last_name",
    "surname": "last_name",
    "familyname": "last_name",
    "title": "rank",
    "rank": "rank",
    "titleorrank": "rank",
    "titlerank": "rank",
    "rankortitle": "rank",
    "role": "role",
    "phone": "phone",
    "phonenumber": "phone",
    "telephone": "phone",
    "email": "email",
    "emailaddress": "email",
    "schoolyear": "school_year",
    "year": "school_year",
    "schools": "schools",
    "school": "schools",
}
ROLES = {
    "sro": Officer.Role.SRO,
    "schoolresourceofficer": Officer.Role.SRO,
    "officer": Officer.Role.SRO,
    "supervisor": Officer.Role.SUPERVISOR,
    "srosupervisor": Officer.Role.SUPERVISOR,
}
SCHOOL_SEPARATOR = ";"
# What spreadsheet programs take for the start of a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PHONE_LIKE = re.compile(r"^\+?[\d\s().-]{7,}$")
EXAMPLES_SHOWN = 5


class SpreadsheetError(Exception):
    """The file cannot be imported; the message says why and what to do."""


def _key(text):
    return re.sub(r"[^a-z]", "", str(text or "").casefold())


def looks_like_a_formula(value):
    """True for a cell a spreadsheet program would run as a formula; a phone number like +1 636... is not one."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return False
    return not (value.startswith("+") and PHONE_LIKE.match(value))


# Reading the file ----------------------------------------------------------


def read_spreadsheet(data, name, file_format=None):
    """The rows of an officer spreadsheet as a tablib Dataset; SpreadsheetError if the file will not do.

    `file_format`: CSV or XLSX (import-export's format classes); taken from the file name when not given.
    """
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise SpreadsheetError(too_large_message(name, len(data)))
    file_format = file_format or format_for(name)
    is_zip = data.startswith(b"PK\x03\x04")
    if file_format is XLSX:
        if not is_zip:
            raise SpreadsheetError(f"{name} is not an Excel workbook (.xlsx). Choose the format that matches the file.")
        dataset = _read_xlsx(data, name)
    else:
        if is_zip:
            raise SpreadsheetError(f"{name} is an Excel workbook, not a CSV file: choose xlsx as the format.")
        try:
            text = data.decode("utf-8-sig")  # with or without the byte-order mark Excel writes
        except UnicodeDecodeError as error:
            raise SpreadsheetError(
                f"{name} is not saved as UTF-8 text (byte {error.start + 1} cannot be read), so names with "
                "accents would come out wrong. In Excel choose Save As > 'CSV UTF-8 (Comma delimited)', "
                "or upload the .xlsx workbook itself."
            ) from error
        if "\x00" in text:
            raise SpreadsheetError(f"{name} is not a text file: upload a CSV file or an Excel workbook (.xlsx).")
        try:
            dataset = CSV(encoding="utf-8").create_dataset(text)
        except tablib.InvalidDimensions as error:
            raise SpreadsheetError(
                f"{name} has rows with more or fewer cells than the first row has columns. Check for extra "
                "commas, or save it again from the spreadsheet program."
            ) from error
        except csv.Error as error:
            raise SpreadsheetError(f"{name} cannot be read as CSV ({error}).") from error
    check_dataset(dataset, name)
    return dataset


def format_for(name):
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "csv":
        return CSV
    if extension == "xlsx":
        return XLSX
    raise SpreadsheetError(f"{name} is neither a .csv nor an .xlsx file. Save the spreadsheet as one of those.")


def too_large_message(name, size):
    return (
        f"{name} is {size / 1_048_576:.1f} MB, more than the {settings.IMPORT_MAX_BYTES / 1_048_576:.0f} MB "
        "accepted (setting IMPORT_MAX_BYTES). A list of officers is far smaller: check it is the right file."
    )


def _read_xlsx(data, name):
    import openpyxl  # only needed for workbooks

    try:
        # Without data_only, formula cells come back as their formula, so they can be refused.
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        formulas = [
            f"{cell.coordinate} ({cell.value})"
            for row in book.active.iter_rows()
            for cell in row
            if getattr(cell, "data_type", None) == "f"
        ]
        book.close()
        dataset = XLSX().create_dataset(data)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise SpreadsheetError(f"{name} cannot be read as an Excel workbook ({error}).") from error
    if formulas:
        raise SpreadsheetError(
            f"{name} has formulas in cell{'s' if len(formulas) > 1 else ''} {', '.join(formulas[:EXAMPLES_SHOWN])}. "
            "Type the values themselves (or paste them as values) and upload again."
        )
    return dataset


def normalise_headers(dataset):
    """Give the columns the import's names (first name, First Name, first_name... all become 'First name')."""
    if not dataset.headers:
        return
    dataset.headers = [
        COLUMNS[ALIASES[_key(header)]] if _key(header) in ALIASES else str(header or "").strip()
        for header in dataset.headers
    ]


def check_dataset(dataset, name):
    """The checks of a whole file: columns, officers listed twice, formulas. SpreadsheetError if one fails."""
    normalise_headers(dataset)
    headers = dataset.headers or []
    if not any(headers):
        raise SpreadsheetError(f"{name} is empty: the first row names the columns ({', '.join(COLUMNS.values())}).")
    missing = [COLUMNS[column] for column in REQUIRED if COLUMNS[column] not in headers]
    if missing:
        needed = ", ".join(COLUMNS[c] for c in REQUIRED)
        optional = ", ".join(COLUMNS[c] for c in COLUMNS if c not in REQUIRED)
        raise SpreadsheetError(
            f"{name} has no column {' or '.join(repr(m) for m in missing)}. The first row names the columns: "
            f"{needed} are needed; {optional} may be added."
        )
    repeated = [h for h in set(headers) if h and headers.count(h) > 1]
    if repeated:
        raise SpreadsheetError(f"{name} has the column {', '.join(sorted(repeated))} twice: keep one.")
    formulas = [
        f"row {number}, {headers[column]}"
        for number, row in enumerate(dataset, 2)
        for column, value in enumerate(row)
        if looks_like_a_formula(value)
    ]
    if formulas:
        raise SpreadsheetError(
            f"{name} has cells starting with =, +, - or @, which spreadsheet programs run as formulas "
            f"({'; '.join(formulas[:EXAMPLES_SHOWN])}{' and more' if len(formulas) > EXAMPLES_SHOWN else ''}). "
            "Remove that first character (phone numbers like +1 636 555 0100 are fine) and upload again."
        )
    _refuse_officers_listed_twice(dataset, name)


def _refuse_officers_listed_twice(dataset, name):
    first, last = dataset.headers.index(COLUMNS["first_name"]), dataset.headers.index(COLUMNS["last_name"])
    email = dataset.headers.index(COLUMNS["email"]) if COLUMNS["email"] in dataset.headers else None
    seen, repeated = {}, []
    for number, row in enumerate(dataset, 2):
        keys = [("name", _text(row[first]).casefold(), _text(row[last]).casefold())]
        if email is not None and _text(row[email]):
            keys.append(("email", _text(row[email]).casefold()))
        if not any(_text(row[i]) for i in (first, last)):
            continue
        earlier = next((seen[key] for key in keys if key in seen), None)
        if earlier:
            repeated.append(f"{_text(row[first])} {_text(row[last])} on rows {earlier} and {number}")
        for key in keys:
            seen.setdefault(key, number)
    if repeated:
        raise SpreadsheetError(
            f"{name} lists the same officer more than once ({'; '.join(repeated[:EXAMPLES_SHOWN])}). "
            f"Keep one row per officer, with all their schools in the Schools column separated by '{SCHOOL_SEPARATOR}'."
        )


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():  # numbers from a workbook: 2026.0 is 2026
        value = int(value)
    return " ".join(str(value).split())


# Cells ---------------------------------------------------------------------


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return _text(value)

    def render(self, value, obj=None, **kwargs):
        return value or ""


class RoleWidget(widgets.Widget):
    """'SRO' or 'Supervisor' (or the role's full name); an empty cell keeps the officer's role."""

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return None  # not set: a new officer is an SRO, an existing one keeps their role
        if _key(text) not in ROLES:
            raise ValueError(f'"{text}" is not a role: write SRO or Supervisor.')
        return ROLES[_key(text)]

    def render(self, value, obj=None, **kwargs):
        return "Supervisor" if value == Officer.Role.SUPERVISOR else "SRO"


class PhoneWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return ""
        try:
            number = PhoneNumber.from_string(text, region="US")
        except NumberParseException:
            number = None
        if number is None or not number.is_valid():
            raise ValueError(f'"{text}" is not a phone number we can read: write it like 636-555-0100.')
        return number

    def render(self, value, obj=None, **kwargs):
        return value.as_national if value else ""


def parse_school_year(value):
    """2026, 2026-27, 2026–27 or 2026/27: the year the school year starts; the current one when empty."""
    text = _text(value)
    if not text:
        return current_school_year()
    match = re.fullmatch(r"(\d{4})(?:\s*[-–/]\s*(\d{2}|\d{4}))?", text)
    if not match or not 1990 <= int(match[1]) <= 2100:
        raise ValueError(f'"{text}" is not a school year: write the year it starts, e.g. 2026 or 2026-27.')
    start = int(match[1])
    if match[2] and int(match[2]) % 100 != (start + 1) % 100:
        raise ValueError(f'"{text}" is not a school year: the second year follows the first, e.g. 2026-27.')
    return start


def _nces_id(text):
    """A 12-digit NCES school ID; one that lost its leading zeros in a spreadsheet gets them back."""
    return text.zfill(12) if text.isdigit() and 10 <= len(text) <= 12 else ""


# The resource ----------------------------------------------------------------


class ComputedField(fields.Field):
    """A column that is not a field of the officer: read by the resource itself, shown by `compute`."""

    def __init__(self, column_name, compute):
        super().__init__(column_name=column_name, readonly=True)
        self.compute = compute

    def export(self, instance, **kwargs):
        return self.compute(instance)  # in exports, and in the preview's before and after


def _year_shown(officer):
    """The school year being imported (in the preview), or the current one (in exports)."""
    return getattr(officer, "_import_school_year", None) or current_school_year()


def _schools_shown(officer):
    if officer.pk is None:
        return ""
    year = _year_shown(officer)
    schools = School.objects.filter(assignments__officer=officer, assignments__school_year=year).order_by("name")
    return f"{SCHOOL_SEPARATOR} ".join(school.nces_id or school.name for school in schools)


# diff-match-patch writes its colours into each change (<ins style="background:#e6ffe6;">), which
# the admin's Content-Security-Policy (style-src 'self') refuses, with a console error for each;
# django-import-export's own stylesheet (import.css) colours <ins> and <del> already, dark theme too.
INLINE_DIFF_STYLE = re.compile(r' style="background:#[0-9a-f]{6};"')


class StylesheetDiff(resources.Diff):
    """The preview's changes as plain <ins> and <del>, coloured by the stylesheet."""

    def as_html(self):
        return [mark_safe(INLINE_DIFF_STYLE.sub("", html)) for html in super().as_html()]  # noqa: S308 (the library's HTML, less an attribute)


class OfficerResource(resources.ModelResource):
    """An officer a row, matched within `agency`; their schools for the row's school year."""

    def get_diff_class(self):
        return StylesheetDiff

    first_name = fields.Field("first_name", COLUMNS["first_name"], widget=TextWidget())
    last_name = fields.Field("last_name", COLUMNS["last_name"], widget=TextWidget())
    rank = fields.Field("rank", COLUMNS["rank"], widget=TextWidget())
    role = fields.Field("role", COLUMNS["role"], widget=RoleWidget(), saves_null_values=False)
    phone = fields.Field("phone", COLUMNS["phone"], widget=PhoneWidget())
    email = fields.Field("email", COLUMNS["email"], widget=TextWidget())
    school_year = ComputedField(COLUMNS["school_year"], lambda officer: format_school_year(_year_shown(officer)))
    schools = ComputedField(COLUMNS["schools"], _schools_shown)

    class Meta:
        model = Officer
        fields = tuple(COLUMNS)
        import_id_fields = ("first_name", "last_name")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, agency=None, **kwargs):
        super().__init__(**kwargs)
        self.agency = agency

    @classmethod
    def get_display_name(cls):
        return "Officers and their schools"

    # Import

    def before_import(self, dataset, **kwargs):
        if self.agency is None:
            raise SpreadsheetError("Choose the agency the officers belong to.")
        check_dataset(dataset, kwargs.get("file_name") or "The file")
        self._schools = _SchoolFinder(self.agency)

    def get_instance(self, instance_loader, row):
        officers = Officer.objects.filter(agency=self.agency)
        email = _text(row.get(COLUMNS["email"]))
        if email:
            found = officers.filter(email__iexact=email).first()
            if found:
                return found
        same_name = list(
            officers.filter(
                first_name__iexact=_text(row.get(COLUMNS["first_name"])),
                last_name__iexact=_text(row.get(COLUMNS["last_name"])),
            )[:2]
        )
        if len(same_name) > 1:
            raise ValidationError(
                "Two officers of the agency have this name: add their email address to say which one this is."
            )
        return same_name[0] if same_name else None

    def init_instance(self, row=None):
        return Officer(agency=self.agency)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            instance._import_school_year = parse_school_year(row.get(COLUMNS["school_year"]))
        except ValueError as error:
            errors["school_year"] = [str(error)]
        schools, problems = self._schools.find(_text(row.get(COLUMNS["schools"])))
        if problems:
            errors["schools"] = problems
        instance._import_schools = schools
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            # Named by the file's columns ("Phone"), which is what the person importing sees.
            raise ValidationError({COLUMNS.get(k, k): v for k, v in error.message_dict.items()}) from error

    def _new_assignments(self, instance):
        year = getattr(instance, "_import_school_year", None)
        schools = getattr(instance, "_import_schools", [])
        if instance.pk is None:
            return [(school, year) for school in schools]
        there = set(instance.assignments.filter(school_year=year).values_list("school_id", flat=True))
        return [(school, year) for school in schools if school.pk not in there]

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return super().skip_row(instance, original, row, import_validation_errors) and not self._new_assignments(
            instance
        )

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is not None:
            instance.version += 1  # an editor's form opened before the import is refused, not saved over it
        self._record_who(instance, kwargs)
        instance._pending_assignments = self._new_assignments(instance)

    def after_save_instance(self, instance, row, **kwargs):
        for school, year in instance._pending_assignments:
            assignment = Assignment(officer=instance, school=school, school_year=year)
            self._record_who(assignment, kwargs)
            assignment.save()  # one by one: history and page invalidation, as an editor's save

    @staticmethod
    def _record_who(instance, kwargs):
        # django-simple-history reads these; in the admin the request's user is also known by its middleware.
        if kwargs.get("user") is not None:
            instance._history_user = kwargs["user"]
        instance._change_reason = f"Imported from {kwargs.get('file_name') or 'a spreadsheet'}"

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        # No cell of ours is ever run as a formula by the spreadsheet program that opens the export.
        return f"'{value}" if looks_like_a_formula(value) else value


class _SchoolFinder:
    """Schools named in a row, by NCES ID or by name; only the agency's own are accepted."""

    def __init__(self, agency):
        self.agency = agency

    def find(self, cell):
        schools, problems = [], []
        for wanted in filter(None, (part.strip() for part in cell.split(SCHOOL_SEPARATOR))):
            school, problem = self._one(wanted)
            if problem:
                problems.append(problem)
            elif school not in schools:
                schools.append(school)
        return schools, problems

    def _one(self, wanted):
        nces_id = _nces_id(wanted)
        if nces_id:
            matches = list(School.objects.filter(nces_id=nces_id).select_related("agency")[:2])
            described = f"No school has the NCES school ID {nces_id}"
        else:
            name = " ".join(wanted.split())
            matches = list(School.objects.filter(name__iexact=name).select_related("agency")[:50])
            described = f'No school is called "{name}"'
        mine = [school for school in matches if school.agency_id == self.agency.pk]
        if len(mine) == 1:
            return mine[0], None
        if len(mine) > 1:
            return None, f'{self.agency.name} has several schools called "{wanted}": use their NCES school IDs.'
        if matches:
            return None, (
                f'"{wanted}" is a school of another agency, not of {self.agency.name}: '
                "officers can only be assigned to their own agency's schools."
            )
        return None, f"{described} among the schools of {self.agency.name}. Check it, or add the school first."
