from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from page_cache.pages import tag_page
from programs.models import Program

from .models import Agreement
from .page import agreement_data


def program_agreements(request, slug):
    """Every agreement of a program's partner districts, newest first, superseded ones included."""
    program = get_object_or_404(Program.objects.visible_to(request.user).with_card_data(), slug=slug)
    agreements = (
        Agreement.objects.filter(partnership__program=program)
        .with_status(timezone.localdate())
        .select_related("partnership")
        .order_by("-effective_on", "partnership__district", "pk")
    )
    rows = [{"district": a.partnership.district, **agreement_data(a)} for a in agreements]
    # Statuses change with the date: agreements/apps.py keeps cached pages from outliving the day.
    tag_page(request, f"program:{program.pk}", f"agency:{program.agency_id}")
    return render(
        request,
        "agreements/program_agreements.html",
        {
            "program": program,
            "agreements": rows,
            "review_due_days": settings.REVIEW_DUE_DAYS,
            "page_title": _("Agreements with school districts: %(program)s") % {"program": program.page_title},
            "page_description": _(
                "The agreements (memorandums of understanding) between the %(agency)s and its partner "
                "school districts, current and past, with their dates and signed copies."
            )
            % {"agency": program.agency.name},
        },
    )
