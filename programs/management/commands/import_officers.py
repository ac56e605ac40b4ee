"""Import officers and their schools from a spreadsheet into one agency.

The work is done in programs/officer_import.py (the same resource as the Officer admin's Import page);
this only reads the options and reports."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from import_export.results import RowResult

from programs.management.agency_commands import AgencyImportCommand, agency_by_slug, write_report
from programs.officer_import import OfficerResource, SpreadsheetError, format_for, read_spreadsheet, too_large_message


class Command(AgencyImportCommand):
    help = (
        "Create and update an agency's officers and their school assignments from a spreadsheet (CSV or .xlsx), "
        "one row per officer. Officers are found by email or name, so importing the file again changes nothing."
    )

    file_help = "The spreadsheet: a .csv file (UTF-8) or an Excel workbook (.xlsx)."
    agency_help = "Slug of the agency the officers belong to."

    def handle(self, *args, file, agency, dry_run, **options):
        agency = agency_by_slug(agency)
        path = Path(file)
        try:
            if not path.is_file():
                raise SpreadsheetError(f"Cannot open {path}: there is no such file.")
            if path.stat().st_size > settings.IMPORT_MAX_BYTES:
                raise SpreadsheetError(too_large_message(path.name, path.stat().st_size))
            dataset = read_spreadsheet(path.read_bytes(), path.name, format_for(path.name))
        except (SpreadsheetError, OSError) as error:
            raise CommandError(f"{error} Nothing was changed.") from error

        result = OfficerResource(agency=agency).import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
            file_name=path.name,
        )
        for error in result.base_errors:
            self.stderr.write(str(error.error))
        for number, errors in result.row_errors():
            for error in errors:
                self.stderr.write(f"Row {number + 1}: {error.error}")
        for row in result.invalid_rows:
            for field, messages in row.field_specific_errors.items():
                for message in messages:
                    self.stderr.write(f"Row {row.number + 1}, {field}: {message}")
            for message in row.non_field_specific_errors:
                self.stderr.write(f"Row {row.number + 1}: {message}")
        if result.has_errors() or result.has_validation_errors():
            raise CommandError("The file has errors (above): nothing was changed. Correct them and import it again.")

        totals = result.totals
        write_report(
            self,
            f"{result.total_rows} officers in the file; for {agency.name}:",
            [
                f"created:   {totals[RowResult.IMPORT_TYPE_NEW]}",
                f"updated:   {totals[RowResult.IMPORT_TYPE_UPDATE]}",
                f"unchanged: {totals[RowResult.IMPORT_TYPE_SKIP]}",
            ],
            dry_run,
        )
