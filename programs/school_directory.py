"""Schools from the federal school directory: the NCES Common Core of Data
(CCD) public school file, as NCES publishes it (one CSV row per school, a
state's file or the national one).

A school is found by its NCES school ID (column NCESSCH), so importing next
year's file updates the schools already here and never adds them twice. A
school entered by hand before its first import, without an NCES ID, is found
by its name and city within the agency and given its ID.

Rules the import keeps:
- a bad file changes nothing and says why (DirectoryFileError);
- only open schools are imported: closed, inactive and future ones are skipped
  and counted, and so are rows of another state, of districts not asked for,
  and of schools that another agency already has;
- an empty value in the file never erases what a school has (an editor may
  have filled in what the directory does not report);
- everything is written in one transaction, new schools in bulk inserts (a
  national file has 100,000 rows), with history; the agency's pages are
  marked stale once at the end, because bulk writes fire no signals.
"""

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_noop
from phonenumber_field.phonenumber import PhoneNumber
from phonenumbers import NumberParseException
from simple_history.utils import bulk_create_with_history

from . import invalidation
from .models import School
from .search import record_words_of

# Columns every published school directory file has and the import cannot do without.
REQUIRED_COLUMNS = ("NCESSCH", "SCH_NAME", "LEAID", "LEA_NAME", "LCITY", "LSTATE", "SY_STATUS_TEXT")
# Read when present; other columns (there are about sixty) are ignored.
OPTIONAL_COLUMNS = ("LSTREET1", "LZIP", "PHONE", "WEBSITE", "LEVEL", "GSLO", "GSHI")

# The columns a school's fields are read from.
VALUE_COLUMNS = ("SCH_NAME", "LEA_NAME", "LCITY", *OPTIONAL_COLUMNS)
# SY_STATUS_TEXT values of schools that are not open this school year, and how the report names them.
NOT_OPEN = {"closed": "closed", "inactive": "inactive (temporarily closed)", "future": "not open yet (future)"}
# How the directory writes a value it does not have.
MISSING = {"", "m", "n", "-1", "-2", "-3", "-9", "†", "missing", "not reported", "not applicable", "not available"}

LEVELS = {
    "prekindergarten": School.Level.PREKINDERGARTEN,
    "elementary": School.Level.ELEMENTARY,
    "primary": School.Level.ELEMENTARY,
    "middle": School.Level.MIDDLE,
    "high": School.Level.HIGH,
    "secondary": School.Level.SECONDARY,
    "adult education": School.Level.ADULT_EDUCATION,
    "ungraded": School.Level.UNGRADED,
    "other": School.Level.OTHER,
}
GRADES = set(School.Grade.values)

# The fields the directory fills in; an import compares and updates exactly these.
DIRECTORY_FIELDS = (
    "name",
    "district",
    "nces_district_id",
    "street_address",
    "city",
    "postal_code",
    "phone",
    "website",
    "level",
    "grade_lowest",
    "grade_highest",
)
UPDATED_FIELDS = (*DIRECTORY_FIELDS, "nces_id", "version", "updated_at")
CHANGE_REASON = gettext_noop("Imported from the federal school directory (NCES)")  # stored in English
BATCH_SIZE = 1000
EXAMPLES_SHOWN = 5


class DirectoryFileError(Exception):
    """The file cannot be imported; the message says why and what to do."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Of the updated: schools entered by hand, found by name and city and given their NCES ID.
    matched_by_name: int = 0
    skipped: Counter = field(default_factory=Counter)
    notes: list = field(default_factory=list)
    rows: int = 0


@dataclass
class DirectoryRow:
    """One school of the file: what decides whether it is imported, read at once; its values when asked."""

    line: int
    nces_id: str
    state: str
    district_id: str
    status: str
    columns: dict

    @cached_property
    def values(self):
        """The school's fields as the site keeps them (only read for the schools imported: parsing phones is slow)."""
        column = self.columns.get
        return {
            "name": column("SCH_NAME", ""),
            "district": column("LEA_NAME", ""),
            "nces_district_id": self.district_id,
            "street_address": column("LSTREET1", ""),
            "city": column("LCITY", ""),
            "postal_code": _digits(column("LZIP", ""), 5),
            "phone": _phone(column("PHONE", "")),
            "website": _website(column("WEBSITE", "")),
            "level": LEVELS.get(column("LEVEL", "").casefold(), ""),
            "grade_lowest": _grade(column("GSLO", "")),
            "grade_highest": _grade(column("GSHI", "")),
        }


# Reading the file ----------------------------------------------------------


def read_directory(path):
    """The rows of a school directory file, and notes on how it was read; DirectoryFileError if it is no such file."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise DirectoryFileError(f"Cannot open {path}: {error.strerror}.") from error
    if size > settings.IMPORT_MAX_BYTES:
        raise DirectoryFileError(
            f"{path.name} is {size / 1_048_576:.1f} MB, more than the {settings.IMPORT_MAX_BYTES / 1_048_576:.0f} MB "
            "accepted (setting IMPORT_MAX_BYTES). Use your state's file rather than the national one, "
            "or raise IMPORT_MAX_BYTES for this import."
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DirectoryFileError(f"Cannot read {path}: {error.strerror}.") from error
    text, notes = _decode(data, path.name)
    try:
        return _read_rows(text, path.name), notes
    except csv.Error as error:
        raise DirectoryFileError(f"{path.name} cannot be read as CSV ({error}).") from error


def _read_rows(text, name):
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","  # older CCD files are tab-separated
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise DirectoryFileError(f"{name} is empty: a school directory file starts with a row of column names.")
    columns = {column.strip().upper(): index for index, column in enumerate(header)}
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise DirectoryFileError(
            f"{name} is missing the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}. "
            "Use the public school directory file of the NCES Common Core of Data (CCD) as published, "
            "a CSV file whose first row names the columns (NCESSCH, SCH_NAME, LEAID...)."
        )
    rows = [_row(values, columns, reader.line_num) for values in reader if any(v.strip() for v in values)]
    _refuse_duplicates(rows, name)
    return rows


def _decode(data, name):
    if data.startswith(b"PK\x03\x04"):
        raise DirectoryFileError(f"{name} is a ZIP archive: unzip it and import the .csv file inside.")
    if b"\x00" in data[:4096]:
        raise DirectoryFileError(
            f"{name} is not a text file. Import the directory's CSV file (Excel files will not do)."
        )
    try:
        return data.decode("utf-8-sig"), []  # with or without the byte-order mark Excel writes
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise DirectoryFileError(
            f"{name} is neither UTF-8 nor Windows-1252 text (byte {error.start + 1} cannot be read). "
            "Save it as CSV UTF-8 and import it again."
        ) from error
    return text, [f"{name} is not UTF-8: it was read as Windows-1252, the encoding NCES has used for some files."]


def _row(values, columns, line):
    def column(name):
        index = columns.get(name)
        value = values[index].strip() if index is not None and index < len(values) else ""
        # A few published rows carry "" inside an unquoted field, which csv leaves doubled.
        value = value.replace('""', '"')
        return "" if value.casefold() in MISSING else value

    return DirectoryRow(
        line=line,
        nces_id=_digits(column("NCESSCH"), 12),
        state=column("LSTATE").upper(),
        district_id=_digits(column("LEAID"), 7),
        status=column("SY_STATUS_TEXT").casefold(),
        columns={name: column(name) for name in VALUE_COLUMNS},
    )


def _digits(value, length):
    """An ID or ZIP code of `length` digits; one that lost leading zeros in a spreadsheet gets them back."""
    if value.isdigit() and length - 2 <= len(value) <= length:
        return value.zfill(length)
    return ""


def _phone(value):
    try:
        number = PhoneNumber.from_string(value, region="US")
    except NumberParseException:
        return ""
    return number.as_e164 if number.is_valid() else ""


def _website(value):
    if not value or " " in value:
        return ""
    url = value if re.match(r"^https?://", value, re.IGNORECASE) else f"https://{value}"
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return ""
    return url if len(url) <= School._meta.get_field("website").max_length else ""


def _grade(value):
    value = value.upper()
    value = value.zfill(2) if value.isdigit() else value
    return value if value in GRADES else ""


def _refuse_duplicates(rows, name):
    lines = {}
    for row in rows:
        if row.nces_id:
            lines.setdefault(row.nces_id, []).append(row.line)
    duplicated = {nces_id: where for nces_id, where in lines.items() if len(where) > 1}
    if duplicated:
        examples = "; ".join(
            f"{nces_id} on lines {', '.join(map(str, where))}"
            for nces_id, where in list(duplicated.items())[:EXAMPLES_SHOWN]
        )
        more = f" and {len(duplicated) - EXAMPLES_SHOWN} more" if len(duplicated) > EXAMPLES_SHOWN else ""
        raise DirectoryFileError(
            f"{name} lists {len(duplicated)} NCES school ID{'s' if len(duplicated) > 1 else ''} more than once "
            f"({examples}{more}). A published directory file lists each school once: check the file was not "
            "edited or joined with another."
        )


# Importing -----------------------------------------------------------------


def import_schools(path, agency, districts=(), dry_run=False):
    """Create and update `agency`'s schools from the directory file at `path`; nothing is saved with `dry_run`.

    `districts`: NCES district IDs (LEAID) to keep; all of the agency's state when empty.
    """
    rows, notes = read_directory(path)
    result = ImportResult(rows=len(rows), notes=notes)
    districts = set(districts)
    if districts:
        absent = districts - {row.district_id for row in rows}
        result.notes += [f"No school in the file has the district ID {leaid}." for leaid in sorted(absent)]
    with transaction.atomic():
        new, changed = _plan(rows, agency, districts, result, lock=not dry_run)
        result.created, result.updated = len(new), len(changed)
        if not dry_run:
            _save(agency, new, changed)
    return result


def _plan(rows, agency, districts, result, lock):
    """The schools to create and those to update, counting the rest in `result`."""
    schools = School.objects.filter(agency=agency)
    if lock:  # an editor's save meanwhile waits, rather than being overwritten unseen
        schools = schools.select_for_update()
    schools = list(schools)
    mine = {school.nces_id: school for school in schools if school.nces_id}
    others = dict(School.objects.exclude(nces_id="").exclude(agency=agency).values_list("nces_id", "agency_id"))
    by_name_and_city = _hand_entered(schools)
    taken_slugs = set(School.objects.values_list("slug", flat=True))
    not_open_here = []
    new, changed = [], []
    for row in rows:
        reason = _skip_reason(row, agency, districts)
        if reason is None and row.nces_id in others:
            reason = "already a school of another agency (left as it is)"
        if reason is not None:
            result.skipped[reason] += 1
            if row.status in NOT_OPEN and row.nces_id in mine:
                not_open_here.append(mine[row.nces_id].name)
            continue
        values = {name: _fit(name, value) for name, value in row.values.items()}
        school = mine.get(row.nces_id)
        if school is None:
            school = by_name_and_city.pop(_name_and_city(values["name"], values["city"]), None)
            if school is not None:  # entered by hand before: it gets its NCES ID
                school.nces_id = row.nces_id
                result.matched_by_name += 1
                _apply(school, values)
                changed.append(school)
                continue
            school = School(agency=agency, nces_id=row.nces_id, **values)
            school.slug = _unique_slug(values["name"], values["city"], taken_slugs)
            new.append(school)
        elif _apply(school, values):
            changed.append(school)
        else:
            result.unchanged += 1
    if not_open_here:
        shown = ", ".join(sorted(not_open_here)[:EXAMPLES_SHOWN])
        more = f" and {len(not_open_here) - EXAMPLES_SHOWN} more" if len(not_open_here) > EXAMPLES_SHOWN else ""
        result.notes.append(
            f"Not open according to the file, but on the site (left as they are; remove them by hand if they have "
            f"closed): {shown}{more}."
        )
    return new, changed


def _skip_reason(row, agency, districts):
    if not row.nces_id:
        return "no valid 12-digit NCES school ID (NCESSCH)"
    if row.state != agency.state.code:
        return f"in another state than {agency.state.code}"
    if districts and row.district_id not in districts:
        return "in another district"
    if row.status in NOT_OPEN:
        return NOT_OPEN[row.status]
    if not (row.values["name"] and row.values["city"]):
        return "no school name or city"
    return None


def _name_and_city(name, city):
    return (" ".join(name.split()).casefold(), " ".join(city.split()).casefold())


def _hand_entered(schools):
    """The agency's schools without an NCES ID, by name and city; a pair found twice is not guessed at."""
    found, ambiguous = {}, set()
    for school in schools:
        if not school.nces_id:
            key = _name_and_city(school.name, school.city)
            if key in found:
                ambiguous.add(key)
            found[key] = school
    for key in ambiguous:
        del found[key]
    return found


def _fit(name, value):
    max_length = School._meta.get_field(name).max_length
    return value[:max_length].strip() if max_length else value


def _apply(school, values):
    """Set the file's values on `school`; True if any changed. An empty value keeps what the school has."""
    changed = False
    for name, value in values.items():
        current = getattr(school, name)
        current = current.as_e164 if isinstance(current, PhoneNumber) else (current or "")
        if value and value != current:
            setattr(school, name, value)
            changed = True
    return changed


def _unique_slug(name, city, taken):
    max_length = School._meta.get_field("slug").max_length
    base = slugify(f"{name} {city}")[:max_length].strip("-") or "school"
    slug, n = base, 2
    while slug in taken:
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)].rstrip("-") + suffix
        n += 1
    taken.add(slug)
    return slug


def _save(agency, new, changed):
    now = timezone.now()
    bulk_create_with_history(new, School, batch_size=BATCH_SIZE, default_change_reason=CHANGE_REASON)
    for school in changed:
        school.version += 1  # an editor's form opened before the import is refused, not saved over it
        school.updated_at = now  # as auto_now would on save()
        # One UPDATE a school: bulk_update's CASE WHEN per field took 8 ms a school here (84 s for 10,000
        # on SQLite), this 0.6 ms. Updates are the few schools that changed since last year's file.
        School.objects.filter(pk=school.pk).update(**{name: getattr(school, name) for name in UPDATED_FIELDS})
    School.history.bulk_history_create(
        changed, update=True, batch_size=BATCH_SIZE, default_change_reason=CHANGE_REASON, default_date=now
    )
    if new or changed:
        # Bulk writes fire no signals: the agency's pages and documents are marked stale here, once.
        invalidation.agencies_changed_in_bulk([agency.pk])
        # and the search's spelling help learns the new words (bulk writes bypass record_search_words)
        record_words_of(new + list(changed))
