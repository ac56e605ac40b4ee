"""A person's own account page (backup codes, passkeys), and a superuser's reset of a lost second factor."""

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts import second_factor
from accounts.models import AccountEvent
from tests.factories import UserFactory
from tests.signin import authenticator_for, sign_in, sign_in_with_password

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def second_factor_required(settings):
    settings.OTP_REQUIRED = True


def passkey_for(user, name="Work laptop"):
    return WebAuthnCredential.objects.create(
        user=user, name=name, confirmed=True, credential_id=name.encode(), public_key=b"\x00" * 32
    )


@pytest.fixture
def signed_in(client):
    user = UserFactory(is_staff=True)
    sign_in(client, user, authenticator_for(user))
    client.user = user
    return client


def test_the_account_page_lists_the_second_factors_and_offers_a_passkey(signed_in):
    passkey_for(signed_in.user)
    second_factor.new_backup_codes(signed_in.user, actor=signed_in.user)
    html = signed_in.get(reverse("accounts:account")).content.decode()
    assert "Work laptop" in html
    assert "10 unused backup codes left" in html
    assert 'id="passkey-register-button"' in html and "cannot be phished" in html
    assert reverse("otp_webauthn:credential-registration-begin") in html  # the library's configuration


def test_the_admin_links_to_the_account_page(signed_in):
    html = signed_in.get(reverse("admin:index")).content.decode()
    assert reverse("accounts:account") in html


def test_the_account_page_needs_both_steps(client):
    user = UserFactory(is_staff=True)
    authenticator_for(user)
    assert client.get(reverse("accounts:account")).url.startswith(reverse("accounts:sign_in"))
    sign_in_with_password(client, user)
    assert client.get(reverse("accounts:account")).url.startswith(reverse("accounts:verify"))


def test_new_backup_codes_replace_the_old_ones(signed_in):
    old = second_factor.new_backup_codes(signed_in.user, actor=signed_in.user)
    response = signed_in.post(reverse("accounts:new_backup_codes"))
    new = re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.filter(device__user=signed_in.user).values_list("token", flat=True)) == set(new)
    assert "no longer work" in response.content.decode()
    assert signed_in.get(reverse("accounts:new_backup_codes")).status_code == 405  # only by a deliberate POST


def test_a_person_removes_their_own_passkey_and_it_is_recorded(signed_in):
    passkey = passkey_for(signed_in.user)
    response = signed_in.post(reverse("accounts:remove_passkey", args=[passkey.pk]), follow=True)
    assert not WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    assert "was removed" in response.content.decode()
    event = AccountEvent.objects.get(user=signed_in.user, kind=AccountEvent.Kind.PASSKEY_REMOVED)
    assert event.actor == signed_in.user and event.detail == "Work laptop"


def test_nobody_removes_someone_else_s_passkey(signed_in):
    other = passkey_for(UserFactory(is_staff=True), name="Not yours")
    assert signed_in.post(reverse("accounts:remove_passkey", args=[other.pk])).status_code == 404
    assert WebAuthnCredential.objects.filter(pk=other.pk).exists()


def test_a_person_with_a_passkey_is_offered_it_at_the_second_step(client):
    user = UserFactory(is_staff=True)
    authenticator_for(user)
    passkey_for(user)
    sign_in_with_password(client, user)
    html = client.get(reverse("accounts:verify")).content.decode()
    assert 'id="passkey-verification-button"' in html and 'name="code"' in html
    assert reverse("otp_webauthn:credential-authentication-begin") in html


def test_passkeys_never_replace_the_password(client):
    """Passwordless passkey sign-in is off: the ceremony needs a signed-in (first step) user."""
    response = client.post(reverse("otp_webauthn:credential-authentication-begin"))
    assert response.status_code >= 400
    assert "_auth_user_id" not in client.session


def test_a_superuser_resets_a_lost_second_factor(client):
    chief = UserFactory(is_staff=True, is_superuser=True)
    sign_in(client, chief, authenticator_for(chief))
    editor = UserFactory(is_staff=True)
    authenticator_for(editor)
    passkey_for(editor)
    second_factor.new_backup_codes(editor, actor=editor)

    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [editor.pk]},
        follow=True,
    )
    assert "Second factor reset for" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert not WebAuthnCredential.objects.filter(user=editor).exists()
    assert not StaticToken.objects.filter(device__user=editor).exists()
    event = AccountEvent.objects.get(user=editor, kind=AccountEvent.Kind.SECOND_FACTOR_RESET)
    assert event.actor == chief
    # The record shows in the admin, on the user's page and in the list of changes.
    assert "Second factor reset" in client.get(reverse("admin:auth_user_change", args=[editor.pk])).content.decode()
    assert editor.username in client.get(reverse("admin:accounts_accountevent_changelist")).content.decode()

    # At their next sign-in they set it up again.
    client.post(reverse("accounts:sign_out"))
    assert sign_in_with_password(client, editor).url.startswith(reverse("accounts:set_up"))


def test_editors_cannot_reset_anyone(client):
    editor = UserFactory(is_staff=True)
    sign_in(client, editor, authenticator_for(editor))
    other = UserFactory(is_staff=True)
    authenticator_for(other)
    action = {"action": "reset_second_factor", "_selected_action": [other.pk]}
    assert client.post(reverse("admin:auth_user_changelist"), action).status_code == 403
    assert TOTPDevice.objects.filter(user=other).exists()
