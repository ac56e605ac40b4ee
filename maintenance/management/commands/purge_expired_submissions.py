"""`manage.py purge_expired_submissions [--dry-run]`: run it daily from cron (maintenance/retention.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from maintenance.retention import purge_expired


class Command(BaseCommand):
    help = (
        "Erase the personal data (name, email, phone, free text) of presentation requests, questions and "
        "complaints closed more than SUBMISSION_RETENTION_DAYS ago, keeping what counts need. Idempotent; "
        "run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be erased; change nothing.")

    def handle(self, *args, dry_run, **options):
        erased = purge_expired(dry_run=dry_run)
        verb = "Would erase" if dry_run else "Erased"
        counts = ", ".join(f"{count} {label}" for label, count in erased.items())
        self.stdout.write(
            f"{verb} the personal data of {counts} closed more than {settings.SUBMISSION_RETENTION_DAYS} days ago."
        )
