"""Email each editor what needs attention in their agencies (run weekly from cron).

Idempotent: nothing is sent to someone with nothing new to look at, and the
same item is mentioned to the same person at most once in EDITOR_REMINDER_DAYS.
Program contacts of agencies without an editor hear when their page is due for review.
"""

from django.core.management.base import BaseCommand

from editor_home.digest import send_editor_digests


class Command(BaseCommand):
    help = "Email each editor the items needing attention in their agencies (weekly; safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count who would get an email; send nothing.")

    def handle(self, *args, dry_run=False, **options):
        sent, quiet = send_editor_digests(dry_run=dry_run)
        verb = "Would send" if dry_run else "Sent"
        self.stdout.write(f"{verb} {sent} digest(s); {quiet} recipient(s) had nothing new to look at.")
