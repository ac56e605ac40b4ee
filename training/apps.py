from django.apps import AppConfig


class TrainingConfig(AppConfig):
    default = True
    name = "training"
    verbose_name = "Officers' training"

    def ready(self):
        from programs import invalidation

        from .models import Course, OfficerTraining

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
