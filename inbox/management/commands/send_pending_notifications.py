"""Retry the emails of submissions whose notification failed (the program
forms', and every other outbox registered with `inbox.delivery.register_outbox`:
complaints and commendations, and the subscribers' updates, sent in batches). Safe to run from cron every few minutes:
each email is sent once, and overlapping runs on PostgreSQL skip the rows
another run holds."""

from django.core.management.base import BaseCommand

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
        """Its due records one per transaction, as inbox.delivery.send_each says."""
        return delivery.send_each(outbox.model.objects.notification_pending, outbox.deliver, outbox.related)
