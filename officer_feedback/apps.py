from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class OfficerFeedbackConfig(AppConfig):
    default = True
    name = "officer_feedback"
    verbose_name = gettext_lazy("Complaints and commendations")

    def ready(self):
        from inbox import delivery as inbox_delivery
        from page_cache import invalidation
        from programs import hooks

        from . import delivery
        from .models import ProfessionalStandardsContact, SchoolMattersContact

        # The contacts are shown on the program's "Compliment or complain" page,
        # which carries the program's and the agency's tags (views.py).
        invalidation.register(ProfessionalStandardsContact, lambda o: {f"agency:{o.agency_id}"})
        invalidation.register(SchoolMattersContact, lambda o: {f"program:{o.partnership.program_id}"})
        # Staff-only records: the reports themselves and who may read them.
        invalidation.not_on_public_pages(
            "officer_feedback.feedback", "officer_feedback.professionalstandardsmembership"
        )
        # "Compliment or complain about an officer" among the program page's buttons.
        hooks.register(hooks.PROGRAM_PAGE_ACTIONS, "officer_feedback/extensions/program_actions.html")
        # Its emails are retried by `send_pending_notifications`, like the other forms'.
        inbox_delivery.register_outbox(delivery.OUTBOX)
