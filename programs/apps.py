from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ProgramsConfig(AppConfig):
    default = True
    name = "programs"
    verbose_name = "SRO programs"

    def ready(self):
        from . import alerts, invalidation  # noqa: F401 (alerts registers its cache-lifetime cap)

        invalidation.connect()


class StaffAdminConfig(admin_apps.AdminConfig):
    default = False  # named explicitly in INSTALLED_APPS
    default_site = "programs.admin_site.StaffAdminSite"
