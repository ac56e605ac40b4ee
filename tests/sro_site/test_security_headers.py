"""Every response carries the security headers, cached or not; production settings pass Django's deploy checks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parents[2]


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
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
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


# Production settings, loaded in a subprocess: the headers come from the
# environment a deployment sets, not from values a test puts in place.
PRODUCTION_ENV = {
    "DEBUG": "false",
    "HTTPS": "true",
    "SECRET_KEY": "k" * 20 + "-production-like-secret-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "sro.example.org",
}
FETCH_UNDER_PRODUCTION_SETTINGS = """
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="sro.example.org")
secure, plain = client.get("/healthz", secure=True), client.get("/topics/")
print(json.dumps({"secure": dict(secure.headers), "plain_status": plain.status_code,
                  "plain_location": plain.get("Location")}))
"""


@pytest.fixture(scope="module")
def production_responses(tmp_path_factory):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(PRODUCTION_ENV)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "sro_site.settings",
            # healthz only runs SELECT 1: an empty database file will do.
            "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('prod') / 'db.sqlite3'}",
        }
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", FETCH_UNDER_PRODUCTION_SETTINGS],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_hsts_is_long_lived_over_https(production_responses):
    hsts = production_responses["secure"]["Strict-Transport-Security"]
    max_age = int(hsts.split(";")[0].removeprefix("max-age="))
    assert max_age >= 365 * 24 * 3600
    assert "includeSubDomains" in hsts


def test_plain_http_is_redirected_to_https_in_production(production_responses):
    assert production_responses["plain_status"] == 301
    assert production_responses["plain_location"] == "https://sro.example.org/topics/"


def test_production_responses_carry_every_security_header(production_responses):
    headers = production_responses["secure"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_deploy_checklist_is_clean_with_production_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(PRODUCTION_ENV)
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
