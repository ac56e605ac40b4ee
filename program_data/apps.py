from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ProgramDataConfig(AppConfig):
    """Programs' yearly figures: referrals, arrests and the rest, with privacy-safe breakdowns."""

    default = True
    name = "program_data"
    verbose_name = gettext_lazy("Yearly figures")

    def ready(self):
        from page_cache import invalidation
        from programs import hooks

        from .models import FigureSet

        # A link to the figures from the program page and the state page.
        hooks.register(hooks.PROGRAM_PAGE_FIGURES, "program_data/extensions/program_figures.html")
        hooks.register(hooks.STATE_PAGE_INTRO, "program_data/extensions/state_intro.html")

        # The pages that show a year's figures: its program's data page and its state's.
        invalidation.register(
            FigureSet, lambda o: {f"program-data:{o.program_id}", f"state-data:{o.program.agency.state_id}"}
        )
        # Editors invited before these models existed get their rights on them at the next
        # `migrate`: accounts/apps.py refreshes the editors' group after every app's migrations.
