"""Retry the emails of submissions whose notification failed (the program
forms', and every other outbox registered with `inbox.delivery.register_outbox`:
complaints and commendations, and the subscribers' updates, sent in batches). Safe to run from cron every few minutes:
each email is sent once, and overlapping runs on PostgreSQL skip the rows
another run holds."""

from django.core.management.base import BaseCommand
from django.db import transaction

from inbox import delivery


class Command(BaseCommand):
    help = (
        "Send the emails still pending: the public forms', complaints', and subscribers' confirmations and "
        "updates (idempotent; safe from cron)."
    )

    def handle(self, *args, **options):
        sent = failed = 0
        for outbox in delivery.outboxes():
            done, not_done = outbox.send_all() if outbox.send_all is not None else self.send_each(outbox)
            if done or not_done:
                # By kind of record: "submissions", "outgoing emails"... (their models' plural names).
                self.stdout.write(f"{outbox.model._meta.verbose_name_plural}: {done} sent, {not_done} still pending.")
            sent, failed = sent + done, failed + not_done
        self.stdout.write(f"{sent} sent in all, {failed} still pending.")
        if failed:
            self.stderr.write("Some emails could not be sent; they will be retried on the next run.")

    def send_each(self, outbox):
        """One record per transaction: its emails, then its state, so that nothing is sent twice."""
        sent = failed = 0
        pending = outbox.model.objects.notification_pending()
        for pk in list(pending.order_by("created_at").values_list("pk", flat=True)):
            with transaction.atomic():
                record = (
                    outbox.model.objects.notification_pending()
                    .select_for_update(skip_locked=True, of=("self",))
                    .select_related(*outbox.related)
                    .filter(pk=pk)
                    .first()
                )
                if record is None:  # sent meanwhile, or another run has it
                    continue
                if outbox.deliver(record):
                    sent += 1
                else:
                    failed += 1
        return sent, failed
