"""The program's "Compliment or complain about an officer" page: both routes, and the form."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from inbox.views import accept, rate_limited, thank_you_page
from page_cache.pages import tag_page
from programs.models import Officer, Partnership, Program
from programs.page_titles import form_page_title
from site_ops import ratelimit

from . import delivery
from .forms import FeedbackForm
from .models import Feedback, ProfessionalStandardsContact

SIGNING_SALT = "officer_feedback.thank-you"
TITLE = gettext_lazy("Compliment or complain about an officer")


def _program(request, slug):
    """The program with everything the page shows, in a fixed number of queries whatever its size."""
    programs = (
        Program.objects.visible_to(request.user)
        .with_card_data()
        .prefetch_related(
            Prefetch(
                "partnerships",
                queryset=Partnership.objects.select_related("school_matters_contact"),
                to_attr="partnerships_with_contacts",
            ),
            Prefetch("agency__officers", queryset=Officer.objects.active(), to_attr="active_officers"),
        )
    )
    program = get_object_or_404(programs, slug=slug)
    program.agency.standards_contact = ProfessionalStandardsContact.objects.filter(agency_id=program.agency_id).first()
    tag_page(request, f"program:{program.pk}", f"agency:{program.agency_id}", f"state:{program.agency.state_id}")
    return program


def _context(program, **extra):
    contacts = [p for p in program.partnerships_with_contacts if hasattr(p, "school_matters_contact")]
    return {
        "program": program,
        "agency": program.agency,
        "standards": program.agency.standards_contact,
        "district_contacts": contacts,
        "districts_without_contact": [p for p in program.partnerships_with_contacts if p not in contacts],
        "noindex": False,
        **extra,
    }


@never_cache
def compliment_or_complain(request, slug):
    program = _program(request, slug)
    if request.method == "POST":
        if ratelimit.is_limited(request):
            return _rate_limited(request, program)
        form = FeedbackForm(request.POST, program=program, officers=program.agency.active_officers)
        if form.is_valid():
            return accept(
                request, form, program, deliver=delivery.deliver, thanks="officer_feedback:thanks", salt=SIGNING_SALT
            )
    else:
        form = FeedbackForm(program=program, officers=program.agency.active_officers)
    return render(
        request,
        "officer_feedback/compliment_or_complain.html",
        _context(
            program,
            form=form,
            page_title=form_page_title(
                form, _("%(title)s: %(program)s") % {"title": TITLE, "program": program.page_title}, TITLE
            ),
            page_description=_(
                "How to thank or complain about an officer of the %(program)s, and who handles school matters."
            )
            % {"program": program.page_title},
            form_title=TITLE,
        ),
    )


def _rate_limited(request, program):
    """Blocked, but never dropped: the other ways to file it now, and what they wrote, to copy."""
    return rate_limited(
        request,
        "officer_feedback/rate_limited.html",
        _context(
            program,
            page_title=_("Your report was not sent: other ways to file it"),
            noindex=True,
            written=request.POST.get("what_happened", "")[:5000],
        ),
    )


@never_cache
def thanks(request, slug, token):
    return thank_you_page(
        request,
        "officer_feedback/thanks.html",
        _context(_program(request, slug), page_title=_("Thank you: your report is with professional standards")),
        model=Feedback,
        token=token,
        salt=SIGNING_SALT,
    )
