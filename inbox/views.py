"""The public forms on a program page: request a presentation, ask a question, report an
accessibility barrier; and what every public form does once it is filled in (`accept`):
save, queue the emails, thank with the reference number."""

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

from languages.content import shown_in_other_language
from programs.models import Program
from programs.page_titles import form_page_title
from site_ops import ratelimit

from . import delivery
from .forms import AccessibilityBarrierForm, PresentationRequestForm, QuestionForm
from .models import Submission

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


# --- What every public form does ------------------------------------------


def rate_limited(request, template, context):
    """The page for a sender over FORM_RATE_LIMIT: a 429 that says when to try again."""
    context = {**context, "retry_minutes": math.ceil(settings.FORM_RATE_WINDOW / 60)}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(settings.FORM_RATE_WINDOW)
    return response


def accept(request, form, program, *, deliver, thanks, salt):
    """A valid form: counted against the rate limit, saved, emailed, and thanked with its reference.

    Spam is thanked the same way and saved nowhere: no signal for the bot to adapt to.
    The message is saved first and emailed after: a mail failure only leaves it pending
    (retried by `send_pending_notifications`).
    """
    ratelimit.count(request)
    reference = ""
    if not form.is_spam():
        with transaction.atomic():
            message = form.save()
        try:
            deliver(message)
        except Exception:
            logger.exception("notification bookkeeping failed for %s", message.reference)
        reference = message.reference
    return redirect(thanks, slug=program.slug, token=signing.dumps(reference, salt=salt))


def reference_from_link(token, salt):
    """The reference a thank-you link carries, signed for a day; a 404 for any other link."""
    try:
        return signing.loads(token, salt=salt, max_age=60 * 60 * 24)
    except signing.BadSignature as exc:
        raise Http404("This confirmation link is not valid.") from exc


def thank_you_page(request, template, context, *, model, token, salt):
    """The page the sender lands on: the reference number their link carries, and in `message`
    what they sent (None when the link is for spam, or the message is gone)."""
    program = context["program"]
    reference = reference_from_link(token, salt)
    message = model.objects.filter(reference=reference, program=program).first() if reference else None
    return render(request, template, {**context, "reference": reference, "message": message, "noindex": True})


# --- The program page's forms ---------------------------------------------


def _program(request, slug):
    return get_object_or_404(Program.objects.visible_to(request.user).with_card_data(), slug=slug)


def _form_view(request, slug, kind):
    program = _program(request, slug)
    spec = FORMS[kind]
    if request.method == "POST":
        if ratelimit.is_limited(request):
            return rate_limited(
                request,
                "programs/forms/rate_limited.html",
                {"program": program, "page_title": _("Please wait before sending again"), "noindex": True},
            )
        form = spec["form"](request.POST, program=program)
        if form.is_valid():
            return accept(
                request, form, program, deliver=delivery.deliver, thanks="programs:form_thanks", salt=SIGNING_SALT
            )
    else:
        form = spec["form"](program=program)
    if getattr(form, "shows_other_language", False):
        shown_in_other_language(request)  # the page says that some of its content is only in English
    title = str(spec["title"])
    return render(
        request,
        spec["template"],
        {
            "program": program,
            "form": form,
            "page_title": form_page_title(
                form, _("%(title)s: %(program)s") % {"title": title, "program": program.page_title}, title
            ),
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


@never_cache
def thanks(request, slug, token):
    return thank_you_page(
        request,
        "programs/forms/thanks.html",
        {"program": _program(request, slug), "page_title": _("Thank you: we have your message")},
        model=Submission,
        token=token,
        salt=SIGNING_SALT,
    )
