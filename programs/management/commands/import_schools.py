"""Import an agency's schools from the federal school directory (NCES CCD).

The work is done in programs/school_directory.py; this only reads the options and reports."""

from django.core.management.base import CommandError

from programs.management.agency_commands import AgencyImportCommand, write_report
from programs.models import Agency
from programs.school_directory import DirectoryFileError, import_schools


def district_id(value):
    value = value.strip()
    if not (value.isdigit() and len(value) in (6, 7)):
        raise ValueError(value)
    return value.zfill(7)


class Command(AgencyImportCommand):
    help = (
        "Create and update an agency's schools from the public school directory file of the NCES Common Core of "
        "Data (CCD), as published (CSV). Schools are found by their NCES school ID, so importing next year's file "
        "updates them; closed schools are skipped. Safe to run again."
    )

    file_help = "The CCD school directory file (CSV), a state's or the national one."
    agency_help = "Slug of the agency whose schools these are."

    def add_import_options(self, parser):
        parser.add_argument(
            "--district",
            action="append",
            default=[],
            type=district_id,
            metavar="LEAID",
            help="Only this school district (its 7-digit NCES district ID). Repeat for several districts.",
        )

    def handle(self, *args, file, agency, district, dry_run, **options):
        try:
            agency = Agency.objects.select_related("state").get(slug=agency)
        except Agency.DoesNotExist:
            slugs = ", ".join(Agency.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No agency has the slug '{agency}'. Agencies: {slugs}.") from None
        try:
            result = import_schools(file, agency, districts=district, dry_run=dry_run)
        except DirectoryFileError as error:
            raise CommandError(f"{error} Nothing was changed.") from error

        for note in result.notes:
            self.stdout.write(self.style.WARNING(note))
        updated = f"updated:   {result.updated}"
        if result.matched_by_name:
            updated += f" ({result.matched_by_name} entered by hand, found by name and city)"
        skipped = sorted(result.skipped.items(), key=lambda item: (-item[1], item[0]))
        write_report(
            self,
            f"{result.rows} schools in the file; for {agency.name}:",
            [
                f"created:   {result.created}",
                updated,
                f"unchanged: {result.unchanged}",
                f"skipped:   {result.skipped.total()}",
                *(f"  {count} {reason}" for reason, count in skipped),
            ],
            dry_run,
        )
