from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class TrainingConfig(AppConfig):
    default = True
    name = "training"
    verbose_name = gettext_lazy("Officers' training")

    def ready(self):
        from page_cache import invalidation
        from programs import hooks

        from . import page
        from .inlines import OfficerTrainingInline
        from .models import Course, OfficerTraining

        # Each officer card's training line, the program page's course counts, the officer's admin inline.
        hooks.register(hooks.PROGRAM_PAGE_PREFETCH, page.program_page_prefetch)
        hooks.register(hooks.OFFICER_CARD, page.officer_card)
        hooks.register(hooks.PROGRAM_PAGE_PARTS, page.program_page_parts)
        hooks.register(hooks.PROGRAM_PAGE_OFFICERS, "training/course_counts.html")
        hooks.register(hooks.admin_inlines("officer"), OfficerTrainingInline)

        # Officer cards and the program page's course counts carry the agency's tag.
        invalidation.register(OfficerTraining, lambda o: {f"agency:{o.officer.agency_id}"})
        invalidation.register(
            Course,
            lambda o: {
                f"agency:{agency_id}"
                for agency_id in OfficerTraining.objects.filter(course_id=o.pk)
                .values_list("officer__agency_id", flat=True)
                .distinct()
            },
        )
