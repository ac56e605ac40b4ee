"""Subscribing by email, and leaving again without signing in.

Every answer to the subscribe form is the same page ("check your email"), whether the address
was new, already subscribed or waiting for its confirmation, so that nobody learns from it
who is subscribed. Confirming, changing the choice and unsubscribing are reached by the
signed links in the emails (links.py); the one-click unsubscribe (RFC 8058) is a POST a
mailbox provider sends without a CSRF token, authenticated by its signed link instead.
"""

import logging
import math
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from programs.models import Program, State
from programs.page_titles import form_page_title
from site_ops import ratelimit

from . import links, sending
from .forms import STOP, ChoicesForm, SubscribeForm
from .models import Subscriber, Subscription

logger = logging.getLogger(__name__)

# A second request for the same subscription within this time sends no second email: the
# form cannot be used to flood someone's mailbox.
RESEND_AFTER = timedelta(minutes=15)


def request_subscription(email, *, program=None, state=None, frequency, language):
    """Record a request to subscribe `email` and queue its confirmation email.

    Returns the subscription whose confirmation is to be sent now, or None when one was sent
    moments ago. A confirmed subscription stays as it is until the new link is clicked.
    """
    now = timezone.now()
    with transaction.atomic():
        subscriber, _ = Subscriber.objects.get_or_create(email=email, defaults={"language": language})
        subscription, created = Subscription.objects.select_for_update().get_or_create(
            subscriber=subscriber, program=program, state=state
        )
        if not created and subscription.confirmation_sent_at and now - subscription.confirmation_sent_at < RESEND_AFTER:
            return None
        subscription.requested_frequency = frequency
        subscription.requested_language = language
        subscription.confirmation_sent_at = None
        subscription.next_notification_at = now
        subscription.notification_attempts = 0
        subscription.last_notification_error = ""
        if not subscription.is_confirmed:
            subscription.created_at = now  # its address is kept for the life of this new link
        subscription.save()
    return subscription


def _rate_limited(request, subject, back_url):
    response = render(
        request,
        "updates/rate_limited.html",
        {
            "subject_title": subject,
            "back_url": back_url,
            "retry_minutes": math.ceil(settings.FORM_RATE_WINDOW / 60),
            "page_title": _("Please wait before sending again"),
            "noindex": True,
        },
        status=429,
    )
    response["Retry-After"] = str(settings.FORM_RATE_WINDOW)
    return response


def _subscribe(request, *, program=None, state=None):
    title = program.page_title if program else state.name
    back_url = program.get_absolute_url() if program else state.get_absolute_url()
    if request.method == "POST":
        if ratelimit.is_limited(request):
            return _rate_limited(request, title, back_url)
        form = SubscribeForm(request.POST)
        if form.is_valid():
            ratelimit.count(request)
            if not form.is_spam():
                try:
                    subscription = request_subscription(
                        form.cleaned_data["email"],
                        program=program,
                        state=state,
                        frequency=form.cleaned_data["frequency"],
                        language=translation.get_language(),
                    )
                except IntegrityError:  # the same address sent twice at once: the first one counts
                    subscription = None
                if subscription is not None:
                    sending.deliver_confirmation(subscription)  # a failure is retried by send_pending_notifications
            return redirect("updates:check_email")
    else:
        form = SubscribeForm()
    heading = _("Get updates by email: %(subject)s") % {"subject": title}
    return render(
        request,
        "updates/subscribe.html",
        {
            "form": form,
            "program": program,
            "state": state,
            "subject_title": title,
            "back_url": back_url,
            "heading": heading,
            "page_title": form_page_title(form, heading),
            "page_description": _("Get news and events from %(subject)s by email, as they come or once a week.")
            % {"subject": title},
        },
    )


@never_cache
def subscribe_program(request, slug):
    return _subscribe(request, program=get_object_or_404(Program.objects.published().with_card_data(), slug=slug))


@never_cache
def subscribe_state(request, code):
    return _subscribe(request, state=get_object_or_404(State.objects.with_published_programs(), code__iexact=code))


@never_cache
def check_email(request):
    return render(
        request,
        "updates/check_email.html",
        {
            "page_title": _("Check your email"),
            "hours": settings.SUBSCRIPTION_CONFIRMATION_HOURS,
            "noindex": True,
        },
    )


def _invalid_link(request):
    return render(
        request, "updates/invalid_link.html", {"page_title": _("This link does not work"), "noindex": True}, status=400
    )


@never_cache
def confirm(request, token):
    """The link in the confirmation email. Its page asks for a click (a POST): mail scanners that
    open every link must not subscribe anyone."""
    try:
        pk, frequency = links.confirmation_from(token)
    except (signing.BadSignature, ValueError, TypeError):
        return _invalid_link(request)
    subscription = Subscription.objects.select_related("subscriber", "program__agency", "state").filter(pk=pk).first()
    if subscription is None:
        return _invalid_link(request)
    context = {"subscription": subscription, "frequency": frequency, "noindex": True}
    if request.method == "POST":
        Subscription.objects.filter(pk=pk).update(
            confirmed_at=subscription.confirmed_at or timezone.now(), frequency=frequency
        )
        Subscriber.objects.filter(pk=subscription.subscriber_id).update(language=subscription.requested_language)
        subscription.subscriber.language = subscription.requested_language
        return render(
            request,
            "updates/confirmed.html",
            {**context, "page_title": _("You are subscribed"), "manage_url": links.manage_url(subscription.subscriber)},
        )
    return render(request, "updates/confirm.html", {**context, "page_title": _("Confirm your email updates")})


@csrf_exempt  # RFC 8058: mailbox providers post without a token; the signed link authenticates the request
@never_cache
def unsubscribe(request, token):
    try:
        ids = links.subscriptions_from(token)
    except signing.BadSignature:
        return _invalid_link(request)
    if request.method == "POST":
        remove_subscriptions(Q(pk__in=ids))
        return render(request, "updates/unsubscribed.html", {"page_title": _("You are unsubscribed"), "noindex": True})
    subscriptions = Subscription.objects.filter(pk__in=ids).select_related("program__agency", "state")
    return render(
        request,
        "updates/unsubscribe.html",
        {"subscriptions": subscriptions, "page_title": _("Unsubscribe"), "noindex": True},
    )


def remove_subscriptions(condition):
    """Delete these subscriptions, and the addresses left with none: nothing is kept of them."""
    with transaction.atomic():
        subscriber_ids = set(Subscription.objects.filter(condition).values_list("subscriber_id", flat=True))
        Subscription.objects.filter(condition).delete()
        Subscriber.objects.filter(pk__in=subscriber_ids).exclude(
            pk__in=Subscription.objects.values("subscriber_id")
        ).delete()


@never_cache
def manage(request, token):
    """The subscriber's choices, from the link in every email: how often, or stop."""
    try:
        subscriber = Subscriber.objects.filter(pk=links.subscriber_from(token)).first()
    except signing.BadSignature:
        return _invalid_link(request)
    subscriptions = []
    if subscriber is not None:
        subscriptions = list(
            Subscription.objects.confirmed()
            .filter(subscriber=subscriber)
            .select_related("program__agency", "state")
            .order_by("pk")
        )
    form = ChoicesForm(request.POST or None, subscriptions=subscriptions)
    saved = False
    if request.method == "POST" and form.is_valid():
        stop = [s.pk for s, choice in form.choices() if choice == STOP]
        for subscription, choice in form.choices():
            if choice != STOP and choice != subscription.frequency:
                Subscription.objects.filter(pk=subscription.pk).update(frequency=choice)
        if stop:
            remove_subscriptions(Q(pk__in=stop))
        if len(stop) == len(subscriptions):
            return render(
                request, "updates/unsubscribed.html", {"page_title": _("You are unsubscribed"), "noindex": True}
            )
        return redirect(request.path + "?saved=1")
    saved = request.GET.get("saved") == "1"
    return render(
        request,
        "updates/manage.html",
        {"form": form, "saved": saved, "page_title": _("Your email updates"), "noindex": True},
    )
