"""Editors join by invitation, reset their password by email, and leave with their sessions ended."""

import re
import time
from io import StringIO
from smtplib import SMTPException

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts import invitations
from accounts.models import AccountEvent, Invitation
from programs.models import AgencyMembership
from tests.factories import AgencyFactory, UserFactory
from tests.signin import PASSWORD, authenticator_for, sign_in, sign_in_with_password

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "plum orchard lantern river"


@pytest.fixture(autouse=True)
def second_factor_required(settings):
    settings.OTP_REQUIRED = True


def add_editor(*args):
    out = StringIO()
    call_command("add_editor", *args, stdout=out)
    return out.getvalue()


def link_in(message):
    match = re.search(r"https?://\S+/invitation/\S+/", message.body)
    assert match, message.body
    return match.group(0)


def path_of(url):
    return "/" + url.split("/", 3)[3]


def choose_password(client, link, password=NEW_PASSWORD):
    opened = client.get(path_of(link))
    assert opened.status_code == 302 and opened.url == reverse("accounts:choose_password")
    return client.post(opened.url, {"new_password1": password, "new_password2": password})


# --- add_editor ------------------------------------------------------------


def test_add_editor_creates_a_scoped_editor_and_emails_an_invitation():
    agency = AgencyFactory(slug="jefferson-county-sheriffs-office", name="Jefferson County Sheriff's Office")
    output = add_editor("jfaulkner", agency.slug, "--email", "jf@example.org")
    user = get_user_model().objects.get(username="jfaulkner")
    assert user.is_staff and not user.is_superuser and not user.has_usable_password()
    assert user.groups.filter(name="Agency editors").exists()
    assert user.has_perm("programs.change_program") and not user.has_perm("programs.delete_educationtopic")
    assert list(AgencyMembership.objects.filter(user=user).values_list("agency", flat=True)) == [agency.pk]
    assert "Invitation emailed to jf@example.org" in output and "changepassword" not in output
    [message] = mail.outbox
    assert message.to == ["jf@example.org"]
    assert "Jefferson County Sheriff's Office" in message.body and "jfaulkner" in message.body
    assert "7 days" in message.body
    link_in(message)
    assert "password:" not in (output + message.body).lower()


def test_add_editor_is_idempotent_and_adds_agencies():
    first, second = AgencyFactory(), AgencyFactory()
    add_editor("pat", first.slug, "--no-invite")
    add_editor("pat", first.slug, "--no-invite")
    add_editor("pat", second.slug, "--no-invite")
    user = get_user_model().objects.get(username="pat")
    assert set(user.agency_memberships.values_list("agency", flat=True)) == {first.pk, second.pk}
    assert not mail.outbox


def test_add_editor_names_the_known_agencies_when_the_slug_is_wrong():
    AgencyFactory(slug="st-charles-county-police-department")
    with pytest.raises(CommandError, match="st-charles-county-police-department"):
        add_editor("pat", "nowhere")


def test_add_editor_keeps_an_existing_password_and_sends_nothing_unless_asked():
    user = UserFactory(username="kim")
    add_editor("kim", AgencyFactory().slug)
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and not mail.outbox
    add_editor("kim", user.agency_memberships.get().agency.slug, "--resend")
    assert len(mail.outbox) == 1


def test_add_editor_without_an_email_address_says_how_to_invite():
    output = add_editor("noemail", AgencyFactory().slug)
    assert "--email" in output and not mail.outbox


def test_add_editor_keeps_the_account_when_the_mail_server_fails(monkeypatch):
    def broken(*args, **kwargs):
        raise SMTPException("connection refused")

    monkeypatch.setattr(invitations, "send_mail", broken)
    with pytest.raises(CommandError, match="EMAIL_URL"):
        add_editor("lee", AgencyFactory().slug, "--email", "lee@example.org")
    assert get_user_model().objects.filter(username="lee", is_staff=True).exists()


# --- The link --------------------------------------------------------------


def test_the_invitation_leads_to_a_password_then_to_set_up(client):
    add_editor("jo", AgencyFactory().slug, "--email", "jo@example.org")
    chosen = choose_password(client, link_in(mail.outbox[0]))
    assert chosen.status_code == 302 and chosen.url.startswith(reverse("accounts:set_up"))
    user = get_user_model().objects.get(username="jo")
    assert user.check_password(NEW_PASSWORD)
    assert Invitation.objects.get(user=user).accepted_at is not None
    assert AccountEvent.objects.filter(user=user, kind=AccountEvent.Kind.INVITATION_ACCEPTED).exists()
    assert client.get(reverse("admin:index")).status_code == 302  # the second factor comes first


def test_an_invitation_link_works_once(client):
    add_editor("jo", AgencyFactory().slug, "--email", "jo@example.org")
    link = link_in(mail.outbox[0])
    choose_password(client, link)
    client.post(reverse("accounts:sign_out"))
    again = client.get(path_of(link))
    assert again.status_code == 200 and "already been used" in again.content.decode()


def test_a_new_invitation_voids_the_old_link(client):
    agency = AgencyFactory()
    add_editor("jo", agency.slug, "--email", "jo@example.org")
    add_editor("jo", agency.slug)  # no password yet: a fresh link
    old, new = link_in(mail.outbox[0]), link_in(mail.outbox[1])
    assert old != new
    assert "newer invitation" in client.get(path_of(old)).content.decode()
    assert choose_password(client, new).status_code == 302


def test_an_invitation_expires(client, settings, monkeypatch):
    add_editor("jo", AgencyFactory().slug, "--email", "jo@example.org")
    link = link_in(mail.outbox[0])
    later = time.time() + (settings.INVITATION_DAYS * 86400) + 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    response = client.get(path_of(link))
    assert response.status_code == 200 and "expired" in response.content.decode()
    assert not get_user_model().objects.get(username="jo").has_usable_password()


def test_a_tampered_link_is_refused(client):
    add_editor("jo", AgencyFactory().slug, "--email", "jo@example.org")
    link = link_in(mail.outbox[0])
    response = client.get(path_of(link).replace("/invitation/", "/invitation/x"))
    assert "not valid" in response.content.decode()


def test_the_password_form_needs_the_link_first(client):
    response = client.get(reverse("accounts:choose_password"))
    assert "Open the link in your invitation email" in response.content.decode()


def test_a_weak_password_is_refused_with_a_clear_message(client):
    add_editor("jo", AgencyFactory().slug, "--email", "jo@example.org")
    response = choose_password(client, link_in(mail.outbox[0]), password="short")
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html and "at least 12 characters" in html


# --- Invite from the admin ----------------------------------------------------


@pytest.fixture
def superuser_client(client):
    chief = UserFactory(is_staff=True, is_superuser=True)
    sign_in(client, chief, authenticator_for(chief))
    client.chief = chief
    return client


def test_a_superuser_invites_an_editor_from_the_admin(superuser_client):
    agency = AgencyFactory()
    users = superuser_client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert reverse("admin:accounts_invite_editor") in users and "Invite an editor" in users
    response = superuser_client.post(
        reverse("admin:accounts_invite_editor"), {"email": "New.Editor@example.org", "agency": agency.pk}
    )
    user = get_user_model().objects.get(username="new.editor@example.org")
    assert response.status_code == 302
    assert user.agency_memberships.get().agency == agency and user.is_staff
    [message] = mail.outbox
    assert message.to == ["New.Editor@example.org"] and "http://testserver/" in link_in(message)
    assert Invitation.objects.get(user=user).sent_by == superuser_client.chief


def test_the_invite_form_explains_its_errors(superuser_client):
    response = superuser_client.post(reverse("admin:accounts_invite_editor"), {"email": "not-an-address"})
    html = response.content.decode()
    assert response.status_code == 200 and "Enter a valid email address." in html and "errornote" in html
    assert not mail.outbox


def test_a_failed_invitation_email_is_said_and_the_account_kept(superuser_client, monkeypatch):
    def broken(*args, **kwargs):
        raise SMTPException("connection refused")

    monkeypatch.setattr(invitations, "send_mail", broken)
    agency = AgencyFactory()
    response = superuser_client.post(
        reverse("admin:accounts_invite_editor"), {"email": "ed@example.org", "agency": agency.pk}, follow=True
    )
    assert "could not be emailed" in response.content.decode()
    assert get_user_model().objects.filter(username="ed@example.org").exists()


def test_editors_cannot_invite_or_see_accounts(client):
    editor = UserFactory(is_staff=True)
    sign_in(client, editor, authenticator_for(editor))
    assert client.get(reverse("admin:accounts_invite_editor")).status_code == 403
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:accounts_accountevent_changelist")).status_code == 403


# --- Password reset ------------------------------------------------------------


def test_password_reset_answers_the_same_whether_or_not_the_address_is_known(client):
    UserFactory(email="known@example.org", is_staff=True)
    known = client.post(reverse("accounts:password_reset"), {"email": "known@example.org"})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("accounts:password_reset_sent")
    assert [m.to for m in mail.outbox] == [["known@example.org"]]


def test_a_password_reset_keeps_the_second_factor_and_works_once(client):
    user = UserFactory(email="known@example.org", is_staff=True)
    device = authenticator_for(user)
    assert "Forgotten your password?" in client.get(reverse("accounts:sign_in")).content.decode()
    client.post(reverse("accounts:password_reset"), {"email": "known@example.org"})
    link = re.search(r"https?://\S+/password-reset/\S+/\S+/", mail.outbox[0].body).group(0)
    form = client.get(path_of(link), follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    device.refresh_from_db()
    assert device.confirmed
    assert AccountEvent.objects.filter(user=user, kind=AccountEvent.Kind.PASSWORD_RESET).exists()
    # The second factor is still asked for after the new password.
    response = sign_in_with_password(client, user, password=NEW_PASSWORD)
    assert response.url.startswith(reverse("accounts:verify"))
    client.post(reverse("accounts:sign_out"))
    assert "not valid any more" in client.get(path_of(link), follow=True).content.decode()


# --- Leaving staff -----------------------------------------------------------


def test_deactivating_a_user_ends_their_sessions_at_once(client, superuser_client):
    from django.test import Client

    editor = UserFactory(is_staff=True)
    editor_client = Client()
    sign_in(editor_client, editor, authenticator_for(editor))
    key = editor_client.session.session_key
    assert editor_client.get(reverse("admin:index")).status_code == 200

    data = {
        "username": editor.username,
        "email": editor.email,
        "is_staff": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "09:00:00",
        "account_events-TOTAL_FORMS": "0",
        "account_events-INITIAL_FORMS": "0",
    }
    response = superuser_client.post(reverse("admin:auth_user_change", args=[editor.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    editor.refresh_from_db()
    assert not editor.is_active
    assert not Session.objects.filter(session_key=key).exists()
    assert editor_client.get(reverse("admin:index")).status_code == 302
    event = AccountEvent.objects.get(user=editor, kind=AccountEvent.Kind.DEACTIVATED)
    assert event.actor == superuser_client.chief


def test_the_reset_form_cannot_flood_an_inbox(client, settings):
    settings.FORM_RATE_LIMIT = 2
    UserFactory(email="known@example.org", is_staff=True)
    answers = [client.post(reverse("accounts:password_reset"), {"email": "known@example.org"}) for _ in range(4)]
    assert {a.url for a in answers} == {reverse("accounts:password_reset_sent")}
    assert len(mail.outbox) == 2
