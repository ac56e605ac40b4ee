from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ProgramsConfig(AppConfig):
    default = True
    name = "programs"
    verbose_name = "SRO programs"

    def ready(self):
        from django.db.models.signals import post_delete

        from . import alerts, invalidation  # noqa: F401 (alerts registers its cache-lifetime cap)
        from .images import delete_photo_files
        from .models import Officer, Photo

        invalidation.connect()
        for model in (Officer, Photo):
            post_delete.connect(delete_photo_files, sender=model, dispatch_uid=f"photo-files-{model.__name__}")


class StaffAdminConfig(admin_apps.AdminConfig):
    default = False  # named explicitly in INSTALLED_APPS
    default_site = "programs.admin_site.StaffAdminSite"
