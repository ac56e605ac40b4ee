from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    """The read-only API (/api/v1/), the CSV downloads, the Open data page and the /data.json catalog."""

    default = True
    name = "open_data"
    verbose_name = _("Open data")

    def ready(self):
        from page_cache import invalidation

        from .datasets import CACHE_TAG

        # Every change a public page shows also changes the API, the CSV files and the catalog.
        invalidation.also_on_every_change(CACHE_TAG)
