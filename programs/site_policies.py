"""The privacy notice and the accessibility statement, linked from every page's footer.

Both are the same for every county: what differs (who to contact) is each
program's own data, shown on its page and in its forms.
"""

from datetime import date

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from page_cache.pages import tag_page

from .models import Program

# Until the retention setting exists everywhere (issue 16's purge), the default it will have.
DEFAULT_RETENTION_DAYS = 1095
# When the statement below was last checked against the site; change it with the statement.
ACCESSIBILITY_REVIEWED = date(2026, 11, 30)
# A site with this many programs or fewer lists their barrier-report forms on the statement
# itself; a larger one sends people to their county's page, where the footer links to its form.
LISTED_PROGRAMS = 12


def privacy(request):
    tag_page(request)  # settings only: cached until PAGE_CACHE_SECONDS
    days = getattr(settings, "SUBMISSION_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)
    return render(
        request,
        "programs/privacy.html",
        {
            "retention_days": days,
            "retention_years": f"{days / 365.25:.1f}".removesuffix(".0"),
            "page_title": _("Privacy notice"),
            "page_description": _(
                "What this site collects when you use its forms, why, who sees it, how long it is kept "
                "and how to have it removed."
            ),
        },
    )


def accessibility(request):
    tag_page(request, "programs")
    programs = list(Program.objects.published().with_card_data()[: LISTED_PROGRAMS + 1])
    program_links = [
        {"name": program.page_title, "url": reverse("programs:report_barrier", args=[program.slug])}
        for program in programs
        if len(programs) <= LISTED_PROGRAMS
    ]
    return render(
        request,
        "programs/accessibility.html",
        {
            "reviewed": ACCESSIBILITY_REVIEWED,
            "program_links": program_links,
            "page_title": _("Accessibility statement"),
            "page_description": _(
                "The accessibility standard this site meets, how it is tested, what is known not to meet it, "
                "and how to report a barrier or get content another way."
            ),
        },
    )
