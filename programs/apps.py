from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "SRO programs"

    def ready(self):
        from . import invalidation

        invalidation.connect()
