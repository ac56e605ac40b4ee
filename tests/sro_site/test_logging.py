"""Every line the site writes to standard output is one JSON object, for requests and errors alike;
at a terminal (`make run`) or with LOG_FORMAT=text, one readable line of text instead."""

import json
import logging
import os
import pty
import re
import secrets
import select
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.module_loading import import_string
from gunicorn.config import Config

from sro_site.logs import SiteLogger, log_format
from tests.local_tools import free_port

PROJECT = Path(__file__).resolve().parents[2]
# Every line's "time": UTC, ISO 8601, milliseconds, the offset written out.
UTC_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00")


def status_of(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback only)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture(scope="module")
def site_env(tmp_path_factory):
    """The environment of a production gunicorn, its database migrated; LOG_FORMAT left unset."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "LOG_FORMAT"))}
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
            # Neither is UTC: the gunicorn master runs in the host's zone (TZ),
            # Django's worker in TIME_ZONE, and the log must not care.
            "TZ": "America/Chicago",
            "TIME_ZONE": "Asia/Kathmandu",
        }
    )
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=PROJECT, env=env, check=True, timeout=120)
    return env


def head(url):
    """A HEAD request, as load balancers check /healthz: its Content-Length and the bytes that came."""
    request = urllib.request.Request(url, method="HEAD")  # noqa: S310 (loopback only)
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (loopback only)
        return response.headers["Content-Length"], response.read()


def get_while_serving(base):
    """GET /healthz once gunicorn answers, then a page that is not there, then HEAD /healthz; their statuses."""
    for _ in range(100):
        try:
            statuses = {"/healthz": status_of(base + "/healthz")}
            break
        except OSError:
            time.sleep(0.1)
    statuses["/nowhere/"] = status_of(base + "/nowhere/?from=test")
    statuses["HEAD /healthz"] = head(base + "/healthz")
    return statuses


@pytest.fixture(scope="module")
def gunicorn_output(site_env):
    """What a production gunicorn prints while it serves a few requests, its output not a terminal."""
    env = site_env
    started = datetime.now(UTC)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "sro_site.wsgi"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        statuses = get_while_serving(f"http://127.0.0.1:{env['PORT']}")
    finally:
        server.terminate()
        output, errors = server.communicate(timeout=30)
    # Container platforms collect standard output; nothing may go to stderr.
    assert errors.strip() == "", errors
    return statuses, [line for line in output.splitlines() if line.strip()], (started, datetime.now(UTC))


def test_every_line_gunicorn_and_django_write_is_one_json_object(gunicorn_output):
    _, lines, _ = gunicorn_output
    assert len(lines) >= 4  # start-up, two requests, a 404 warning, shut-down
    for line in lines:
        record = json.loads(line)
        assert {"time", "level", "logger", "message"} <= record.keys(), line


def test_each_request_is_logged_with_its_status_and_duration(gunicorn_output):
    statuses, lines, _ = gunicorn_output
    requests = [json.loads(line) for line in lines if '"gunicorn.access"' in line]
    by_path = {r["path"]: r for r in requests}
    assert by_path["/healthz"]["status"] == statuses["/healthz"] == 200
    assert by_path["/nowhere/"]["status"] == statuses["/nowhere/"] == 404
    assert by_path["/nowhere/"]["query"] == "from=test"
    assert all(isinstance(r["duration_ms"], int) for r in requests)
    assert [r["method"] for r in requests] == ["GET", "GET", "HEAD"]


def test_a_head_request_gets_the_length_of_the_page_and_no_body_without_a_warning(gunicorn_output):
    """gunicorn logs a WARNING for each HEAD response that comes with a body: load balancers send one
    every few seconds."""
    statuses, lines, _ = gunicorn_output
    length, body = statuses["HEAD /healthz"]
    assert int(length) > 0 and body == b""
    assert not [line for line in lines if "no-body response" in line]


def test_django_warnings_reach_the_same_output(gunicorn_output):
    _, lines, _ = gunicorn_output
    records = [json.loads(line) for line in lines]
    assert any(r["logger"] == "django.request" and r["level"] == "WARNING" for r in records)


def test_gunicorns_and_djangos_lines_give_the_time_in_utc(gunicorn_output):
    _, lines, (started, finished) = gunicorn_output
    records = [json.loads(line) for line in lines]
    assert {"gunicorn.error", "gunicorn.access", "django.request"} <= {r["logger"] for r in records}
    for record in records:
        assert UTC_TIME.fullmatch(record["time"]), record
        # Truly UTC, not local time labelled +00:00 (both zones are hours away).
        logged = datetime.fromisoformat(record["time"])
        assert started - timedelta(seconds=1) <= logged <= finished + timedelta(seconds=1), record


def djangos_formatter():
    """The formatter settings.LOGGING gives Django's lines, built as logging.config.dictConfig builds it."""
    config = dict(settings.LOGGING["formatters"]["site"])
    return import_string(config.pop("()"))(**config)


@pytest.fixture
def gunicorns_formatter():
    """The formatter gunicorn's logger class puts on its error and access logs."""
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("errorlog", "-")
    logger = SiteLogger(cfg)
    formatters = {handler.formatter for log in (logger.error_log, logger.access_log) for handler in log.handlers}
    yield formatters.pop()
    for log in (logger.error_log, logger.access_log):
        log.handlers.clear()
    logging.captureWarnings(False)


@pytest.mark.parametrize("time_zone", ["America/Chicago", "Asia/Kathmandu", "UTC"])
@pytest.mark.parametrize("source", ["django", "gunicorn"])
def test_log_time_is_utc_iso_8601_with_milliseconds_whatever_the_time_zone(settings, request, source, time_zone):
    settings.TIME_ZONE = time_zone  # Django sets the process's local zone (TZ) from it
    formatter = djangos_formatter() if source == "django" else request.getfixturevalue("gunicorns_formatter")
    record = logging.LogRecord("django.request", logging.INFO, __file__, 1, "A request", (), None)
    record.created = datetime(2026, 11, 29, 17, 12, 18, 235000, tzinfo=UTC).timestamp()
    assert (time.localtime(record.created).tm_gmtoff == 0) == (time_zone == "UTC")  # the zone took effect
    assert json.loads(formatter.format(record))["time"] == "2026-11-29T17:12:18.235+00:00"


def test_an_error_with_its_traceback_is_still_one_line():
    formatter = djangos_formatter()
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


def test_one_time_links_are_left_out_of_the_request_log():
    from sro_site.logs import redact

    assert redact("/admin/invitation/MQ:1xXimu:lyge/") == "/admin/invitation/[one-time link]/"
    assert redact("/admin/password-reset/Mg/cz1abc-123/") == "/admin/password-reset/[one-time link]/"
    assert redact("/admin/password-reset/Mg/set-password/") == "/admin/password-reset/[one-time link]/"
    for kept in ("/admin/invitation/choose-password/", "/admin/password-reset/sent/", "/admin/password-reset/"):
        assert redact(kept) == kept


def test_each_worker_keeps_what_it_loaded_at_start_out_of_the_garbage_collectors_passes():
    # gunicorn.conf.py's post_worker_init freezes the objects loaded so far (gc.freeze).
    import ast
    import gc

    # Only the hook: the rest of the file sets up the metrics folder of a real start.
    tree = ast.parse((PROJECT / "gunicorn.conf.py").read_text())
    hook = next(node for node in tree.body if getattr(node, "name", "") == "post_worker_init")
    hooks = {}
    exec(compile(ast.Module(body=[hook], type_ignores=[]), "gunicorn.conf.py", "exec"), hooks)  # noqa: S102 (our own file)
    assert gc.get_freeze_count() == 0
    try:
        hooks["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()


# At a terminal (`make run`), or with LOG_FORMAT=text: one readable line per event.
TEXT_LINE = re.compile(r"\d\d:\d\d:\d\d (DEBUG|INFO|WARNING|ERROR|CRITICAL) +\S.*")


def read_until_exit(fd, process, timeout=60):
    """All a process wrote to the terminal whose other end is `fd`, until it exits."""
    output, deadline = b"", time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the terminal closed: the process and its children are gone
                break
            output += chunk
        elif process.poll() is not None:
            break
    return output.decode()


@pytest.fixture(scope="module")
def terminal_output(site_env):
    """What gunicorn prints to a terminal (a pseudo-terminal, as `make run` in a shell) while it serves."""
    env = {**site_env, "PORT": str(free_port())}
    terminal, its_other_end = pty.openpty()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "sro_site.wsgi"],
        cwd=PROJECT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=its_other_end,
        stderr=its_other_end,
    )
    os.close(its_other_end)
    try:
        statuses = get_while_serving(f"http://127.0.0.1:{env['PORT']}")
    finally:
        server.terminate()
        output = read_until_exit(terminal, server)
        server.wait(timeout=30)
        os.close(terminal)
    return statuses, [line for line in output.splitlines() if line.strip()]


def test_at_a_terminal_every_line_is_time_level_and_message(terminal_output):
    _, lines = terminal_output
    assert len(lines) >= 4  # start-up, two requests, a 404 warning, shut-down
    for line in lines:
        assert TEXT_LINE.fullmatch(line), line


def test_at_a_terminal_a_request_reads_as_method_path_status_and_duration(terminal_output):
    statuses, lines = terminal_output
    assert (statuses["/healthz"], statuses["/nowhere/"]) == (200, 404)
    assert any(re.fullmatch(r"\S+ INFO +GET /healthz 200 \d+ ms", line) for line in lines), lines
    assert any(re.fullmatch(r"\S+ INFO +HEAD /healthz 200 \d+ ms", line) for line in lines), lines
    assert any(re.fullmatch(r"\S+ INFO +GET /nowhere/\?from=test 404 \d+ ms", line) for line in lines), lines
    assert any(re.fullmatch(r"\S+ WARNING Not Found: /nowhere/", line) for line in lines), lines


def test_the_login_lockouts_start_up_banner_is_not_printed(gunicorn_output, terminal_output):
    # django-axes printed "AXES: BEGIN version..." from every process and command (AXES_VERBOSE).
    for lines in (gunicorn_output[1], terminal_output[1]):
        assert not any("AXES" in line for line in lines)


def test_the_format_follows_the_output_unless_log_format_says(monkeypatch):
    terminal, its_other_end = pty.openpty()
    reading, writing = os.pipe()
    try:
        with os.fdopen(its_other_end, "w", closefd=False) as tty, os.fdopen(writing, "w", closefd=False) as pipe:
            monkeypatch.delenv("LOG_FORMAT", raising=False)
            assert (log_format(tty), log_format(pipe)) == ("text", "json")
            monkeypatch.setenv("LOG_FORMAT", "json")
            assert log_format(tty) == "json"
            monkeypatch.setenv("LOG_FORMAT", "text")
            assert log_format(pipe) == "text"
            monkeypatch.setenv("LOG_FORMAT", "xml")
            with pytest.raises(ValueError, match="LOG_FORMAT"):
                log_format(pipe)
    finally:
        for fd in (terminal, its_other_end, reading, writing):
            os.close(fd)


def test_djangos_text_line_with_log_format_text(monkeypatch):
    monkeypatch.setenv("LOG_FORMAT", "text")
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/x/",), None)
    assert TEXT_LINE.fullmatch(djangos_formatter().format(record))
    assert djangos_formatter().format(record).endswith(" WARNING Not Found: /x/")


@pytest.mark.django_db
def test_a_refused_admin_page_is_one_warning_line_without_its_traceback(client, caplog):
    from io import StringIO

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.urls import reverse

    from tests.factories import AgencyFactory

    call_command("add_editor", "jeff-editor", AgencyFactory().slug, "--no-invite", stdout=StringIO())
    client.force_login(get_user_model().objects.get(username="jeff-editor"))
    path = reverse("admin:programs_agencymembership_changelist")  # for superusers only
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(path).status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert (record.levelname, record.getMessage()) == ("WARNING", f"Forbidden (Permission denied): {path}")
    assert record.exc_info is None
    line = djangos_formatter().format(record)
    assert "\n" not in line and "Traceback" not in line and "exc_info" not in json.loads(line)
