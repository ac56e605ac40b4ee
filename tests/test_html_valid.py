"""Every public page is valid HTML according to the Nu HTML Checker (vnu)."""

import json
import os
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from .public_pages import PUBLIC_PAGES, SUBMIT_VALID, expected_status

VNU = Path(__file__).resolve().parent.parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


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
        if post == "rate-limited":
            with override_settings(FORM_RATE_LIMIT=0):
                response = client.post(path, SUBMIT_VALID)
        elif post is not None:
            response = client.post(path, post, follow=True)
        else:
            response = client.get(path)
        assert response.status_code == expected_status(name), (name, response.status_code)
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.content)
        files.append(str(file))
    result = subprocess.run(  # noqa: S603
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert errors == []
