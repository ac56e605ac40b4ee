from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaintenanceConfig(AppConfig):
    """Running the site for years: backups and restore, retention of the public's personal data."""

    default = True
    name = "maintenance"
    verbose_name = _("Maintenance")
