"""The updates' sections of the sitemap (programs/seo.py, through hooks.SITEMAPS): each published
update's page, and the lists of updates (a program's, a state's, the whole site's), in both
languages. A list is listed once it has an update to show; its paged-on pages are not."""

from django.db.models import Max
from django.urls import reverse

from programs.seo import SectionSitemap

from .models import Update


def _latest_published():
    return Update.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class UpdatesSitemap(SectionSitemap):
    # Their pages show the update's own fields and the program's name, both under these tags
    # ("programs" is among the domain's: a program published or renamed).
    page_cache_tags = ("updates",)

    def section_lastmod(self):
        return _latest_published()


class UpdateSitemap(UpdatesSitemap):
    section = "updates"
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Update.objects.published().select_related("program").order_by("pk")

    def lastmod(self, update):
        return update.updated_at


class UpdateListSitemap(UpdatesSitemap):
    section = "update-lists"
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        """(address name, its arguments, its lastmod): the site's list, each state's, each program's;
        one query, the latest change of each program's published updates."""
        by_program = (
            Update.objects.published()
            .order_by()
            .values("program__slug", "program__agency__state__code")
            .annotate(latest=Max("updated_at"))
            .order_by("program__slug")
        )
        programs, states = [], {}
        for row in by_program:
            programs.append(("updates:program_updates", [row["program__slug"]], row["latest"]))
            code = row["program__agency__state__code"].lower()
            states[code] = max(states.get(code, row["latest"]), row["latest"])
        if not programs:
            return []
        site = ("updates:all_updates", [], max(states.values()))
        return [site, *(("updates:state_updates", [code], states[code]) for code in sorted(states)), *programs]

    def location(self, item):
        name, args, _ = item
        return reverse(name, args=args)

    def lastmod(self, item):
        return item[2]
