"""Every public page is valid HTML according to the Nu HTML Checker (vnu)."""

import json
import os
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import factory
import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.public_pages import PUBLIC_PAGES, RateLimited, expected_status

VNU = Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def require_checker():
    missing = [what for what, ok in [("java", shutil.which("java")), (str(VNU), VNU.exists())] if not ok]
    if missing:
        message = f"HTML CHECK NOT RUN: missing {', '.join(missing)} (make test runs `npm ci`)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.mark.django_db
def test_every_public_page_is_valid_html(client, tmp_path):
    require_checker()
    call_command("load_demo", stdout=StringIO())
    files = []
    for name, (path, post) in PUBLIC_PAGES.items():
        if isinstance(post, RateLimited):
            with override_settings(FORM_RATE_LIMIT=0):
                response = client.post(path, post)
        elif post is not None:
            # Every form, in both languages, from one address: more than the limit allows in an hour.
            with override_settings(FORM_RATE_LIMIT=1000):
                response = client.post(path, post, follow=True)
        else:
            response = client.get(path)
        assert response.status_code == expected_status(name), (name, response.status_code)
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.content)
        files.append(str(file))
    assert vnu_errors(files) == []


def vnu_errors(files):
    result = subprocess.run(  # noqa: S603
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}" for m in messages]


@pytest.mark.django_db
def test_every_staff_sign_in_page_is_valid_html(client, tmp_path, settings):
    from django.urls import reverse

    from accounts import invitations, second_factor
    from tests.factories import UserFactory
    from tests.signin import authenticator_for, code_for, sign_in_with_password

    require_checker()
    settings.OTP_REQUIRED = True
    pages = {}
    pages["sign-in"] = client.get(reverse("accounts:sign_in"))
    pages["sign-in-errors"] = client.post(reverse("accounts:sign_in"), {"username": "x", "password": "y"})
    pages["password-reset"] = client.get(reverse("accounts:password_reset"))
    newcomer = UserFactory(is_staff=True)
    link = invitations.invitation_url(invitations.create(newcomer, newcomer.email), "")
    pages["choose-password"] = client.get(link, follow=True)
    sign_in_with_password(client, newcomer)
    pages["set-up"] = client.get(reverse("accounts:set_up"))
    pages["set-up-errors"] = client.post(reverse("accounts:set_up"), {"code": "12"})
    client.logout()
    user = UserFactory(is_staff=True)
    device = authenticator_for(user)
    sign_in_with_password(client, user)
    pages["verify"] = client.get(reverse("accounts:verify"))
    client.post(reverse("accounts:verify"), {"code": code_for(device)})
    second_factor.new_backup_codes(user, actor=user)
    pages["account"] = client.get(reverse("accounts:account"))
    pages["backup-codes"] = client.post(reverse("accounts:new_backup_codes"))
    files = []
    for name, response in pages.items():
        assert response.status_code == 200, name
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.content)
        files.append(str(file))
    assert vnu_errors(files) == []


def long_lists():
    """Demo data plus a second state and enough schools for results over six pages (ellipsis in the pagination)."""
    from tests.factories import ProgramFactory, SchoolFactory, StateFactory

    call_command("load_demo", stdout=StringIO())
    ProgramFactory(agency__county="Johnson", agency__state=StateFactory(code="KS", name="Kansas"))
    agency = ProgramFactory(agency__county="Franklin").agency
    SchoolFactory.create_batch(130, agency=agency, name=factory.Sequence(lambda n: f"Lincoln Elementary {n}"))
    return {
        "home-states": "/",
        "state-kansas": "/states/ks/",
        "search-page-3": "/schools/?q=lincoln&page=3",
        "search-last-page": "/schools/?q=lincoln&page=7",
    }


@pytest.mark.django_db
def test_several_states_and_long_lists_are_valid_html(client, tmp_path):
    require_checker()
    files = []
    for name, path in long_lists().items():
        response = client.get(path)
        assert response.status_code == 200, name
        if name == "search-page-3":
            assert b"usa-pagination__overflow" in response.content  # pages 1 2 3 4 ... 7
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.content)
        files.append(str(file))
    assert vnu_errors(files) == []
