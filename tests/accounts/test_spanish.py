"""The staff sign-in pages and the admin's own chrome in Spanish, when the admin's language is Spanish
(the staff member's browser asks for it, or they chose "Español" in the admin's header), and in
English otherwise (WCAG 3.1.1, 3.1.2: the page says lang="es" and all its words are Spanish)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from accounts import invitations
from tests.factories import ProgramFactory, UserFactory
from tests.signin import authenticator_for, sign_in, sign_in_with_password

pytestmark = pytest.mark.django_db

SPANISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9,en;q=0.5"}


@pytest.fixture(autouse=True)
def second_factor_required(settings):
    settings.OTP_REQUIRED = True


def first_backup_code(html):
    return re.findall(r"<li><code>([a-z2-7]+)</code></li>", html)[0]


def choose_spanish(client):
    """As the admin's "Español" button does (Django's set_language, a cookie)."""
    client.post("/admin/language/", {"language": "es", "next": "/admin/"})


def text_of(html):
    """The words a reader gets: the page without its tags, scripts and styles."""
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_sign_in_page_is_in_spanish_when_the_admin_is(client):
    choose_spanish(client)
    html = client.get(reverse("accounts:sign_in")).content.decode()
    assert '<html lang="es">' in html
    for spanish in (
        "Inicio de sesión del personal",
        "Para el personal del condado que mantiene al día las páginas de su programa.",
        "¿Olvidó su contraseña?",
        "nadie puede crear su propia cuenta",
        'value="Iniciar sesión"',
    ):
        assert spanish in html
    for english in ("Staff sign-in", "For county staff", "Forgotten your password?", "New editors get", "Sign in"):
        assert english not in text_of(html) and f'value="{english}"' not in html


def test_a_wrong_password_is_explained_in_spanish(client):
    user = UserFactory(is_staff=True)
    response = client.post(
        reverse("accounts:sign_in"), {"username": user.username, "password": "wrong"}, **SPANISH_BROWSER
    )
    html = response.content.decode()
    assert "El nombre de usuario o la contraseña no son correctos." in html
    assert "The username or password is not right" not in html


def test_the_sign_in_page_stays_in_english_for_an_english_browser(client):
    html = client.get(reverse("accounts:sign_in"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="en">' in html
    assert "Staff sign-in" in html and "Forgotten your password?" in html and 'value="Sign in"' in html
    assert "Inicio de sesión del personal" not in html and "¿Olvidó su contraseña?" not in html


def test_the_second_step_and_its_errors_are_in_spanish(client):
    user = UserFactory(is_staff=True)
    authenticator_for(user)
    choose_spanish(client)
    sign_in_with_password(client, user)
    html = client.get(reverse("accounts:verify")).content.decode()
    assert "Verifique que es usted" in html and "Código de 6 dígitos" in html
    assert "Usar en su lugar un código de respaldo" in html and 'value="Verificar"' in html
    assert "Verify it is you" not in html and "Use a backup code instead" not in text_of(html)
    wrong = client.post(reverse("accounts:verify"), {"code": "12ab56"}).content.decode()
    assert "Escriba los 6 dígitos que muestra su aplicación de autenticación, sin letras." in wrong
    backup = client.get(reverse("accounts:verify") + "?method=backup").content.decode()
    assert "Código de respaldo" in backup and "Backup code" not in text_of(backup)


def test_set_up_and_the_backup_codes_are_in_spanish(client):
    user = UserFactory(is_staff=True)
    choose_spanish(client)
    sign_in_with_password(client, user)
    html = client.get(reverse("accounts:set_up")).content.decode()
    assert "Configure su aplicación de autenticación" in html and "escanee este código QR" in html
    assert 'alt="Código QR con la clave de configuración' in html
    assert "Set up your authenticator app" not in html and "scan this QR code" not in html
    assert "Cerrar sesión y terminar más tarde" in html


def test_the_account_page_and_the_admin_chrome_are_in_spanish(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    device = authenticator_for(user)
    choose_spanish(client)
    sign_in(client, user, device)
    account = client.get(reverse("accounts:account")).content.decode()
    assert "Su cuenta" in account and "Llaves de acceso" in account and "Códigos de respaldo" in account
    assert "Passkeys" not in text_of(account) and "Backup codes" not in text_of(account)
    admin = client.get(reverse("admin:index")).content.decode()
    assert "Sitio de los programas de oficiales de recursos escolares: edición del personal" in admin
    assert "Su cuenta y llaves de acceso" in admin
    assert '<button type="submit" name="language" value="en" lang="en">English</button>' in admin
    for english in ("SRO program site: staff editing", "SRO staff editing", "Your account and passkeys"):
        assert english not in admin


def test_the_admin_chrome_stays_in_english_in_english(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    device = authenticator_for(user)
    sign_in(client, user, device)
    admin = client.get(reverse("admin:index")).content.decode()
    assert "SRO program site: staff editing" in admin and "Your account and passkeys" in admin
    assert "Su cuenta y llaves de acceso" not in admin


def test_the_admins_403_is_in_spanish(client):
    editor = UserFactory(is_staff=True)
    device = authenticator_for(editor)
    program = ProgramFactory()
    choose_spanish(client)
    sign_in(client, editor, device)
    response = client.get(reverse("admin:programs_program_change", args=[program.pk]))
    html = response.content.decode()
    assert response.status_code == 403
    assert "No tiene acceso a esta página" in html and "Volver a su inicio de edición" in html
    assert "ninguna todavía" in html
    assert "Editors see and change" not in html and "Back to your editing home" not in html


def test_the_password_reset_pages_are_in_spanish(client):
    choose_spanish(client)
    form = client.get(reverse("accounts:password_reset")).content.decode()
    assert "Restablezca su contraseña" in form and "Su correo electrónico del trabajo" in form
    assert "Reset your password" not in form and "Your work email address" not in form
    sent = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"}, follow=True)
    html = sent.content.decode()
    assert "Revise su carpeta de correo no deseado" in html and "Check your spam folder" not in html
    bad_link = client.get(reverse("accounts:password_reset_confirm", args=["MQ", "set-password"]), follow=True)
    assert "Este enlace ya no es válido" in bad_link.content.decode()


def test_an_invitation_problem_is_said_in_spanish(client):
    choose_spanish(client)
    html = client.get(reverse("accounts:accept_invitation", args=["not-a-token"])).content.decode()
    assert "Este enlace de invitación no es válido." in html and "inicie sesión" in html
    assert "This invitation link is not valid" not in html
    with translation.override("en"), pytest.raises(invitations.InvalidInvitation, match="link is not valid"):
        invitations.check("not-a-token")  # in the language of the request, as the page


def test_inviting_an_editor_is_in_spanish_when_the_admin_is(client):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    device = authenticator_for(superuser)
    choose_spanish(client)
    sign_in(client, superuser, device)
    users = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "Invitar a un editor" in users and "Segundo factor" in users
    assert "Invite an editor" not in users and "Second factor" not in users
    invite = client.get(reverse("admin:accounts_invite_editor")).content.decode()
    assert "Agencia que editará" in invite and 'value="Enviar la invitación"' in invite
    assert "Agency they will edit" not in invite and "Send the invitation" not in invite
    refused = client.post(reverse("admin:accounts_invite_editor"), {"email": "not-an-address"}).content.decode()
    assert "Por favor, corrija los siguientes errores." in refused and "Please correct" not in refused


def test_new_backup_codes_and_the_sign_in_record_are_in_spanish(client):
    user = UserFactory(is_staff=True)
    device = authenticator_for(user)
    choose_spanish(client)
    sign_in(client, user, device)
    codes = client.post(reverse("accounts:new_backup_codes")).content.decode()
    assert "Guarde sus códigos de respaldo" in codes and "Ya guardé mis códigos: continuar" in codes
    assert "Store them now" not in codes and "I have stored my codes" not in codes
    account = client.get(reverse("accounts:account")).content.decode()
    assert "Le quedan 10 códigos de respaldo sin usar." in account
    assert "Nuevos códigos de respaldo creados" in account  # the record of the change, in Spanish
    client.post(reverse("accounts:sign_out"))
    sign_in_with_password(client, user)
    client.post(reverse("accounts:verify") + "?method=backup", {"code": first_backup_code(codes)})
    account = client.get(reverse("accounts:account")).content.decode()
    # What the site stored in English beside it ("9 left") is marked so.
    assert 'Inició sesión con un código de respaldo (<span lang="en">9 left</span>)' in account
    assert "New backup codes made" not in account and "unused backup codes left" not in account
