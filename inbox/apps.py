from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class InboxConfig(AppConfig):
    default = True
    name = "inbox"
    verbose_name = gettext_lazy("Requests from the public")

    def ready(self):
        from page_cache import invalidation
        from site_ops import pending_emails

        from . import delivery

        # /healthz and /metrics count the emails waiting in every outbox (ours and the complaints').
        pending_emails.watch(delivery.outboxes)

        # A staff-only record: no public page shows what the public sent.
        invalidation.not_on_public_pages("inbox.submission")
