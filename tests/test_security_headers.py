"""Every response carries the security headers, cached or not; production settings pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from .factories import ProgramFactory

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(params=["home", "program", "cached program", "not found", "admin login", "health"])
def response(request, client):
    program = ProgramFactory()
    url = {
        "home": "/",
        "program": program.get_absolute_url(),
        "cached program": program.get_absolute_url(),
        "not found": "/nowhere/",
        "admin login": reverse("admin:login"),
        "health": "/healthz",
    }[request.param]
    if request.param == "cached program":
        client.get(url)
    return client.get(url)


def csp_directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_content_security_policy_is_strict(response):
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_content_type_sniffing_is_off(response):
    assert response["X-Content-Type-Options"] == "nosniff"


def test_referrer_policy(response):
    assert response["Referrer-Policy"] in ("strict-origin-when-cross-origin", "same-origin", "no-referrer")


def test_permissions_policy_denies_camera_microphone_and_geolocation(response):
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation"):
        assert f"{feature}=()" in policy


def test_cross_origin_opener_policy(response):
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_framing_is_denied(response):
    assert response["X-Frame-Options"] == "DENY"


def test_hsts_is_long_lived_over_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 63072000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"


def test_deploy_checklist_is_clean_with_production_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "DEBUG": "false",
            "HTTPS": "true",
            "SECRET_KEY": "k" * 20 + "-production-like-secret-0123456789-abcdefghij",
            "ALLOWED_HOSTS": "sro.example.org",
        }
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
