from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class UpdatesConfig(AppConfig):
    """News and events from a program, their feeds and calendars, and email subscriptions to them."""

    default = True
    name = "updates"
    verbose_name = gettext_lazy("Updates and events")

    def ready(self):
        from django.db.models.signals import post_save

        from editor_home import sections
        from inbox import delivery
        from page_cache import invalidation
        from programs import hooks
        from programs.models import Program

        from . import page, sending, sitemaps
        from .models import OutgoingEmail, Subscription, Update

        # The program page (its latest updates), the update pages, lists and feeds.
        invalidation.register(Update, page.tags_of_update)
        # The subscribers and their emails: no public page shows them.
        invalidation.not_on_public_pages("updates.subscriber", "updates.subscription", "updates.outgoingemail")

        hooks.register(hooks.PROGRAM_PAGE_PREFETCH, page.program_page_prefetch)
        hooks.register(hooks.PROGRAM_PAGE_PARTS, page.program_page_parts)
        hooks.register(hooks.PROGRAM_PAGE_NEWS, "updates/extensions/program_news.html")
        hooks.register(hooks.PROGRAM_PAGE_ON_THIS_PAGE, "updates/extensions/program_on_this_page.html")
        hooks.register(hooks.STATE_PAGE_PARTS, page.state_page_parts)
        hooks.register(hooks.STATE_PAGE_INTRO, "updates/extensions/state_intro.html")
        hooks.register(hooks.SITEMAPS, sitemaps.UpdateSitemap)
        hooks.register(hooks.SITEMAPS, sitemaps.UpdateListSitemap)

        # Confirmation emails one by one, the updates themselves in batches; both retried by
        # send_pending_notifications and counted by /healthz and /metrics.
        delivery.register_outbox(delivery.Outbox(Subscription, sending.deliver_confirmation, ("subscriber",)))
        delivery.register_outbox(delivery.Outbox(OutgoingEmail, None, send_all=sending.send_all))
        # Updates published while their program was a draft are emailed once it is published.
        post_save.connect(sending.program_saved, sender=Program, dispatch_uid="updates-program-published")

        # In the admin, under the editor's "Your program".
        sections.place("updates.update", "Your program")
        # Editors invited before updates existed get their rights on them at the next `migrate`:
        # accounts/apps.py refreshes the editors' group after every app's migrations.
