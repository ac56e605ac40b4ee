"""A newcomer's whole way in, in a real browser: invitation, password, authenticator
set-up, backup codes, sign-in with a code and with a backup code; passkeys with
Chromium's virtual authenticator; and axe-core on every sign-in page."""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from tests.signin import code_for_key as code_for

from .test_accessibility import axe_violations

pytestmark = pytest.mark.browser
PASSWORD = "plum orchard lantern river"


@pytest.fixture
def staff_site(demo_site, settings):
    settings.OTP_REQUIRED = True
    return demo_site


def invite(username="jfaulkner", agency="jefferson-county-sheriffs-office"):
    mail.outbox.clear()
    call_command("add_editor", username, agency, "--email", f"{username}@example.org", stdout=StringIO())
    [message] = mail.outbox
    return re.search(r"https?://\S+/invitation/\S+/", message.body).group(0)


def on_this_site(site, link):
    return site + "/" + link.split("/", 3)[3]


def type_into(page, selector, text):
    """Keyboard only: focus the field by its label's target, type, then Enter submits."""
    page.locator(selector).fill("")  # a re-shown form keeps what was typed before
    page.locator(selector).focus()
    page.keyboard.type(text)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def accept_and_set_up(page, site, link):
    """Invitation link -> password -> authenticator set-up -> backup codes. Returns (key, codes)."""
    page.goto(on_this_site(site, link))
    assert page.title().startswith("Choose your password")
    page.locator("#id_new_password1").fill(PASSWORD)
    type_into(page, "#id_new_password2", PASSWORD)
    assert page.title().startswith("Set up your authenticator app")
    assert page.locator("img[alt*='QR code']").count() == 1
    key = page.locator("#setup-key").inner_text().replace(" ", "")
    type_into(page, "#id_code", code_for(key))
    assert page.title().startswith("Save your backup codes")
    codes = page.locator("#backup-codes code").all_inner_texts()
    assert len(codes) == 10
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("I have stored my codes")).click()
    return key, codes


def sign_out(page):
    with page.expect_navigation():
        page.locator("#logout-form button").click()


def sign_in_with_password(page, site, username):
    page.goto(site + "/admin/")
    assert page.title().startswith("Staff sign-in")
    page.locator("#id_username").fill(username)
    type_into(page, "#id_password", PASSWORD)
    assert page.title().startswith("Verify it is you")


def test_a_newcomer_from_invitation_to_signing_in_with_a_code_and_a_backup_code(page, staff_site):
    key, codes = accept_and_set_up(page, staff_site, invite())
    assert "Site administration" in page.content() or "Program content" in page.content()
    sign_out(page)

    sign_in_with_password(page, staff_site, "jfaulkner")
    assert page.locator("select").count() == 0
    type_into(page, "#id_code", code_for(key, step=1))  # the set-up code was this step's: single use
    assert page.title().startswith("Program content")
    sign_out(page)

    sign_in_with_password(page, staff_site, "jfaulkner")
    with page.expect_navigation():
        page.get_by_role("link", name="Use a backup code instead").click()
    type_into(page, "#id_code", codes[0])
    assert page.title().startswith("Program content")
    sign_out(page)

    sign_in_with_password(page, staff_site, "jfaulkner")
    page.goto(staff_site + "/admin/sign-in/verify/?method=backup")
    type_into(page, "#id_code", codes[0])
    assert page.title().startswith("Verify it is you")
    assert "already used" in page.locator(".usa-error-message").inner_text()
    assert page.locator("#id_code").get_attribute("aria-invalid") == "true"


def add_virtual_authenticator(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
    }
    return cdp, cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})["authenticatorId"]


def test_a_passkey_is_added_from_the_account_page_and_then_signs_in(page, staff_site):
    from django_otp_webauthn.models import WebAuthnCredential

    from accounts.models import AccountEvent

    key, _ = accept_and_set_up(page, staff_site, invite("passkeyuser"))
    add_virtual_authenticator(page)
    page.goto(staff_site + "/admin/your-account/")
    assert "cannot be phished" in page.content()
    page.get_by_role("button", name="Add a passkey").click()
    for _ in range(100):
        if WebAuthnCredential.objects.filter(user__username="passkeyuser").exists():
            break
        page.wait_for_timeout(100)
    assert WebAuthnCredential.objects.filter(user__username="passkeyuser", confirmed=True).count() == 1
    assert AccountEvent.objects.filter(user__username="passkeyuser", kind=AccountEvent.Kind.PASSKEY_ADDED).exists()
    sign_out_from_account = page.goto(staff_site + "/admin/")
    assert sign_out_from_account.ok
    sign_out(page)

    sign_in_with_password(page, staff_site, "passkeyuser")
    with page.expect_navigation(url=re.compile(r"/admin/$")):
        page.get_by_role("button", name="Use your passkey").click()
    assert page.title().startswith("Program content")


def test_every_sign_in_page_passes_axe(page, staff_site, axe_source, settings):
    from accounts.models import Invitation

    link = invite("axeuser")
    page.goto(on_this_site(staff_site, link))
    pages = {"choose password": axe_violations(page, axe_source)}
    page.locator("#id_new_password1").fill("short")
    type_into(page, "#id_new_password2", "short")
    pages["choose password, with errors"] = axe_violations(page, axe_source)
    page.locator("#id_new_password1").fill(PASSWORD)
    type_into(page, "#id_new_password2", PASSWORD)
    pages["set-up"] = axe_violations(page, axe_source)
    type_into(page, "#id_code", "12")
    pages["set-up, with errors"] = axe_violations(page, axe_source)
    key = page.locator("#setup-key").inner_text().replace(" ", "")
    type_into(page, "#id_code", code_for(key))
    pages["backup codes"] = axe_violations(page, axe_source)
    page.goto(staff_site + "/admin/your-account/")
    pages["your account"] = axe_violations(page, axe_source)
    page.goto(staff_site + "/admin/")
    sign_out(page)
    pages["sign-in"] = axe_violations(page, axe_source)
    page.locator("#id_username").fill("axeuser")
    type_into(page, "#id_password", "wrong password")
    pages["sign-in, with errors"] = axe_violations(page, axe_source)
    page.locator("#id_username").fill("axeuser")
    type_into(page, "#id_password", PASSWORD)
    pages["verify"] = axe_violations(page, axe_source)
    page.goto(staff_site + "/admin/sign-in/verify/?method=backup")
    pages["verify with a backup code"] = axe_violations(page, axe_source)
    for _ in range(4):  # with the wrong password above, the fifth failure
        type_into(page, "#id_code", "zzzzzzzz")
    assert page.title().startswith("Account locked")
    pages["locked out"] = axe_violations(page, axe_source)
    page.goto(on_this_site(staff_site, link))
    pages["invitation already used"] = axe_violations(page, axe_source)
    page.goto(staff_site + "/admin/password-reset/")
    pages["password reset"] = axe_violations(page, axe_source)
    type_into(page, "#id_email", "axeuser@example.org")
    pages["password reset sent"] = axe_violations(page, axe_source)
    reset_link = re.search(r"https?://\S+/password-reset/\S+/\S+/", mail.outbox[-1].body).group(0)
    page.goto(on_this_site(staff_site, reset_link))
    pages["new password"] = axe_violations(page, axe_source)
    page.locator("#id_new_password1").fill(PASSWORD + " again")
    type_into(page, "#id_new_password2", PASSWORD + " again")
    pages["password changed"] = axe_violations(page, axe_source)
    assert Invitation.objects.filter(user__username="axeuser").exists()
    assert {name: found for name, found in pages.items() if found} == {}
