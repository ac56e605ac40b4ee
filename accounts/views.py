"""Staff sign-in in two steps, second-factor set-up, backup codes, passkeys,
invitations and password resets. Thin views over django-otp, django-otp-webauthn
and Django's own auth views; every page here is private and never cached."""

import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from site_ops import ratelimit

from . import invitations, second_factor
from .forms import BackupCodeForm, CodeForm, PasswordResetForm, SetPasswordForm, SignInForm
from .models import AccountEvent, record
from .signin import count_failure, finish_sign_in, is_locked, locked_out, safe_next

NEXT = "next"


def _with_next(url_name, next_url):
    url = reverse(url_name)
    return f"{url}?{urlencode({NEXT: next_url})}" if next_url else url


def _next(request):
    return safe_next(request, request.POST.get(NEXT) or request.GET.get(NEXT))


def _page(request, template, context=None, status=200):
    return render(request, template, {"noindex": True, NEXT: _next(request), **(context or {})}, status=status)


def _second_step(request):
    """Where a person signed in with their password goes next."""
    user, next_url = request.user, _next(request)
    if second_factor.second_factor_passed(user):
        return redirect(next_url)
    if second_factor.has_second_factor(user):
        return redirect(_with_next("accounts:verify", next_url))
    return redirect(_with_next("accounts:set_up", next_url))


def _half_signed_in(view):
    """For the second step and set-up: signed in with a password, not yet with a second factor."""

    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(_with_next("accounts:sign_in", _next(request)))
        if second_factor.second_factor_passed(request.user):
            return redirect(_next(request))
        return view(request, *args, **kwargs)

    return never_cache(wrapped)


def _fully_signed_in(view):
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(_with_next("accounts:sign_in", request.get_full_path()))
        if not second_factor.second_factor_passed(request.user):
            return _second_step(request)
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return never_cache(wrapped)


@method_decorator(sensitive_post_parameters("password"), name="dispatch")
class SignInView(auth_views.LoginView):
    """Step one: username and password. Step two follows where a second factor is required."""

    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    extra_context = {"page_title": gettext_lazy("Staff sign-in"), "noindex": True}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_staff:
            return _second_step(request)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        auth_login(self.request, form.get_user())  # a new session id; the admin still asks for step two
        if not second_factor.is_required():
            finish_sign_in(self.request)
        return _second_step(self.request)


@_half_signed_in
def verify(request):
    """Step two: a code from the app, a passkey, or (with ?method=backup) a backup code."""
    user = request.user
    if not second_factor.has_second_factor(user):
        return redirect(_with_next("accounts:set_up", _next(request)))
    if is_locked(request, user):
        return locked_out(request, user)
    app = second_factor.authenticator(user)
    use_backup = request.GET.get("method") == "backup" or app is None
    form_class = BackupCodeForm if use_backup else CodeForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, wait = _matching_device(user, form.cleaned_data["code"], use_backup)
        if device is not None:
            otp_login(request, device)
            finish_sign_in(request)
            if use_backup:
                left = second_factor.backup_codes_left(user)
                record(user, AccountEvent.Kind.BACKUP_CODE_USED, actor=user, detail=f"{left} left")
                messages.warning(
                    request,
                    _(
                        "You signed in with a backup code; %(left)d left. "
                        "Make new ones from Your account if you run low."
                    )
                    % {"left": left},
                )
            return redirect(_next(request))
        if count_failure(request, user):  # a try too soon counts too: five tries, not five checks
            return locked_out(request, user)
        form.add_error(
            "code",
            _wait_message(wait)
            if wait
            else _("That code is not right, or it was already used. Check it and try again."),
        )
    return _page(
        request,
        "accounts/verify.html",
        {
            "form": form,
            "use_backup": use_backup,
            "has_app": app is not None,
            "has_passkeys": second_factor.passkeys(user).exists(),
            "has_backup_codes": second_factor.backup_codes_left(user) > 0,
            "page_title": _("Verify it is you"),
        },
    )


def _matching_device(user, code, use_backup):
    """(the device the code belongs to or None, seconds to wait first or 0).

    verify_token refuses a code already used (TOTP) and uses up a backup code.
    django-otp also makes each device wait 1, 2, 4... seconds after successive
    failures, from any address (django-axes counts per address); a code typed
    too soon is not checked at all, and the person is told to wait rather than
    that the code is wrong.
    """
    model = StaticDevice if use_backup else TOTPDevice
    wait = 0
    for device in model.objects.filter(user=user, confirmed=True):
        allowed, _reason = device.verify_is_allowed()
        if not allowed:
            wait = max(wait, _seconds_to_wait(device))
        elif device.verify_token(code):
            return device, 0
    return None, wait


def _seconds_to_wait(device):
    factor = device.get_throttle_factor()
    required = factor * (2 ** (device.throttling_failure_count - 1))
    elapsed = (timezone.now() - device.throttling_failure_timestamp).total_seconds()
    return max(1, math.ceil(required - elapsed))


def _wait_message(seconds):
    return ngettext(
        "Too many tries in a row: wait %(seconds)d second, then type the code again.",
        "Too many tries in a row: wait %(seconds)d seconds, then type the code again.",
        seconds,
    ) % {"seconds": seconds}


@_half_signed_in
def set_up(request):
    """Set-up: scan the QR code (or type the key), confirm with one code, then save backup codes."""
    user = request.user
    if second_factor.has_second_factor(user):
        return redirect(_with_next("accounts:verify", _next(request)))
    if is_locked(request, user):
        return locked_out(request, user)
    device = second_factor.pending_authenticator(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _reason = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["code"]):
            second_factor.confirm_authenticator(device, actor=user)
            otp_login(request, device)
            finish_sign_in(request)
            codes = second_factor.new_backup_codes(user, actor=user)
            return _backup_codes_page(request, codes, first_time=True)
        if count_failure(request, user):
            return locked_out(request, user)
        form.add_error(
            "code",
            _(
                "That code is not right. Check the app shows this site's entry, that your phone's clock is set "
                "automatically, and type the code it shows now."
            )
            if allowed
            else _wait_message(_seconds_to_wait(device)),
        )
    return _page(
        request,
        "accounts/set_up.html",
        {
            "form": form,
            "qr_code": second_factor.qr_code_data_uri(device),
            "setup_key": second_factor.setup_key(device),
            "page_title": _("Set up your authenticator app"),
        },
    )


def _backup_codes_page(request, codes, first_time=False):
    # Shown once, in this response only (never cached: see urls.py), never again.
    return _page(
        request,
        "accounts/backup_codes.html",
        {"codes": codes, "first_time": first_time, "page_title": _("Save your backup codes")},
    )


@require_POST
@_fully_signed_in
def new_backup_codes(request):
    codes = second_factor.new_backup_codes(request.user, actor=request.user)
    return _backup_codes_page(request, codes)


@_fully_signed_in
def account(request):
    user = request.user
    return _page(
        request,
        "accounts/account.html",
        {
            "page_title": _("Your account"),
            "app": second_factor.authenticator(user),
            "passkeys": second_factor.passkeys(user),
            "backup_codes_left": second_factor.backup_codes_left(user),
            "events": user.account_events.select_related("actor")[:20],
        },
    )


@require_POST
@_fully_signed_in
def remove_passkey(request, pk):
    passkey = get_object_or_404(second_factor.passkeys(request.user), pk=pk)
    name = passkey.name
    passkey.delete()
    record(request.user, AccountEvent.Kind.PASSKEY_REMOVED, actor=request.user, detail=name)
    messages.success(
        request, _("The passkey “%(name)s” was removed. It can no longer be used to sign in.") % {"name": name}
    )
    return redirect("accounts:account")


# --- Invitations -----------------------------------------------------------

INVITATION_SESSION_KEY = "accounts_invitation_token"


@never_cache
def accept_invitation(request, token):
    """The emailed link: checked, then kept in the session so the address bar
    (and any Referer header) no longer carries it, as Django's reset views do.
    A bad link answers 200, like Django's: a 4xx would put it in the error log."""
    try:
        invitations.check(token)
    except invitations.InvalidInvitation as problem:
        return _page(request, "accounts/invitation_invalid.html", {"problem": problem, "page_title": _("Invitation")})
    request.session[INVITATION_SESSION_KEY] = token
    return redirect("accounts:choose_password")


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def choose_password(request):
    token = request.session.get(INVITATION_SESSION_KEY)
    try:
        if not token:
            raise invitations.InvalidInvitation(_("Open the link in your invitation email to choose a password."))
        invitation = invitations.check(token)
    except invitations.InvalidInvitation as problem:
        return _page(request, "accounts/invitation_invalid.html", {"problem": problem, "page_title": _("Invitation")})
    form = SetPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.accept(invitation, form.cleaned_data["new_password1"])
        except invitations.InvalidInvitation as problem:
            return _page(
                request, "accounts/invitation_invalid.html", {"problem": problem, "page_title": _("Invitation")}
            )
        del request.session[INVITATION_SESSION_KEY]
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if not second_factor.is_required():
            finish_sign_in(request)
        return _second_step(request)
    return _page(
        request,
        "accounts/choose_password.html",
        {"form": form, "invitation": invitation, "page_title": _("Choose your password")},
    )


# --- Password reset by email (Django's views, our templates) --------------


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_sent")
    extra_context = {"page_title": gettext_lazy("Reset your password"), "noindex": True}
    extra_email_context = {"site_name": settings.SITE_NAME}

    def form_valid(self, form):
        # The same answer either way; over the forms' rate limit nothing is
        # sent, so the form cannot be used to flood someone's inbox.
        if ratelimit.is_limited(self.request):
            return redirect(self.success_url)
        ratelimit.count(self.request)
        # Links point to the host the person used (checked against ALLOWED_HOSTS).
        self.extra_email_context = {
            **self.extra_email_context,
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        }
        return super().form_valid(form)


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"
    extra_context = {"page_title": gettext_lazy("Check your email"), "noindex": True}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    extra_context = {"page_title": gettext_lazy("Choose a new password"), "noindex": True}

    def form_valid(self, form):
        response = super().form_valid(form)  # the second factor is left as it was
        record(form.user, AccountEvent.Kind.PASSWORD_RESET, actor=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
    extra_context = {"page_title": gettext_lazy("Password changed"), "noindex": True}


class SignOutView(auth_views.LogoutView):
    next_page = reverse_lazy("accounts:sign_in")

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You are signed out."))
        return response
