"""Retry the emails of submissions whose notification failed. Safe to run from
cron every few minutes: each email is sent once, and overlapping runs on
PostgreSQL skip the rows another run holds."""

from django.core.management.base import BaseCommand
from django.db import transaction

from programs import notifications
from programs.models import Submission


class Command(BaseCommand):
    help = "Send the emails still pending for public-form submissions (idempotent; safe from cron)."

    def handle(self, *args, **options):
        sent = failed = 0
        pending_ids = list(
            Submission.objects.notification_pending().order_by("created_at").values_list("pk", flat=True)
        )
        for pk in pending_ids:
            with transaction.atomic():
                submission = (
                    Submission.objects.notification_pending()
                    .select_for_update(skip_locked=True, of=("self",))
                    .select_related("program__agency", "school", "topic")
                    .filter(pk=pk)
                    .first()
                )
                if submission is None:  # sent meanwhile, or another run has it
                    continue
                if notifications.deliver(submission):
                    sent += 1
                else:
                    failed += 1
        self.stdout.write(f"{sent} submission(s) fully notified, {failed} still pending.")
        if failed:
            self.stderr.write("Some emails could not be sent; they will be retried on the next run.")
