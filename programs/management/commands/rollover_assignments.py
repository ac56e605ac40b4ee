"""Carry a school year's assignments over to the next one (programs/rollover.py does the work)."""

from django.core.management.base import BaseCommand, CommandError

from programs.management.agency_commands import agency_by_slug, write_report
from programs.models import Assignment, format_school_year
from programs.rollover import roll_over


class Command(BaseCommand):
    help = (
        "Copy the officers' school assignments of FROM_YEAR (the year the school year starts, e.g. 2025 for "
        "2025–26) to the next school year. Assignments already there, and those of officers no longer serving, "
        "are left out, so running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "from_year", type=int, help="The school year to copy, by the year it starts: 2025 for 2025–26."
        )
        parser.add_argument("--agency", help="Slug of one agency; all agencies without it.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would be copied, and save nothing.")

    def handle(self, *args, from_year, agency, dry_run, **options):
        if not 1990 <= from_year < 2100:
            raise CommandError(f"{from_year} is not a school year: give the year it starts, e.g. 2025 for 2025–26.")
        assignments = Assignment.objects.filter(school_year=from_year)
        if agency:
            agency = agency_by_slug(agency)
            assignments = assignments.filter(school__agency=agency)

        result = roll_over(assignments, dry_run=dry_run)
        total = result.copied + result.already_there + result.officer_left
        whose = f" of {agency.name}" if agency else ""
        write_report(
            self,
            f"{total} assignment(s){whose} in {format_school_year(from_year)}:",
            [
                f"copied to {format_school_year(from_year + 1)}: {result.copied}",
                f"already there: {result.already_there}",
                f"left out, the officer no longer serving: {result.officer_left}",
            ],
            dry_run,
        )
