"""Put a staff member in an agency's professional-standards group: they see and handle
the complaints and commendations filed about its officers, and nothing else of it.

    python manage.py add_professional_standards USERNAME AGENCY_SLUG

Idempotent. The account must exist already (a superuser creates it in the admin);
being an editor of the agency is neither needed nor enough. The same can be done
in the admin: Complaints and commendations > Professional-standards members.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from programs.models import Agency

from ...groups import add_member


class Command(BaseCommand):
    help = "Let a staff user see and handle one agency's complaints and commendations (professional standards)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("agency_slug", help="e.g. jefferson-county-sheriffs-office")

    def handle(self, username, agency_slug, **options):
        agency = Agency.objects.filter(slug=agency_slug).first()
        if agency is None:
            raise CommandError(f"No agency with the slug '{agency_slug}'.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user '{username}'. Create or invite the account first.")
        joined = add_member(user, agency)
        what = "is now" if joined else "was already"
        self.stdout.write(self.style.SUCCESS(f"'{username}' {what} in the professional standards of {agency.name}."))
