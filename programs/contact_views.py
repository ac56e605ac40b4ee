"""The public forms on a program page: request a presentation, ask a question."""

import logging
import math

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from site_ops import ratelimit

from . import notifications
from .forms import AccessibilityBarrierForm, PresentationRequestForm, QuestionForm
from .models import Program, Submission

logger = logging.getLogger(__name__)
SIGNING_SALT = "programs.thank-you"

FORMS = {
    "presentation": {
        "form": PresentationRequestForm,
        "template": "programs/forms/presentation_request.html",
        "title": gettext_lazy("Request a classroom presentation"),
    },
    "question": {
        "form": QuestionForm,
        "template": "programs/forms/question.html",
        "title": gettext_lazy("Ask a question or leave a comment"),
    },
    # Linked from the accessibility statement and every program page's footer.
    "accessibility": {
        "form": AccessibilityBarrierForm,
        "template": "programs/forms/accessibility_barrier.html",
        "title": gettext_lazy("Report an accessibility barrier"),
    },
}


def _program(request, slug):
    return get_object_or_404(Program.objects.visible_to(request.user).with_card_data(), slug=slug)


def _form_view(request, slug, kind):
    program = _program(request, slug)
    spec = FORMS[kind]
    if request.method == "POST":
        if ratelimit.is_limited(request):
            response = render(
                request,
                "programs/forms/rate_limited.html",
                {
                    "program": program,
                    "page_title": _("Please wait before sending again"),
                    "noindex": True,
                    "retry_minutes": math.ceil(settings.FORM_RATE_WINDOW / 60),
                },
                status=429,
            )
            response["Retry-After"] = str(settings.FORM_RATE_WINDOW)
            return response
        form = spec["form"](request.POST, program=program)
        if form.is_valid():
            ratelimit.count(request)
            if form.is_spam():
                # Look like success, save nothing: no signal for the bot to adapt to.
                return redirect("programs:form_thanks", slug=program.slug, token=signing.dumps("", salt=SIGNING_SALT))
            with transaction.atomic():
                submission = form.save()
            # Saved first; email after, and its failure only leaves it pending.
            try:
                notifications.deliver(submission)
            except Exception:
                logger.exception("notification bookkeeping failed for %s", submission.reference)
            token = signing.dumps(submission.reference, salt=SIGNING_SALT)
            return redirect("programs:form_thanks", slug=program.slug, token=token)
    else:
        form = spec["form"](program=program)
    title = str(spec["title"])
    return render(
        request,
        spec["template"],
        {
            "program": program,
            "form": form,
            "page_title": _("Error: %(title)s") % {"title": title}
            if form.errors
            else _("%(title)s: %(program)s") % {"title": title, "program": program.page_title},
            "page_description": _("%(title)s from the %(program)s.") % {"title": title, "program": program.page_title},
            "form_title": title,
        },
    )


@never_cache
def request_presentation(request, slug):
    return _form_view(request, slug, "presentation")


@never_cache
def ask_question(request, slug):
    return _form_view(request, slug, "question")


@never_cache
def report_barrier(request, slug):
    return _form_view(request, slug, "accessibility")


def reference_from_link(token, salt):
    """The reference a thank-you link carries, signed for a day; a 404 for any other link."""
    try:
        return signing.loads(token, salt=salt, max_age=60 * 60 * 24)
    except signing.BadSignature as exc:
        raise Http404("This confirmation link is not valid.") from exc


@never_cache
def thanks(request, slug, token):
    program = _program(request, slug)
    reference = reference_from_link(token, SIGNING_SALT)
    submission = Submission.objects.filter(reference=reference, program=program).first() if reference else None
    return render(
        request,
        "programs/forms/thanks.html",
        {
            "program": program,
            "reference": reference,
            "submission": submission,
            "page_title": _("Thank you: we have your message"),
            "noindex": True,
        },
    )
