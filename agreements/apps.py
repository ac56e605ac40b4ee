from datetime import datetime, time, timedelta

from django.apps import AppConfig
from django.utils import timezone
from django.utils.translation import gettext_lazy


def seconds_until_tomorrow():
    """Statuses follow the date: no cached page outlives the day it was rendered on."""
    now = timezone.localtime()
    midnight = datetime.combine(now.date() + timedelta(days=1), time.min, tzinfo=now.tzinfo)
    return (midnight - now).total_seconds()


class AgreementsConfig(AppConfig):
    default = True
    name = "agreements"
    verbose_name = gettext_lazy("Agreements with school districts")

    def ready(self):
        from page_cache import invalidation
        from page_cache import pages as page_cache

        from .models import Agreement

        # The program page (its partner districts) and the agreements page carry the program's tag.
        invalidation.register(Agreement, lambda o: {f"program:{o.partnership.program_id}"})
        invalidation.not_on_public_pages("agreements.reviewreminder")
        page_cache.register_ttl_cap(seconds_until_tomorrow)
        _register_attention_check(Agreement)
        _register_program_page_parts()


def _register_program_page_parts():
    """The program page's partner districts with their agreements, and the agreements inline on a partnership."""
    from programs import hooks

    from . import page
    from .inlines import AgreementInline

    hooks.register(hooks.PROGRAM_PAGE_PREFETCH, page.program_page_prefetch)
    hooks.register(hooks.PROGRAM_FIELDS, page.program_fields)
    hooks.register(hooks.PROGRAM_PAGE_VALID_UNTIL, page.valid_until)
    hooks.register(hooks.PROGRAM_PAGE_ABOUT, "agreements/partner_districts.html")
    hooks.register(hooks.admin_inlines("partnership"), AgreementInline)


def _register_attention_check(agreement):
    """'Agreements due for review or expired' in the editor's home, its admin filter and the weekly digest."""
    from django.utils.translation import gettext, ngettext

    from editor_home.attention import AttentionCheck, register

    def due(agreements, today):
        statuses = [agreement.Status.REVIEW_DUE, agreement.Status.EXPIRED]
        return agreements.with_status(today).filter(status__in=statuses)

    register(
        AttentionCheck(
            key="agreements-due",
            model=agreement,
            agency_lookup="partnership__program__agency",
            condition=due,
            sentence=lambda n, today: (
                ngettext(
                    "%(n)d agreement with a school district is due for review or expired",
                    "%(n)d agreements with school districts are due for review or expired",
                    n,
                )
                % {"n": n}
            ),
            filter_label=lambda today: gettext("Review due or expired"),
            describe=lambda a: f"{a.partnership.district}, signed {a.signed_on:%B %-d, %Y}",
        )
    )
