"""Passkeys (WebAuthn) through django-otp-webauthn, as a second step after the password.

The relying party is the host the person is on (already checked against
ALLOWED_HOSTS), so a county sets nothing up; WEBAUTHN_RP_ID overrides it for a
site reached under several subdomains. Our subclasses only add what the site
needs around the library's ceremonies: a new session id once signed in, and an
entry in the account history when a passkey is added.
"""

from django.conf import settings
from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import views as webauthn_views
from django_otp_webauthn.helpers import WebAuthnHelper

from .models import AccountEvent, record
from .signin import finish_sign_in


def relying_party_id(request):
    return settings.WEBAUTHN_RP_ID or request.get_host().rsplit(":", 1)[0].strip("[]")


class PasskeyHelper(WebAuthnHelper):
    def get_allowed_origins(self):
        # The page's own origin; browsers refuse WebAuthn outside https and localhost anyway.
        return [f"{self.request.scheme}://{self.request.get_host()}"]


class CompletePasskeyRegistration(webauthn_views.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        if response.status_code == 200:
            record(self.request.user, AccountEvent.Kind.PASSKEY_ADDED, actor=self.request.user)
        return response


class CompletePasskeySignIn(webauthn_views.CompleteCredentialAuthenticationView):
    def complete_auth(self, device):
        super().complete_auth(device)  # marks the session as verified by this passkey
        finish_sign_in(self.request)

    def get_success_url(self):
        from .signin import safe_next

        return safe_next(self.request, self.request.GET.get("next"))


# Mounted under the namespace the library's template tags reverse ("otp_webauthn").
urlpatterns = [
    path(
        "registration/begin/",
        webauthn_views.BeginCredentialRegistrationView.as_view(),
        name="credential-registration-begin",
    ),
    path("registration/complete/", CompletePasskeyRegistration.as_view(), name="credential-registration-complete"),
    path(
        "authentication/begin/",
        webauthn_views.BeginCredentialAuthenticationView.as_view(),
        name="credential-authentication-begin",
    ),
    path("authentication/complete/", CompletePasskeySignIn.as_view(), name="credential-authentication-complete"),
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]), name="js-i18n-catalog"),
]
