"""Queue and send the weekly summaries of updates (updates/weekly.py). Run it once a week, on
Monday morning: it covers the week that ended on Sunday. Idempotent: a second run in the same
week sends nothing more; what fails is retried by send_pending_notifications."""

from datetime import date

from django.core.management.base import BaseCommand

from updates import sending, weekly


class Command(BaseCommand):
    help = "Send the weekly summaries of updates for the week that ended last Sunday (idempotent; for cron)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--week",
            type=date.fromisoformat,
            help="The Monday of the week to summarise (YYYY-MM-DD); by default last week's.",
        )

    def handle(self, *args, week=None, **options):
        week = week or weekly.last_week()
        if week.weekday() != 0:
            self.stderr.write(f"{week} is not a Monday: give the Monday the week begins on.")
            return
        queued = weekly.queue_weekly_summaries(week)
        sent, failed = sending.send_due()
        self.stdout.write(f"Week of {week}: {queued} summary(ies) queued; {sent} email(s) sent, {failed} not sent.")
        if failed:
            self.stderr.write("Some emails could not be sent; send_pending_notifications will retry them.")
