"""Email the program contact about agreements due for review or expired. Run it
daily from cron: each reminder (60 and 14 days before the review date, and on
expiry) is sent once, and one that failed is retried on the next run."""

from django.core.management.base import BaseCommand

from agreements import reminders


class Command(BaseCommand):
    help = (
        "Email program contacts about partner-district agreements due for review (60 and 14 days before) "
        "or expired. Idempotent: run it daily from cron."
    )

    def handle(self, *args, **options):
        recorded = reminders.record_due_reminders()
        sent, failed = reminders.send_pending()
        self.stdout.write(f"{recorded} new reminder(s) due; {sent} sent, {failed} still pending.")
        if failed:
            self.stderr.write("Some reminders could not be sent; they will be retried on the next run.")
