"""Staff sign-in in two steps, set-up of the second factor, backup codes and lock-outs."""

import re
from io import StringIO

import pyotp
import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import second_factor
from accounts.models import AccountEvent
from programs.models import Program
from tests.factories import ProgramFactory, UserFactory
from tests.signin import authenticator_for, code_for, sign_in, sign_in_with_password

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def second_factor_required(settings):
    settings.OTP_REQUIRED = True


def setup_key_on(html):
    match = re.search(r'id="setup-key">([A-Z2-7 ]+)<', html)
    assert match, "the set-up page shows the key as text"
    return match.group(1).replace(" ", "")


def backup_codes_on(html):
    return re.findall(r"<li><code>([a-z2-7]+)</code></li>", html)


def test_the_first_administrator_is_taken_from_sign_in_straight_to_set_up(client, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "correct horse battery staple")
    call_command("createsuperuser", "--noinput", username="chief", email="chief@example.org", stdout=StringIO())
    chief = get_user_model().objects.get(username="chief")

    admin_index = client.get(reverse("admin:index"), follow=True)
    assert admin_index.redirect_chain[-1][0].startswith(reverse("accounts:sign_in"))
    response = client.post(
        reverse("accounts:sign_in"),
        {"username": "chief", "password": "correct horse battery staple", "next": reverse("admin:index")},
    )
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:set_up"))

    set_up = client.get(response.url)
    html = set_up.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html and "alt=" in html
    key = setup_key_on(html)
    assert client.get(reverse("admin:index")).status_code == 302  # nothing else until set-up is done

    done = client.post(response.url, {"code": pyotp.TOTP(key).now()})
    assert done.status_code == 200
    codes = backup_codes_on(done.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert {"private", "no-store"} <= {d.strip() for d in done["Cache-Control"].split(",")}
    assert TOTPDevice.objects.get(user=chief).confirmed
    assert client.get(reverse("admin:index")).status_code == 200
    assert AccountEvent.objects.filter(user=chief, kind=AccountEvent.Kind.AUTHENTICATOR_SET_UP).exists()


def test_set_up_shows_the_same_key_until_it_is_confirmed(client):
    user = UserFactory(is_staff=True)
    sign_in_with_password(client, user)
    first = setup_key_on(client.get(reverse("accounts:set_up")).content.decode())
    second = setup_key_on(client.get(reverse("accounts:set_up")).content.decode())
    assert first == second and len(first) >= 32


def test_a_wrong_set_up_code_is_refused_and_the_device_stays_unconfirmed(client):
    user = UserFactory(is_staff=True)
    sign_in_with_password(client, user)
    key = setup_key_on(client.get(reverse("accounts:set_up")).content.decode())
    wrong = str((int(pyotp.TOTP(key).now()) + 1) % 1_000_000).zfill(6)
    response = client.post(reverse("accounts:set_up"), {"code": wrong})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and 'aria-invalid="true"' in html
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert client.get(reverse("admin:index")).status_code == 302


def test_sign_in_asks_for_the_code_after_the_password_with_no_device_menu(client):
    user = UserFactory(is_staff=True)
    device = authenticator_for(user)
    response = sign_in_with_password(client, user, next_url=reverse("admin:index"))
    assert response.url.startswith(reverse("accounts:verify"))
    page = client.get(response.url).content.decode()
    assert "<select" not in page and 'autocomplete="one-time-code"' in page
    assert "passkey-verification-button" not in page  # no passkey: no passkey option
    assert client.get(reverse("admin:index")).status_code == 302  # a password alone opens nothing

    verified = client.post(response.url, {"code": code_for(device), "next": reverse("admin:index")})
    assert verified.status_code == 302 and verified.url == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_session_id_changes_at_each_step(client):
    user = UserFactory(is_staff=True)
    device = authenticator_for(user)
    client.get(reverse("accounts:sign_in"))
    sign_in_with_password(client, user)
    after_password = client.session.session_key
    client.post(reverse("accounts:verify"), {"code": code_for(device)})
    assert client.session.session_key != after_password


def test_a_code_is_single_use(client):
    user = UserFactory(is_staff=True)
    device = authenticator_for(user)
    code = code_for(device)
    sign_in(client, user, device)
    client.post(reverse("accounts:sign_out"))
    sign_in_with_password(client, user)
    replay = client.post(reverse("accounts:verify"), {"code": code})
    assert replay.status_code == 200
    assert "already used" in replay.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_backup_code_signs_in_once(client):
    user = UserFactory(is_staff=True)
    authenticator_for(user)
    codes = second_factor.new_backup_codes(user, actor=user)
    sign_in_with_password(client, user)
    form = client.get(reverse("accounts:verify") + "?method=backup").content.decode()
    assert 'name="code"' in form and "Backup code" in form
    used = client.post(reverse("accounts:verify") + "?method=backup", {"code": codes[0].upper()})
    assert used.status_code == 302
    assert StaticToken.objects.filter(device__user=user).count() == 9
    assert AccountEvent.objects.filter(user=user, kind=AccountEvent.Kind.BACKUP_CODE_USED, detail="9 left").exists()

    client.post(reverse("accounts:sign_out"))
    sign_in_with_password(client, user)
    again = client.post(reverse("accounts:verify") + "?method=backup", {"code": codes[0]})
    assert again.status_code == 200 and client.get(reverse("admin:index")).status_code == 302


def test_five_wrong_codes_lock_like_five_wrong_passwords(client, settings):
    user = UserFactory(is_staff=True)
    device = authenticator_for(user)
    sign_in_with_password(client, user)
    wrong = str((int(code_for(device)) + 500_000) % 1_000_000).zfill(6)
    for _ in range(4):
        assert client.post(reverse("accounts:verify"), {"code": wrong}).status_code == 200
    locked = client.post(reverse("accounts:verify"), {"code": wrong})
    assert locked.status_code == 429
    assert "for 60 minutes" in locked.content.decode()
    assert "_auth_user_id" not in client.session  # signed out, not left half signed in
    # Even with the right password and code, it stays locked for the hour.
    again = sign_in_with_password(client, user)
    assert again.status_code == 429


def test_signing_in_again_with_the_password_does_not_reset_the_code_count(client):
    """Someone with a stolen password cannot keep guessing codes by signing in again."""
    user = UserFactory(is_staff=True)
    device = authenticator_for(user)
    wrong = str((int(code_for(device)) + 500_000) % 1_000_000).zfill(6)
    sign_in_with_password(client, user)
    for _ in range(3):
        client.post(reverse("accounts:verify"), {"code": wrong})
    client.post(reverse("accounts:sign_out"))
    sign_in_with_password(client, user)
    client.post(reverse("accounts:verify"), {"code": wrong})
    assert client.post(reverse("accounts:verify"), {"code": wrong}).status_code == 429


def test_wrong_set_up_codes_count_too(client):
    user = UserFactory(is_staff=True)
    sign_in_with_password(client, user)
    for _ in range(4):
        client.post(reverse("accounts:set_up"), {"code": "000000"})
    assert client.post(reverse("accounts:set_up"), {"code": "000000"}).status_code == 429


def test_a_full_sign_in_forgets_earlier_failures(client):
    user = UserFactory(is_staff=True)
    device = authenticator_for(user)
    for _ in range(4):
        sign_in_with_password(client, user, password="wrong-guess")
    sign_in(client, user, device)
    client.post(reverse("accounts:sign_out"))
    for _ in range(4):
        sign_in_with_password(client, user, password="wrong-guess")
    assert sign_in_with_password(client, user).status_code == 302


def test_wrong_passwords_get_one_plain_message(client):
    user = UserFactory(is_staff=True)
    response = sign_in_with_password(client, user, password="wrong-guess")
    html = response.content.decode()
    assert response.status_code == 200
    assert "The username or password is not right" in html
    assert "Forgotten your password?" in html


def test_only_staff_can_sign_in(client):
    resident = UserFactory(is_staff=False)
    response = sign_in_with_password(client, resident)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_without_a_required_second_factor_sign_in_is_one_step(client, settings):
    settings.OTP_REQUIRED = False
    user = UserFactory(is_staff=True)
    response = sign_in_with_password(client, user, next_url=reverse("admin:index"))
    assert response.status_code == 302 and response.url == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_password_alone_does_not_show_drafts(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    device = authenticator_for(user)
    draft = ProgramFactory(status=Program.Status.DRAFT)
    sign_in_with_password(client, user)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.post(reverse("accounts:verify"), {"code": code_for(device)})
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_next_never_leaves_the_site(client):
    user = UserFactory(is_staff=True)
    device = authenticator_for(user)
    sign_in_with_password(client, user, next_url="https://evil.example/")
    response = client.post(reverse("accounts:verify"), {"code": code_for(device), "next": "https://evil.example/"})
    assert response.url == reverse("admin:index")


def test_every_sign_in_page_is_private_and_never_cached(client):
    user = UserFactory(is_staff=True)
    anonymous = [reverse("accounts:sign_in"), reverse("accounts:password_reset")]
    responses = [client.get(url) for url in anonymous]
    sign_in_with_password(client, user)
    responses.append(client.get(reverse("accounts:set_up")))
    for response in responses:
        assert response.status_code == 200
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives
        assert 'name="robots" content="noindex"' in response.content.decode()


def test_sessions_end_after_a_working_day_without_activity(client, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    user = UserFactory(is_staff=True)
    device = authenticator_for(user)
    sign_in(client, user, device)
    session = Session.objects.get(session_key=client.session.session_key)
    Session.objects.filter(pk=session.pk).update(expire_date=session.expire_date.replace(year=2000))
    assert client.get(reverse("admin:index")).status_code == 302


def test_activity_pushes_the_session_expiry_forward(client):
    user = UserFactory(is_staff=True)
    device = authenticator_for(user)
    sign_in(client, user, device)
    key = client.session.session_key
    early = Session.objects.get(session_key=key).expire_date
    session = client.session
    session["accounts_renewed_at"] = 0  # as if the last renewal were long ago
    session.save()
    client.get(reverse("admin:index"))
    assert Session.objects.get(session_key=key).expire_date > early


def test_public_pages_with_a_stray_session_cookie_write_no_session(client, django_assert_max_num_queries):
    program = ProgramFactory()
    client.cookies["sessionid"] = "not-a-real-session"
    client.get(program.get_absolute_url())
    assert not Session.objects.exists()


def test_first_steps_says_how_to_create_the_first_account_until_there_is_one():
    out = StringIO()
    call_command("first_steps", stdout=out)
    assert "manage.py createsuperuser" in out.getvalue() and "/admin/" in out.getvalue()
    UserFactory(is_staff=True, is_superuser=True)
    out = StringIO()
    call_command("first_steps", stdout=out)
    assert out.getvalue() == ""


def test_a_code_typed_too_soon_after_a_wrong_one_is_asked_again_not_called_wrong(client):
    """django-otp's own delay (1, 2, 4... s per device, from any address) comes with a plain message."""
    user = UserFactory(is_staff=True)
    device = authenticator_for(user)
    sign_in_with_password(client, user)
    client.post(reverse("accounts:verify"), {"code": str((int(code_for(device)) + 1) % 1_000_000).zfill(6)})
    too_soon = client.post(reverse("accounts:verify"), {"code": code_for(device)})
    assert "wait 1 second, then type the code again" in too_soon.content.decode()
    device.refresh_from_db()
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=device.throttling_failure_timestamp.replace(year=2000)
    )
    assert client.post(reverse("accounts:verify"), {"code": code_for(device)}).status_code == 302


def test_the_sign_in_form_says_nothing_of_optional_fields_it_does_not_have(client):
    page = client.get(reverse("accounts:sign_in")).content.decode()
    assert 'name="username"' in page and 'name="password"' in page
    assert "(optional)" not in page
