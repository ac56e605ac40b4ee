from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class SiteConfig(AppConfig):
    """The project itself, as an app for what composes every other: `load_demo`."""

    default = True
    name = "sro_site"
    verbose_name = "Site"


class StaffAdminConfig(admin_apps.AdminConfig):
    default = False  # named explicitly in INSTALLED_APPS
    default_site = "sro_site.admin_site.StaffAdminSite"
