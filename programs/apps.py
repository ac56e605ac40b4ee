from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ProgramsConfig(AppConfig):
    default = True
    name = "programs"
    verbose_name = "SRO programs"

    def ready(self):
        from . import invalidation

        invalidation.connect()


class StaffAdminConfig(admin_apps.AdminConfig):
    default = False  # named explicitly in INSTALLED_APPS
    default_site = "programs.admin_site.StaffAdminSite"
