from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ProgramsConfig(AppConfig):
    default = True
    name = "programs"
    verbose_name = gettext_lazy("SRO programs")

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save

        from . import alerts, invalidation  # noqa: F401 (alerts registers its cache-lifetime cap)
        from .images import delete_photo_files
        from .models import Officer, Photo, School
        from .program_pages import mark_all_stale

        invalidation.connect()
        # A deploy runs migrate: its new code or settings may change what page documents hold.
        post_migrate.connect(mark_all_stale, sender=self, dispatch_uid="program-pages-after-migrate")
        post_save.connect(_school_saved, sender=School, dispatch_uid="school-search-words")
        for model in (Officer, Photo):
            post_delete.connect(delete_photo_files, sender=model, dispatch_uid=f"photo-files-{model.__name__}")


def _school_saved(sender, instance, using, raw=False, **kwargs):
    from .search import record_search_words

    if not raw:  # loaddata: the schools' words are counted after (refresh_search_words)
        record_search_words(instance, using)
