"""Static files, as production serves them after collectstatic: hashed names, compressed, cached forever."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]

FETCH = """
import json, django
django.setup()
from django.templatetags.static import static
from django.test import Client
client = Client()
url = static("uswds/css/site.min.css")
def get(path, encoding):
    response = client.get(path, HTTP_ACCEPT_ENCODING=encoding)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return {"status": response.status_code, "headers": dict(response.headers), "size": len(body)}
print(json.dumps({
    "url": url,
    "br": get(url, "br, gzip"),
    "gzip": get(url, "gzip"),
    "plain": get(url, ""),
    "unhashed": get("/static/uswds/css/site.min.css", ""),
}))
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "sro_site.settings",
            "STATIC_MANIFEST": "true",
            "STATIC_ROOT": str(root / "collected"),
            "DATABASE_URL": f"sqlite:///{root / 'db.sqlite3'}",
        }
    )
    run = {"cwd": PROJECT, "env": env, "capture_output": True, "text": True, "timeout": 120}
    collect = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], **run)  # noqa: S603
    assert collect.returncode == 0, collect.stderr
    result = subprocess.run([sys.executable, "-c", FETCH], **run)  # noqa: S603
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_pages_link_to_hashed_file_names(served):
    name = served["url"].rsplit("/", 1)[1]
    assert name.startswith("site.min.") and name != "site.min.css"  # site.min.<hash>.css


def test_hashed_files_are_cached_forever(served):
    cache_control = served["plain"]["headers"]["Cache-Control"]
    assert "immutable" in cache_control
    assert "public" in cache_control
    max_age = int(cache_control.split("max-age=")[1].split(",")[0])
    assert max_age >= 365 * 24 * 3600


def test_unhashed_names_are_not_cached_forever(served):
    assert served["unhashed"]["status"] == 200
    assert "immutable" not in served["unhashed"]["headers"].get("Cache-Control", "")


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_compressed_copies_are_served_to_browsers_that_accept_them(served, encoding):
    response = served[encoding]
    assert response["headers"]["Content-Encoding"] == encoding
    assert response["size"] < served["plain"]["size"] / 3
    assert "Accept-Encoding" in response["headers"]["Vary"]
