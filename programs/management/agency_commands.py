"""What the commands that change an agency's officers, schools and assignments share: finding the
agency named on the command line, the arguments of an import from a file, and the closing report
of what changed (or would have)."""

from django.core.management.base import BaseCommand, CommandError

from programs.models import Agency

SLUGS_LISTED = 20  # a site with thousands of agencies names a few, not all


def agency_by_slug(slug, agencies=Agency.objects):
    """The agency with this slug, or a CommandError that lists the slugs there are."""
    try:
        return agencies.get(slug=slug)
    except Agency.DoesNotExist:
        slugs = ", ".join(Agency.objects.values_list("slug", flat=True)[:SLUGS_LISTED]) or "none yet"
        raise CommandError(f"No agency has the slug '{slug}'. Agencies: {slugs}.") from None


def write_report(command, heading, lines, dry_run):
    """`heading`, then each line indented, then, for a dry run, that nothing was saved."""
    command.stdout.write(heading)
    for line in lines:
        command.stdout.write(f"  {line}")
    if dry_run:
        command.stdout.write(command.style.WARNING("Dry run: nothing was saved."))


class AgencyImportCommand(BaseCommand):
    """An import of a file into one agency: `FILE --agency SLUG [--dry-run]`, and any options of its own."""

    file_help = ""
    agency_help = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help=self.file_help)
        parser.add_argument("--agency", required=True, help=self.agency_help)
        self.add_import_options(parser)
        parser.add_argument("--dry-run", action="store_true", help="Report what would change, and save nothing.")

    def add_import_options(self, parser):
        """Options between --agency and --dry-run in the command's help."""
