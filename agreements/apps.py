from datetime import datetime, time, timedelta

from django.apps import AppConfig
from django.utils import timezone


def seconds_until_tomorrow():
    """Statuses follow the date: no cached page outlives the day it was rendered on."""
    now = timezone.localtime()
    midnight = datetime.combine(now.date() + timedelta(days=1), time.min, tzinfo=now.tzinfo)
    return (midnight - now).total_seconds()


class AgreementsConfig(AppConfig):
    default = True
    name = "agreements"
    verbose_name = "Agreements with school districts"

    def ready(self):
        from programs import invalidation, page_cache

        from .models import Agreement

        # The program page (its partner districts) and the agreements page carry the program's tag.
        invalidation.register(Agreement, lambda o: {f"program:{o.partnership.program_id}"})
        invalidation.NOT_ON_PUBLIC_PAGES.add("agreements.reviewreminder")
        page_cache.register_ttl_cap(seconds_until_tomorrow)
