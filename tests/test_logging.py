"""Every line the site writes to standard output is one JSON object, for requests and errors alike."""

import json
import logging
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

PROJECT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status_of(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback only)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture(scope="module")
def gunicorn_output(tmp_path_factory):
    """What a production gunicorn prints while it serves a few requests."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        {
            "DEBUG": "false",
            "HTTPS": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('logs') / 'db.sqlite3'}",
            "LOG_LEVEL": "INFO",
            "PORT": str(free_port()),
            "WEB_CONCURRENCY": "1",
        }
    )
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=PROJECT, env=env, check=True, timeout=120)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "sro_site.wsgi"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{env['PORT']}"
    try:
        for _ in range(100):
            try:
                statuses = {"/healthz": status_of(base + "/healthz")}
                break
            except OSError:
                time.sleep(0.1)
        statuses["/nowhere/"] = status_of(base + "/nowhere/?from=test")
    finally:
        server.terminate()
        output, errors = server.communicate(timeout=30)
    # Container platforms collect standard output; nothing may go to stderr.
    assert errors.strip() == "", errors
    return statuses, [line for line in output.splitlines() if line.strip()]


def test_every_line_gunicorn_and_django_write_is_one_json_object(gunicorn_output):
    _, lines = gunicorn_output
    assert len(lines) >= 4  # start-up, two requests, a 404 warning, shut-down
    for line in lines:
        record = json.loads(line)
        assert {"time", "level", "logger", "message"} <= record.keys(), line


def test_each_request_is_logged_with_its_status_and_duration(gunicorn_output):
    statuses, lines = gunicorn_output
    requests = [json.loads(line) for line in lines if '"gunicorn.access"' in line]
    by_path = {r["path"]: r for r in requests}
    assert by_path["/healthz"]["status"] == statuses["/healthz"] == 200
    assert by_path["/nowhere/"]["status"] == statuses["/nowhere/"] == 404
    assert by_path["/nowhere/"]["query"] == "from=test"
    assert all(isinstance(r["duration_ms"], int) and r["method"] == "GET" for r in requests)


def test_django_warnings_reach_the_same_output(gunicorn_output):
    _, lines = gunicorn_output
    records = [json.loads(line) for line in lines]
    assert any(r["logger"] == "django.request" and r["level"] == "WARNING" for r in records)


def test_an_error_with_its_traceback_is_still_one_line():
    config = settings.LOGGING["formatters"]["json"]
    formatter = import_string(config["()"])(config["fmt"], rename_fields=config["rename_fields"])
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error", (), None)
        record.exc_info = sys.exc_info()
    line = formatter.format(record)
    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["level"] == "ERROR"
    assert "ValueError: boom" in parsed["exc_info"]
