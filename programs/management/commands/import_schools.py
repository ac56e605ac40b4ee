"""Import an agency's schools from the federal school directory (NCES CCD).

The work is done in programs/school_directory.py; this only reads the options and reports."""

from django.core.management.base import BaseCommand, CommandError

from programs.models import Agency
from programs.school_directory import DirectoryFileError, import_schools


def district_id(value):
    value = value.strip()
    if not (value.isdigit() and len(value) in (6, 7)):
        raise ValueError(value)
    return value.zfill(7)


class Command(BaseCommand):
    help = (
        "Create and update an agency's schools from the public school directory file of the NCES Common Core of "
        "Data (CCD), as published (CSV). Schools are found by their NCES school ID, so importing next year's file "
        "updates them; closed schools are skipped. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CCD school directory file (CSV), a state's or the national one.")
        parser.add_argument("--agency", required=True, help="Slug of the agency whose schools these are.")
        parser.add_argument(
            "--district",
            action="append",
            default=[],
            type=district_id,
            metavar="LEAID",
            help="Only this school district (its 7-digit NCES district ID). Repeat for several districts.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Report what would change, and save nothing.")

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
        self.stdout.write(f"{result.rows} schools in the file; for {agency.name}:")
        self.stdout.write(f"  created:   {result.created}")
        updated = f"  updated:   {result.updated}"
        if result.matched_by_name:
            updated += f" ({result.matched_by_name} entered by hand, found by name and city)"
        self.stdout.write(updated)
        self.stdout.write(f"  unchanged: {result.unchanged}")
        self.stdout.write(f"  skipped:   {result.skipped.total()}")
        for reason, count in sorted(result.skipped.items(), key=lambda item: (-item[1], item[0])):
            self.stdout.write(f"    {count} {reason}")
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was saved."))
